"""incentives as a system: the institution's kinds (material, non-material), proposals from the association or a
colleague approved by an order «О поощрении», the kind of each incentive

Revision ID: 0027_incentives
Revises: 0026_program_personalization
Create Date: 2026-12-01 13:20:00

"""
from alembic import op
import sqlalchemy as sa

from tenants.rls import enable_tenant_rls


revision = '0027_incentives'
down_revision = '0026_program_personalization'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incentive_kind',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('material', sa.Boolean(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_incentive_kind_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incentive_kind'))
    )
    with op.batch_alter_table('incentive_kind', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incentive_kind_institution_id'), ['institution_id'], unique=False)
    op.create_table('incentive_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('incentive_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_incentive_proposal_association_id_association'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incentive_id'], ['mentor_incentive.id'], name=op.f('fk_incentive_proposal_incentive_id_mentor_incentive'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_incentive_proposal_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kind_id'], ['incentive_kind.id'], name=op.f('fk_incentive_proposal_kind_id_incentive_kind'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['mentoring_order.id'], name=op.f('fk_incentive_proposal_order_id_mentoring_order'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_incentive_proposal_proposed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_staff_id'], ['staff.id'], name=op.f('fk_incentive_proposal_proposed_by_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_incentive_proposal_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incentive_proposal'))
    )
    with op.batch_alter_table('incentive_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incentive_proposal_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incentive_proposal_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incentive_proposal_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incentive_proposal_state'), ['state'], unique=False)
    with op.batch_alter_table('mentor_incentive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_mentor_incentive_kind_id_incentive_kind'), 'incentive_kind',
                                    ['kind_id'], ['id'], ondelete='SET NULL')
    for table in ("incentive_kind", "incentive_proposal"):
        enable_tenant_rls(op, table)


def downgrade():
    with op.batch_alter_table('mentor_incentive', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mentor_incentive_kind_id_incentive_kind'), type_='foreignkey')
        batch_op.drop_column('kind_id')
    op.drop_table('incentive_proposal')
    op.drop_table('incentive_kind')
