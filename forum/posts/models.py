"""Posts and their revisions."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db
from forum.posts.notes import NOTE_MAX
from forum.topics.models import PromptQuestion, Topic

# The language of a post in none of the forum's languages: search takes its words as written.
OTHER_LANGUAGE = "und"


# What the participation picture reads of a visible post (its index, below).
VISIBLE_COLUMNS = ("topic_id", "id", "created_at", "prompt_id", "author_id", "depth", "parent_id",
                   "removed_at")  # fmt: skip


class Post(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    # Its place in the topic, 1, 2, 3 ... in the order posts arrived.
    number: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    # The materialised path: the ids from the thread's first post down to this one, each
    # zero-padded, so ordering by path gives the tree in reading order.
    path: Mapped[str] = mapped_column(String(700))
    depth: Mapped[int] = mapped_column(default=0)
    # On a thread's first post: how many posts the thread holds, for paging by whole threads.
    thread_size: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    prompt_id: Mapped[int | None] = mapped_column(ForeignKey("prompt_question.id"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Plain text shown before the body, which stays collapsed behind it ("describes violence").
    content_note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    # The language it is written in ("en", "fr", "es", or OTHER_LANGUAGE): search stems it so.
    language: Mapped[str] = mapped_column(String(8), default="en")
    render_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    edit_count: Mapped[int] = mapped_column(default=0)
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(1000), default="")
    # When its author, deleting their account, removed what it said (subject, text, note).
    removed_at: Mapped[datetime | None]

    topic: Mapped[Topic] = relationship(foreign_keys=[topic_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    parent: Mapped["Post | None"] = relationship(remote_side=[id])
    prompt: Mapped[PromptQuestion | None] = relationship()

    __table_args__ = (
        Index(None, "topic_id", "path", unique=True),
        Index(None, "topic_id", "number", unique=True),
        Index(None, "topic_id", "prompt_id", "number"),
        Index(None, "topic_id", "author_id", "created_at"),
        # The participation picture counts a dialogue's visible posts from this index alone
        # (an index-only scan per topic), never reading the posts' texts: at a million posts, a
        # scan of the table reads gigabytes (bench/participation.py).
        Index(
            "ix_post_visible",
            *VISIBLE_COLUMNS,
            postgresql_where=text("hidden_at IS NULL"),
            sqlite_where=text("hidden_at IS NULL"),
        ),
    )

    def __repr__(self) -> str:
        return f"<Post {self.id} in topic {self.topic_id}>"


class PostRevision(db.Model):
    """A post as it was before an edit, and who edited it when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    subject: Mapped[str] = mapped_column(String(200))
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompt_question.id", ondelete="SET NULL")
    )
    body_source: Mapped[str] = mapped_column(Text)
    content_note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")

    editor: Mapped[User] = relationship()
