"""pairs' daily work: meetings planned ahead, messages, the institution's nudge settings, calendar subscriptions, .ics in mail

Revision ID: 0023_pairs_calendar
Revises: 0022_institution_roadmap
Create Date: 2026-12-01 11:30:32

"""
from alembic import op
import sqlalchemy as sa

from tenants.rls import enable_tenant_rls


revision = '0023_pairs_calendar'
down_revision = '0022_institution_roadmap'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_token_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_token_user_id'))
    )
    op.create_table('mentoring_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inactivity_weeks', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mentoring_settings_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_settings')),
    sa.UniqueConstraint('institution_id', name=op.f('uq_mentoring_settings_institution_id'))
    )
    with op.batch_alter_table('mentoring_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_settings_institution_id'), ['institution_id'], unique=False)
    op.create_table('pair_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_staff_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_staff_id'], ['staff.id'], name=op.f('fk_pair_message_author_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['mentoring_group.id'], name=op.f('fk_pair_message_group_id_mentoring_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_pair_message_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_message'))
    )
    with op.batch_alter_table('pair_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pair_message_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_message_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_message_institution_id'), ['institution_id'], unique=False)
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=20), nullable=False, server_default='held'))
        batch_op.add_column(sa.Column('starts_at', sa.String(length=5), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('place', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('link', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('agenda', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_meeting_state'), ['state'], unique=False)
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar', sa.Text(), nullable=False, server_default=''))
    for table in ("pair_message", "mentoring_settings"):
        enable_tenant_rls(op, table)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('calendar')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_state'))
        batch_op.drop_column('agenda')
        batch_op.drop_column('link')
        batch_op.drop_column('place')
        batch_op.drop_column('starts_at')
        batch_op.drop_column('state')
    with op.batch_alter_table('pair_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pair_message_institution_id'))
        batch_op.drop_index(batch_op.f('ix_pair_message_group_id'))
        batch_op.drop_index(batch_op.f('ix_pair_message_at'))
    op.drop_table('pair_message')
    with op.batch_alter_table('mentoring_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_settings_institution_id'))
    op.drop_table('mentoring_settings')
    op.drop_table('calendar_token')
