"""email confirmation: user.email_confirmed_at, set by the link mailed to the address

Accounts made before this revision start unconfirmed: their owners confirm from their profile.

Revision ID: 8d3b5f0e7a21
Revises: 6e1c4a9b2d30
Create Date: 2026-11-29 20:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d3b5f0e7a21'
down_revision = '6e1c4a9b2d30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')

