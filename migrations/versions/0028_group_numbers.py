"""pairs and groups numbered within their institution and academic year (№ 1, 2, … of the kindergarten's year),
backfilled in the order they started

Revision ID: 0028_group_numbers
Revises: 0027_incentives
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0028_group_numbers'
down_revision = '0027_incentives'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentoring_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
    op.execute("""
        UPDATE mentoring_group SET number = (
            SELECT COUNT(*) FROM mentoring_group AS earlier
            WHERE earlier.institution_id = mentoring_group.institution_id
              AND earlier.academic_year = mentoring_group.academic_year
              AND (earlier.start_date < mentoring_group.start_date
                   OR (earlier.start_date = mentoring_group.start_date AND earlier.id <= mentoring_group.id)))
    """)


def downgrade():
    with op.batch_alter_table('mentoring_group', schema=None) as batch_op:
        batch_op.drop_column('number')
