"""Mail of notifications: each at once, or daily and weekly digests, as each person chose.

A notification is written pending mail (Notification.mail_pending). Every pass of the mail
worker (forum/mail/delivery.py) runs the producers here. Each takes pending notifications, queues
their mail in the outbox and clears their flag in one transaction, so a notification is mailed
once or not at all; on PostgreSQL its rows are locked (SKIP LOCKED), so workers share the work.

- Mail goes only to a confirmed address; a person who wants no mail, or has no confirmed
  address, has their notifications dropped from mail (they stay in the forum).
- The text of a hidden post is never mailed: a notice of a post hidden before its mail goes out
  (at once or in a digest) is left out.
- Every mail threads with the other mail about its topic (In-Reply-To and References name the
  topic), and carries List-Id and a signed one-click List-Unsubscribe link (RFC 8058).
"""

import hashlib
import hmac
import textwrap
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from forum import people, text
from forum.accounts.models import MailMode, User
from forum.clock import utcnow
from forum.extensions import db
from forum.mail.delivery import produces_mail
from forum.mail.services import absolute_url, enqueue_template, mail_domain, request_for_mail
from forum.notifications.models import Kind, Notification
from forum.notifications.services import about
from forum.posts import notes
from forum.posts.models import Post
from forum.topics.models import PromptQuestion, Topic

BATCH = 100
DIGESTS_PER_PASS = 20
PERIODS = {MailMode.daily: timedelta(days=1), MailMode.weekly: timedelta(days=7)}
# Kinds whose mail shows the post they are about (its subject, its text).
ABOUT_A_POST = {Kind.reply, Kind.quote, Kind.new_post, Kind.restored}
# Kinds that are nothing but the post: once it is hidden, there is nothing left to tell.
ONLY_THE_POST = {Kind.reply, Kind.quote, Kind.new_post}
EXCERPT = 300  # characters of a post's text in a digest


def _eligible():
    """A person mail of notifications may go to: wants some, has a confirmed address."""
    return and_(User.mail_mode != MailMode.none, User.email_confirmed_at.is_not(None))


# Unsubscribing: a signed link in every mail, working without logging in.


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def _address_fingerprint(user: User) -> str:
    # The link dies when the address changes: it was given to the old address.
    return hashlib.sha256(user.email.lower().encode()).hexdigest()[:16]


def unsubscribe_token(user: User) -> str:
    """The token of the person's unsubscribe link: it does not expire."""
    return _signer().dumps({"user": user.id, "address": _address_fingerprint(user)})


def user_for_unsubscribe(token: str) -> User | None:
    """The person an unsubscribe token is for, or None if it is not a valid one."""
    try:
        data = _signer().loads(token)
        user = db.session.get(User, int(data["user"]))
    except (BadData, KeyError, TypeError, ValueError):
        return None
    if user is None or not hmac.compare_digest(_address_fingerprint(user), str(data["address"])):
        return None
    return user


def unsubscribe(user: User) -> None:
    """Stop all mail of notifications to the person (they stay in the forum)."""
    user.mail_mode = MailMode.none
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.mail_pending)
        .values(mail_pending=False)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


# What a mail says of a notification.


# Pending notifications with their recipient and what they are about: built once.
ROWS = (
    about(
        User,
        Post.body_source.label("body_source"),
        PromptQuestion.text.label("prompt"),
        Topic.framing_html.label("framing_html"),
    )
    .join(User, User.id == Notification.user_id)
    .outerjoin(PromptQuestion, PromptQuestion.id == Post.prompt_id)
    .where(Notification.mail_pending)
    .order_by(Notification.id)
)


def _rows(session: Session, *where, limit: int | None = None, lock: bool = False):
    """Pending notifications under `where`, with their recipient and what they are about."""
    query = ROWS.where(*where).limit(limit)
    if lock:
        query = query.with_for_update(skip_locked=True, of=Notification)
    return session.execute(query).all()


def _link(row) -> str:
    notification = row.Notification
    if notification.post_id:
        return absolute_url("posts.show", post_id=notification.post_id)
    if notification.topic_id:
        return absolute_url("topics.show", topic_id=notification.topic_id, slug=row.topic_slug)
    return absolute_url("dialogues.show", slug=row.dialogue_slug)


def _excerpt(html: str, width: int = EXCERPT) -> str:
    return textwrap.shorten(text.cleaned(html).striptags(), width=width, placeholder=" …")


def _item(row) -> dict:
    """What a mail shows of one notification; the post's words only if it is not hidden."""
    notification = row.Notification
    shows_post = notification.kind in ABOUT_A_POST and row.hidden_at is None
    return {
        "kind": notification.kind.value,
        "name": people.of_row(row, "actor", pseudonymous=row.pseudonymous, lazy=True).name
        if row.actor_username
        else _l("Someone"),
        "topic": row.topic_title or row.dialogue_title,
        "dialogue": row.dialogue_title,
        "reason": notification.reason,
        "link": _link(row),
        "post_id": notification.post_id if shows_post else None,
        "subject": row.subject if shows_post else "",
        "prompt": row.prompt if shows_post else "",
        "note": row.content_note if shows_post else "",
        "marker": notes.MARKER,
        "source": row.body_source if shows_post else "",
        "html": text.cleaned(row.body_html) if shows_post else "",
        "excerpt": _excerpt(row.body_html) if shows_post else "",
        "framing": _excerpt(row.framing_html) if notification.kind is Kind.new_topic else "",
    }


def _left_out(row) -> bool:
    """A notice that is only its post, the post hidden since: nothing of it is mailed."""
    return row.Notification.kind in ONLY_THE_POST and row.hidden_at is not None


def _thread(row) -> str:
    """The Message-ID every mail about this topic (or dialogue) answers, so they thread."""
    if row.Notification.topic_id:
        return f"<topic-{row.Notification.topic_id}@{mail_domain()}>"
    return f"<dialogue-{row.dialogue_id}@{mail_domain()}>"


def _list(user: User) -> tuple[dict[str, str], dict[str, str]]:
    """The list headers of a mail to the person, and the links of its footer."""
    link = absolute_url("notifications.unsubscribe", token=unsubscribe_token(user))
    headers = {
        "List-Id": f"Dialogue Forum notifications <notifications.{mail_domain()}>",
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    footer = {"settings_link": absolute_url("accounts.edit_profile"), "unsubscribe_link": link}
    return headers, footer


def _subject(row) -> str:
    title = row.topic_title or row.dialogue_title
    return title if row.Notification.kind is Kind.new_topic else f"Re: {title}"


def _mark_mailed(session: Session, ids: list[int]) -> None:
    if ids:
        session.execute(
            update(Notification)
            .where(Notification.id.in_(ids))
            .values(mail_pending=False)
            .execution_options(synchronize_session=False)
        )


# The producers the mail worker runs on every pass.


@produces_mail(idle=True)
def drop_unwanted(session: Session) -> int:
    """Clear the mail flag of notifications nobody will mail: no mail wanted, no confirmed
    address. Return how many."""
    unwanted = select(User.id).where(~_eligible())
    result = session.execute(
        update(Notification)
        .where(Notification.mail_pending, Notification.user_id.in_(unwanted))
        .values(mail_pending=False)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount


@produces_mail
def mail_at_once(session: Session, limit: int = BATCH) -> int:
    """Queue one mail for each pending notification of people who want mail at once."""
    rows = _rows(
        session,
        User.mail_mode == MailMode.instant,
        User.email_confirmed_at.is_not(None),
        limit=limit,
        lock=True,
    )
    with request_for_mail():  # one for the batch: url_for and templates need one
        for row in rows:
            if not _left_out(row):
                _mail_one(session, row)
    _mark_mailed(session, [row.Notification.id for row in rows])
    session.commit()
    return len(rows)


def _due(now):
    """People whose digest is due: they have pending notifications and their period since the
    last digest (or, before the first, since the oldest pending one) has passed."""
    oldest = (
        select(func.min(Notification.created_at))
        .where(Notification.user_id == User.id, Notification.mail_pending)
        .scalar_subquery()
    )
    since = func.coalesce(User.digest_sent_at, oldest)
    return and_(
        User.email_confirmed_at.is_not(None),
        exists().where(Notification.user_id == User.id, Notification.mail_pending),
        or_(
            *(
                and_(User.mail_mode == mode, since <= now - period)
                for mode, period in PERIODS.items()
            )
        ),
    )


def digest(rows) -> list[dict]:
    """Group a person's notifications by dialogue, then topic: what a digest shows, in order.

    Each dialogue: its title and topics; each topic: its title, a link to its first new post
    (or to the topic), and the items.
    """
    dialogues: dict[int, dict] = {}
    for row in rows:
        if _left_out(row):
            continue
        item = _item(row)
        dialogue = dialogues.setdefault(
            row.dialogue_id,
            {
                "title": row.dialogue_title,
                "link": absolute_url("dialogues.show", slug=row.dialogue_slug),
                "topics": {},
            },
        )
        topic = dialogue["topics"].setdefault(
            row.Notification.topic_id,
            {"title": row.topic_title or row.dialogue_title, "link": item["link"], "items": []},
        )
        if item["post_id"] and not any(other["post_id"] for other in topic["items"]):
            topic["link"] = item["link"]  # the first new post
        if item["post_id"] and any(item["post_id"] == o["post_id"] for o in topic["items"]):
            continue  # one post, told once
        topic["items"].append(item)
    return [
        dialogue | {"topics": list(dialogue["topics"].values())} for dialogue in dialogues.values()
    ]


@produces_mail(idle=True)
def mail_digests(session: Session, limit: int = DIGESTS_PER_PASS) -> int:
    """Queue the digests that are due, each person's pending notifications in one mail."""
    now = utcnow()
    due = list(
        session.scalars(
            select(User)
            .where(_due(now))
            .order_by(User.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for user in due:
        rows = _rows(session, Notification.user_id == user.id, lock=True)
        with request_for_mail():
            _mail_digest(session, user, digest(rows), now)
        _mark_mailed(session, [row.Notification.id for row in rows])
        session.commit()
    return len(due)


def _mail_one(session: Session, row) -> None:
    user = row.User
    headers, footer = _list(user)
    enqueue_template(
        to=user.email,
        language=user.locale,
        subject=_subject(row),
        template="notification",
        headers={"In-Reply-To": _thread(row), "References": _thread(row)} | headers,
        session=session,
        user=user,
        item=_item(row),
        **footer,
    )


def _mail_digest(session: Session, user: User, dialogues: list[dict], now) -> None:
    if dialogues:
        weekly = user.mail_mode is MailMode.weekly
        headers, footer = _list(user)
        enqueue_template(
            to=user.email,
            language=user.locale,
            subject=_l("Your weekly digest from Dialogue Forum")
            if weekly
            else _l("Your daily digest from Dialogue Forum"),
            template="digest",
            headers=headers,
            session=session,
            user=user,
            weekly=weekly,
            dialogues=dialogues,
            **footer,
        )
        user.digest_sent_at = now
