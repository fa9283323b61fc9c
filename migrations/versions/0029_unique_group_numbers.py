"""a pair's number is unique within its institution and academic year (two curators adding pairs at once can no
longer take the same number: portal/mentoring/numbering.py)

Revision ID: 0029_unique_group_numbers
Revises: 0028_group_numbers
Create Date: 2026-12-01 16:00:00

"""
from alembic import op


revision = '0029_unique_group_numbers'
down_revision = '0028_group_numbers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentoring_group', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_mentoring_group_institution_id_academic_year_number'),
                                          ['institution_id', 'academic_year', 'number'])


def downgrade():
    with op.batch_alter_table('mentoring_group', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_mentoring_group_institution_id_academic_year_number'),
                                 type_='unique')
