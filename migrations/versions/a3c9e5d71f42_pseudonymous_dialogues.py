"""pseudonymous dialogues: the setting, a pseudonym per person per dialogue, recorded reveals

Revision ID: a3c9e5d71f42
Revises: f77d8791736d
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3c9e5d71f42"
down_revision = "f77d8791736d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dialogue", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pseudonymous", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("dialogue", schema=None) as batch_op:
        batch_op.alter_column("pseudonymous", server_default=None)
    op.create_table(
        "pseudonym",
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("name_key", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_pseudonym_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_pseudonym_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dialogue_id", "user_id", name=op.f("pk_pseudonym")),
        sa.UniqueConstraint("dialogue_id", "number", name=op.f("uq_pseudonym_dialogue_id")),
    )
    with op.batch_alter_table("pseudonym", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pseudonym_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pseudonym_dialogue_id_name_key"),
            ["dialogue_id", "name_key"],
            unique=True,
        )
    op.create_table(
        "reveal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_reveal_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["user.id"], name=op.f("fk_reveal_moderator_id_user")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_reveal_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reveal")),
    )


def downgrade():
    op.drop_table("reveal")
    with op.batch_alter_table("pseudonym", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pseudonym_dialogue_id_name_key"))
        batch_op.drop_index(batch_op.f("ix_pseudonym_user_id"))
    op.drop_table("pseudonym")
    with op.batch_alter_table("dialogue", schema=None) as batch_op:
        batch_op.drop_column("pseudonymous")
