"""Accounts: creating users, authenticating, profiles, passwords, roles, suspensions."""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts import names
from forum.accounts.models import Role, User, UserSession
from forum.changes import mark_renamed
from forum.clock import utcnow
from forum.extensions import db
from forum.mail.services import absolute_url, enqueue_template

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
USERNAME_RULE = _l("Usernames have 3 to 30 characters: letters, digits, '_', '-' and '.'.")
PASSWORD_MIN_LENGTH = 10
RESET_LINK_LIFETIME = 60 * 60  # seconds
CONFIRM_LINK_LIFETIME = 7 * 24 * 60 * 60  # seconds: a newcomer may read their mail days later
PROFILE_FIELDS = ("display_name", "organisation", "country", "bio", "locale", "timezone")


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


def check_display_name(name: str) -> str:
    """Return the display name stripped if no character in it hides or reorders text."""
    name = name.strip()
    if names.has_bidi_controls(name):
        raise AccountError(_l("Display names cannot hold characters that change text direction."))
    if name and names.shows_nothing(name):
        raise AccountError(_l("A display name needs at least one visible letter, digit or sign."))
    return name


def staff_look_alikes(name: str, *, user: User | None = None) -> list[str]:
    """Display names of moderators and administrators that a reader could mistake name for."""
    staff = db.session.scalars(
        select(User).where(User.role.in_([Role.moderator, Role.admin])).order_by(User.id)
    )
    return [
        person.display_name
        for person in staff
        if (user is None or person.id != user.id) and names.confusable(name, person.display_name)
    ]


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
        display_name=check_display_name(display_name) or username,
        role=role,
    )
    try:
        # A savepoint: losing a race for the name undoes only this insert.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:
        raise AccountError(_l("This username or email address is taken.")) from exc
    return user


def find_by_login(login: str) -> User | None:
    """Return the user a login form names, by email address or by username."""
    login = login.strip()
    return find_by_email(login) if "@" in login else find_by_username(login)


def register(
    *, username: str, email: str, password: str, display_name: str, language: str
) -> User | None:
    """Create a participant's account and mail its address a confirmation link; if the address
    has an account already, mail its owner instead and return None.

    Both ways hash the password and queue one mail, so neither the answer nor its time tells who
    has an account. language is the one the form was filled in.
    """
    owner = find_by_email(normalise_email(email))
    if owner is not None:
        hash_password(password)
        enqueue_template(
            to=owner.email,
            language=owner.locale or language,
            subject=_l("Someone tried to register with your address"),
            template="address_taken",
            user=owner,
            login_link=absolute_url("accounts.login"),
            reset_link=absolute_url("accounts.forgot_password"),
        )
        return None
    user = create_user(username=username, email=email, password=password, display_name=display_name)
    send_email_confirmation(user, language=language)
    return user


def _confirm_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="email-confirmation")


def send_email_confirmation(user: User, *, language: str) -> None:
    """Mail the user's address a link that confirms it is theirs."""
    token = _confirm_signer().dumps({"user": user.id, "email": user.email})
    enqueue_template(
        to=user.email,
        language=user.locale or language,
        subject=_l("Confirm your email address"),
        template="confirm_email",
        user=user,
        link=absolute_url("accounts.confirm_email", token=token),
    )


def confirm_email(token: str) -> User | None:
    """Confirm the address a link names, if it is still the account's; None for a dead link."""
    try:
        data = _confirm_signer().loads(token, max_age=CONFIRM_LINK_LIFETIME)
    except BadData:
        return None
    user = db.session.get(User, data["user"])
    if user is None or user.email != data["email"]:
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
    return user


def change_email(user: User, email: str, *, language: str) -> None:
    """Give the account a new address, unconfirmed until its owner follows the link mailed to it."""
    address = check_email(email, user=user)
    if address == user.email:
        return
    user.email = address
    user.email_confirmed_at = None
    try:
        with db.session.begin_nested():  # another account may have taken it meanwhile
            db.session.flush()
    except IntegrityError as exc:
        raise AccountError(_l("An account with this email address exists already.")) from exc
    send_email_confirmation(user, language=language)


def authenticate(login: str, password: str) -> User | None:
    """Return the user whose username or email and password match, else None."""
    user = find_by_login(login)
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


def set_password(user: User, password: str, *, keep_session: str | None = None) -> None:
    """Set a new password and end every session of the user but the one named keep_session."""
    user.password_hash = hash_password(check_password(password))
    end_sessions(user, keep=keep_session)


def _reset_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # In the token, so that a new password (this link's or any other way) kills every link.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def password_reset_token(user: User) -> str:
    """A signed token that lets its bearer set user's password once, within the hour."""
    return _reset_signer().dumps({"user": user.id, "password": _password_fingerprint(user)})


def user_for_reset(token: str) -> User | None:
    """The user a reset token is for, or None when it is forged, expired or already used."""
    try:
        data = _reset_signer().loads(token, max_age=RESET_LINK_LIFETIME)
    except BadData:
        return None
    user = db.session.get(User, data["user"])
    if user is None or not hmac.compare_digest(_password_fingerprint(user), data["password"]):
        return None
    return user


def request_password_reset(email: str, *, language: str) -> None:
    """Queue a reset link to the account of this address, if any; nobody else learns which.

    language is the one the request was made in, for an account that chose none. An address
    without an account costs the same work, so that the time of the answer does not tell
    either: its message is built for a stand-in and queued, then taken back before the commit.
    """
    address = normalise_email(email)
    user = find_by_email(address)
    person = user or User(
        id=0, username="", display_name="", email=address, password_hash="", locale=""
    )
    with db.session.begin_nested() as savepoint:
        enqueue_template(
            to=person.email,
            language=person.locale or language,
            subject=_l("Choose a new password"),
            template="password_reset",
            user=person,
            link=absolute_url("accounts.reset_password", token=password_reset_token(person)),
        )
        db.session.flush()  # written either way, so that the database's work is the same
        if user is None:
            savepoint.rollback()


def reset_password(user: User, password: str) -> None:
    """Set the password a reset link's bearer chose; every login of the user ends."""
    set_password(user, password)


def update_profile(user: User, **fields: str) -> None:
    """Update the profile fields a person may edit themselves."""
    known_as = (user.display_name, user.organisation)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise TypeError(f"not a profile field: {name}")
        value = check_display_name(value) if name == "display_name" else value.strip()
        setattr(user, name, value)
    if not user.display_name:
        user.display_name = user.username
    db.session.flush()
    if (user.display_name, user.organisation) != known_as:
        # Feeds show names, pages names and organisations: their validators must change.
        mark_renamed(user.id)


def set_opens_noted_posts(user: User, opens: bool) -> None:
    """Show the person posts with a content note open (the note above), or collapsed."""
    user.opens_noted_posts = bool(opens)
    db.session.flush()


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
    # Ended, not merely refused: lifting the suspension must not bring old cookies back.
    end_sessions(user)


def restore_user(user: User) -> None:
    """Lift a user's suspension."""
    if not user.is_suspended:
        raise AccountError(_l("This account is not suspended."))
    user.suspended_at = None
    user.suspended_until = None
    user.suspension_reason = ""
    db.session.flush()


def _token_hash(token: str) -> str:
    # Only the hash is stored, so a copy of the database opens no session.
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a new login for the user, give user its token and return it; purge expired logins."""
    now = utcnow()
    db.session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    if not isinstance(lifetime, timedelta):
        lifetime = timedelta(seconds=lifetime)
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    db.session.flush()
    user.session_token = token
    return token


def end_session(token: str) -> None:
    """End one login: its session and remember-me cookies stop working."""
    db.session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def end_sessions(user: User, *, keep: str | None = None) -> None:
    """End every login of the user, except the one whose token is keep."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        query = query.where(UserSession.token_hash != _token_hash(keep))
    db.session.execute(query)
    db.session.flush()


@cache
def _login_statement():
    """The statement of load_user, built once (building it cost a third of a 304)."""
    from forum.notifications.services import unread_count_of
    from forum.permissions import facilitated_ids_of

    return (
        select(User, unread_count_of(User.id), facilitated_ids_of(User.id))
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == bindparam("token_hash"),
            UserSession.expires_at > bindparam("now"),
        )
    )


def load_user(token: str) -> User | None:
    """Return the user of a live login token, or None; one query, and it writes nothing.

    The same query counts the person's unread notifications, for the header of every page, and
    reads the dialogues they facilitate, for their rights (forum.permissions).
    """
    row = db.session.execute(
        _login_statement(), {"token_hash": _token_hash(token), "now": utcnow()}
    ).first()
    if row is None or row[0].is_suspended:
        return None
    user, user.unread_count, facilitated = row
    user.facilitated = (
        frozenset(int(i) for i in facilitated.split(",")) if facilitated else frozenset()
    )
    user.session_token = token
    return user
