"""harvest: conclusions under prompt questions, the role and region people may declare, a
dialogue's licence and whether its readers may export it

Revision ID: 2e125e8a7b7f
Revises: e3f1a7c5b920
Create Date: 2026-12-04 16:42:38.693535

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '2e125e8a7b7f'
down_revision = 'e3f1a7c5b920'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('profile_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('role', 'region', name='choicekind', native_enum=False, length=10), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_choice')),
    sa.UniqueConstraint('kind', 'label', name=op.f('uq_profile_choice_kind'))
    )
    op.create_table('conclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('render_version', sa.Integer(), nullable=False),
    sa.Column('cited_post_ids', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('edit_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_conclusion_author_id_user')),
    sa.ForeignKeyConstraint(['question_id'], ['prompt_question.id'], name=op.f('fk_conclusion_question_id_prompt_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_conclusion_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conclusion')),
    sa.UniqueConstraint('question_id', name=op.f('uq_conclusion_question_id'))
    )
    with op.batch_alter_table('conclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conclusion_topic_id'), ['topic_id'], unique=False)

    op.create_table('conclusion_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conclusion_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['conclusion_id'], ['conclusion.id'], name=op.f('fk_conclusion_revision_conclusion_id_conclusion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['editor_id'], ['user.id'], name=op.f('fk_conclusion_revision_editor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conclusion_revision'))
    )
    with op.batch_alter_table('conclusion_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conclusion_revision_conclusion_id'), ['conclusion_id'], unique=False)

    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('licence', sa.String(length=200), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('readers_may_export', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.alter_column('licence', server_default=None)
        batch_op.alter_column('readers_may_export', server_default=None)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declared_role_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('declared_region_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_user_declared_role_id_profile_choice'), 'profile_choice', ['declared_role_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_user_declared_region_id_profile_choice'), 'profile_choice', ['declared_region_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_declared_region_id_profile_choice'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_user_declared_role_id_profile_choice'), type_='foreignkey')
        batch_op.drop_column('declared_region_id')
        batch_op.drop_column('declared_role_id')

    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.drop_column('readers_may_export')
        batch_op.drop_column('licence')

    with op.batch_alter_table('conclusion_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conclusion_revision_conclusion_id'))

    op.drop_table('conclusion_revision')
    with op.batch_alter_table('conclusion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conclusion_topic_id'))

    op.drop_table('conclusion')
    op.drop_table('profile_choice')
