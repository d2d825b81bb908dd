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
from forum.moderation.rules import check_rule
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
    Action.content_note: _l("Content note changed"),
    Action.appeal: _l("Decision appealed"),
    Action.appeal_upheld: _l("Appeal decided: upheld"),
    Action.appeal_reversed: _l("Appeal decided: reversed"),
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


def notice(entry: LogEntry, person_id: int) -> LogEntry:
    """Tell the person an act concerns of it (its rule, reason, and how to appeal)."""
    db.session.flush()  # the notice links to the entry by its id
    acts.person_noticed.send(entry, person_id=person_id, act=entry)
    return entry


def lock_topic(topic: Topic, *, by: User, reason: str, rule: str | None = None) -> LogEntry:
    """Lock a topic: no more replies. The reason is shown on the topic and in the log; the
    rule of the code of conduct, when given, is named to the topic's author with the reason."""
    reason = check_reason(reason)
    rule = "" if rule is None else check_rule(rule)
    _lock_row(topic)
    if topic.locked_at is not None:
        raise AlreadyDone(_l("This topic is already locked."))
    topic.locked_at = utcnow()
    topic.locked_by_id = by.id
    topic.lock_reason = reason
    acts.topic_locked.send(topic, by=by, reason=reason)
    entry = record(
        Action.lock, by=by, reason=reason, rule=rule, dialogue_id=topic.dialogue_id,
        topic_id=topic.id, target_user_id=topic.author_id,
    )  # fmt: skip
    return notice(entry, topic.author_id)


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


def hide_post(post: "Post", *, by: User, reason: str, rule: str | None = None) -> LogEntry:
    """Hide a post from readers (its replies stay) and record why; its author is told."""
    reason = check_reason(reason)
    rule = "" if rule is None else check_rule(rule)
    if post.hidden_at is not None:
        raise AlreadyDone(_l("This post is already hidden."))
    post.hidden_at = utcnow()
    post.hidden_by_id = by.id
    post.hidden_reason = reason
    dialogues.post_hidden(post.topic.dialogue_id, post.id)
    acts.post_hidden.send(post, by=by, reason=reason)
    entry = record(Action.hide, by=by, reason=reason, rule=rule, **about_post(post))
    return notice(entry, post.author_id)


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


def set_content_note(post: "Post", *, by: User, note: str, reason: str) -> LogEntry:
    """Put a content note on someone's post, change or remove it, and record why.

    The post's history keeps the note it had, as after any edit.
    """
    from forum.posts import notes
    from forum.posts.services import keep_revision

    reason = check_reason(reason)
    try:
        note = notes.check_note(note)
    except notes.NoteRefused as exc:
        raise ModerationError(*exc.args) from exc
    if note == post.content_note:
        raise AlreadyDone(_l("The post already has this content note."))
    keep_revision(post, by=by)
    post.content_note = note
    return record(Action.content_note, by=by, reason=reason, **about_post(post))


def log_query(*, dialogue: Dialogue | None):
    """The public log, newest first, with actor, target user, topic and dialogue: what its
    page, feed, the API and a dialogue's report show (never reporters nor their notes)."""
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
    )
    if dialogue is not None:
        query = query.where(LogEntry.dialogue_id == dialogue.id)
    return query


def log_page(*, dialogue: Dialogue | None, page: int, per_page: int, before_id: int | None = None):
    """A page of the public log, newest first (before_id: only the entries older than that
    one, as the API pages through it)."""
    query = log_query(dialogue=dialogue)
    if before_id is not None:
        query = query.where(LogEntry.id < before_id)
    query = query.limit(per_page + 1).offset((page - 1) * per_page)
    rows = [
        people.Named(row, ("actor", "target"), pseudonymous=bool(row.pseudonymous))
        for row in db.session.execute(query)
    ]
    return rows[:per_page], len(rows) > per_page
