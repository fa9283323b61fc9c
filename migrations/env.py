"""Alembic environment. On PostgreSQL migrations run as the owner (DATABASE_OWNER_URL); afterwards the
application's own role (the user of DATABASE_URL) is created if missing and granted DML only, so that
row-level security applies to it."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
MIGRATION_LOCK = 7_160_316   # any constant: the advisory lock every `db upgrade` of this database takes first


def app_engine():
    return target_db.engine


def owner_url() -> str | None:
    return current_app.config.get("DATABASE_OWNER_URL") or None


def run_migrations_offline():
    context.configure(url=str(app_engine().url), target_metadata=target_db.metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(ctx, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    # batch mode lets ALTER work on SQLite too
    conf_args.setdefault("render_as_batch", True)

    url = owner_url()
    engine = create_engine(_psycopg(url)) if url else app_engine()
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Several nodes may run `db upgrade` at once (each node's migrate unit at boot): one migrates, the others
            # wait here and then find nothing to do. Session-level, released when the connection closes.
            from sqlalchemy import text

            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()
        from tenants.rls import grant_app_role, install_key

        # The row-level security key's pads, from this deployment's SECRET_KEY (again after a key change).
        install_key(connection, current_app.config["SECRET_KEY"])
        if url:
            grant_app_role(connection, app_engine().url.username)
        connection.commit()
    if url:
        engine.dispose()


def _psycopg(url: str) -> str:
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
