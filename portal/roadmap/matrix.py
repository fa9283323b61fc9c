"""The coordinator's status matrix: institutions × activities of a year, summarised in the database.

One cell per institution × activity — × quarter, for quarterly work, each quarter a cell of its own — with its
worst state (overdue > returned > open > submitted > accepted), how many tasks it holds and the first of them,
computed by one GROUP BY. The page never holds the city's thousands of tasks: a cell of one task links to it, a
cell of several loads its tasks on demand (`cell_tasks`, the HTMX partial `_matrix_cell.html`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from markupsafe import Markup, escape

from portal.extensions import db
from portal.roadmap.models import Activity, Roadmap, RoadmapTask, TaskStatus
from tenants.models import Institution

STATES = ("overdue", "returned", "open", "submitted", "accepted")   # worst first: a cell shows the first it holds
LABELS = {"overdue": "Просрочено", "returned": "На доработке", "open": "Ожидается", "submitted": "На проверке",
          "accepted": "Принято"}
# Colour is never the only signal: each state has a symbol too (and its label as the cell's title).
SYMBOLS = {"overdue": "!", "returned": "↺", "open": "○", "submitted": "◔", "accepted": "✓"}
COLOURS = {"overdue": "danger", "returned": "warning", "open": "light", "submitted": "info", "accepted": "success"}
QUARTERS = {1: "I кв.", 2: "II кв.", 3: "III кв.", 4: "IV кв."}


@dataclass(frozen=True)
class Column:
    activity: Activity
    quarter: int          # 0: the whole year

    @property
    def label(self) -> str:
        return f"№ {self.activity.number}" + (f" · {QUARTERS[self.quarter]}" if self.quarter else "")


class Cell(NamedTuple):   # a tuple: a city's matrix makes well over a thousand of them per request
    state: str
    count: int
    first_id: int

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]

    @property
    def label(self) -> str:
        return LABELS[self.state]


def in_year(year: int):
    """The tasks of a calendar year: its periods («2024», «2024-Q1», «2024-11-15» of a separate plan) and the
    one-off and per-program tasks due in it."""
    dated = (RoadmapTask.period == "once") | RoadmapTask.period.like("program-%")
    return (~dated & RoadmapTask.period.like(f"{year}%")) | (
        dated & RoadmapTask.due_date.between(date(year, 1, 1), date(year, 12, 31)))


def _rank(today: date):
    return db.case(
        (RoadmapTask.status.in_([TaskStatus.OPEN, TaskStatus.RETURNED]) & (RoadmapTask.working_due_date < today), 0),
        (RoadmapTask.status == TaskStatus.RETURNED, 1), (RoadmapTask.status == TaskStatus.OPEN, 2),
        (RoadmapTask.status == TaskStatus.SUBMITTED, 3), else_=4)


def _quarter():
    return db.case(*[(RoadmapTask.period.like(f"%-Q{q}"), q) for q in QUARTERS], else_=0)


def matrix(row: Roadmap, year: int, today: date | None = None) -> dict:
    """{"institutions", "columns", "cells": {(institution, activity, quarter): Cell}, "activities",
    "worst": {(institution, activity): state}} — the last two for the XLSX, one column per activity."""
    today = today or date.today()
    # The task-level expressions in a subquery, grouped outside it: PostgreSQL matches GROUP BY expressions by
    # their text, and bound parameters numbered apart would not match.
    tasks = (db.select(RoadmapTask.institution_id.label("inst"), RoadmapTask.activity_id.label("act"),
                       _quarter().label("q"), _rank(today).label("rank"), RoadmapTask.id.label("id"))
             .join(Activity, Activity.id == RoadmapTask.activity_id)
             .where(Activity.roadmap_id == row.id, in_year(year)).subquery())
    rows = db.session.execute(db.select(tasks.c.inst, tasks.c.act, tasks.c.q, db.func.min(tasks.c.rank),
                                        db.func.count(), db.func.min(tasks.c.id))
                              .group_by(tasks.c.inst, tasks.c.act, tasks.c.q)).all()
    cells = {(i, a, q): Cell(STATES[rank], n, first) for i, a, q, rank, n, first in rows}
    worst: dict[tuple[int, int], str] = {}
    for (i, a, _), cell in cells.items():
        current = worst.get((i, a))
        if current is None or STATES.index(cell.state) < STATES.index(current):
            worst[(i, a)] = cell.state
    quarters: dict[int, set[int]] = {}
    for _, a, q in cells:
        quarters.setdefault(a, set()).add(q)
    activities = [a for a in row.activities if a.id in quarters]
    columns = [Column(a, q) for a in activities for q in sorted(quarters[a.id])]
    institutions = list(db.session.execute(db.select(Institution).where(
        Institution.municipality_id == row.municipality_id).order_by(Institution.short_name, Institution.id)).scalars())
    return {"institutions": institutions, "columns": columns, "cells": cells, "activities": activities,
            "worst": worst}


def cell_tasks(row: Roadmap, year: int, institution_id: int, activity: Activity, quarter: int) -> list[RoadmapTask]:
    """The tasks behind one cell of the matrix, by period."""
    stmt = db.select(RoadmapTask).where(RoadmapTask.institution_id == institution_id,
                                        RoadmapTask.activity_id == activity.id, in_year(year))
    if quarter:
        stmt = stmt.where(RoadmapTask.period.like(f"%-Q{quarter}"))
    else:
        stmt = stmt.where(~RoadmapTask.period.like("%-Q_"))
    return list(db.session.execute(stmt.order_by(RoadmapTask.period, RoadmapTask.id)).scalars())


def grid(data: dict, year: int, task_url: str, cell_url: str, only: str = "") -> list[tuple]:
    """[(institution, the row's cells as HTML)]: a city's matrix has well over a thousand cells, so each row is
    written here in one pass of plain string joins (through Jinja, or Markup's %-formatting, they took most of
    the page's time). A cell of one task links to it; a cell of several loads its tasks into #matrix-cell (HTMX),
    or opens them as a page without JavaScript. What goes in is ours: fixed labels and symbols, numbers, and
    the two URL prefixes, escaped once here."""
    task_url, cell_url = str(escape(task_url)), str(escape(cell_url))
    hidden = {k: f'<td class="table-{c}"></td>' for k, c in COLOURS.items()}
    one = {k: (f'<td class="table-{c}"><a href="{task_url}', f'" title="{LABELS[k]}">{SYMBOLS[k]}</a></td>')
           for k, c in COLOURS.items()}
    cells, columns, out = data["cells"], data["columns"], []
    for inst in data["institutions"]:
        parts = []
        for c in columns:
            cell = cells.get((inst.id, c.activity.id, c.quarter))
            if cell is None:
                parts.append("<td></td>")
            elif only and only != cell.state:
                parts.append(hidden[cell.state])
            elif cell.count == 1:
                head, tail = one[cell.state]
                parts.append(f"{head}{cell.first_id}{tail}")
            else:
                href = f"{cell_url}{c.activity.id}/{inst.id}?year={year}&amp;quarter={c.quarter}"
                parts.append(f'<td class="table-{COLOURS[cell.state]}"><a href="{href}" hx-get="{href}" '
                             f'title="{LABELS[cell.state]}: задач {cell.count}">{SYMBOLS[cell.state]} {cell.count}</a></td>')
        out.append((inst, Markup("".join(parts))))
    return out
