"""The code of conduct as the admins edited it, per language, with its history."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db


class ConductText(db.Model):
    """The current code of conduct in one language; without a row, the shipped text applies."""

    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    render_version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))


class ConductRevision(db.Model):
    """The code of conduct in one language as it was before an edit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(5), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)

    editor: Mapped[User] = relationship()
