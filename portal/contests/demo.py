"""Demo contests of г. Покачи, one in each state, with a jury of three (chair, secretary, member), so every
journey can be run: open a draft, accept entries, judge, publish, read the results. Idempotent."""
from __future__ import annotations

from datetime import date, timedelta

from portal.accounts.services import find_user_by_email
from portal.consent.models import ConsentKind, ConsentRecord
from portal.contests import services
from portal.contests.models import Contest, Entry
from portal.extensions import db
from portal.staff.models import Staff
from tenants.context import across_institutions, institution_scope

TITLE = "Лучшие практики наставничества"
JURY = (("expert@demo.nastavnik", "chair", None), ("expert.secretary@demo.nastavnik", "secretary", None),
        ("expert.member@demo.nastavnik", "member", "sosh1"))
NOMINATIONS = "Педагог — педагогу | 2\nРуководитель — педагогу | 1"
PRACTICES = {
    "yugorka": ("Педагогическая мастерская для молодого воспитателя",
                "Серия открытых занятий наставника и разбор их с наставляемым."),
    "skazka": ("Кейс-сессии «Трудная ситуация в группе»", "Разбор реальных ситуаций с родителями и детьми."),
    "sosh2": ("Урок в паре: наставник и молодой учитель", "Совместное проектирование и проведение уроков."),
}


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _authors(inst, given_on: date) -> list[int]:
    """Two staff of the institution who consented to have their names published."""
    with institution_scope(inst.id):
        staff = list(db.session.execute(db.select(Staff).where(Staff.archived_at.is_(None))
                                        .order_by(Staff.id).limit(2)).scalars())
        have = set(db.session.execute(db.select(ConsentRecord.staff_id).where(
            ConsentRecord.kind == ConsentKind.PUBLICATION, ConsentRecord.given_on <= given_on)).scalars())
        for s in staff:
            if s.id in have:
                continue
            db.session.add(ConsentRecord(institution_id=inst.id, staff_id=s.id, kind=ConsentKind.PUBLICATION,
                                         purpose="Участие в муниципальном конкурсе лучших практик наставничества",
                                         fields=["full_name", "position"], given_on=given_on, method="письменно"))
        db.session.commit()
        return [s.id for s in staff]


def _contest(municipality, institutions, title: str, start: date, jurors) -> Contest:
    row = services.create_contest(municipality.id, {
        "title": title, "entries_from": _d(start), "entries_until": _d(start + timedelta(days=30)),
        "judging_until": _d(start + timedelta(days=45)), "results_on": _d(start + timedelta(days=60)),
        "nominations": NOMINATIONS})
    for user, role, where in jurors:
        services.add_juror(row, user.id, role, institutions[where].id if where else None)
    return row


def _enter(contest_id: int, institutions, start: date) -> list[int]:
    ids = []
    for slug, (title, description) in PRACTICES.items():
        inst = institutions[slug]
        authors = _authors(inst, start - timedelta(days=10))
        with institution_scope(inst.id):
            contest = services.contest(contest_id)
            entry = services.submit_entry(contest, {"nomination_id": contest.nominations[0].id, "title": title,
                                                    "description": description}, authors, None, today=start)
            ids.append(entry.id)
    return ids


def _judge(municipality, row_id: int, entry_ids: list[int], complete: bool) -> None:
    with across_institutions(municipality_ids={municipality.id}, reason="demo data: contests"):
        row = services.contest(row_id)
        entries = [db.session.get(Entry, i) for i in entry_ids]
        for e in entries:
            services.decide_entry(e, True, "")
        services.start_judging(row)
        for n, juror in enumerate(row.jurors):
            for k, e in enumerate(entries):
                if juror.institution_id is not None and juror.institution_id == e.institution_id:
                    continue
                a = services.assign(row, juror, e)
                if complete or (n + k) % 2 == 0:
                    services.score(row, a, juror.user_id,
                                   {str(c.id): str(min(c.max_score, 6 + (n + 2 * k) % 5)) for c in row.criteria}, {})
        if complete:
            services.compute_results(row)


def load(municipality, institutions) -> None:
    jurors = [(find_user_by_email(email), role, where) for email, role, where in JURY]
    if any(u is None for u, _, _ in jurors) or not all(slug in institutions for slug in PRACTICES):
        return
    with across_institutions(municipality_ids={municipality.id}, reason="demo data: contests"):
        if db.session.execute(db.select(Contest.id).limit(1)).first() is not None:
            return
        today = date.today()
        last_year = date(today.year - 1, 3, 1)
        published = _contest(municipality, institutions, f"{TITLE} — {last_year.year}", last_year, jurors)
        judging = _contest(municipality, institutions, f"{TITLE} — {today.year}: педагоги ДОУ", today - timedelta(days=40),
                           jurors)
        open_ = _contest(municipality, institutions, f"{TITLE} — {today.year}: школы", today - timedelta(days=5), jurors)
        _contest(municipality, institutions, f"{TITLE} — {today.year + 1}", today + timedelta(days=60), jurors)
        for row in (published, judging, open_):
            services.open_entries(row)
        published_id, judging_id, open_id = published.id, judging.id, open_.id
    _judge(municipality, published_id, _enter(published_id, institutions, last_year), complete=True)
    _judge(municipality, judging_id, _enter(judging_id, institutions, today - timedelta(days=40)), complete=False)
    with institution_scope(institutions["sosh1"].id):
        contest = services.contest(open_id)
        services.submit_entry(contest, {"nomination_id": contest.nominations[1].id,
                                        "title": "Школа молодого учителя: наставничество руководителя",
                                        "description": "Встречи директора с молодыми учителями раз в месяц."},
                              _authors(institutions["sosh1"], today - timedelta(days=30)), None, today=today)
