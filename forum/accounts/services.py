"""Accounts: creating users, authenticating, profiles, passwords, roles, suspensions."""

import re
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts.models import Role, User
from forum.changes import mark_renamed
from forum.clock import utcnow
from forum.extensions import db

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
USERNAME_RULE = _l("Usernames have 3 to 30 characters: letters, digits, '_', '-' and '.'.")
PASSWORD_MIN_LENGTH = 10
PROFILE_FIELDS = ("display_name", "organisation", "country", "bio", "locale")


class AccountError(ValueError):
    """A request about an account that cannot be carried out, with a message for the person."""


def username_key(username: str) -> str:
    """Return the case-insensitive key under which a username is unique."""
    return username.strip().casefold()


def check_username(username: str) -> str:
    """Return the username if it is well formed and free, else raise AccountError."""
    if not USERNAME_RE.match(username):
        raise AccountError(USERNAME_RULE)
    if find_by_username(username) is not None:
        raise AccountError(_l("This username is taken."))
    return username


def normalise_email(email: str) -> str:
    """Return the email address validated and lower-cased, else raise AccountError."""
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise AccountError(_l("This is not a valid email address.")) from exc
    return address.lower()


def check_email(email: str, *, user: User | None = None) -> str:
    """Return the normalised email if it is valid and not used by another account."""
    address = normalise_email(email)
    owner = find_by_email(address)
    if owner is not None and owner is not user:
        raise AccountError(_l("An account with this email address exists already."))
    return address


def check_password(password: str) -> str:
    """Return the password if it is long enough, else raise AccountError."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(_l("Passwords have at least %(n)d characters.", n=PASSWORD_MIN_LENGTH))
    return password


def hash_password(password: str) -> str:
    """Hash a password with werkzeug's scrypt."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_by_username(username: str) -> User | None:
    """Return the user with this username, in any case."""
    return db.session.scalar(select(User).where(User.username_key == username_key(username)))


def find_by_email(email: str) -> User | None:
    """Return the user with this email address."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    role: Role = Role.participant,
) -> User:
    """Create an account after checking every field; raise AccountError on bad input."""
    username = check_username(username.strip())
    user = User(
        username=username,
        username_key=username_key(username),
        email=check_email(email),
        password_hash=hash_password(check_password(password)),
        display_name=display_name.strip() or username,
        role=role,
    )
    try:
        # A savepoint: losing a race for the name undoes only this insert.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:
        raise AccountError(_l("This username or email address is taken.")) from exc
    return user


def authenticate(login: str, password: str) -> User | None:
    """Return the user whose username or email and password match, else None."""
    login = login.strip()
    user = find_by_email(login) if "@" in login else find_by_username(login)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal who has an account.
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY:
        _DUMMY[method] = generate_password_hash("not a password", method=method)
    return _DUMMY[method]


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other session of the user."""
    user.password_hash = hash_password(check_password(password))
    user.session_version += 1
    db.session.flush()


def update_profile(user: User, **fields: str) -> None:
    """Update the profile fields a person may edit themselves."""
    known_as = user.display_name
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise TypeError(f"not a profile field: {name}")
        setattr(user, name, value.strip())
    if not user.display_name:
        user.display_name = user.username
    db.session.flush()
    if user.display_name != known_as:
        mark_renamed(user.id)  # feeds show names: their validators must change


def set_role(user: User, role: Role) -> None:
    """Change a user's site role."""
    user.role = role
    db.session.flush()


def suspend_user(user: User, *, reason: str, until: datetime | None = None) -> None:
    """Suspend a user: they cannot log in and their open sessions stop working."""
    reason = reason.strip()
    if not reason:
        raise AccountError(_l("A reason is required."))
    if until is not None and until <= utcnow():
        raise AccountError(_l("The end of a suspension must be in the future."))
    user.suspended_at = utcnow()
    user.suspended_until = until
    user.suspension_reason = reason
    db.session.flush()


def restore_user(user: User) -> None:
    """Lift a user's suspension."""
    if not user.is_suspended:
        raise AccountError(_l("This account is not suspended."))
    user.suspended_at = None
    user.suspended_until = None
    user.suspension_reason = ""
    db.session.flush()


def load_user(user_id: str) -> User | None:
    """Return the logged-in user for a session id, or None if the session is no longer valid."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.is_suspended or user.session_version != int(version):
        return None
    return user
