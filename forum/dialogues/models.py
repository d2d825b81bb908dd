"""Dialogues and the people who facilitate them."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db


class DialogueState(enum.StrEnum):
    open = "open"
    closed = "closed"
    archived = "archived"


class Dialogue(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    render_version: Mapped[int] = mapped_column(default=0)
    state: Mapped[DialogueState] = mapped_column(
        Enum(DialogueState, native_enum=False, length=20, validate_strings=True),
        default=DialogueState.open,
    )
    allow_participant_topics: Mapped[bool] = mapped_column(default=False)
    # Everyone appears under a pseudonym of this dialogue (forum.people), even to facilitators.
    pseudonymous: Mapped[bool] = mapped_column(default=False)
    # The licence its report and exports are published under, set by the admins ("CC BY 4.0").
    licence: Mapped[str] = mapped_column(String(200), default="")
    # Readers (not only its facilitators and the moderators) may export it once it is archived.
    readers_may_export: Mapped[bool] = mapped_column(default=False)
    # From this moment the dialogue behaves as closed, without anyone acting (UTC).
    closes_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Denormalised for the front page; kept right in the transaction that adds a topic or post.
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", use_alter=True, ondelete="SET NULL")
    )
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Bumped by anything its feeds or its topics' feeds show: the feeds' validator.
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    facilitators: Mapped[list[User]] = relationship(
        secondary="facilitator",
        primaryjoin="Dialogue.id == Facilitator.dialogue_id",
        secondaryjoin="Facilitator.user_id == User.id",
        order_by="User.display_name",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<Dialogue {self.slug}>"

    @property
    def is_open(self) -> bool:
        return self.state is DialogueState.open and not self.has_closed_on_schedule

    @property
    def has_closed_on_schedule(self) -> bool:
        return self.closes_at is not None and self.closes_at <= utcnow()

    @property
    def shown_state(self) -> DialogueState:
        """The state readers see: an open dialogue past its closing time is closed."""
        if self.state is DialogueState.open and self.has_closed_on_schedule:
            return DialogueState.closed
        return self.state


class Facilitator(db.Model):
    """A person assigned to facilitate one dialogue."""

    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class Pseudonym(db.Model):
    """How one person appears in one pseudonymous dialogue: a number, given in order of first
    appearance, shown as "Participant 7" in the reader's language, or a name they chose."""

    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    number: Mapped[int]
    name: Mapped[str | None] = mapped_column(String(80))
    # The chosen name folded (casefold): unique in the dialogue, whatever its case.
    name_key: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("dialogue_id", "number"),
        Index(None, "dialogue_id", "name_key", unique=True),
    )
