"""Acting on people: suspensions and site roles, each written to the public log."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from forum.accounts import services as accounts
from forum.accounts.models import Role, User
from forum.moderation.models import Action, LogEntry
from forum.moderation.rules import check_rule
from forum.moderation.services import (
    AlreadyDone,
    ModerationError,
    check_reason,
    notice,
    record,
)


def _check_target(user: User, by: User) -> None:
    if user.id == by.id:
        raise ModerationError(_l("You cannot do this to your own account."))
    if user.role.rank >= by.role.rank and not by.has_role(Role.admin):
        raise ModerationError(_l("Only an administrator can act on a moderator's account."))


def suspend(
    user: User, *, by: User, reason: str, until: datetime | None = None, rule: str | None = None
) -> LogEntry:
    """Suspend a person (logged out at once), with a public reason and an optional end; they
    are told by mail (their notice's link works without logging in)."""
    reason = check_reason(reason)
    rule = "" if rule is None else check_rule(rule)
    _check_target(user, by)
    if user.is_suspended:
        raise AlreadyDone(_l("This account is already suspended."))
    try:
        accounts.suspend_user(user, reason=reason, until=until)
    except accounts.AccountError as exc:
        raise ModerationError(str(exc)) from exc
    entry = record(Action.suspend, by=by, reason=reason, rule=rule, target_user_id=user.id)
    return notice(entry, user.id)


def unsuspend(user: User, *, by: User, reason: str) -> LogEntry:
    """Lift a person's suspension, with a public reason."""
    reason = check_reason(reason)
    if not user.is_suspended:
        raise AlreadyDone(_l("This account is not suspended."))
    accounts.restore_user(user)
    return record(Action.unsuspend, by=by, reason=reason, target_user_id=user.id)


def change_role(user: User, role: Role, *, by: User, reason: str = "") -> LogEntry:
    """Change a person's site role; the log says from what to what, and why."""
    reason = check_reason(reason, required=False)
    role = Role(role)
    if user.id == by.id:
        raise ModerationError(_l("You cannot do this to your own account."))
    if user.role is role:
        raise AlreadyDone(_l("This person already has this role."))
    change = f"{user.role.value} → {role.value}"
    accounts.set_role(user, role)
    return record(
        Action.role,
        by=by,
        reason=f"{change}: {reason}" if reason else change,
        target_user_id=user.id,
    )
