"""notifications: mail of notifications (pending flag, digest time) and deferred fan-outs

Revision ID: e7a4c2f81b03
Revises: c41d7e2a9b56
Create Date: 2026-12-03 07:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e7a4c2f81b03"
down_revision = "c41d7e2a9b56"
branch_labels = None
depends_on = None

KINDS = (
    "reply", "quote", "cited", "locked", "unlocked", "summarised", "hidden", "restored",
    "report_upheld", "report_dismissed", "new_topic", "new_post",
)  # fmt: skip


def upgrade():
    op.create_table(
        "fan_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum("topic_followers", "dialogue_followers", name="audience", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("kind", sa.Enum(*KINDS, name="kind", native_enum=False, length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("dialogue_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_fan_out_actor_id_user"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["dialogue_id"], ["dialogue.id"], name=op.f("fk_fan_out_dialogue_id_dialogue"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_fan_out_post_id_post"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], name=op.f("fk_fan_out_topic_id_topic"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fan_out")),
    )
    # Existing notifications are not pending: mail starts with what happens from now on.
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mail_pending", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(
            "ix_notification_mail_pending",
            ["user_id"],
            unique=False,
            postgresql_where=sa.text("mail_pending"),
            sqlite_where=sa.text("mail_pending"),
        )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_sent_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("digest_sent_at")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_mail_pending")
        batch_op.drop_column("mail_pending")
    op.drop_table("fan_out")
