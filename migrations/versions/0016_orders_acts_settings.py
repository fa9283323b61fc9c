"""orders as the seed writes them, the register of local acts, institution settings

Order items become a tree (order_item), orders get appendices (order_appendix) and record who issued them and
under which delegation (order_delegation); the register of local acts (local_act, local_act_version); the list's
tenure as written on group_member; the load limit becomes an empty-by-default setting (the former default 2 is
cleared: no regulation chose it) and the head's position and name for signatures.

Revision ID: 0016_orders_acts_settings
Revises: 0015_file_store
"""
import json

import sqlalchemy as sa
from alembic import op

from tenants.rls import enable_tenant_rls

revision = "0016_orders_acts_settings"
down_revision = "0015_file_store"
branch_labels = None
depends_on = None

NEW_TENANT_TABLES = ("order_delegation", "local_act", "local_act_version", "order_item", "order_appendix")


def _fk(column, table, ondelete="CASCADE", source=""):
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=op.f(f"fk_{source}_{column}_{table}"),
                                   ondelete=ondelete)


def _tenant(table: str):
    return [sa.Column("institution_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                    name=op.f(f"fk_{table}_institution_id_institution"), ondelete="CASCADE")]


def _index(table: str, *columns: str):
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.create_index(batch.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    with op.batch_alter_table("institution") as batch:
        batch.alter_column("mentor_capacity", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("head_position", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("head_name", sa.String(200), nullable=False, server_default=""))
    op.execute("UPDATE institution SET mentor_capacity = NULL WHERE mentor_capacity = 2")

    op.create_table(
        "order_delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(500), nullable=False, server_default=""),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        *_tenant("order_delegation"),
        _fk("user_id", "user_account", source="order_delegation"),
        _fk("granted_by_id", "user_account", "SET NULL", "order_delegation"),
        _fk("revoked_by_id", "user_account", "SET NULL", "order_delegation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_delegation")))
    _index("order_delegation", "institution_id", "user_id")

    with op.batch_alter_table("mentoring_order") as batch:
        batch.add_column(sa.Column("issued_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("delegation_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_mentoring_order_issued_by_id_user_account"), "user_account",
                                 ["issued_by_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key(batch.f("fk_mentoring_order_delegation_id_order_delegation"), "order_delegation",
                                 ["delegation_id"], ["id"], ondelete="SET NULL")

    with op.batch_alter_table("group_member") as batch:
        batch.add_column(sa.Column("stated_tenure", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("stated_on", sa.Date(), nullable=True))

    op.create_table(
        "local_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        *_tenant("local_act"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_act")))
    _index("local_act", "institution_id")
    op.create_table(
        "local_act_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False, server_default=""),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(500), nullable=False, server_default=""),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approving_order_id", sa.Integer(), nullable=True),
        sa.Column("approving_order_ref", sa.String(300), nullable=False, server_default=""),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        *_tenant("local_act_version"),
        _fk("act_id", "local_act", source="local_act_version"),
        _fk("attachment_id", "attachment", "SET NULL", "local_act_version"),
        _fk("approving_order_id", "mentoring_order", "SET NULL", "local_act_version"),
        _fk("created_by_id", "user_account", "SET NULL", "local_act_version"),
        sa.UniqueConstraint("act_id", "number", name=op.f("uq_local_act_version_act_id_number")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_act_version")))
    _index("local_act_version", "institution_id", "act_id")

    op.create_table(
        "order_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("responsible_staff_id", sa.Integer(), nullable=True),
        sa.Column("responsible_text", sa.String(300), nullable=False, server_default=""),
        sa.Column("due_date", sa.Date(), nullable=True),
        *_tenant("order_item"),
        _fk("order_id", "mentoring_order", source="order_item"),
        _fk("parent_id", "order_item", source="order_item"),
        _fk("responsible_staff_id", "staff", "SET NULL", "order_item"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_item")))
    _index("order_item", "institution_id", "order_id", "parent_id")
    op.create_table(
        "order_appendix",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(500), nullable=False, server_default=""),
        sa.Column("act_version_id", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False, server_default=""),
        *_tenant("order_appendix"),
        _fk("order_id", "mentoring_order", source="order_appendix"),
        _fk("act_version_id", "local_act_version", "SET NULL", "order_appendix"),
        _fk("attachment_id", "attachment", "SET NULL", "order_appendix"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_appendix")))
    _index("order_appendix", "institution_id", "order_id")

    # The flat items become top-level items; an order that approved pairs gets its list as «приложение 1».
    conn = op.get_bind()
    orders = conn.execute(sa.text("SELECT id, institution_id, items, kind FROM mentoring_order")).all()
    item_table = sa.table("order_item", sa.column("order_id"), sa.column("institution_id"), sa.column("position"),
                          sa.column("text"), sa.column("responsible_text"))
    appendix_table = sa.table("order_appendix", sa.column("order_id"), sa.column("institution_id"),
                              sa.column("position"), sa.column("kind"), sa.column("title"), sa.column("text"))
    items, appendices = [], []
    for order_id, institution_id, raw, kind in orders:
        texts = json.loads(raw) if isinstance(raw, str) else (raw or [])
        for position, text in enumerate(texts, start=1):
            items.append({"order_id": order_id, "institution_id": institution_id, "position": position,
                          "text": str(text), "responsible_text": ""})
        if kind in ("pairs", "replacement"):
            appendices.append({"order_id": order_id, "institution_id": institution_id, "position": 1,
                               "kind": "group_list", "title": "", "text": ""})
    if items:
        op.bulk_insert(item_table, items)
    if appendices:
        op.bulk_insert(appendix_table, appendices)
    with op.batch_alter_table("mentoring_order") as batch:
        batch.drop_column("items")

    for table in NEW_TENANT_TABLES:
        enable_tenant_rls(op, table)


def downgrade():
    with op.batch_alter_table("mentoring_order") as batch:
        batch.add_column(sa.Column("items", sa.JSON(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT order_id, text FROM order_item WHERE parent_id IS NULL "
                                "ORDER BY order_id, position")).all()
    by_order: dict[int, list[str]] = {}
    for order_id, text in rows:
        by_order.setdefault(order_id, []).append(text)
    for order_id, texts in by_order.items():
        conn.execute(sa.text("UPDATE mentoring_order SET items = :items WHERE id = :id"),
                     {"items": json.dumps(texts, ensure_ascii=False), "id": order_id})
    op.execute("UPDATE mentoring_order SET items = '[]' WHERE items IS NULL")
    op.drop_table("order_appendix")
    op.drop_table("order_item")
    op.drop_table("local_act_version")
    op.drop_table("local_act")
    with op.batch_alter_table("group_member") as batch:
        batch.drop_column("stated_on")
        batch.drop_column("stated_tenure")
    with op.batch_alter_table("mentoring_order") as batch:
        batch.drop_constraint(batch.f("fk_mentoring_order_delegation_id_order_delegation"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_mentoring_order_issued_by_id_user_account"), type_="foreignkey")
        batch.drop_column("delegation_id")
        batch.drop_column("issued_by_id")
    op.drop_table("order_delegation")
    op.execute("UPDATE institution SET mentor_capacity = 2 WHERE mentor_capacity IS NULL")
    with op.batch_alter_table("institution") as batch:
        batch.drop_column("head_name")
        batch.drop_column("head_position")
        batch.alter_column("mentor_capacity", existing_type=sa.Integer(), nullable=False)
