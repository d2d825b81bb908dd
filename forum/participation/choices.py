"""The answers admins offer to "your role in the dialogues" and "your region", and what people
declare of themselves with them.

What a person declares is shown only in aggregate, for groups of at least five people, never
beside their name (forum/participation/groups.py): nothing here is read by a page about people.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from forum.accounts.models import ChoiceKind, ProfileChoice, User
from forum.extensions import db

LABEL_MAX = 80

KIND_NAMES = {
    ChoiceKind.role: _l("Role in the dialogues"),
    ChoiceKind.region: _l("Region"),
}


class ChoiceError(ValueError):
    """A change to the choices, or a declaration, that cannot be made, with a message."""

    def __init__(self, message, kind: ChoiceKind | None = None) -> None:
        super().__init__(message)
        self.kind = kind


def choices(kind: ChoiceKind) -> list[ProfileChoice]:
    """The choices of one kind, in the order people see them."""
    return list(
        db.session.scalars(
            select(ProfileChoice)
            .where(ProfileChoice.kind == kind)
            .order_by(ProfileChoice.position, ProfileChoice.id)
        )
    )


def offered() -> list[ProfileChoice]:
    """Every choice of every kind, in order."""
    return list(
        db.session.scalars(
            select(ProfileChoice).order_by(
                ProfileChoice.kind, ProfileChoice.position, ProfileChoice.id
            )
        )
    )


def find_choice(choice_id: int) -> ProfileChoice | None:
    """The choice with this id."""
    return db.session.get(ProfileChoice, choice_id)


def _check_label(kind: ChoiceKind, label: str | None, *, keep: ProfileChoice | None = None) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise ChoiceError(_l("Write the choice's label."))
    if len(label) > LABEL_MAX:
        raise ChoiceError(_l("A label has at most %(n)d characters.", n=LABEL_MAX))
    same = select(ProfileChoice.id).where(
        ProfileChoice.kind == kind, func.lower(ProfileChoice.label) == label.lower()
    )
    if keep is not None:
        same = same.where(ProfileChoice.id != keep.id)
    if db.session.scalar(same) is not None:
        raise ChoiceError(_l("There is already a choice with this label."))
    return label


def add_choice(kind: ChoiceKind, label: str, *, by: User) -> ProfileChoice:
    """Offer a new choice, last in its list."""
    label = _check_label(kind, label)
    last = db.session.scalar(
        select(func.max(ProfileChoice.position)).where(ProfileChoice.kind == kind)
    )
    choice = ProfileChoice(kind=kind, label=label, position=(last or 0) + 1)
    db.session.add(choice)
    db.session.flush()
    return choice


def rename_choice(choice: ProfileChoice, label: str, *, by: User) -> None:
    """Change a choice's wording: everyone who chose it keeps it, under the new words."""
    choice.label = _check_label(choice.kind, label, keep=choice)
    db.session.flush()


def move_choice(choice: ProfileChoice, step: int, *, by: User) -> None:
    """Move a choice one place up (step -1) or down (+1) in its list; at an end, nothing moves."""
    ordered = choices(choice.kind)
    here = ordered.index(choice)
    there = here + step
    if not 0 <= there < len(ordered):
        return
    ordered[here], ordered[there] = ordered[there], ordered[here]
    for position, each in enumerate(ordered, start=1):
        each.position = position
    db.session.flush()


def chosen_by(choice: ProfileChoice) -> int:
    """How many people declared this choice."""
    column = User.declared_role_id if choice.kind is ChoiceKind.role else User.declared_region_id
    return db.session.scalar(select(func.count(User.id)).where(column == choice.id))


def delete_choice(choice: ProfileChoice, *, by: User) -> None:
    """Withdraw a choice: those who had declared it have declared nothing now."""
    # The foreign key sets them to none too (ON DELETE SET NULL); said here so that the
    # session's users and SQLite without foreign keys agree.
    for column in (User.declared_role_id, User.declared_region_id):
        db.session.execute(
            update(User)
            .where(column == choice.id)
            .values({column: None})
            .execution_options(synchronize_session="fetch")
        )
    db.session.delete(choice)
    db.session.flush()


def declare(user: User, *, role_id: int | None, region_id: int | None) -> None:
    """Record the role and region a person declares (None: they prefer not to say)."""
    for kind, choice_id in ((ChoiceKind.role, role_id), (ChoiceKind.region, region_id)):
        if choice_id is not None:
            choice = find_choice(choice_id)
            if choice is None or choice.kind is not kind:
                raise ChoiceError(_l("This choice no longer exists: please choose again."), kind)
    user.declared_role_id, user.declared_region_id = role_id, region_id
    db.session.flush()
