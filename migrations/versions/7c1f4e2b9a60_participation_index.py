"""participation: an index of the visible posts' counted columns

The participation picture counts a dialogue's visible posts by day, question, author, depth and
reply; this index holds every column it reads, so PostgreSQL answers from the index alone (an
index-only scan per topic) instead of reading the posts' texts.

Revision ID: 7c1f4e2b9a60
Revises: 2e125e8a7b7f
Create Date: 2026-12-04 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1f4e2b9a60'
down_revision = '2e125e8a7b7f'
branch_labels = None
depends_on = None

COLUMNS = ["topic_id", "id", "created_at", "prompt_id", "author_id", "depth", "parent_id",
           "removed_at"]


def upgrade():
    visible = sa.text("hidden_at IS NULL")
    op.create_index("ix_post_visible", "post", COLUMNS, unique=False,
                    postgresql_where=visible, sqlite_where=visible)


def downgrade():
    op.drop_index("ix_post_visible", table_name="post")
