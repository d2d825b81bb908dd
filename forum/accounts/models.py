"""Users and their site roles."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.clock import utcnow
from forum.extensions import db


class Role(enum.StrEnum):
    participant = "participant"
    moderator = "moderator"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class MailMode(enum.StrEnum):
    """How often a person wants mail about what they follow."""

    instant = "instant"
    daily = "daily"
    weekly = "weekly"
    none = "none"


class ChoiceKind(enum.StrEnum):
    """What a profile choice answers: one's role in the dialogues, or one's region."""

    role = "role"
    region = "region"


class ProfileChoice(db.Model):
    """One answer admins offer to "your role in the dialogues" or "your region"."""

    __tablename__ = "profile_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ChoiceKind] = mapped_column(
        Enum(ChoiceKind, native_enum=False, length=10, validate_strings=True)
    )
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("kind", "label"),)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    # Usernames are unique whatever their case: the key is the casefolded name.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Set when the person follows the link mailed to this address; a new address clears it.
    email_confirmed_at: Mapped[datetime | None]
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    bio: Mapped[str] = mapped_column(String(500), default="")
    locale: Mapped[str] = mapped_column(String(5), default="")
    # An IANA time zone name ('Europe/Paris') for the times pages show; empty: UTC.
    timezone: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, validate_strings=True),
        default=Role.participant,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    suspended_at: Mapped[datetime | None]
    suspended_until: Mapped[datetime | None]
    suspension_reason: Mapped[str] = mapped_column(String(1000), default="")
    # Writing in a topic follows it, unless the person turned that off.
    follows_own_topics: Mapped[bool] = mapped_column(default=True)
    mail_mode: Mapped[MailMode] = mapped_column(
        Enum(MailMode, native_enum=False, length=10, validate_strings=True),
        default=MailMode.daily,
    )
    # Posts with a content note show their text at once, the note above it.
    opens_noted_posts: Mapped[bool] = mapped_column(default=False)
    # When the last digest of their notifications was queued (daily and weekly mail).
    digest_sent_at: Mapped[datetime | None]
    # What the person declares of themselves, if they wish (admins set the choices): shown only
    # in aggregate, for groups of at least five people, never beside a name (participation).
    declared_role_id: Mapped[int | None] = mapped_column(
        ForeignKey("profile_choice.id", ondelete="SET NULL")
    )
    declared_region_id: Mapped[int | None] = mapped_column(
        ForeignKey("profile_choice.id", ondelete="SET NULL")
    )
    # When the person deleted their account (forum/accounts/deletion.py): everything personal
    # on this row is erased then, and they appear as "a former participant" (forum/people.py).
    deleted_at: Mapped[datetime | None]

    # The token of the login this object was loaded for (not a column): Flask-Login keeps it as
    # the login id in the session and the remember-me cookie.
    session_token = None
    # How many of their notifications are unread, read with the login (load_user).
    unread_count = 0
    # The ids of the dialogues they facilitate (a frozenset), read with the login too
    # (forum.permissions.facilitated_dialogue_ids).
    facilitated = None

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_suspended(self) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    @property
    def has_confirmed_email(self) -> bool:
        """Say whether mail other than confirmation and password reset may go to the address."""
        return self.email_confirmed_at is not None

    @property
    def is_active(self) -> bool:
        return not self.is_suspended

    def has_role(self, role: Role) -> bool:
        """Say whether the user's site role is at least role."""
        return self.role.rank >= role.rank


class UserSession(db.Model):
    """One login: its cookies name it by a random token, of which only a hash is kept."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
