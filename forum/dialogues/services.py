"""Dialogues: creating and editing them, assigning facilitators, listing them."""

from datetime import datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, delete, func, or_, select
from sqlalchemy.orm import aliased

from forum import people, text
from forum.accounts.models import User
from forum.changes import mark_changed
from forum.database import plain_update
from forum.dialogues.models import Dialogue, DialogueState, Facilitator
from forum.extensions import db
from forum.slugs import SLUG_RE

TITLE_MAX = 200
LICENCE_MAX = 200
DESCRIPTION_MAX = text.MAX_LENGTH


# Made once: an alias made per call costs more than the query it is for.
LAST_AUTHOR = aliased(User)


class DialogueError(ValueError):
    """A change to a dialogue that cannot be made, with a message for the person."""


def find_dialogue(slug: str) -> Dialogue | None:
    """Return the dialogue with this slug."""
    return db.session.scalar(select(Dialogue).where(Dialogue.slug == slug))


def check_slug(slug: str) -> str:
    """Return the slug if it is well formed and free, else raise DialogueError."""
    if not (3 <= len(slug) <= 80) or not SLUG_RE.match(slug):
        raise DialogueError(
            _l("Use 3 to 80 lowercase letters, digits and single hyphens, e.g. 'men-as-allies'.")
        )
    if find_dialogue(slug) is not None:
        raise DialogueError(_l("Another dialogue already has this address."))
    return slug


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DialogueError(_l("A dialogue needs a title."))
    if len(title) > TITLE_MAX:
        raise DialogueError(_l("Titles have at most %(n)d characters.", n=TITLE_MAX))
    return title


def _check_licence(licence: str) -> str:
    licence = " ".join(licence.split())
    if len(licence) > LICENCE_MAX:
        raise DialogueError(_l("A licence has at most %(n)d characters.", n=LICENCE_MAX))
    return licence


def create_dialogue(
    *,
    slug: str,
    title: str,
    description: str = "",
    state: DialogueState = DialogueState.open,
    allow_participant_topics: bool = False,
    pseudonymous: bool = False,
    closes_at: datetime | None = None,
    licence: str = "",
    readers_may_export: bool = False,
    by: User | None,
) -> Dialogue:
    """Create a dialogue; its slug becomes its permanent address."""
    dialogue = Dialogue(
        slug=check_slug(slug),
        title=_check_title(title),
        state=DialogueState(state),
        allow_participant_topics=allow_participant_topics,
        pseudonymous=pseudonymous,
        closes_at=closes_at,
        licence=_check_licence(licence),
        readers_may_export=readers_may_export,
        created_by_id=by.id if by else None,
    )
    _set_description(dialogue, description)
    db.session.add(dialogue)
    db.session.flush()
    return dialogue


class PseudonymityFixed(DialogueError):
    """A dialogue people have written in cannot become pseudonymous, nor stop being it."""


def update_dialogue(
    dialogue: Dialogue,
    *,
    title: str,
    description: str,
    state: DialogueState,
    allow_participant_topics: bool,
    pseudonymous: bool | None = None,
    closes_at: datetime | None = None,
    licence: str | None = None,
    readers_may_export: bool | None = None,
    by: User,
) -> Dialogue:
    """Change a dialogue's title, description, state or topic policy (its slug stays).

    Whether it is pseudonymous changes only while nobody has written in it: those who wrote
    under a pseudonym keep it, and those who wrote under their name are not hidden afterwards.
    """
    dialogue.title = _check_title(title)
    if pseudonymous is not None and pseudonymous != dialogue.pseudonymous:
        if dialogue.topic_count or dialogue.post_count:
            raise PseudonymityFixed(
                _l("People have written in this dialogue: whether it is pseudonymous is fixed.")
                if pseudonymous
                else _l("People have written under pseudonyms here: it stays pseudonymous.")
            )
        dialogue.pseudonymous = pseudonymous
    if dialogue.state is not DialogueState(state):
        from forum.moderation.services import Action, record

        change = f"{dialogue.state.value} → {DialogueState(state).value}"
        record(Action.dialogue_state, by=by, reason=change, dialogue_id=dialogue.id)
    dialogue.state = DialogueState(state)
    dialogue.allow_participant_topics = allow_participant_topics
    dialogue.closes_at = closes_at
    if licence is not None:
        dialogue.licence = _check_licence(licence)
    if readers_may_export is not None:
        dialogue.readers_may_export = readers_may_export
    _set_description(dialogue, description)
    # Its feed and the API show its title, description and state (forum.changes).
    mark_changed(dialogue_id=dialogue.id)
    db.session.flush()
    return dialogue


def _set_description(dialogue: Dialogue, source: str) -> None:
    if len(source) > DESCRIPTION_MAX:
        raise DialogueError(_l("Descriptions have at most %(n)d characters.", n=DESCRIPTION_MAX))
    dialogue.description_source = source
    try:
        dialogue.description_html = text.render(source)
    except text.TextRefused as exc:
        raise DialogueError(*exc.args) from exc
    dialogue.render_version = text.RENDER_VERSION


def is_facilitator(dialogue: Dialogue, user: User) -> bool:
    """Say whether user is assigned to facilitate the dialogue."""
    return db.session.get(Facilitator, (dialogue.id, user.id)) is not None


def assign_facilitator(dialogue: Dialogue, user: User, *, by: User | None) -> bool:
    """Make user a facilitator of the dialogue; False if they were already."""
    if is_facilitator(dialogue, user):
        return False
    db.session.add(
        Facilitator(dialogue_id=dialogue.id, user_id=user.id, assigned_by_id=by.id if by else None)
    )
    mark_changed(dialogue_id=dialogue.id)  # the API names its facilitators
    db.session.flush()
    db.session.expire(dialogue, ["facilitators"])
    return True


def remove_facilitator(dialogue: Dialogue, user: User, *, by: User | None) -> bool:
    """End user's facilitation of the dialogue; False if they were not facilitating it."""
    result = db.session.execute(
        delete(Facilitator).where(
            Facilitator.dialogue_id == dialogue.id, Facilitator.user_id == user.id
        )
    )
    db.session.expire(dialogue, ["facilitators"])
    if result.rowcount:
        mark_changed(dialogue_id=dialogue.id)
    return result.rowcount > 0


def newer_last_post(post_id: int):
    """The dialogue's last post once post_id is visible: the newer of the two.

    An expression for the UPDATE that takes the dialogue's row lock: replies to different
    topics commit out of id order (PostgreSQL), and the one committing last may be older.
    """
    newer = or_(Dialogue.last_post_id.is_(None), Dialogue.last_post_id < post_id)
    return case((newer, post_id), else_=Dialogue.last_post_id)


def post_shown(dialogue_id: int, post_id: int) -> None:
    """Keep the dialogue's last post right after one of its posts is shown again."""
    db.session.execute(
        plain_update(Dialogue)
        .where(Dialogue.id == dialogue_id)
        .values(last_post_id=newer_last_post(post_id))
    )


def post_hidden(dialogue_id: int, post_id: int) -> None:
    """Keep the dialogue's last post right after one of its posts is hidden: if it was the
    last, the newest post still visible takes its place."""
    from forum.posts.models import Post
    from forum.topics.models import Topic

    db.session.flush()
    newest = (
        select(func.max(Post.id))
        .join(Topic, Topic.id == Post.topic_id)
        .where(Topic.dialogue_id == dialogue_id, Post.hidden_at.is_(None))
        .scalar_subquery()
    )
    db.session.execute(
        plain_update(Dialogue)
        .where(Dialogue.id == dialogue_id, Dialogue.last_post_id == post_id)
        .values(last_post_id=newest)
    )


@cache
def _dialogue_list() -> Select:
    """The front page's statement, built once (building it cost more than running it)."""
    from forum.posts.models import Post

    author = LAST_AUTHOR
    order = case(
        (Dialogue.state == DialogueState.open, 0),
        (Dialogue.state == DialogueState.closed, 1),
        else_=2,
    )
    return (
        select(
            Dialogue, Post.id.label("last_post_id"), *people.columns(author, Dialogue.id, "last")
        )
        .outerjoin(Post, Post.id == Dialogue.last_post_id)
        .outerjoin(author, author.id == Post.author_id)
        .order_by(order, Dialogue.last_activity_at.desc())
    )


def list_dialogues():
    """Every dialogue with its last post's author, open ones first, then by last activity."""
    rows = db.session.execute(_dialogue_list()).all()
    return [people.Named(row, ("last",), pseudonymous=row.Dialogue.pseudonymous) for row in rows]
