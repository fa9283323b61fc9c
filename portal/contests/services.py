"""Rules of the contest «Лучшие практики наставничества»: setup, entries before the deadline with the authors'
consent to publication, admission, assignment of jurors (never to their own institution's entries), scores in the
criterion's range and blind to other jurors, results with the stated tie rule, frozen once published."""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from portal import clock
from portal import evidence
from portal.accounts.models import RoleBinding, User
from portal.consent.services import publishable_fields
from portal.errors import Forbidden, Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date, typed_words
from portal.name_search import starts_a_word
from portal.contests.models import (TIE_RULE, Assignment, Contest, ContestState, Criterion, Entry, EntryState, Juror,
                                    Nomination, Result, Score)
from portal.mentoring.models import MentoringGroup
from portal.staff.models import Staff
from tenants.access import JURORS
from tenants.models import Institution
from tenants.queries import get_or_404, one_or_404

DEFAULT_CRITERIA = ["Результативность", "Эффективность", "Уникальность", "Возможность тиражирования",
                    "Возможность масштабирования"]


def contest(contest_id: int) -> Contest:
    return get_or_404(Contest, contest_id, "Конкурс не найден.")


def contests() -> list[Contest]:
    return list(db.session.execute(db.select(Contest).order_by(Contest.year.desc(), Contest.id.desc())).scalars())


def _lines(text: str) -> list[tuple[str, str]]:
    out = []
    for line in (text or "").splitlines():
        title, _, extra = line.partition("|")
        if title.strip():
            out.append((" ".join(title.split()), extra.strip()))
    return out


def create_contest(municipality_id: int, data: dict) -> Contest:
    errors = {}
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите название конкурса."
    dates = {k: parse_ru_date(data.get(k) or "") for k in ("entries_from", "entries_until", "judging_until", "results_on")}
    for key, value in dates.items():
        if value is None:
            errors[key] = "Дата в формате дд.мм.гггг."
    if not errors and not (dates["entries_from"] <= dates["entries_until"] <= dates["judging_until"] <= dates["results_on"]):
        errors["results_on"] = "Этапы идут по порядку: приём заявок, экспертиза, подведение итогов."
    nominations = []
    for name, extra in _lines(data.get("nominations", "")):
        if extra and not extra.isdigit():
            errors["nominations"] = f"«{name}»: после «|» — минимальное число заявок, например «| 3»."
        nominations.append((name, int(extra) if extra.isdigit() else 3))
    if not nominations:
        errors["nominations"] = "Впишите номинации, по одной в строке."
    criteria = []
    for name, extra in _lines(data.get("criteria") or "\n".join(DEFAULT_CRITERIA)):
        high = int(extra) if extra.isdigit() else 10
        if extra and (not extra.isdigit() or not 2 <= high <= 100):
            errors["criteria"] = f"«{name}»: после «|» — наибольший балл от 2 до 100."
        criteria.append((name, high))
    if errors:
        raise Invalid(fields=errors)
    row = Contest(municipality_id=municipality_id, title=title[:300], year=dates["results_on"].year,
                  rules=(data.get("rules") or "").strip(), **dates)
    row.nominations = [Nomination(municipality_id=municipality_id, title=n[:300], min_entries=m) for n, m in nominations]
    row.criteria = [Criterion(municipality_id=municipality_id, position=i, title=c[:300], max_score=h)
                    for i, (c, h) in enumerate(criteria, start=1)]
    db.session.add(row)
    db.session.commit()
    return row


def the_one_chosen(user_ids: list[int]) -> int:
    """The juror picker sends the ticked people; a juror is added one at a time."""
    if len(user_ids) != 1:
        raise Invalid("user_id", "Выберите эксперта: начните вводить фамилию и отметьте подсказку."
                      if not user_ids else "В жюри добавляют по одному эксперту.")
    return user_ids[0]


def add_juror(row: Contest, user_id: int, role: str, institution_id: int | None) -> Juror:
    """Only an expert of the contest's city sits on its jury."""
    if db.session.execute(_experts(row.municipality_id).where(User.id == user_id)).scalar() is None:
        raise Invalid("user_id", "В жюри включают только экспертов города. Эксперта заводит администратор портала.")
    place = db.session.get(Institution, institution_id) if institution_id is not None else None
    if institution_id is not None and (place is None or place.municipality_id != row.municipality_id):
        raise Invalid("institution_id", "Выберите место работы из организаций города.")
    if role not in ("chair", "secretary", "member"):
        raise Invalid("role", "Выберите роль в жюри.")
    if any(j.user_id == user_id for j in row.jurors):
        raise Invalid("user_id", "Этот человек уже в жюри.")
    if role in ("chair", "secretary") and any(j.role == role for j in row.jurors):
        raise Invalid("role", "Председатель и секретарь — по одному.")
    juror = Juror(municipality_id=row.municipality_id, user_id=user_id, role=role, institution_id=institution_id)
    row.jurors.append(juror)
    db.session.commit()
    return juror


def open_entries(row: Contest) -> None:
    if row.state is not ContestState.DRAFT:
        raise Invalid("state", "Открыть приём можно только у черновика.")
    roles = {j.role for j in row.jurors}
    if not {"chair", "secretary"} <= roles:
        missing = " и ".join(w for r, w in (("chair", "председателя"), ("secretary", "секретаря")) if r not in roles)
        raise Invalid("state", f"Приём заявок не открыт: в жюри нет {missing}. Добавьте их в блоке «Жюри и ход "
                      "экспертизы»: выберите эксперта, роль «Председатель» или «Секретарь» и нажмите «Добавить в жюри». "
                      "Если нужного человека нет в списке, выдайте ему роль «Эксперт» в разделе «Пользователи и роли».")
    row.state = ContestState.OPEN
    db.session.commit()


def start_judging(row: Contest) -> None:
    if row.state is not ContestState.OPEN:
        raise Invalid("state", "Экспертиза начинается после приёма заявок.")
    row.state = ContestState.JUDGING
    db.session.commit()


# --- entries (inside the institution's scope) -------------------------------------------------------------------

def submit_entry(row: Contest, data: dict, author_ids: list, user_id: int, today: date | None = None) -> Entry:
    today = today or date.today()
    if row.state is not ContestState.OPEN or not row.entries_from <= today <= row.entries_until:
        raise Invalid("state", f"Приём заявок открыт с {row.entries_from:%d.%m.%Y} по {row.entries_until:%d.%m.%Y}.")
    errors = {}
    nomination = next((n for n in row.nominations if str(n.id) == str(data.get("nomination_id"))), None)
    if nomination is None:
        errors["nomination_id"] = "Выберите номинацию."
    title, description = " ".join((data.get("title") or "").split()), (data.get("description") or "").strip()
    if not title:
        errors["title"] = "Укажите название практики."
    if not description:
        errors["description"] = "Опишите практику."
    ids = sorted({int(i) for i in author_ids if str(i).isdigit()})
    authors = list(db.session.execute(db.select(Staff).where(Staff.id.in_(ids))).scalars()) if ids else []
    if not authors or len(authors) != len(ids):
        errors["author_ids"] = "Выберите авторов практики (наставник и наставляемый или команда)."
    else:
        allowed = publishable_fields(ids, today)
        missing = [s.short_name for s in authors if "full_name" not in allowed[s.id]]
        if missing:
            errors["author_ids"] = ("Нет согласия на публикацию имени: " + ", ".join(missing) +
                                    ". Запишите согласие в карточке сотрудника.")
    if errors:
        raise Invalid(fields=errors)
    entry = Entry(contest_id=row.id, nomination_id=nomination.id, title=title[:500], description=description[:20000],
                  results=(data.get("results") or "").strip()[:20000], author_ids=ids, submitted_at=clock.now(),
                  submitted_by_id=user_id, group_id=_own_group(data.get("group_id")))
    db.session.add(entry)
    db.session.commit()
    return entry


def _own_group(value) -> int | None:
    """The pair the practice comes from, if it is one of this institution's (the scope decides)."""
    if not str(value or "").isdigit():
        return None
    group = db.session.get(MentoringGroup, int(value))
    if group is None:
        raise Invalid("group_id", "Выберите пару (группу) из списка.")
    return group.id


def entries(row: Contest) -> list[Entry]:
    return list(db.session.execute(db.select(Entry).where(Entry.contest_id == row.id).order_by(Entry.id)).scalars())


def decide_entry(entry: Entry, admit: bool, reason: str) -> None:
    if entry.state is not EntryState.SUBMITTED:
        raise Invalid("state", "Решение по заявке уже принято.")
    if not admit and not (reason or "").strip():
        raise Invalid("reject_reason", "Укажите причину отклонения.")
    entry.state = EntryState.ADMITTED if admit else EntryState.REJECTED
    entry.reject_reason = "" if admit else reason.strip()[:2000]
    db.session.commit()


def assign(row: Contest, juror: Juror, entry: Entry) -> Assignment:
    if entry.contest_id != row.id or juror.contest_id != row.id:
        raise NotFound()
    if entry.state is not EntryState.ADMITTED:
        raise Invalid("entry_id", "Оценивают только допущенные заявки.")
    if juror.institution_id is not None and juror.institution_id == entry.institution_id:
        raise Invalid("juror_id", "Член жюри не оценивает заявки своей организации.")
    existing = db.session.execute(db.select(Assignment).where(Assignment.juror_id == juror.id,
                                                              Assignment.entry_id == entry.id)).scalar_one_or_none()
    if existing:
        return existing
    a = Assignment(municipality_id=row.municipality_id, juror_id=juror.id, entry_id=entry.id)
    db.session.add(a)
    db.session.commit()
    return a


# --- judging ----------------------------------------------------------------------------------------------------

EXPERT_SUGGESTIONS = 8


def _experts(municipality_id: int):
    """The city's experts: the people a coordinator may put on a jury."""
    return db.select(User).where(User.active.is_(True), User.id.in_(
        db.select(RoleBinding.user_id).where(RoleBinding.municipality_id == municipality_id,
                                             RoleBinding.role.in_(JURORS))))


def experts_matching(municipality_id: int, text: str, exclude: set[int] | None = None) -> list[User]:
    """The juror picker's suggestions: the city's experts having a word of the name that starts with each typed
    word («ив ан» finds «Иванова Анна»), a few at a time."""
    words = typed_words(text)
    if not words:
        return []
    stmt = _experts(municipality_id)
    for w in words:
        stmt = stmt.where(starts_a_word(w, User.full_name, inside=True))
    if exclude:
        stmt = stmt.where(User.id.notin_(exclude))
    return list(db.session.execute(stmt.order_by(User.full_name, User.id).limit(EXPERT_SUGGESTIONS)).scalars())


def juror_of(row: Contest, user_id: int) -> Juror:
    return one_or_404(Juror, "Вы не в жюри этого конкурса.", contest_id=row.id, user_id=user_id)


def my_assignments(juror: Juror) -> list[Assignment]:
    return list(db.session.execute(db.select(Assignment).where(Assignment.juror_id == juror.id)
                                   .order_by(Assignment.id)).scalars())


def scores_of(assignment: Assignment) -> dict[int, Score]:
    return {s.criterion_id: s for s in db.session.execute(db.select(Score).where(
        Score.assignment_id == assignment.id)).scalars()}


def score(row: Contest, assignment: Assignment, user_id: int, values: dict, comments: dict) -> None:
    """All criteria at once, each within its range; only the assigned juror, only while judging."""
    if row.state is not ContestState.JUDGING:
        raise Invalid("state", "Оценки принимаются только во время экспертизы.")
    if assignment.juror.user_id != user_id:
        raise Forbidden("Оценивает только назначенный член жюри.")
    if assignment.juror.institution_id is not None and assignment.juror.institution_id == assignment.entry.institution_id:
        raise Invalid("state", "Член жюри не оценивает заявки своей организации.")
    errors, clean = {}, {}
    for c in row.criteria:
        raw = str(values.get(str(c.id), "")).strip()
        if not raw.lstrip("-").isdigit() or not c.min_score <= int(raw) <= c.max_score:
            errors[f"c{c.id}"] = f"«{c.title}»: балл от {c.min_score} до {c.max_score}."
        else:
            clean[c.id] = int(raw)
    if errors:
        raise Invalid(None, "Проверьте баллы.", fields=errors)
    have = scores_of(assignment)
    for c in row.criteria:
        s = have.get(c.id) or Score(municipality_id=row.municipality_id, assignment_id=assignment.id, criterion_id=c.id)
        s.score, s.comment = clean[c.id], (comments.get(str(c.id)) or "").strip()[:2000]
        db.session.add(s)
    db.session.commit()


def progress(row: Contest) -> list[tuple[Juror, int, int]]:
    """Per juror: assigned entries and fully scored ones (no scores are shown, only the count)."""
    out = []
    for j in row.jurors:
        assigned = my_assignments(j)
        done = sum(1 for a in assigned if len(scores_of(a)) == len(row.criteria))
        out.append((j, len(assigned), done))
    return out


# --- results -----------------------------------------------------------------------------------------------------

def compute_results(row: Contest, note: str = "") -> int:
    """Mean of the jurors' totals per entry, ranked per nomination with the tie rule; a new version each time."""
    if row.state not in (ContestState.JUDGING, ContestState.PUBLISHED):
        raise Invalid("state", "Итоги подводятся после экспертизы.")
    if row.state is ContestState.PUBLISHED and not (note or "").strip():
        raise Invalid("note", "Итоги опубликованы: исправление — новая версия с указанием причины.")
    version = row.results_version + 1
    now = clock.now()
    criteria = [c.id for c in row.criteria]
    admitted = [e for e in entries(row) if e.state is EntryState.ADMITTED]
    for nomination in row.nominations:
        group = [e for e in admitted if e.nomination_id == nomination.id]
        if len(group) < nomination.min_entries:
            for e in group:
                db.session.add(Result(municipality_id=row.municipality_id, contest_id=row.id, version=version,
                                      nomination_id=nomination.id, entry_id=e.id, mean_total=0, rank=0, held=False,
                                      place="Номинация не состоялась", published_at=now, note=note))
            continue
        scored = []
        for e in group:
            totals, per_criterion = [], defaultdict(list)
            for a in db.session.execute(db.select(Assignment).where(Assignment.entry_id == e.id)).scalars():
                s = scores_of(a)
                if len(s) == len(criteria):   # only complete score sheets count
                    totals.append(sum(x.score for x in s.values()))
                    for cid in criteria:
                        per_criterion[cid].append(s[cid].score)
            mean = sum(totals) / len(totals) if totals else 0.0
            key = (round(mean, 4),) + tuple(round(sum(per_criterion[c]) / len(per_criterion[c]), 4)
                                             if per_criterion[c] else 0 for c in criteria)
            scored.append((key, e, mean))
        scored.sort(key=lambda t: t[0], reverse=True)
        laureate_limit = math.ceil(len(scored) / 2)
        rank, previous = 0, None
        for position, (key, e, mean) in enumerate(scored, start=1):
            if key != previous:
                rank, previous = position, key
            place = ("Победитель" if rank == 1 else "Призёр" if rank <= 3 else
                     "Лауреат" if rank <= laureate_limit else "Участник")
            db.session.add(Result(municipality_id=row.municipality_id, contest_id=row.id, version=version,
                                  nomination_id=nomination.id, entry_id=e.id, mean_total=round(mean, 2), rank=rank,
                                  place=place, published_at=now, note=note))
    row.results_version, row.state = version, ContestState.PUBLISHED
    _answer_roadmap(row, admitted)
    db.session.commit()
    return version


def _answer_roadmap(row: Contest, admitted: list) -> None:
    """Roadmap item 26: the published results answer the department's task and those of the institutions that
    took part."""
    day = min(date.today(), date(row.year, 12, 31))   # a contest of 2024 answers the task of 2024
    title = f"Итоги конкурса «{row.title}»"
    evidence.record_city(row.municipality_id, "contest_results", row.id, day, title)
    for institution_id in sorted({e.institution_id for e in admitted}):
        evidence.record(institution_id, "contest_results", row.id, day, title)


def results(row: Contest, version: int | None = None) -> list[Result]:
    version = version or row.results_version
    return list(db.session.execute(db.select(Result).where(Result.contest_id == row.id, Result.version == version)
                                   .order_by(Result.nomination_id, Result.rank, Result.entry_id)).scalars())


__all__ = ["TIE_RULE"]


def jury_desk(user_id: int) -> list[dict]:
    """A juror's desk: each contest they judge, their role in its jury, and how many of the entries assigned to
    them they have scored on every criterion (the rest wait for them while the contest is judged)."""
    rows = []
    for row in contests():
        juror = next((j for j in row.jurors if j.user_id == user_id), None)
        if juror is None:
            continue
        assigned = my_assignments(juror)
        criteria = {c.id for c in row.criteria}
        scored = sum(1 for a in assigned if criteria and criteria <= set(scores_of(a)))
        rows.append({"contest": row, "juror": juror, "assigned": len(assigned), "scored": scored,
                     "waiting": row.state is ContestState.JUDGING and scored < len(assigned)})
    return rows
