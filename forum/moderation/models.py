"""The public moderation log."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String
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

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])

    __table_args__ = (Index(None, "dialogue_id", "id"),)
