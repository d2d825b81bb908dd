"""Who follows what, and the notifications people receive."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
