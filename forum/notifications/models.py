"""Who follows what, and the notifications people receive."""

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import conv

from forum.clock import utcnow
from forum.extensions import db


class Follow(db.Model):
    """A person follows a topic or a whole dialogue (exactly one of the two)."""

    __table_args__ = (
        UniqueConstraint("user_id", "topic_id", name=conv("uq_follow_user_id_topic_id")),
        UniqueConstraint("user_id", "dialogue_id", name=conv("uq_follow_user_id_dialogue_id")),
        CheckConstraint("(topic_id IS NULL) != (dialogue_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # Indexed: a new post reads its topic's followers, a new topic its dialogue's.
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topic.id", ondelete="CASCADE"), index=True
    )
    dialogue_id: Mapped[int | None] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Kind(enum.StrEnum):
    reply = "reply"
    quote = "quote"
    cited = "cited"
    locked = "locked"
    unlocked = "unlocked"
    summarised = "summarised"
    hidden = "hidden"
    restored = "restored"
    report_upheld = "report_upheld"
    report_dismissed = "report_dismissed"
    new_topic = "new_topic"
    new_post = "new_post"
    suspended = "suspended"
    appeal_upheld = "appeal_upheld"
    appeal_reversed = "appeal_reversed"


class Notification(db.Model):
    """Something that concerns a person; it says what it is about, shown as it is when read."""

    # The header counts a person's unread notifications on every page; the list pages them. A
    # new post asks, for each follower, whether they were told of it already (as a reply to
    # their post): without its index that question read every notification a follower had.
    __table_args__ = (
        Index("ix_notification_user_id_read_at", "user_id", "read_at"),
        Index("ix_notification_post_id_user_id", "post_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(
        Enum(Kind, native_enum=False, length=20, validate_strings=True)
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    # The public reason of a moderation act (hide, restore, lock, a report's handling).
    reason: Mapped[str] = mapped_column(String(1000), default="")
    # A notice of a moderation act on the person's post, topic or account (and of their
    # appeal's outcome): the act's log entry, which names the rule and leads to the appeal.
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("log_entry.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Not yet considered for mail: the mail worker mails it (at once or in a digest, per the
    # person's setting) or drops it (no mail wanted, no confirmed address), then clears this.
    # Notifications that existed before mail did are not pending (server default false).
    mail_pending: Mapped[bool] = mapped_column(default=True, server_default=false())


# Read by the mail worker's every pass: partial, so it holds only the few pending rows.
Index(
    "ix_notification_mail_pending",
    Notification.user_id,
    postgresql_where=Notification.mail_pending,
    sqlite_where=Notification.mail_pending,
)


class Audience(enum.StrEnum):
    topic_followers = "topic_followers"
    dialogue_followers = "dialogue_followers"


class FanOut(db.Model):
    """A notification to everybody who follows a topic or a dialogue, not yet spread.

    Written in the act's transaction, so the consequence is recorded with the act and costs the
    act one row however many followers there are; the mail worker (or, without a mail server,
    the request that wrote it, once answered) turns it into one Notification per follower and
    deletes it, in one transaction (forum/notifications/spreading.py).
    """

    __tablename__ = "fan_out"

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[Audience] = mapped_column(
        Enum(Audience, native_enum=False, length=20, validate_strings=True)
    )
    kind: Mapped[Kind] = mapped_column(
        Enum(Kind, native_enum=False, length=20, validate_strings=True)
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
