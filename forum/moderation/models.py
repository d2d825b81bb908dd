"""The public moderation log."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db


class Action(enum.StrEnum):
    lock = "lock"
    unlock = "unlock"
    hide = "hide"
    restore = "restore"
    pin = "pin"
    unpin = "unpin"
    resolve_report = "resolve_report"
    dismiss_report = "dismiss_report"
    suspend = "suspend"
    unsuspend = "unsuspend"
    role = "role"
    dialogue_state = "dialogue_state"
    slow_mode = "slow_mode"
    slow_mode_end = "slow_mode_end"
    conduct = "conduct"
    content_note = "content_note"
    appeal = "appeal"
    appeal_upheld = "appeal_upheld"
    appeal_reversed = "appeal_reversed"
    reveal = "reveal"


class LogEntry(db.Model):
    """One moderation act, in the open: who did what to which thing, when, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    action: Mapped[Action] = mapped_column(
        Enum(Action, native_enum=False, length=30, validate_strings=True)
    )
    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    # The code of conduct's rule the act applies (forum/moderation/rules.py), "" for none.
    rule: Mapped[str] = mapped_column(String(40), default="", server_default="")

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])

    __table_args__ = (Index(None, "dialogue_id", "id"),)


class Outcome(enum.StrEnum):
    upheld = "upheld"
    reversed = "reversed"


class Appeal(db.Model):
    """A person's appeal against an act that concerns them: one per act, decided by another
    moderator than the one who acted. The statement is private to moderators."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("log_entry.id", ondelete="CASCADE"), unique=True
    )
    appellant_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    statement: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[Outcome | None] = mapped_column(
        Enum(Outcome, native_enum=False, length=20, validate_strings=True)
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    decision_reason: Mapped[str] = mapped_column(String(1000), default="")

    entry: Mapped[LogEntry] = relationship()
    appellant: Mapped[User] = relationship(foreign_keys=[appellant_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Reveal(db.Model):
    """A moderator's look behind a pseudonym: who looked, when, why, and at whom (admins only).

    The public log holds only that a reveal happened in the dialogue.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(1000))

    moderator: Mapped[User] = relationship(foreign_keys=[moderator_id])
    person: Mapped[User] = relationship(foreign_keys=[user_id])
    dialogue: Mapped["Dialogue"] = relationship()  # noqa: F821 (forum.dialogues.models)


class ReportReason(enum.StrEnum):
    harassment = "harassment"
    hateful = "hateful"
    personal_information = "personal_information"
    spam = "spam"
    off_topic = "off_topic"
    other = "other"


class ReportStatus(enum.StrEnum):
    open = "open"
    resolved = "resolved"
    dismissed = "dismissed"


class Report(db.Model):
    """A person's flag on a post under the code of conduct; private to moderators."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(
        Enum(ReportReason, native_enum=False, length=30, validate_strings=True)
    )
    note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ReportStatus] = mapped_column(
        Enum(ReportStatus, native_enum=False, length=20, validate_strings=True),
        default=ReportStatus.open,
    )
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    handled_at: Mapped[datetime | None]
    resolution_note: Mapped[str] = mapped_column(String(1000), default="")

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])

    __table_args__ = (
        Index(None, "status", "post_id"),
        Index(None, "reporter_id", "id"),
        # One open report per person per post.
        Index(
            "uq_report_open_post_reporter",
            "post_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )
