"""The search index: one entry per post, pinned summary and topic framing that search can find.

The entry holds what the filters read (dialogue, topic, question, author, language, date,
hidden). The words themselves are indexed by the database, outside the models, by the
migration that made this table:

- PostgreSQL: a `vector` column (tsvector) on this table, with a GIN index, built with the
  text-search configurations forum_english, forum_french, forum_spanish and forum_simple
  (unaccent, then the Snowball stemmer of the language);
- SQLite: the FTS5 table `search_text` (rowid = the entry's id) of the words stemmed in Python
  (forum/search/words.py), emptied with the entry by a trigger.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.clock import utcnow
from forum.extensions import db

# The columns an entry is written with (forum.search.indexing.source reads them).
ENTRY_COLUMNS = ("key", "kind", "post_id", "summary_id", "topic_id", "dialogue_id", "prompt_id",
                 "author_id", "language", "created_at", "is_hidden")  # fmt: skip
# What the migration adds beside the models, per database: Alembic's comparison leaves them be.
OUTSIDE_MODELS = {
    "table": ("search_text",),  # and FTS5's own tables, search_text_data, ...
    "column": ("vector",),
    "index": ("ix_search_entry_vector",),
}


def in_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """Whether Alembic compares a database object with the models (include_name)."""
    if type_ == "table":
        return not (name or "").startswith(OUTSIDE_MODELS["table"])
    if type_ in ("column", "index") and parent_names.get("table_name") == "search_entry":
        return name not in OUTSIDE_MODELS[type_]
    return True


class SearchEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # "post:12", "topic:3", "summary:5": what the entry is of, unique.
    key: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    summary_id: Mapped[int | None] = mapped_column(ForeignKey("summary.id", ondelete="CASCADE"))
    # The topic it is in (a topic's own entry: that topic); none for a dialogue's summary.
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topic.id", ondelete="CASCADE"), index=True
    )
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompt_question.id", ondelete="SET NULL")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # The language its words were stemmed in: "en", "fr", "es", or another (word for word).
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # A hidden post: found only by moderators who ask for hidden posts.
    is_hidden: Mapped[bool] = mapped_column(default=False)
