"""The mail worker: claim due messages from the outbox, send them, mark them sent or failed.

Delivery is at least once. A worker first claims a batch: in one short transaction it takes due
rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers never take the same row; SQLite runs one
worker) and moves their due time CLAIM_FOR ahead. It then sends each message and commits its new
state at once. A worker killed between the SMTP server's acceptance of a message and that commit
leaves the message queued; it is sent again once the claim lapses (CLAIM_FOR later), with the same
Message-ID, so mail clients show it once. That single message is the whole duplicate window.

A 4xx reply or a connection failure is retried with an exponential backoff, up to MAX_ATTEMPTS;
a 5xx reply or an address that is not one fails the message for good: `forum mail status` and
the administrators' page /admin/mail show it, and an administrator may queue it again there.
"""

import functools
import logging
import os
import smtplib
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app, g
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from forum.clock import utcnow
from forum.extensions import db
from forum.mail.models import MailState, OutboxMessage
from forum.mail.services import sender

log = logging.getLogger(__name__)
BATCH = 50
CLAIM_FOR = timedelta(minutes=10)
MAX_ATTEMPTS = 10
TIMEOUT = 30  # seconds for each SMTP exchange


class PermanentFailure(Exception):
    """The message can never be delivered as it is (5xx reply, not an address)."""


class ConnectionLost(Exception):
    """The mail server cannot be reached: this message and the rest of the batch wait."""


def backoff(attempts: int) -> timedelta:
    """How long a message waits after its attempts-th failed try: 1, 2, 4 ... minutes, to 6 h."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


def build(message: OutboxMessage) -> EmailMessage:
    """The message as it is sent: plain text, an HTML alternative, the headers fixed at enqueue."""
    mail = EmailMessage()
    mail["From"] = sender()
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(message.created_at.replace(tzinfo=UTC))
    mail["Message-ID"] = message.message_id
    mail["Auto-Submitted"] = "auto-generated"
    for name, value in message.headers.items():
        mail[name] = value
    mail.set_content(message.text)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    if message.language:  # after the content, which replaces every Content-* header
        mail["Content-Language"] = message.language
    return mail


def _check_address(address: str) -> None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise PermanentFailure(f"not an address: {exc}") from exc


@functools.cache
def _tls() -> ssl.SSLContext:
    # Made once: loading the system's certificates takes tens of milliseconds.
    return ssl.create_default_context()


class SMTPTransport:
    """Send through the server of FORUM_MAIL_URL, on one connection opened at the first message.

    smtp://host:587 speaks STARTTLS, smtps://host:465 TLS from the start; user and password in
    the URL log in. Any other smtp:// port talks plain SMTP (a local relay).
    """

    def __init__(self, url: str):
        self.url = urlsplit(url)
        if self.url.scheme not in {"smtp", "smtps"}:
            raise ValueError(f"FORUM_MAIL_URL must start with smtp:// or smtps://, not {url!r}")
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        host, port = self.url.hostname or "localhost", self.url.port
        if self.url.scheme == "smtps":
            connection = smtplib.SMTP_SSL(host, port or 465, timeout=TIMEOUT, context=_tls())
        else:
            connection = smtplib.SMTP(host, port or 25, timeout=TIMEOUT)
            if (port or 25) == 587:
                connection.starttls(context=_tls())
        if self.url.username:
            connection.login(unquote(self.url.username), unquote(self.url.password or ""))
        return connection

    def send(self, mail: EmailMessage, recipient: str) -> None:
        """Send one message or raise PermanentFailure, ConnectionLost or an SMTP 4xx error."""
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(
                mail, from_addr=parseaddr(sender())[1], to_addrs=[recipient]
            )
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            if code >= 500:
                raise PermanentFailure(f"{code} {reply.decode(errors='replace')}") from exc
            raise
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as exc:
            self.close()
            raise ConnectionLost(str(exc) or type(exc).__name__) from exc

    def close(self) -> None:
        """Say goodbye to the server, if a connection is open."""
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


class FileTransport:
    """Without a mail server, write each message to an .eml file in the instance folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, mail: EmailMessage, recipient: str) -> None:
        """Write the message, whole or not at all, and log where."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = mail["Message-ID"].strip("<>").replace("/", "_") + ".eml"
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".mail.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(bytes(mail))
        os.replace(tmp, self.folder / name)
        log.warning("No FORUM_MAIL_URL: mail to %s written to %s", recipient, self.folder / name)

    def close(self) -> None:
        """Nothing to close."""


def mail_folder() -> Path:
    """Where mail goes when no FORUM_MAIL_URL is set."""
    return Path(current_app.instance_path) / "mail"


@contextmanager
def transport():
    """The configured way out: SMTP when FORUM_MAIL_URL is set, else .eml files."""
    url = current_app.config["MAIL_URL"]
    way = SMTPTransport(url) if url else FileTransport(mail_folder())
    try:
        yield way
    finally:
        way.close()


def claim(session: Session, limit: int = BATCH) -> list[OutboxMessage]:
    """Take up to limit due messages for this worker, committed, so no other worker takes them."""
    now = utcnow()
    messages = list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == MailState.queued, OutboxMessage.due_at <= now)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for message in messages:
        message.due_at = now + CLAIM_FOR
        message.attempts += 1
    session.commit()
    return messages


def _retry_later(message: OutboxMessage, error: str) -> None:
    message.last_error = error[:1000]
    if message.attempts >= MAX_ATTEMPTS:
        message.state = MailState.failed
    else:
        message.due_at = utcnow() + backoff(message.attempts)


def deliver_due(session: Session | None = None, limit: int = BATCH) -> int:
    """Send one batch of due messages; return how many were taken (0: nothing is due)."""
    session = session or db.session
    messages = claim(session, limit)
    if not messages:
        return 0
    with transport() as way:
        for index, message in enumerate(messages):
            try:
                _check_address(message.recipient)
                way.send(build(message), message.recipient)
            except PermanentFailure as exc:
                message.state = MailState.failed
                message.last_error = str(exc)[:1000]
                log.error("Mail %s to %s failed for good: %s", message.id, message.recipient, exc)
            except ConnectionLost as exc:
                for waiting in messages[index:]:
                    _retry_later(waiting, f"connection: {exc}")
                session.commit()
                log.warning("Mail server unreachable (%s); %d messages wait", exc, len(messages))
                break
            except smtplib.SMTPException as exc:
                _retry_later(message, str(exc))
            else:
                message.state = MailState.sent
                message.sent_at = utcnow()
                message.last_error = ""
            session.commit()
    return len(messages)


# What makes mail out of other features' records (notifications: fan-outs, instant mail,
# digests), each a function(session) -> how many things it did, committing its own work. Every
# pass of the worker runs the busy ones before it sends, so what they queue goes out in the same
# pass; the idle ones (housekeeping and digests: work that can wait, and whose query reads every
# person) only in a pass that found nothing else to do.
PRODUCERS: list[Callable[[Session], int]] = []
IDLE_PRODUCERS: list[Callable[[Session], int]] = []


def produces_mail(
    function: Callable[[Session], int] | None = None, *, idle: bool = False
) -> Callable:
    """Register a producer of mail for the worker's passes (a decorator; idle=True: only when
    nothing else is to be done)."""

    def register(function: Callable[[Session], int]) -> Callable[[Session], int]:
        (IDLE_PRODUCERS if idle else PRODUCERS).append(function)
        return function

    return register(function) if function else register


@produces_mail(idle=True)
def forget_old_mail(session: Session) -> int:
    """Delete the messages sent or given up more than MAIL_KEEP_DAYS ago (addresses and texts
    are personal data: the outbox keeps them only as long as the admins may need to look)."""
    before = utcnow() - timedelta(days=current_app.config["MAIL_KEEP_DAYS"])
    result = session.execute(
        delete(OutboxMessage).where(
            or_(
                (OutboxMessage.state == MailState.sent) & (OutboxMessage.sent_at < before),
                (OutboxMessage.state == MailState.failed) & (OutboxMessage.created_at < before),
            )
        )
    )
    session.commit()
    return result.rowcount


def work_once(session: Session | None = None, limit: int = BATCH, *, idle: bool = True) -> int:
    """One pass: run the producers, then send one batch of due messages; return work done.

    The idle producers run when the rest did nothing (unless idle is False)."""
    session = session or db.session
    done = sum(produce(session) for produce in PRODUCERS)
    done += deliver_due(session, limit)
    if not done and idle:
        done = sum(produce(session) for produce in IDLE_PRODUCERS)
    return done


def drain(session: Session | None = None, *, idle: bool = True) -> int:
    """Do all the work there is now (produce, then send); return how much was done."""
    total = 0
    while done := work_once(session, idle=idle):
        total += done
    return total


def run_worker(
    *,
    once: bool = False,
    interval: float = 5.0,
    batch: int = BATCH,
    stop: threading.Event | None = None,
) -> None:
    """Send due mail, batch messages at a time, until stopped (with once, until nothing is due)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        if work_once(limit=batch):
            continue
        if once:
            return
        db.session.rollback()  # end the read transaction while idle
        stop.wait(interval)


def init_app(app) -> None:
    """Without a mail server, do the work a request left for the worker as soon as it is done."""

    @app.after_request
    def deliver_queued_mail(response):
        if g.pop("mail_queued", False) and not app.config["MAIL_URL"]:
            deliver_in_process()
        return response


IDLE_EVERY = 60.0  # seconds between the idle producers' runs in a process without a worker
_idle_ran_at = -IDLE_EVERY


def deliver_in_process() -> None:
    """Do the worker's work from this process (no mail server: .eml files); never raise.

    The idle producers (digests) run at most once a minute here: a request pays for them
    seldom, and a digest waits for the first act after it falls due."""
    global _idle_ran_at
    idle = time.monotonic() - _idle_ran_at >= IDLE_EVERY
    if idle:
        _idle_ran_at = time.monotonic()
    # A session of its own: the request's session may hold changes that are not to be committed.
    with Session(db.engine) as session:
        try:
            drain(session, idle=idle)
        except Exception:
            log.exception("Delivering the outbox in this process failed; the mail stays queued")
