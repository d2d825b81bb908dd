"""notifications: an index on (post_id, user_id) for the followers' fan-out

Revision ID: c41d7e2a9b56
Revises: 8d3b5f0e7a21
Create Date: 2026-11-29 20:55:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c41d7e2a9b56"
down_revision = "8d3b5f0e7a21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_post_id_user_id", ["post_id", "user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_post_id_user_id")
