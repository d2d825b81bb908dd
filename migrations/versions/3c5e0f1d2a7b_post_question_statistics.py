"""post question statistics (PostgreSQL)

A prompt question belongs to one topic, so on post, prompt_id determines topic_id. Without being
told, PostgreSQL multiplies the two columns' selectivities and, on a large forum, expects a few
dozen answers to a question where there are thousands: it then reads and sorts them all instead
of walking the (topic_id, prompt_id, number) index for one page. SQLite's planner needs nothing.

Revision ID: 3c5e0f1d2a7b
Revises: a9fd2d21310d
Create Date: 2026-11-23 14:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c5e0f1d2a7b'
down_revision = 'a9fd2d21310d'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE STATISTICS st_post_prompt_topic (dependencies) ON prompt_id, topic_id FROM post"
        )
        op.execute("ANALYZE post")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_post_prompt_topic")
