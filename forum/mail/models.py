"""The outbox: one row per message, from the act that caused it until it is sent or given up."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.clock import utcnow
from forum.extensions import db


class MailState(enum.StrEnum):
    queued = "queued"
    sent = "sent"
    failed = "failed"


class OutboxMessage(db.Model):
    """A message to send: written with the act that caused it, sent later by the mail worker."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Fixed when queued, so a message sent twice (see services.py) is one message to mail clients.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="")
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[MailState] = mapped_column(
        Enum(MailState, native_enum=False, length=10, validate_strings=True),
        default=MailState.queued,
    )
    # When a worker may next take it: now, after a backoff, or after another worker's claim lapses.
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.state}>"
