"""the institution's own roadmap: items derived from the city's and its own, their tasks, the approving order and its local act

Revision ID: 0022_institution_roadmap
Revises: 0021_associations
Create Date: 2026-12-01 11:30:32

"""
from alembic import op
import sqlalchemy as sa

from tenants.rls import enable_tenant_rls


revision = '0022_institution_roadmap'
down_revision = '0021_associations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('institution_roadmap',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('city_roadmap_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('draft', 'on_approval', 'approved', name='roadmapstate', native_enum=False, length=20), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('local_act_id', sa.Integer(), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['city_roadmap_id'], ['roadmap.id'], name=op.f('fk_institution_roadmap_city_roadmap_id_roadmap'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_institution_roadmap_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['local_act_id'], ['local_act.id'], name=op.f('fk_institution_roadmap_local_act_id_local_act'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['mentoring_order.id'], name=op.f('fk_institution_roadmap_order_id_mentoring_order'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_roadmap'))
    )
    with op.batch_alter_table('institution_roadmap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_roadmap_city_roadmap_id'), ['city_roadmap_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_roadmap_institution_id'), ['institution_id'], unique=False)
    op.create_table('institution_roadmap_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roadmap_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('deadline_text', sa.String(length=300), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=True),
    sa.Column('responsible_staff_id', sa.Integer(), nullable=True),
    sa.Column('responsible_text', sa.String(length=300), nullable=False),
    sa.Column('result_text', sa.String(length=500), nullable=False),
    sa.Column('city_activity_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['city_activity_id'], ['roadmap_activity.id'], name=op.f('fk_institution_roadmap_item_city_activity_id_roadmap_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_institution_roadmap_item_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_staff_id'], ['staff.id'], name=op.f('fk_institution_roadmap_item_responsible_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['roadmap_id'], ['institution_roadmap.id'], name=op.f('fk_institution_roadmap_item_roadmap_id_institution_roadmap'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_roadmap_item'))
    )
    with op.batch_alter_table('institution_roadmap_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_roadmap_item_city_activity_id'), ['city_activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_roadmap_item_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_roadmap_item_roadmap_id'), ['roadmap_id'], unique=False)
    op.create_table('institution_roadmap_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('working_due_date', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['user_account.id'], name=op.f('fk_institution_roadmap_task_done_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_institution_roadmap_task_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['institution_roadmap_item.id'], name=op.f('fk_institution_roadmap_task_item_id_institution_roadmap_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_roadmap_task')),
    sa.UniqueConstraint('item_id', 'period', name=op.f('uq_institution_roadmap_task_item_id_period'))
    )
    with op.batch_alter_table('institution_roadmap_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_roadmap_task_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_roadmap_task_item_id'), ['item_id'], unique=False)
    for table in ("institution_roadmap", "institution_roadmap_item", "institution_roadmap_task"):
        enable_tenant_rls(op, table)


def downgrade():
    with op.batch_alter_table('institution_roadmap_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_roadmap_task_item_id'))
        batch_op.drop_index(batch_op.f('ix_institution_roadmap_task_institution_id'))
    op.drop_table('institution_roadmap_task')
    with op.batch_alter_table('institution_roadmap_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_roadmap_item_roadmap_id'))
        batch_op.drop_index(batch_op.f('ix_institution_roadmap_item_institution_id'))
        batch_op.drop_index(batch_op.f('ix_institution_roadmap_item_city_activity_id'))
    op.drop_table('institution_roadmap_item')
    with op.batch_alter_table('institution_roadmap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_roadmap_institution_id'))
        batch_op.drop_index(batch_op.f('ix_institution_roadmap_city_roadmap_id'))
    op.drop_table('institution_roadmap')
