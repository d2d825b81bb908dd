"""Following topics and dialogues, and writing and reading notifications.

Notifications are consequences of acts: the receivers at the end of this module subscribe to
forum.acts and write them in the act's transaction. A notification stores what it is about,
never what that said: its page shows a post as the post is when read, through seen().
"""

import re

from sqlalchemy import Integer, String, cast, exists, func, literal, null, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from forum import acts, people
from forum.accounts.models import MailMode, User
from forum.clock import utcnow
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.mail.services import wake_worker
from forum.moderation.models import LogEntry, Report
from forum.notifications.models import Audience, FanOut, Follow, Kind, Notification
from forum.posts.models import Post
from forum.topics.models import Topic

ACTOR = aliased(User)  # made once, not per request
QUOTES = re.compile(r"^\s*>", re.MULTILINE)


def _target(target: Topic | Dialogue) -> dict:
    return {"topic_id": target.id} if isinstance(target, Topic) else {"dialogue_id": target.id}


def is_following(user: User, target: Topic | Dialogue) -> bool:
    """Say whether the person follows this topic or dialogue."""
    (column, value), *_ = _target(target).items()
    return bool(
        db.session.scalar(
            select(exists().where(Follow.user_id == user.id, getattr(Follow, column) == value))
        )
    )


def follow(target: Topic | Dialogue, *, by: User) -> None:
    """Follow a topic or a dialogue; following it again changes nothing."""
    insert = (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert
    # A conflict, not a check then an insert: two clicks at once make one follow.
    db.session.execute(
        insert(Follow)
        .values(user_id=by.id, created_at=utcnow(), **_target(target))
        .on_conflict_do_nothing()
    )


def unfollow(target: Topic | Dialogue, *, by: User) -> None:
    """Stop following a topic or a dialogue."""
    (column, value), *_ = _target(target).items()
    db.session.execute(
        Follow.__table__.delete().where(Follow.user_id == by.id, getattr(Follow, column) == value)
    )


def set_settings(user: User, *, follows_own_topics: bool, mail_mode: MailMode) -> None:
    """Set whether writing in a topic follows it, and how often mail about it comes."""
    user.follows_own_topics = follows_own_topics
    user.mail_mode = MailMode(mail_mode)
    db.session.flush()


def _notify(user_id: int, kind: Kind, *, by: User, **about) -> None:
    """Notify one person of someone else's act."""
    if user_id != by.id:
        db.session.add(Notification(user_id=user_id, kind=kind, actor_id=by.id, **about))
        wake_worker()  # it may be mailed at once


def _fan_out(audience: Audience, kind: Kind, *, by: User, **about) -> None:
    """Notify everybody who follows the topic or dialogue: one row now, spread by the worker
    (forum/notifications/spreading.py)."""
    db.session.add(FanOut(audience=audience, kind=kind, actor_id=by.id, **about))
    wake_worker()


_COLUMNS = (
    "kind", "actor_id", "post_id", "topic_id", "dialogue_id", "reason", "created_at",
    "mail_pending",
)  # fmt: skip


def notify_all(
    recipient, *where, kind: Kind, actor_id: int, at=None, session=None, **about
) -> None:
    """Notify everybody the recipient column selects under `where` (but the actor).

    One INSERT ... SELECT, however many they are. Used in the act (a summary's cited authors,
    a post's reporters: a few people) and by the worker, which spreads a FanOut to followers.
    `at` is when the act was done (now, if not given); session, the request's if not given.
    """
    session = session or db.session
    types = dict.fromkeys(("post_id", "topic_id", "dialogue_id"), Integer())
    values = [literal(kind.value, String()), literal(actor_id, Integer())]
    for name in ("post_id", "topic_id", "dialogue_id"):
        value = about.get(name)
        values.append(cast(null(), types[name]) if value is None else literal(value, Integer()))
    values += [
        literal(about.get("reason", ""), String()),
        literal(at or utcnow(), Notification.created_at.type),
        true(),  # the column's server default is false (the rows before mail existed)
    ]
    rows = select(recipient, *values).where(*where, recipient != actor_id).distinct()
    session.flush()  # the one-person notifications of the act are seen by `where`
    session.execute(Notification.__table__.insert().from_select(("user_id", *_COLUMNS), rows))
    wake_worker()  # some may be mailed at once


def unread_count_of(user_column):
    """How many unread notifications the person in user_column has: a subquery for load_user."""
    return (
        select(func.count(Notification.id))
        .where(Notification.user_id == user_column, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def about(*columns):
    """Notifications with what they are about (post, topic, dialogue, and the actor as the
    dialogue shows them), and the further columns given: for the page and for mail."""
    return (
        select(
            Notification,
            Post.subject.label("subject"),
            Post.body_html.label("body_html"),
            Post.content_note.label("content_note"),
            Post.hidden_at.label("hidden_at"),
            Topic.title.label("topic_title"),
            Topic.slug.label("topic_slug"),
            Dialogue.id.label("dialogue_id"),
            Dialogue.title.label("dialogue_title"),
            Dialogue.slug.label("dialogue_slug"),
            *people.columns(ACTOR, Dialogue.id, "actor"),
            Dialogue.pseudonymous.label("pseudonymous"),
            *columns,
        )
        .outerjoin(Post, Post.id == Notification.post_id)
        .outerjoin(Topic, Topic.id == Notification.topic_id)
        .outerjoin(
            Dialogue, Dialogue.id == func.coalesce(Notification.dialogue_id, Topic.dialogue_id)
        )
        .outerjoin(ACTOR, ACTOR.id == Notification.actor_id)
    )


def notifications_page(user: User, *, page: int, per_page: int):
    """A page of the person's notifications, newest first, with what they are about."""
    rows = db.session.execute(
        about(LogEntry.rule.label("rule"))
        .outerjoin(LogEntry, LogEntry.id == Notification.entry_id)
        .where(Notification.user_id == user.id)
        # In the order of the acts: a follower's notice is written when the worker spreads it.
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    rows = [people.Named(row, ("actor",), pseudonymous=bool(row.pseudonymous)) for row in rows]
    return rows[:per_page], len(rows) > per_page


def find_notification(notification_id: int, *, user: User) -> Notification | None:
    """The person's notification with this id (nobody else's)."""
    notification = db.session.get(Notification, notification_id)
    return notification if notification and notification.user_id == user.id else None


def mark_read(notification: Notification) -> None:
    """Mark one notification read."""
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()


def mark_all_read(user: User) -> None:
    """Mark every notification of the person read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


# The consequences of acts. Each runs inside the act's transaction.


@acts.post_written.connect
def _post_written(post: Post, *, by: User) -> None:
    if post.parent_id is not None:
        parent = db.session.get(Post, post.parent_id)
        kind = Kind.quote if QUOTES.search(post.body_source) else Kind.reply
        _notify(parent.author_id, kind, by=by, post_id=post.id, topic_id=post.topic_id)
    _fan_out(
        Audience.topic_followers, Kind.new_post, by=by, post_id=post.id, topic_id=post.topic_id
    )
    if by.follows_own_topics:
        follow(post.topic, by=by)


@acts.topic_opened.connect
def _topic_opened(topic: Topic, *, by: User) -> None:
    _fan_out(
        Audience.dialogue_followers, Kind.new_topic,
        by=by, topic_id=topic.id, dialogue_id=topic.dialogue_id,
    )  # fmt: skip
    if by.follows_own_topics:
        follow(topic, by=by)


def _moderated(kind: Kind):
    def receiver(post: Post, *, by: User, reason: str) -> None:
        _notify(post.author_id, kind, by=by, post_id=post.id, topic_id=post.topic_id, reason=reason)

    return receiver


# A hidden post's author gets a notice of the act instead (forum/notifications/notices.py).
_post_restored = acts.post_restored.connect(_moderated(Kind.restored))


def _topic_moderated(kind: Kind):
    def receiver(topic: Topic, *, by: User, reason: str) -> None:
        # Timed now: the topic author's notice of a lock, written next, is not spread again.
        _fan_out(
            Audience.topic_followers, kind, by=by, topic_id=topic.id, reason=reason,
            created_at=utcnow(),
        )  # fmt: skip

    return receiver


_topic_locked = acts.topic_locked.connect(_topic_moderated(Kind.locked))
_topic_unlocked = acts.topic_unlocked.connect(_topic_moderated(Kind.unlocked))


@acts.summary_published.connect
def _summary_published(summary, *, by: User, newly_cited: list[int]) -> None:
    where, at = _target_of(summary), utcnow()
    if newly_cited:  # told that their post is cited, they are not told again of the summary
        notify_all(
            Post.author_id, Post.id.in_(newly_cited),
            kind=Kind.cited, actor_id=by.id, at=at, **where,
        )  # fmt: skip
    audience = Audience.topic_followers if "topic_id" in where else Audience.dialogue_followers
    _fan_out(audience, Kind.summarised, by=by, created_at=at, **where)


def _target_of(summary) -> dict:
    if summary.topic_id is not None:
        return {"topic_id": summary.topic_id}
    return {"dialogue_id": summary.dialogue_id}


@acts.reports_handled.connect
def _reports_handled(post: Post, *, by: User, upheld: bool, handled_at, note: str) -> None:
    notify_all(
        Report.reporter_id,
        Report.post_id == post.id,
        Report.handled_at == handled_at,
        Report.handled_by_id == by.id,
        kind=Kind.report_upheld if upheld else Kind.report_dismissed,
        actor_id=by.id, post_id=post.id, topic_id=post.topic_id, reason=note,
    )  # fmt: skip
