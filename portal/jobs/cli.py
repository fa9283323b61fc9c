"""`flask jobs …`: the outbox from the command line — a round trip for deployment checks, the relay, the counts."""
from __future__ import annotations

import time

import click
from flask import Flask

from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.jobs.relay import relay as run_relay
from portal.jobs.services import submit


def init_app(app: Flask) -> None:
    group = click.Group("jobs", help="Фоновые задачи (outbox).")

    @group.command("ping")
    @click.option("--timeout", default=30.0, help="Сколько секунд ждать ответа обработчика задач.")
    def ping(timeout: float):
        """Send a job through outbox, broker and worker and wait until the worker has run it."""
        job = submit("jobs.ping")
        db.session.commit()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            db.session.expire_all()
            status = db.session.get(Job, job.id).status
            if status is JobStatus.DONE:
                click.echo(f"Задача {job.id} выполнена обработчиком.")
                return
            time.sleep(0.3)
        raise click.ClickException(f"Задача {job.id} не выполнена за {timeout:g} с (состояние: {status.label}).")

    @group.command("relay")
    @click.option("--loop", is_flag=True, help="Повторять каждые --every секунд (вместо beat).")
    @click.option("--every", default=15.0)
    def relay(loop: bool, every: float):
        """Send the jobs that wait in the outbox and those the broker lost."""
        while True:
            click.echo(run_relay())
            if not loop:
                return
            time.sleep(every)

    @group.command("status")
    def status():
        """How many jobs are in each state."""
        for state, count in db.session.execute(db.select(Job.status, db.func.count(Job.id)).group_by(Job.status)):
            click.echo(f"{state.label} ({state.value}): {count}")

    app.cli.add_command(group)
