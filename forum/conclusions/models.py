"""A facilitator's conclusion under a prompt question, and its revisions."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db


class Conclusion(db.Model):
    """What the facilitators conclude from the answers to one prompt question (Markdown)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("prompt_question.id", ondelete="CASCADE"), unique=True
    )
    # The question's topic, so a topic page reads all its conclusions in one query.
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    render_version: Mapped[int] = mapped_column(default=0)
    # The posts it cites ('#p123' or a permalink), as a summary keeps them.
    cited_post_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    edit_count: Mapped[int] = mapped_column(default=0)

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class ConclusionRevision(db.Model):
    """A conclusion as it was before an edit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    conclusion_id: Mapped[int] = mapped_column(
        ForeignKey("conclusion.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(Text)

    editor: Mapped[User] = relationship()
