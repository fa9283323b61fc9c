"""Command-line interface: `flask --app wsgi demo`, `tokens create EMAIL`, `create-admin EMAIL`, `import-groups`."""
from __future__ import annotations

from pathlib import Path
import secrets

import click
from flask import Flask

from portal.accounts.services import create_api_token, create_user, find_user_by_email, grant_role
from portal.demo import load_demo
from portal.errors import Invalid
from portal.extensions import db
from portal.jobs.cli import init_app as init_jobs_cli
from portal.mentoring.importer import import_groups
from tasks.aggregation import run_inline
from tenants.access import Role
from tenants.context import institution_scope
from tenants.models import Institution, Municipality


def init_app(app: Flask) -> None:
    init_jobs_cli(app)
    @app.cli.command("demo")
    def demo_command():
        """Load demo data for г. Покачи (idempotent) and print the demo accounts."""
        load_demo()

    tokens = click.Group("tokens", help="API tokens.")

    @tokens.command("create")
    @click.argument("email")
    @click.option("--name", default="CLI", help="Token name shown on the profile page.")
    def tokens_create(email: str, name: str):
        """Create a bearer token for EMAIL and print it once."""
        user = find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"Пользователь {email} не найден.")
        click.echo(create_api_token(user, name))

    app.cli.add_command(tokens)

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Администратор платформы")
    def create_admin(email: str, name: str):
        """Create a platform admin with a generated password, printed once (there are no default passwords)."""
        user = find_user_by_email(email)
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = create_user(email, name, password)
        if not user.has_role(Role.ADMIN):
            grant_role(user, Role.ADMIN)
        db.session.commit()
        click.echo(f"{email} / {password}" if password else f"{email}: роль администратора выдана, пароль не менялся")

    @app.cli.command("import-groups")
    @click.option("--institution", "slug", required=True, help="Адрес организации в портале (slug).")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_groups_command(slug: str, path: str):
        """Import the list of mentors and mentees (DOCX order table, XLSX or CSV) into proposed pairs and groups."""
        institution = db.session.execute(db.select(Institution).where(Institution.slug == slug)).scalar_one_or_none()
        if institution is None:
            raise click.ClickException(f"Организация «{slug}» не найдена.")
        with institution_scope(institution.id):
            try:
                result = import_groups(institution, Path(path).name, Path(path).read_bytes(), None)
            except Invalid as exc:
                db.session.rollback()
                click.echo(exc.message, err=True)
                for row in exc.rows:
                    click.echo(f"  строка {row['row']}, «{row['column']}»: {row['reason']}", err=True)
                raise SystemExit(1) from None
        click.echo(result.summary)

    @app.cli.command("aggregate")
    @click.option("--period", required=True, help="Квартал «2023-Q1» или учебный год «2022-2023».")
    @click.option("--municipality", "slug", default=None, help="Только этот муниципалитет (slug).")
    def aggregate_command(period: str, slug: str | None):
        """Compute the indicators' snapshots of every institution for PERIOD now (one task per institution)."""
        municipality_id = None
        if slug:
            muni = db.session.execute(db.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
            if muni is None:
                raise click.ClickException(f"Муниципалитет «{slug}» не найден.")
            municipality_id = muni.id
        try:
            count = run_inline(period, municipality_id)
        except Invalid as exc:
            raise click.ClickException(exc.message) from None
        click.echo(f"Показатели за {period} рассчитаны: организаций — {count}.")
