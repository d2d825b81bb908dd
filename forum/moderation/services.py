"""Moderation: locking topics, hiding posts, and the public log every act is written to."""

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from forum import acts, people
from forum.accounts.models import User
from forum.changes import mark_changed
from forum.clock import utcnow
from forum.dialogues import services as dialogues
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation.models import Action, LogEntry
from forum.topics.models import Topic

if TYPE_CHECKING:
    from forum.posts.models import Post

REASON_MAX = 1000
TARGET_USER = aliased(User)  # made once, not per request

ACTION_NAMES = {
    Action.lock: _l("Topic locked"),
    Action.unlock: _l("Topic unlocked"),
    Action.hide: _l("Post hidden"),
    Action.restore: _l("Post restored"),
    Action.pin: _l("Summary pinned"),
    Action.unpin: _l("Summary unpinned"),
    Action.resolve_report: _l("Reports on a post upheld"),
    Action.dismiss_report: _l("Reports on a post dismissed"),
    Action.suspend: _l("Person suspended"),
    Action.unsuspend: _l("Suspension lifted"),
    Action.role: _l("Site role changed"),
    Action.dialogue_state: _l("Dialogue state changed"),
    Action.slow_mode: _l("Slow mode on"),
    Action.slow_mode_end: _l("Slow mode off"),
    Action.conduct: _l("Code of conduct edited"),
    Action.reveal: _l("A pseudonym revealed to a moderator"),
}


class ModerationError(ValueError):
    """A moderation act that cannot be done as asked, with a message for the moderator."""


class AlreadyDone(ModerationError):
    """The thing is already in the state the act would put it in."""


def check_reason(reason: str | None, *, required: bool = True) -> str:
    """Return the reason, trimmed, if it is given (when required) and not too long."""
    reason = (reason or "").strip()
    if required and not reason:
        raise ModerationError(_l("Give a reason: it is shown to everybody."))
    if len(reason) > REASON_MAX:
        raise ModerationError(_l("A reason has at most %(n)d characters.", n=REASON_MAX))
    return reason


def record(action: Action, *, by: User, reason: str = "", **targets) -> LogEntry:
    """Write an entry in the public moderation log (in the caller's transaction).

    What the entry is about has changed for its feeds too.
    """
    entry = LogEntry(action=action, actor_id=by.id, reason=reason, **targets)
    db.session.add(entry)
    if targets.get("dialogue_id") is not None:
        # Whoever acts in a pseudonymous dialogue appears there under a pseudonym too.
        people.enter(db.session.get(Dialogue, targets["dialogue_id"]), by)
        mark_changed(dialogue_id=targets["dialogue_id"], topic_id=targets.get("topic_id"))
    return entry


def _lock_row(topic: Topic) -> None:
    """Take the topic's row lock (PostgreSQL) and re-read it, so no reply slips past the lock."""
    db.session.execute(select(Topic.id).where(Topic.id == topic.id).with_for_update()).scalar_one()
    db.session.refresh(topic)


def lock_topic(topic: Topic, *, by: User, reason: str) -> LogEntry:
    """Lock a topic: no more replies. The reason is shown on the topic and in the log."""
    reason = check_reason(reason)
    _lock_row(topic)
    if topic.locked_at is not None:
        raise AlreadyDone(_l("This topic is already locked."))
    topic.locked_at = utcnow()
    topic.locked_by_id = by.id
    topic.lock_reason = reason
    acts.topic_locked.send(topic, by=by, reason=reason)
    return record(
        Action.lock, by=by, reason=reason, dialogue_id=topic.dialogue_id, topic_id=topic.id
    )


def unlock_topic(topic: Topic, *, by: User, reason: str = "") -> LogEntry:
    """Unlock a topic so replies may land again, with an optional note."""
    reason = check_reason(reason, required=False)
    _lock_row(topic)
    if topic.locked_at is None:
        raise AlreadyDone(_l("This topic is not locked."))
    topic.locked_at = None
    topic.locked_by_id = None
    topic.lock_reason = ""
    acts.topic_unlocked.send(topic, by=by, reason=reason)
    return record(
        Action.unlock, by=by, reason=reason, dialogue_id=topic.dialogue_id, topic_id=topic.id
    )


SLOW_MINUTES_MAX = 24 * 60


def set_slow_mode(
    topic: Topic, *, by: User, minutes: int | None, until=None, reason: str = ""
) -> LogEntry:
    """Let each participant post at most once per `minutes` in the topic (until `until`).

    No minutes ends slow mode. The reason is shown on the topic and in the log.
    """
    if not minutes:
        if not topic.is_slow:
            raise AlreadyDone(_l("This topic is not in slow mode."))
        topic.slow_minutes = topic.slow_until = None
        topic.slow_reason = ""
        reason = check_reason(reason, required=False)
        return record(
            Action.slow_mode_end, by=by, reason=reason, dialogue_id=topic.dialogue_id,
            topic_id=topic.id,
        )  # fmt: skip
    reason = check_reason(reason)
    if not 1 <= minutes <= SLOW_MINUTES_MAX:
        raise ModerationError(
            _l("Slow mode allows one post every 1 to %(n)d minutes.", n=SLOW_MINUTES_MAX)
        )
    if until is not None and until <= utcnow():
        raise ModerationError(_l("The end of slow mode must be in the future."))
    topic.slow_minutes, topic.slow_until, topic.slow_reason = minutes, until, reason
    return record(
        Action.slow_mode,
        by=by,
        reason=f"{minutes} min: {reason}",
        dialogue_id=topic.dialogue_id,
        topic_id=topic.id,
    )


def about_post(post: "Post") -> dict:
    """What a log entry about a post points at: the post, its topic, dialogue and author."""
    return {
        "dialogue_id": post.topic.dialogue_id,
        "topic_id": post.topic_id,
        "post_id": post.id,
        "target_user_id": post.author_id,
    }


def hide_post(post: "Post", *, by: User, reason: str) -> LogEntry:
    """Hide a post from readers (its replies stay) and record why."""
    reason = check_reason(reason)
    if post.hidden_at is not None:
        raise AlreadyDone(_l("This post is already hidden."))
    post.hidden_at = utcnow()
    post.hidden_by_id = by.id
    post.hidden_reason = reason
    dialogues.post_hidden(post.topic.dialogue_id, post.id)
    acts.post_hidden.send(post, by=by, reason=reason)
    return record(Action.hide, by=by, reason=reason, **about_post(post))


def restore_post(post: "Post", *, by: User, reason: str) -> LogEntry:
    """Show a hidden post again, and record why."""
    reason = check_reason(reason)
    if post.hidden_at is None:
        raise AlreadyDone(_l("This post is not hidden."))
    post.hidden_at = None
    post.hidden_by_id = None
    post.hidden_reason = ""
    dialogues.post_shown(post.topic.dialogue_id, post.id)
    acts.post_restored.send(post, by=by, reason=reason)
    return record(Action.restore, by=by, reason=reason, **about_post(post))


def log_page(*, dialogue: Dialogue | None, page: int, per_page: int):
    """A page of the public log, newest first, with actor, target user, topic and dialogue."""
    target = TARGET_USER
    query = (
        select(
            LogEntry,
            *people.columns(User, LogEntry.dialogue_id, "actor"),
            *people.columns(target, LogEntry.dialogue_id, "target"),
            Dialogue.pseudonymous.label("pseudonymous"),
            Topic.title.label("topic_title"),
            Topic.slug.label("topic_slug"),
            Dialogue.title.label("dialogue_title"),
            Dialogue.slug.label("dialogue_slug"),
        )
        .join(User, User.id == LogEntry.actor_id)
        .outerjoin(target, target.id == LogEntry.target_user_id)
        .outerjoin(Topic, Topic.id == LogEntry.topic_id)
        .outerjoin(Dialogue, Dialogue.id == LogEntry.dialogue_id)
        .order_by(LogEntry.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    )
    if dialogue is not None:
        query = query.where(LogEntry.dialogue_id == dialogue.id)
    rows = [
        people.Named(row, ("actor", "target"), pseudonymous=bool(row.pseudonymous))
        for row in db.session.execute(query)
    ]
    return rows[:per_page], len(rows) > per_page
