"""Topics, their prompt questions, their revisions and who has read how far."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from forum.accounts.models import User
from forum.clock import utcnow
from forum.dialogues.models import Dialogue
from forum.extensions import db


class Topic(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    framing_source: Mapped[str] = mapped_column(Text)
    framing_html: Mapped[str] = mapped_column(Text)
    render_version: Mapped[int] = mapped_column(default=0)
    edited_at: Mapped[datetime | None]
    edit_count: Mapped[int] = mapped_column(default=0)
    is_sticky: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    lock_reason: Mapped[str] = mapped_column(String(1000), default="")
    # Slow mode: each participant posts at most once per slow_minutes, until slow_until.
    slow_minutes: Mapped[int | None]
    slow_until: Mapped[datetime | None]
    slow_reason: Mapped[str] = mapped_column(String(1000), default="")
    question_count: Mapped[int] = mapped_column(default=0)
    # Denormalised for the lists; kept right in the transaction that adds a post.
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", use_alter=True, ondelete="SET NULL")
    )
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by anything the topic's feed shows (posts, edits, hides, lock, summary).
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where each page of the threaded view begins (a post path per page), recomputed on write
    # so that reading any page is one range scan on (topic_id, path).
    page_starts: Mapped[list[str]] = mapped_column(JSON, default=list, deferred=True)
    # The last post's time and author's name, read with the topic for its page (find_topic).
    last_post_at: Mapped[datetime | None] = query_expression()
    last_author: Mapped[str | None] = query_expression()
    # ... and their pseudonym, for a pseudonymous dialogue (forum.people.last_author).
    last_author_number: Mapped[int | None] = query_expression()
    last_author_chosen: Mapped[str | None] = query_expression()
    # For a logged-in reader's page, in the same statement (find_topic(reader=...)): how far
    # they had read it (0 if never), the first post after that if any, whether they follow it.
    read_number: Mapped[int | None] = query_expression()
    first_unread_id: Mapped[int | None] = query_expression()
    followed: Mapped[bool | None] = query_expression()

    dialogue: Mapped[Dialogue] = relationship(lazy="joined", innerjoin=True)
    locked_by: Mapped["User | None"] = relationship(foreign_keys=[locked_by_id])
    questions: Mapped[list["PromptQuestion"]] = relationship(
        order_by="PromptQuestion.position", back_populates="topic", cascade="all, delete-orphan"
    )

    __table_args__ = (Index(None, "dialogue_id", "is_sticky", "last_activity_at"),)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_slow(self) -> bool:
        if not self.slow_minutes:
            return False
        return self.slow_until is None or self.slow_until > utcnow()

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.title!r}>"


class PromptQuestion(db.Model):
    """A facilitator's question that replies may answer; its id stays when its wording changes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(500))
    answer_count: Mapped[int] = mapped_column(default=0)

    topic: Mapped[Topic] = relationship(back_populates="questions")

    @property
    def number(self) -> int:
        return self.position + 1


class TopicRevision(db.Model):
    """The title, framing and questions of a topic as they were before an edit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    framing_source: Mapped[str] = mapped_column(Text)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)


class ReadMarker(db.Model):
    """How far a person has read a topic: every post numbered up to last_read_number."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_number: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
