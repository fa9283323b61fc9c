"""role bindings' region foreign key rebuilt on SQLite: named and ON DELETE CASCADE, as on PostgreSQL (0024 added
the column there with an inline REFERENCES that SQLite keeps unnamed and without the cascade)

Revision ID: 0031_sqlite_region_fk
Revises: 0030_aggregation_indexes
Create Date: 2026-12-01 16:40:00

"""
from alembic import op


revision = '0031_sqlite_region_fk'
down_revision = '0030_aggregation_indexes'
branch_labels = None
depends_on = None

# Names for what SQLite reflects without one, so that the batch rebuild can drop the unnamed key by this name.
_UNNAMED = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
_FK = 'fk_role_binding_region_id_region'


def upgrade():
    if op.get_bind().dialect.name != 'sqlite':
        return     # PostgreSQL got the named key with its cascade in 0024
    with op.batch_alter_table('role_binding', recreate='always', naming_convention=_UNNAMED) as batch_op:
        batch_op.drop_constraint(_FK, type_='foreignkey')
        batch_op.create_foreign_key(_FK, 'region', ['region_id'], ['id'], ondelete='CASCADE')


def downgrade():
    pass   # the named key with its cascade is what 0024 meant; 0024's downgrade drops it by this name
