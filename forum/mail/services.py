"""Queue mail in the transaction of the act that causes it; read the state of the outbox.

`enqueue` is the one entry point for other features. It only adds a row to the outbox, in the
caller's transaction: if the act is rolled back, so is its mail, and a mail is never sent for an
act that did not happen. The mail worker (forum/mail/delivery.py) sends the rows later.
"""

import functools
import logging
import uuid
from contextlib import contextmanager
from email.headerregistry import Address
from email.utils import parseaddr

from flask import current_app, g, has_request_context, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forum.clock import utcnow
from forum.extensions import db
from forum.mail.models import MailState, OutboxMessage

log = logging.getLogger(__name__)


def sender() -> str:
    """The From address of the forum's mail, from FORUM_MAIL_FROM."""
    return current_app.config["MAIL_FROM"]


def mail_domain() -> str:
    """The domain of the forum's mail (FORUM_MAIL_FROM's): of Message-IDs, threads, List-Id."""
    return _domain_of(sender())


@functools.lru_cache(maxsize=8)
def _domain_of(address: str) -> str:
    return Address(addr_spec=parseaddr(address)[1]).domain or "localhost"


def enqueue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    language: str = "",
    headers: dict[str, str] | None = None,
    session: Session | None = None,
) -> OutboxMessage:
    """Queue a message to one address in the current transaction; flush, do not commit.

    text is the plain-text body, html an optional HTML alternative of the same content, language
    the recipient's interface language (for Content-Language), headers any further headers
    (In-Reply-To, References, List-Id, List-Unsubscribe ...). The Message-ID is fixed here.
    session is the request's unless given (the mail worker has its own).
    """
    session = session or db.session
    message = OutboxMessage(
        # From the OS's randomness: email.utils.make_msgid draws from the random module, which
        # a seeded program (a test generator, say) repeats, and Message-IDs must never repeat.
        message_id=f"<{uuid.uuid4().hex}@{mail_domain()}>",
        recipient=to,
        subject=subject,
        text=text,
        html=html,
        language=language,
        headers=dict(headers or {}),
    )
    session.add(message)  # flushed with the transaction: a worker writes thousands at a time
    wake_worker()
    return message


def wake_worker() -> None:
    """Say that the request left work for the mail worker (mail to send, or records that make
    mail). Without a mail server, the request does that work itself once it is answered."""
    if has_request_context():
        g.mail_queued = True


def enqueue_template(
    *,
    to: str,
    language: str,
    subject: str,
    template: str,
    headers: dict[str, str] | None = None,
    session: Session | None = None,
    **context,
) -> OutboxMessage:
    """Queue templates/mail/<template>.txt and .html, and the (lazy) subject, in language."""
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with request_for_mail(), force_locale(language):
        return enqueue(
            to=to,
            subject=str(subject),
            text=render_template(f"mail/{template}.txt", **context),
            html=render_template(f"mail/{template}.html", language=language, **context),
            language=language,
            headers=headers,
            session=session,
        )


@contextmanager
def request_for_mail():
    """A request to render mail in: templates and url_for need one, and a command or a worker
    has none, so one on FORUM_BASE_URL (or http://localhost). Inside a request, that request.
    The mail worker opens one for a whole batch."""
    if has_request_context():
        yield
        return
    base = current_app.config["BASE_URL"] or "http://localhost"
    with current_app.test_request_context(base_url=base):
        yield


LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}


def absolute_url(endpoint: str, **values) -> str:
    """An address for a mail: on FORUM_BASE_URL when set.

    Without it, on the request's host only if that is this machine (the one-command forum):
    the Host header is the client's to write, and a reset link on a host of the attacker's
    choosing would hand them the token. Otherwise (and outside a request) on http://localhost.
    """
    base = current_app.config["BASE_URL"]
    if base:
        with request_for_mail():
            # The path below the forum's root (which FORUM_BASE_URL includes).
            return base + url_for(endpoint, **values)[len(request.script_root) :]
    if has_request_context() and request.host.rsplit(":", 1)[0] in LOOPBACK:
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url="http://localhost"):
        return url_for(endpoint, _external=True, **values)


def outbox_status() -> dict:
    """Count the outbox's messages by state, with the creation time of the oldest queued one."""
    counts = dict(
        db.session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        ).all()
    )
    oldest = db.session.scalar(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.state == MailState.queued)
    )
    return {
        "queued": counts.get(MailState.queued, 0),
        "sent": counts.get(MailState.sent, 0),
        "failed": counts.get(MailState.failed, 0),
        "oldest_queued": oldest,
    }


def failed_messages(limit: int = 20, *, page: int = 1) -> list[OutboxMessage]:
    """The messages given up on, with their last error, newest first: page of limit each."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == MailState.failed)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
            .offset((page - 1) * limit)
        )
    )


def find_message(message_id: int) -> OutboxMessage | None:
    """The outbox message with this id."""
    return db.session.get(OutboxMessage, message_id)


def retry_message(message: OutboxMessage, *, by) -> bool:
    """Queue a failed message again, due now, with its attempts counted afresh; flush.

    False (and nothing changes) when the message is not failed: queued again already, or sent.
    """
    if message.state != MailState.failed:
        return False
    message.state = MailState.queued
    message.due_at = utcnow()
    message.attempts = 0
    db.session.flush()
    # The server's log keeps who sent what again; the recipient is not for the public log.
    log.info("Mail %s to %s queued again by %s", message.id, message.recipient, by.username)
    wake_worker()
    return True
