"""row-level security reads a signed scope the app role cannot forge

Revision ID: 0013_signed_rls_scope
Revises: 0012_password_reset_request
Create Date: 2026-12-01 09:50:00

Policies no longer read plain settings (app.institution_ids, app.municipality_ids, app.everything) that the app
role could set itself; they read `app.scope` through SECURITY DEFINER functions that accept it only with a valid
HMAC-SHA256 made with a key the app role cannot read (its pads live in portal_private.scope_key, written by
`flask db upgrade` from SECRET_KEY; see tenants/rls.py). No-op on SQLite.
"""
from alembic import op

from tenants.rls import CITY_POLICY, LEGACY_CITY_POLICY, LEGACY_TENANT_POLICY, TENANT_POLICY

revision = '0013_signed_rls_scope'
down_revision = '0012_password_reset_request'
branch_labels = None
depends_on = None

_DEFINER = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
FUNCTIONS = f"""
CREATE SCHEMA IF NOT EXISTS portal_private;
REVOKE ALL ON SCHEMA portal_private FROM PUBLIC;
CREATE TABLE IF NOT EXISTS portal_private.scope_key (
    id smallint PRIMARY KEY CHECK (id = 1),
    inner_pad bytea NOT NULL,
    outer_pad bytea NOT NULL
);
REVOKE ALL ON portal_private.scope_key FROM PUBLIC;
-- The payload of app.scope if its HMAC-SHA256 (hex, after the last '|') is right, else NULL.
CREATE OR REPLACE FUNCTION portal_private.verified_scope() RETURNS text {_DEFINER} AS $$
    SELECT CASE WHEN length(v.s) > 65 AND substr(v.s, length(v.s) - 64, 1) = '|'
                 AND encode(sha256(k.outer_pad || sha256(k.inner_pad || convert_to(left(v.s, length(v.s) - 65), 'UTF8'))),
                            'hex') = right(v.s, 64)
           THEN left(v.s, length(v.s) - 65) END
    FROM (SELECT coalesce(current_setting('app.scope', true), '') AS s) v
    LEFT JOIN portal_private.scope_key k ON k.id = 1
$$;
REVOKE ALL ON FUNCTION portal_private.verified_scope() FROM PUBLIC;
CREATE OR REPLACE FUNCTION public.portal_scope_institutions() RETURNS int[] {_DEFINER} AS $$
    SELECT coalesce(string_to_array(nullif(split_part(portal_private.verified_scope(), '|', 1), ''), ',')::int[], '{{}}')
$$;
CREATE OR REPLACE FUNCTION public.portal_scope_municipalities() RETURNS int[] {_DEFINER} AS $$
    SELECT coalesce(string_to_array(nullif(split_part(portal_private.verified_scope(), '|', 2), ''), ',')::int[], '{{}}')
$$;
CREATE OR REPLACE FUNCTION public.portal_scope_everything() RETURNS boolean {_DEFINER} AS $$
    SELECT coalesce(split_part(portal_private.verified_scope(), '|', 3) = '1', false)
$$;
"""


def _policies(kind: str) -> list[str]:
    rows = op.get_bind().exec_driver_sql(
        "SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = %(p)s ORDER BY tablename",
        {"p": kind}).scalars()
    return list(rows)


def _replace(tenant_sql: str, city_sql: str) -> None:
    for table in _policies("tenant_isolation"):
        op.execute(f"DROP POLICY tenant_isolation ON {table}")
        op.execute(tenant_sql.format(table=table))
    for table in _policies("city_isolation"):
        op.execute(f"DROP POLICY city_isolation ON {table}")
        op.execute(city_sql.format(table=table))


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS)
    _replace(TENANT_POLICY, CITY_POLICY)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _replace(LEGACY_TENANT_POLICY, LEGACY_CITY_POLICY)
    op.execute("DROP FUNCTION public.portal_scope_everything(); DROP FUNCTION public.portal_scope_municipalities(); "
               "DROP FUNCTION public.portal_scope_institutions(); DROP SCHEMA portal_private CASCADE")
