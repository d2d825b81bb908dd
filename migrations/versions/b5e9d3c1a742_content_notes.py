"""posts: content notes (on posts and their revisions); readers may open noted posts

Revision ID: b5e9d3c1a742
Revises: e7a4c2f81b03
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5e9d3c1a742"
down_revision = "e7a4c2f81b03"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("post", "post_revision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("content_note", sa.String(length=200), nullable=False, server_default="")
            )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("opens_noted_posts", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("opens_noted_posts")
    for table in ("post_revision", "post"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("content_note")
