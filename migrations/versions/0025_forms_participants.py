"""forms of mentoring with their kind and participants, outside participants (a partner's employee, a student) with
consent, several forms per pair

Revision ID: 0025_forms_participants
Revises: 0024_regions
Create Date: 2026-12-01 12:50:00

"""
from alembic import op
import sqlalchemy as sa

from tenants.rls import enable_tenant_rls


revision = '0025_forms_participants'
down_revision = '0024_regions'
branch_labels = None
depends_on = None

KINDS = {"Краткосрочное или целеполагающее наставничество": "short_term",
         "Ситуационное наставничество": "situational", "Скоростное наставничество": "speed"}


def upgrade():
    with op.batch_alter_table('mentoring_form', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='long'))
        batch_op.add_column(sa.Column('mentors_from', sa.String(length=10), nullable=False, server_default='staff'))
        batch_op.add_column(sa.Column('mentees_from', sa.String(length=10), nullable=False, server_default='staff'))
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=False, server_default=''))
    form = sa.table('mentoring_form', sa.column('name', sa.String), sa.column('builtin', sa.Boolean),
                    sa.column('kind', sa.String))
    for name, kind in KINDS.items():
        op.execute(form.update().where(form.c.name == name, form.c.builtin.is_(True)).values(kind=kind))
    op.create_table('external_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('middle_name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.String(length=300), nullable=False),
    sa.Column('consent_date', sa.Date(), nullable=True),
    sa.Column('consent_attachment_id', sa.Integer(), nullable=True),
    sa.Column('consent_purpose', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consent_attachment_id'], ['attachment.id'], name=op.f('fk_external_person_consent_attachment_id_attachment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_external_person_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_external_person_partner_id_partner'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_person'))
    )
    with op.batch_alter_table('external_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_person_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_person_partner_id'), ['partner_id'], unique=False)
    op.create_table('group_form',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['mentoring_form.id'], name=op.f('fk_group_form_form_id_mentoring_form'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['mentoring_group.id'], name=op.f('fk_group_form_group_id_mentoring_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_group_form_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'form_id', name=op.f('pk_group_form'))
    )
    with op.batch_alter_table('group_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_form_institution_id'), ['institution_id'], unique=False)
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.Integer(), nullable=True))
        batch_op.alter_column('staff_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_group_member_external_id'), ['external_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_group_member_external_id_external_person'), 'external_person',
                                    ['external_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint('group_member_one_person', '(staff_id IS NULL) <> (external_id IS NULL)')
    for table in ("external_person", "group_form"):
        enable_tenant_rls(op, table)


def downgrade():
    op.execute("DELETE FROM group_member WHERE staff_id IS NULL")
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_constraint('group_member_one_person', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_group_member_external_id_external_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_group_member_external_id'))
        batch_op.alter_column('staff_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('external_id')
    op.drop_table('group_form')
    op.drop_table('external_person')
    with op.batch_alter_table('mentoring_form', schema=None) as batch_op:
        batch_op.drop_column('description')
        batch_op.drop_column('mentees_from')
        batch_op.drop_column('mentors_from')
        batch_op.drop_column('kind')
