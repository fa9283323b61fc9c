"""file store in the database

Revision ID: 0015_file_store
Revises: 0014_jobs_outbox
Create Date: 2026-12-01 10:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_file_store'
down_revision = '0014_jobs_outbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_object',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('chunks', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_object'))
    )
    op.create_table('stored_chunk',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['key'], ['stored_object.key'], name=op.f('fk_stored_chunk_key_stored_object'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'n', name=op.f('pk_stored_chunk'))
    )


def downgrade():
    op.drop_table('stored_chunk')
    op.drop_table('stored_object')
