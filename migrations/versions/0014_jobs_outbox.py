"""jobs outbox

Revision ID: 0014_jobs_outbox
Revises: 0013_signed_rls_scope
Create Date: 2026-12-01 09:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_jobs_outbox'
down_revision = '0013_signed_rls_scope'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task', sa.String(length=100), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False,
                                length=10), nullable=False),
    sa.Column('sends', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_job_municipality_id_municipality'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['job.id'], name=op.f('fk_job_parent_id_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    sa.UniqueConstraint('key', name=op.f('uq_job_key'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_status_sent_at', ['status', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_municipality_id'), ['municipality_id'], unique=False)

    with op.batch_alter_table('registry_export', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_registry_export_job_id_job'), 'job', ['job_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('registry_export', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registry_export_job_id_job'), type_='foreignkey')
        batch_op.drop_column('job_id')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_job_parent_id'))
        batch_op.drop_index('ix_job_status_sent_at')
    op.drop_table('job')
