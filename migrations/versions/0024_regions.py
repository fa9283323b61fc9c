"""the region above municipalities: a region table, the city's region as a foreign key (the old text migrated),
the regional institute's role bound to a region, the region's merged registry exports

Revision ID: 0024_regions
Revises: 0023_pairs_calendar
Create Date: 2026-12-01 13:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024_regions'
down_revision = '0023_pairs_calendar'
branch_labels = None
depends_on = None


def _slug_for(name: str, taken: set[str]) -> str:
    base = "hmao" if "югр" in name.lower() else "region"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def upgrade():
    op.create_table('region',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
    sa.UniqueConstraint('slug', name=op.f('uq_region_slug'))
    )
    # Not in batch mode: on SQLite a batch recreates the table, and dropping `municipality` with foreign keys on
    # would cascade into every row that refers to it (role bindings, registry exports …). SQLite ≥ 3.35 adds and
    # drops these columns in place.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, ondelete in (('municipality', None), ('role_binding', 'CASCADE')):
        if sqlite:
            op.execute(f"ALTER TABLE {table} ADD COLUMN region_id INTEGER REFERENCES region (id)"
                       + (f" ON DELETE {ondelete}" if ondelete else ""))
        else:
            op.add_column(table, sa.Column('region_id', sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(f'fk_{table}_region_id_region'), table, 'region', ['region_id'], ['id'],
                                  ondelete=ondelete)
        op.create_index(op.f(f'ix_{table}_region_id'), table, ['region_id'], unique=False)

    # The old text field: one region per distinct name, every city pointed at its own.
    conn = op.get_bind()
    taken: set[str] = set()
    names = [r[0] for r in conn.execute(sa.text(
        "SELECT DISTINCT TRIM(region) FROM municipality WHERE TRIM(COALESCE(region, '')) <> '' ORDER BY 1"))]
    for name in names:
        region_id = conn.execute(sa.text("INSERT INTO region (name, slug) VALUES (:n, :s) RETURNING id"),
                                 {"n": name, "s": _slug_for(name, taken)}).scalar_one()
        conn.execute(sa.text("UPDATE municipality SET region_id = :r WHERE TRIM(region) = :n"),
                     {"r": region_id, "n": name})
    # The regional institute's accounts were bound to one city: now to that city's region.
    conn.execute(sa.text(
        "UPDATE role_binding SET region_id = (SELECT m.region_id FROM municipality m WHERE m.id = role_binding.municipality_id), "
        "municipality_id = NULL WHERE role = 'REGIONAL' AND municipality_id IN "
        "(SELECT id FROM municipality WHERE region_id IS NOT NULL)"))
    op.execute("ALTER TABLE municipality DROP COLUMN region")

    op.create_table('region_registry_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='exportstatus', native_enum=False, length=10), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('cities', sa.Integer(), nullable=False),
    sa.Column('sha256_xlsx', sa.String(length=64), nullable=False),
    sa.Column('sha256_csv', sa.String(length=64), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_region_registry_export_region_id_region'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_region_registry_export_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_region_registry_export_job_id_job'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region_registry_export'))
    )
    with op.batch_alter_table('region_registry_export') as batch:
        batch.create_index(batch.f('ix_region_registry_export_region_id'), ['region_id'], unique=False)


def downgrade():
    # (On SQLite the batches below recreate the tables: take a copy of the file first.)
    op.drop_table('region_registry_export')
    with op.batch_alter_table('municipality') as batch:
        batch.add_column(sa.Column('region', sa.String(length=200), nullable=False, server_default=''))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE municipality SET region = COALESCE((SELECT name FROM region r WHERE r.id = municipality.region_id), '')"))
    with op.batch_alter_table('role_binding') as batch:
        batch.drop_constraint(batch.f('fk_role_binding_region_id_region'), type_='foreignkey')
        batch.drop_index(batch.f('ix_role_binding_region_id'))
        batch.drop_column('region_id')
    with op.batch_alter_table('municipality') as batch:
        batch.drop_constraint(batch.f('fk_municipality_region_id_region'), type_='foreignkey')
        batch.drop_index(batch.f('ix_municipality_region_id'))
        batch.drop_column('region_id')
    op.drop_table('region')
