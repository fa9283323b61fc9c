"""password reset requests: the same path for existing and missing accounts

Revision ID: 0012_password_reset_request
Revises: 0011_public
Create Date: 2026-12-01 09:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_password_reset_request'
down_revision = '0011_public'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('password_reset_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_request'))
    )


def downgrade():
    op.drop_table('password_reset_request')
