"""the academic year as a lifecycle: closed years and pairs carried into later years

Revision ID: 0017_academic_years
Revises: 0016_orders_acts_settings
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import enable_tenant_rls

revision = "0017_academic_years"
down_revision = "0016_orders_acts_settings"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "academic_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.String(9), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("carried_groups", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("carried_programs", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_order_id", sa.Integer(), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], name=op.f("fk_academic_year_institution_id_institution"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["closed_by_id"], ["user_account.id"], name=op.f("fk_academic_year_closed_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["next_order_id"], ["mentoring_order.id"],
                                name=op.f("fk_academic_year_next_order_id_mentoring_order"), ondelete="SET NULL"),
        sa.UniqueConstraint("institution_id", "year", name=op.f("uq_academic_year_institution_id_year")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_academic_year")))
    with op.batch_alter_table("academic_year") as batch:
        batch.create_index(batch.f("ix_academic_year_institution_id"), ["institution_id"], unique=False)
    op.create_table(
        "group_year",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.String(9), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], name=op.f("fk_group_year_institution_id_institution"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["mentoring_group.id"], name=op.f("fk_group_year_group_id_mentoring_group"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "year", name=op.f("pk_group_year")))
    with op.batch_alter_table("group_year") as batch:
        batch.create_index(batch.f("ix_group_year_institution_id"), ["institution_id"], unique=False)
        batch.create_index(batch.f("ix_group_year_year"), ["year"], unique=False)
    for table in ("academic_year", "group_year"):
        enable_tenant_rls(op, table)


def downgrade():
    op.drop_table("group_year")
    op.drop_table("academic_year")
