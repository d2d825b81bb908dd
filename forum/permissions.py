"""Who may do what: the one permission map. Views call require(), templates call can()."""

from collections.abc import Callable

from flask import abort, g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import String, cast, func, select

from forum.accounts.models import Role
from forum.clock import shown
from forum.extensions import db, login_manager


def facilitated_dialogue_ids(user) -> frozenset[int]:
    """The ids of the dialogues this user facilitates: read with the login (load_user, through
    facilitated_ids_of), else once per request."""
    from forum.dialogues.models import Facilitator

    if not user.is_authenticated:
        return frozenset()
    if user.facilitated is not None:
        return user.facilitated
    cache = g.setdefault("_facilitated", {}) if has_request_context() else {}
    if user.id not in cache:
        rows = db.session.scalars(
            select(Facilitator.dialogue_id).where(Facilitator.user_id == user.id)
        )
        cache[user.id] = frozenset(rows)
    return cache[user.id]


def facilitated_ids_of(user_column):
    """The ids of the dialogues the person in user_column facilitates, comma-separated (NULL if
    none): a subquery for load_user."""
    from forum.dialogues.models import Facilitator

    ids = func.aggregate_strings(cast(Facilitator.dialogue_id, String), ",")
    return select(ids).where(Facilitator.user_id == user_column).scalar_subquery()


def _member(user) -> bool:
    return user.is_authenticated and not user.is_suspended


def _facilitates(user, dialogue_id: int) -> bool:
    """A facilitator of this dialogue, or a moderator or admin (who may facilitate anywhere)."""
    if not _member(user):
        return False
    return user.has_role(Role.moderator) or dialogue_id in facilitated_dialogue_ids(user)


def reply_refusal(user, topic) -> str | None:
    """Why this person may not reply in this topic now, or None if they may."""
    if not user.is_authenticated:
        return str(_l("Please log in to reply."))
    if user.is_suspended:
        return str(_l("Your account is suspended, so you cannot post."))
    if not topic.dialogue.is_open:
        return str(_l("This dialogue is closed: no new replies can be posted."))
    if topic.is_locked:
        return lock_notice(topic)
    return None


def lock_notice(topic) -> str:
    """The banner of a locked topic: who locked it, when, and why."""
    from forum import people

    return str(
        _l(
            "Topic locked by %(name)s on %(date)s: %(reason)s",
            name=people.name_in(topic, topic.locked_by),
            date=shown(topic.locked_at),
            reason=topic.lock_reason,
        )
    )


def _reply(user, topic) -> bool:
    return reply_refusal(user, topic) is None


def edit_refusal(user, post) -> str | None:
    """Why this person may not edit this post now, or None if they may.

    Only its author edits a post, and only while its topic takes replies: once the topic is
    locked or its dialogue closed, what was said stays as it was, for a summary cites it.
    """
    from forum.topics.models import Topic

    if not user.is_authenticated:
        return str(_l("Please log in to edit your posts."))
    if post.author_id != user.id:
        return str(_l("Only its author can edit a post."))
    if post.hidden_at is not None:
        return str(_l("The moderators hid this post: it can no longer be edited."))
    if user.is_suspended:
        return str(_l("Your account is suspended, so you cannot edit your posts."))
    # A post, or a row of a topic page: its topic is in the session already, so no query.
    topic = db.session.get(Topic, post.topic_id)
    if not topic.dialogue.is_open:
        return str(_l("This dialogue is closed: its posts can no longer be edited."))
    if topic.is_locked:
        return str(_l("This topic is locked: its posts can no longer be edited."))
    return None


def _edit_post(user, post) -> bool:
    # The author first: a topic page asks this of every post it shows.
    return user.is_authenticated and post.author_id == user.id and edit_refusal(user, post) is None


def _moderate_topic(user, topic) -> bool:
    return _facilitates(user, topic.dialogue_id)


def _summarise(user, target) -> bool:
    """Topics and dialogues are summarised by their facilitators (and moderators)."""
    return _facilitates(user, getattr(target, "dialogue_id", None) or target.id)


def _report(user, post) -> bool:
    return _member(user) and post.hidden_at is None


def _moderate(user, _obj=None) -> bool:
    return _member(user) and user.has_role(Role.moderator)


def _open_topic(user, dialogue) -> bool:
    if not _member(user) or not dialogue.is_open:
        return False
    return dialogue.allow_participant_topics or _facilitates(user, dialogue.id)


def _edit_topic(user, topic) -> bool:
    return _facilitates(user, topic.dialogue_id)


def _decide_appeal(user, appeal) -> bool:
    """A moderator other than the one whose act is appealed against."""
    return _moderate(user) and appeal.entry.actor_id != user.id


def _harvest(user, dialogue) -> bool:
    """A dialogue's report, exports and participation picture: for its facilitators and the
    moderators; for every reader too once it is archived, if an admin allowed it."""
    from forum.dialogues.models import DialogueState

    if dialogue.state is DialogueState.archived and dialogue.readers_may_export:
        return True
    return _facilitates(user, dialogue.id)


def _administer(user, _obj=None) -> bool:
    return _member(user) and user.has_role(Role.admin)


RULES: dict[str, Callable[..., bool]] = {
    "reply": _reply,
    "edit_post": _edit_post,
    "open_topic": _open_topic,
    "edit_topic": _edit_topic,
    "moderate_topic": _moderate_topic,
    "moderate": _moderate,
    "summarise": _summarise,
    "report": _report,
    "decide_appeal": _decide_appeal,
    "harvest": _harvest,
    "administer": _administer,
}


def can(action: str, obj=None, user=None) -> bool:
    """Say whether the user (the current one by default) may do action on obj."""
    # The user itself, not the proxy: a rule reads several of its attributes.
    return RULES[action](current_user._get_current_object() if user is None else user, obj)


def require(action: str, obj=None) -> None:
    """Stop the request unless the current user may do action on obj (login first if anonymous)."""
    if can(action, obj):
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403)
