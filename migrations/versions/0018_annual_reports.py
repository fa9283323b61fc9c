"""the annual report «Отчёт о работе по организации наставничества» and its review by the city

Revision ID: 0018_annual_reports
Revises: 0017_academic_years
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import enable_tenant_rls

revision = "0018_annual_reports"
down_revision = "0017_academic_years"
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        "annual_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("academic_year", sa.String(9), nullable=False),
        sa.Column("state", sa.Enum("draft", "submitted", "accepted", "returned", name="reportstate",
                                   native_enum=False, length=20), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        _fk("annual_report", "institution_id", "institution", "CASCADE"),
        _fk("annual_report", "submitted_by_id", "user_account", "SET NULL"),
        _fk("annual_report", "reviewed_by_id", "user_account", "SET NULL"),
        sa.UniqueConstraint("institution_id", "academic_year", name=op.f("uq_annual_report_institution_id_academic_year")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_report")))
    with op.batch_alter_table("annual_report") as batch:
        batch.create_index(batch.f("ix_annual_report_institution_id"), ["institution_id"], unique=False)
        batch.create_index(batch.f("ix_annual_report_academic_year"), ["academic_year"], unique=False)
    op.create_table(
        "annual_report_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        _fk("annual_report_event", "institution_id", "institution", "CASCADE"),
        _fk("annual_report_event", "report_id", "annual_report", "CASCADE"),
        _fk("annual_report_event", "actor_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_report_event")))
    with op.batch_alter_table("annual_report_event") as batch:
        batch.create_index(batch.f("ix_annual_report_event_institution_id"), ["institution_id"], unique=False)
        batch.create_index(batch.f("ix_annual_report_event_report_id"), ["report_id"], unique=False)
    for table in ("annual_report", "annual_report_event"):
        enable_tenant_rls(op, table)


def downgrade():
    op.drop_table("annual_report_event")
    op.drop_table("annual_report")
