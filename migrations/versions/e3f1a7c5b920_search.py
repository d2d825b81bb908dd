"""search: a language per post, the search index (PostgreSQL: tsvector and GIN; SQLite: FTS5)

Existing posts take their author's interface language (English if none). The index starts
empty: `forum search reindex` fills it (the README says so).

Revision ID: e3f1a7c5b920
Revises: d4b8e1f93c60
Create Date: 2026-12-03 17:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e3f1a7c5b920"
down_revision = "d4b8e1f93c60"
branch_labels = None
depends_on = None

# The text-search configurations: unaccent, then the language's Snowball stemmer.
CONFIGURATIONS = {
    "forum_english": ("english", "english_stem"),
    "forum_french": ("french", "french_stem"),
    "forum_spanish": ("spanish", "spanish_stem"),
    "forum_simple": ("simple", "simple"),
}


def upgrade():
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
        )
    op.execute(
        'UPDATE post SET language = (SELECT "user".locale FROM "user"'
        ' WHERE "user".id = post.author_id)'
        ' WHERE author_id IN (SELECT id FROM "user" WHERE locale IN (\'fr\', \'es\'))'
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.alter_column("language", server_default=None)

    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("summary_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("is_hidden", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_search_entry_author_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_search_entry_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_search_entry_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["prompt_question.id"],
            name=op.f("fk_search_entry_prompt_id_prompt_question"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["summary_id"],
            ["summary.id"],
            name=op.f("fk_search_entry_summary_id_summary"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_search_entry_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
        sa.UniqueConstraint("key", name=op.f("uq_search_entry_key")),
    )
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entry_author_id"), ["author_id"])
        batch_op.create_index(batch_op.f("ix_search_entry_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_search_entry_dialogue_id"), ["dialogue_id"])
        batch_op.create_index(batch_op.f("ix_search_entry_topic_id"), ["topic_id"])

    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension: the database's owner may create it, no superuser needed.
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        for name, (copied, stemmer) in CONFIGURATIONS.items():
            op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {copied})")
            op.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR"
                f" hword, hword_part, word WITH unaccent, {stemmer}"
            )
        op.execute("ALTER TABLE search_entry ADD COLUMN vector tsvector NOT NULL")
        op.execute("CREATE INDEX ix_search_entry_vector ON search_entry USING gin (vector)")
    else:
        # Words come in folded and stemmed (forum/search/words.py): the tokenizer only splits.
        op.execute(
            "CREATE VIRTUAL TABLE search_text USING fts5("
            "subject, body, words, tokenize = 'unicode61 remove_diacritics 0')"
        )
        op.execute(
            "CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_entry BEGIN"
            " DELETE FROM search_text WHERE rowid = old.id; END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in CONFIGURATIONS:
            op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS search_entry_deleted")
        op.execute("DROP TABLE IF EXISTS search_text")
    op.drop_table("search_entry")
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_column("language")
