"""The migrations, loaded only where they run: `flask db …`, and the fresh databases of the tests and the benches.
Flask-Migrate imports Alembic, Mako and Pygments (~11 MB in every process); a web node or a worker never migrates,
so create_app registers a `db` command group that imports them when a `flask db` command is asked for."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from portal.config import ROOT
from portal.extensions import db

MIGRATIONS = str(ROOT / "migrations")


def init_migrations(app: Flask) -> None:
    from flask_migrate import Migrate  # lazy: Alembic only where migrations run (see the module docstring)

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=MIGRATIONS)


def upgrade(revision: str = "heads") -> None:
    """`flask db upgrade` for the current app: the tests' and the benches' schema."""
    from flask_migrate import upgrade as alembic_upgrade  # lazy: as init_migrations

    init_migrations(current_app)
    alembic_upgrade(directory=MIGRATIONS, revision=revision)


class MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's commands, imported and wired to the app when one of them is asked for."""

    def _commands(self, ctx: click.Context) -> click.Group:
        from flask_migrate.cli import db as commands  # lazy: as init_migrations

        init_migrations(ctx.ensure_object(ScriptInfo).load_app())
        return commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands(ctx).list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._commands(ctx).get_command(ctx, name)


def _group_options(**options) -> None:
    """The group's own options (-d, -x) are kept where Flask-Migrate's commands read them: its group callback."""
    from flask_migrate.cli import db as commands  # lazy: as init_migrations

    click.get_current_context().invoke(commands.callback, **options)


def init_app(app: Flask) -> None:
    app.cli.add_command(MigrationCommands("db", callback=_group_options, help="Миграции схемы базы данных (Alembic).",
                                          params=[click.Option(["-d", "--directory"], default=None,
                                                               help="Папка миграций (по умолчанию migrations/)."),
                                                  click.Option(["-x", "--x-arg"], multiple=True,
                                                               help="Дополнительные аргументы для env.py.")]))
