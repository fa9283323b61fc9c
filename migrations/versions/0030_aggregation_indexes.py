"""indexes (institution_id, date) for the aggregation's chunks: plan items, meetings and roadmap tasks of a chunk's
institutions in one period

Revision ID: 0030_aggregation_indexes
Revises: 0029_unique_group_numbers
Create Date: 2026-12-01 16:00:00

"""
from alembic import op


revision = '0030_aggregation_indexes'
down_revision = '0029_unique_group_numbers'
branch_labels = None
depends_on = None

INDEXES = (("ix_plan_item_institution_id_due_date", "plan_item", ["institution_id", "due_date"]),
           ("ix_meeting_institution_id_held_on", "meeting", ["institution_id", "held_on"]),
           ("ix_roadmap_task_institution_id_due_date", "roadmap_task", ["institution_id", "due_date"]))


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
