"""Command-line interface: `flask --app wsgi demo`, `tokens create EMAIL`, `create-admin EMAIL`, `import-groups`."""
from __future__ import annotations

import secrets

import click
from flask import Flask

from portal.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    def demo_command():
        """Load demo data for г. Покачи (idempotent) and print the demo accounts."""
        from portal.demo import load_demo

        load_demo()

    tokens = click.Group("tokens", help="API tokens.")

    @tokens.command("create")
    @click.argument("email")
    @click.option("--name", default="CLI", help="Token name shown on the profile page.")
    def tokens_create(email: str, name: str):
        """Create a bearer token for EMAIL and print it once."""
        from portal.accounts.services import create_api_token, find_user_by_email

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
        from portal.accounts.services import create_user, find_user_by_email, grant_role
        from tenants.access import Role

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
        from pathlib import Path

        from portal.errors import Invalid
        from portal.mentoring.importer import import_groups
        from tenants.context import institution_scope
        from tenants.models import Institution

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
                raise SystemExit(1)
        click.echo(result.summary)
