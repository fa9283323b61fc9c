"""Demo roadmap: the built-in 2022–2024 template, its copy for 2025–2027 with the year-bound dates set, tasks of the
current year with some evidence, and the indicators of the last quarters. Idempotent."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.periods import current_quarter
from portal.roadmap import services
from portal.roadmap.indicators import previous_quarter
from portal.roadmap.models import Roadmap, RoadmapTask, TaskStatus
from tasks.aggregation import run_inline
from tenants.context import across_institutions


def load(municipality, institutions: dict) -> None:
    today = date.today()
    with across_institutions(municipality_ids={municipality.id}, reason="demo roadmap"):
        if db.session.execute(db.select(Roadmap.id)).first() is not None:
            return
        template = services.from_template(municipality.id)
        current = services.copy_roadmap(template, 2025, 2027, "Комплекс мер («дорожная карта») по внедрению системы "
                                        "наставничества педагогических работников г. Покачи на 2025-2027 г.г.")
        for a in services.flagged(current):
            services.update_activity(a, {"title": a.title, "deadline_text": "Ежегодно до 01 октября",
                                         "level": a.level.value, "result_text": a.result_text,
                                         "result_type": a.result_type})
        if 2025 <= today.year <= 2027:
            services.generate_tasks(current, today.year)
            early = db.session.execute(db.select(RoadmapTask).where(RoadmapTask.due_date < today)
                                       .order_by(RoadmapTask.id)).scalars().all()
            for n, task in enumerate(early):
                if n % 3 == 0:
                    task.status, task.evidence_text = TaskStatus.ACCEPTED, "Протокол заседания методического совета"
                elif n % 3 == 1:
                    task.status, task.evidence_text = TaskStatus.SUBMITTED, "Аналитическая справка за квартал"
            db.session.commit()

    run_inline(current_quarter(today), municipality.id)   # the indicators open on the quarter in progress
    period = previous_quarter(today)
    for _ in range(4):  # a year of quarters, so the trend has a line
        run_inline(period, municipality.id)
        period = previous_quarter(date(int(period[:4]), 3 * int(period[-1]) - 2, 1))
