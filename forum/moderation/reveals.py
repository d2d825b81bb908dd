"""Looking behind a pseudonym: a moderator's act, with a reason, recorded for admins."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import people
from forum.accounts.models import User
from forum.dialogues.models import Pseudonym
from forum.extensions import db
from forum.moderation.models import Action, Reveal
from forum.moderation.services import ModerationError, check_reason, record
from forum.posts.models import Post

PER_PAGE = 50


def reveal_author(post: Post, *, by: User, reason: str) -> Reveal:
    """Tell a moderator whose account wrote a post of a pseudonymous dialogue, and record it.

    The record (who, when, why, whom) is for the admins; the public log says only that a
    reveal happened in the dialogue, without the reason, which may point at the person.
    """
    reason = check_reason(reason)
    dialogue = post.topic.dialogue
    if not dialogue.pseudonymous:
        raise ModerationError(_l("This dialogue is not pseudonymous: names are shown."))
    look = Reveal(moderator_id=by.id, dialogue_id=dialogue.id, user_id=post.author_id,
                  reason=reason)  # fmt: skip
    db.session.add(look)
    record(Action.reveal, by=by, dialogue_id=dialogue.id)
    db.session.flush()
    return look


def _pseudonym(row) -> str:
    return people.shown(
        pseudonymous=True, display_name=None, number=row.number, chosen=row.name
    ).name


def reveal_page(*, page: int):
    """A page of the reveals, newest first, with the pseudonym each was behind (admins)."""
    rows = db.session.execute(
        select(Reveal, Pseudonym.number, Pseudonym.name)
        .outerjoin(
            Pseudonym,
            (Pseudonym.dialogue_id == Reveal.dialogue_id) & (Pseudonym.user_id == Reveal.user_id),
        )
        .order_by(Reveal.id.desc())
        .limit(PER_PAGE + 1)
        .offset((page - 1) * PER_PAGE)
    ).all()
    looks = [(row.Reveal, _pseudonym(row)) for row in rows[:PER_PAGE]]
    return looks, len(rows) > PER_PAGE
