"""personalized programs: the institution's templates, the mentee's proposals, the difficulty an item answers, the
mentee's strengths in the bank

Revision ID: 0026_program_personalization
Revises: 0025_forms_participants
Create Date: 2026-12-01 13:00:00

"""
from alembic import op
import sqlalchemy as sa

from tenants.rls import enable_tenant_rls


revision = '0026_program_personalization'
down_revision = '0025_forms_participants'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('program_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('tasks', sa.Text(), nullable=False),
    sa.Column('expected_results', sa.Text(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('source_program_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_program_template_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_program_template_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_program_id'], ['program.id'], name=op.f('fk_program_template_source_program_id_program'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_template'))
    )
    with op.batch_alter_table('program_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_template_institution_id'), ['institution_id'], unique=False)
    op.create_table('plan_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('author_staff_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('form', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('expected_result', sa.Text(), nullable=False),
    sa.Column('report_form', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_staff_id'], ['staff.id'], name=op.f('fk_plan_proposal_author_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_plan_proposal_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_plan_proposal_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_plan_proposal_item_id_plan_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_plan_proposal_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_proposal'))
    )
    with op.batch_alter_table('plan_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_proposal_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_proposal_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_proposal_state'), ['state'], unique=False)
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('difficulty', sa.String(length=30), nullable=False, server_default=''))
    with op.batch_alter_table('mentee_need', schema=None) as batch_op:
        batch_op.add_column(sa.Column('strengths', sa.Text(), nullable=False, server_default=''))
    for table in ("program_template", "plan_proposal"):
        enable_tenant_rls(op, table)


def downgrade():
    with op.batch_alter_table('mentee_need', schema=None) as batch_op:
        batch_op.drop_column('strengths')
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_column('difficulty')
    op.drop_table('plan_proposal')
    op.drop_table('program_template')
