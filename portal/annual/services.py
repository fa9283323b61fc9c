"""Rules of the annual report: generated from the institution's own data for the academic year to date, commented
where a figure asks for it, submitted to the city by 15 May (seed order item 2.3), accepted or returned with
remarks by the coordinator; and the city's analysis of the year (roadmap item 30) from the submitted reports."""
from __future__ import annotations

from datetime import date

from flask import url_for

from portal import clock
from portal.accounts.services import city_user_ids, user_ids_with_roles
from portal.annual.models import AnnualReport, ReportEvent, ReportState
from portal.exceptions import Invalid
from portal.extensions import db
from portal.formatting import ru_date
from portal.local_acts.services import in_force
from portal.notifications.services import notify_user
from portal.programs.services import programs_in
from portal.roadmap.indicators import compute, FIGURES, SUMMED
from portal.mentoring.years import groups_in, orders_in
from portal.years.services import bounds, check_year
from tenants.access import CITY_COORDINATORS, INSTITUTION_EDITORS
from tenants.queries import get_or_404, institutions_of

DUE = (5, 15)  # «Представить ежегодно в срок до 15 мая отчет о работе по организации наставничества»
SECTIONS = {
    "events": "Проведённые мероприятия по организации наставничества",
    "results": "Результаты работы наставнических пар (групп)",
    "difficulties": "Трудности и пути их решения",
    "plans": "Задачи на следующий учебный год",
}
MAX_TEXT = 10000
IN_CITY = (ReportState.SUBMITTED, ReportState.ACCEPTED)  # what the city's analysis is built from


def due_date(year: str) -> date:
    return date(bounds(year)[1].year, *DUE)


def needs_comment(figures: dict) -> dict[str, str]:
    """Figures the city will ask about: each needs the institution's comment before the report is sent."""
    out = {}
    if (figures.get("items_overdue") or 0) > 0:
        out["items_overdue"] = "есть просроченные мероприятия планов"
    if (figures.get("programs_terminated") or 0) > 0:
        out["programs_terminated"] = "есть прекращённые программы"
    pct = figures.get("young_with_mentor_pct")
    if pct is not None and pct < 100:
        out["young_with_mentor_pct"] = "не все молодые специалисты с наставником"
    if (figures.get("tasks_overdue") or 0) > 0:
        out["tasks_overdue"] = "есть просроченные задачи дорожной карты"
    if (figures.get("acks_total") or 0) > (figures.get("acks_done") or 0):
        out["acks_done"] = "не все ознакомлены с приказами"
    return out


def report(report_id) -> AnnualReport:
    return get_or_404(AnnualReport, report_id, "Отчёт не найден.")


def report_for(year: str) -> AnnualReport | None:
    return db.session.execute(db.select(AnnualReport).where(AnnualReport.academic_year == year)).scalar_one_or_none()


def reports() -> list[AnnualReport]:
    return list(db.session.execute(db.select(AnnualReport).order_by(AnnualReport.academic_year.desc())).scalars())


def _event(row: AnnualReport, action: str, actor_id: int | None, comment: str = "") -> None:
    row.events.append(ReportEvent(action=action, comment=comment, actor_id=actor_id, at=clock.now()))


def _details(year: str, as_of: date) -> dict:
    """What the report lists besides figures, frozen as of generation: acts in force, the year's orders, its
    pairs (groups) and programs."""
    return {
        "acts": [{"title": a.title, "version": v.number, "approval": v.approval_words} for a, v in in_force()],
        "orders": [{"number": o.number, "date": ru_date(o.issued_on), "title": o.title, "issued": o.issued_at is not None}
                   for o in reversed(orders_in(year))],
        "pairs": [{"id": g.id, "mentors": ", ".join(m.staff.short_name for m in g.mentors),
                   "mentees": ", ".join(m.staff.short_name for m in g.mentees), "form": g.form.name if g.form else "",
                   "start": ru_date(g.start_date), "end": ru_date(g.end_date) if g.end_date else "",
                   "state": g.state.label} for g in sorted(groups_in(year), key=lambda g: g.id)],
        "programs": [{"title": p.title, "mentee": p.mentee.short_name, "start": ru_date(p.start_date),
                      "end": ru_date(p.end_date), "state": p.state.label,
                      "done": sum(1 for i in p.items if i.status.value == "done"), "total": len(p.items)}
                     for p in programs_in(year)],
    }


def generate(year: str, actor_id: int | None, today: date | None = None) -> AnnualReport:
    """Create the report of the year, or refresh its figures (the comments and texts stay) while it is a draft
    or returned; figures are as of today (or the year's end when it is over)."""
    today = today or date.today()
    year = check_year(year, "academic_year")
    start, end = bounds(year)
    if today < start:
        raise Invalid("academic_year", f"Учебный год {year} ещё не начался.")
    row = report_for(year)
    if row is not None and not row.editable:
        raise Invalid("state", f"Отчёт {row.state.label.lower()}: он не пересчитывается.")
    as_of = min(today, end)
    figures, details = compute(year, as_of), _details(year, as_of)
    if row is None:
        row = AnnualReport(academic_year=year, due_date=due_date(year), comments={}, sections={})
        db.session.add(row)
    row.as_of, row.figures, row.details, row.generated_at = as_of, figures, details, clock.now()
    db.session.flush()
    _event(row, "generated", actor_id)
    db.session.commit()
    return row


def save_texts(row: AnnualReport, comments: dict | None, sections: dict | None) -> AnnualReport:
    if not row.editable:
        raise Invalid("state", f"Отчёт {row.state.label.lower()}: изменить его нельзя.")
    errors = {}
    new_comments = dict(row.comments or {})
    for key, text in (comments or {}).items():
        if key not in FIGURES:
            errors[f"comments.{key}"] = "Неизвестный показатель."
            continue
        text = (text or "").strip()
        if len(text) > MAX_TEXT:
            errors[f"comments.{key}"] = f"Не длиннее {MAX_TEXT} символов."
        new_comments[key] = text
    new_sections = dict(row.sections or {})
    for key, text in (sections or {}).items():
        if key not in SECTIONS:
            errors[f"sections.{key}"] = "Неизвестный раздел."
            continue
        text = (text or "").strip()
        if len(text) > MAX_TEXT:
            errors[f"sections.{key}"] = f"Не длиннее {MAX_TEXT} символов."
        new_sections[key] = text
    if errors:
        raise Invalid(fields=errors)
    row.comments = {k: v for k, v in new_comments.items() if v}
    row.sections = {k: v for k, v in new_sections.items() if v}
    db.session.commit()
    return row


def submit(row: AnnualReport, actor_id: int | None, today: date | None = None) -> AnnualReport:
    if not row.editable:
        raise Invalid("state", f"Отчёт уже {row.state.label.lower()}.")
    missing = [f"«{FIGURES[k]}» ({why})" for k, why in needs_comment(row.figures).items()
               if not (row.comments or {}).get(k)]
    if missing:
        raise Invalid("comments", "Прокомментируйте показатели: " + "; ".join(missing) + ".")
    if not (row.sections or {}).get("events"):
        raise Invalid("sections.events", f"Заполните раздел «{SECTIONS['events']}».")
    row.state, row.submitted_at, row.submitted_by_id = ReportState.SUBMITTED, clock.now(), actor_id
    row.review_comment = ""
    late = (today or date.today()) > row.due_date
    _event(row, "submitted", actor_id, f"после срока ({ru_date(row.due_date)})" if late else "")
    db.session.commit()
    _tell_city(row)
    return row


def accept(row: AnnualReport, actor_id: int) -> AnnualReport:
    if row.state is not ReportState.SUBMITTED:
        raise Invalid("state", "Принять можно только отправленный отчёт.")
    row.state, row.reviewed_at, row.reviewed_by_id = ReportState.ACCEPTED, clock.now(), actor_id
    _event(row, "accepted", actor_id)
    db.session.commit()
    _tell_institution(row, "Отчёт о работе по организации наставничества принят", "")
    return row


def return_with_remarks(row: AnnualReport, comment: str, actor_id: int) -> AnnualReport:
    if row.state is not ReportState.SUBMITTED:
        raise Invalid("state", "Вернуть можно только отправленный отчёт.")
    comment = (comment or "").strip()
    if not comment:
        raise Invalid("review_comment", "Напишите замечания: что исправить или дополнить.")
    row.state, row.reviewed_at, row.reviewed_by_id = ReportState.RETURNED, clock.now(), actor_id
    row.review_comment = comment[:MAX_TEXT]
    _event(row, "returned", actor_id, row.review_comment)
    db.session.commit()
    _tell_institution(row, "Отчёт о работе по организации наставничества возвращён с замечаниями", row.review_comment)
    return row


def _tell_institution(row: AnnualReport, title: str, body: str) -> None:
    url = url_for("annual.index", inst_slug=row.institution.slug, year=row.academic_year)
    for user_id in user_ids_with_roles(row.institution_id, INSTITUTION_EDITORS):
        notify_user(user_id, "annual_report", f"{title} ({row.academic_year})", body=body, url=url,
                    dedup_key=f"annual:{row.id}:{len(row.events)}", institution_id=row.institution_id)


def _tell_city(row: AnnualReport) -> None:
    url = url_for("annual_city.city_index", muni_slug=row.institution.municipality.slug, year=row.academic_year)
    for user_id in city_user_ids(row.institution.municipality_id, CITY_COORDINATORS):
        notify_user(user_id, "annual_report", f"{row.institution.short_name}: отчёт за {row.academic_year} отправлен",
                    url=url, dedup_key=f"annual:{row.id}:{len(row.events)}")


# --- the city -------------------------------------------------------------------------------------------------------

def city_reports(municipality_id: int, year: str) -> list[tuple[object, AnnualReport | None]]:
    """Every institution of the city with its report of the year (or None): who has submitted."""
    by_inst = {r.institution_id: r for r in db.session.execute(
        db.select(AnnualReport).where(AnnualReport.academic_year == year)).scalars()}
    return [(inst, by_inst.get(inst.id)) for inst in institutions_of(municipality_id)]


def analysis(municipality_id: int, year: str) -> dict:
    """The city's analysis of the year from the reports the institutions submitted (sent or accepted)."""
    rows = city_reports(municipality_id, year)
    counted = [(inst, r) for inst, r in rows if r is not None and r.state in IN_CITY]
    totals = {k: sum((r.figures.get(k) or 0) for _, r in counted) for k in SUMMED}
    totals["young_with_mentor_pct"] = (round(100 * totals["young_with_mentor"] / totals["young"], 1)
                                       if totals.get("young") else None)
    marks = [r.figures.get("satisfaction") for _, r in counted if r.figures.get("satisfaction") is not None]
    totals["satisfaction"] = round(sum(marks) / len(marks), 1) if marks else None
    return {"year": year, "rows": counted, "totals": totals, "figures": FIGURES,
            "missing": [inst for inst, r in rows if r is None or r.state not in IN_CITY],
            "accepted": sum(1 for _, r in counted if r.state is ReportState.ACCEPTED),
            "institutions": len(rows), "due": due_date(year)}
