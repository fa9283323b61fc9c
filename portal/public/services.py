"""What the public section shows — only what is published and, for people, only the fields they consented to
(152-ФЗ, ст. 10.1); results of a program only after it is completed (seed §8.2). Runs in the public scope."""
from __future__ import annotations


from portal import clock
from sqlalchemy.orm import selectinload

from portal.consent.services import publishable_fields
from portal.local_acts.services import published
from portal.contests.models import Contest, ContestState, Result
from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring.groups import LIVE
from portal.mentoring.models import GroupMember, MentoringGroup, MentorProfile, Order
from portal.mentoring.states import DEFAULT_DIFFICULTIES, MemberRole, ProgramState
from portal.programs.models import Program
from portal.public.models import NEWS_KINDS, BestPractice, NewsItem
from portal.roadmap.models import Roadmap
from portal.staff.models import Staff
from tenants.models import Institution, Municipality


def person(staff: Staff, allowed: set[str], as_of) -> dict | None:
    """The consented part of a person, or None when the name itself may not be shown."""
    if "full_name" not in allowed:
        return None
    out = {"name": staff.full_name}
    if "position" in allowed:
        out["position"] = staff.position_label
    if "category" in allowed:
        out["category"] = staff.category.label
    if "experience" in allowed:
        out["experience"] = staff.experience_words(as_of)
    return out


def institution_page(inst: Institution, today) -> dict:
    in_inst = lambda model: model.institution_id == inst.id  # noqa: E731  (the public scope spans the city)
    programs = list(db.session.execute(db.select(Program).where(in_inst(Program), Program.state.in_(
        [ProgramState.ACTIVE, ProgramState.COMPLETED])).options(
        selectinload(Program.group).joinedload(MentoringGroup.form), selectinload(Program.items))
        .order_by(Program.start_date.desc())).scalars())
    members = list(db.session.execute(db.select(GroupMember).join(MentoringGroup, MentoringGroup.id == GroupMember.group_id)
                                      .where(in_inst(GroupMember), MentoringGroup.state.in_(LIVE),
                                             GroupMember.left_at.is_(None))).scalars())
    bank = set(db.session.execute(db.select(MentorProfile.staff_id).where(in_inst(MentorProfile),
                                                                          MentorProfile.active.is_(True))).scalars())
    mentor_ids = {m.staff_id for m in members if m.role is MemberRole.MENTOR and m.staff_id is not None} | bank
    mentee_ids = {m.staff_id for m in members if m.role is MemberRole.MENTEE and m.staff_id is not None}
    people_ids = mentor_ids | mentee_ids | {p.mentee_staff_id for p in programs}
    allowed = publishable_fields(people_ids, today)
    staff = {s.id: s for s in db.session.execute(db.select(Staff).where(Staff.id.in_(people_ids))).scalars()}
    profiles = {p.staff_id: p for p in db.session.execute(db.select(MentorProfile).where(
        MentorProfile.staff_id.in_(mentor_ids))).scalars()}

    def mentor_card(sid):
        card = person(staff[sid], allowed[sid], today)
        if card is not None and "competencies" in allowed[sid] and sid in profiles:
            card["competencies"] = [DEFAULT_DIFFICULTIES[c] for c in profiles[sid].competencies or []
                                    if c in DEFAULT_DIFFICULTIES]
        return card

    return {
        "in_progress": [{"title": p.title, "start": p.start_date, "end": p.end_date,
                         "form": p.group.form.name if p.group.form else ""}
                        for p in programs if p.state is ProgramState.ACTIVE],
        # §8.2: results only after completion, and what the mentee allowed to publish of them.
        "completed": [{"title": p.title, "end": p.completed_at or p.end_date,
                       "done": sum(1 for i in p.items if i.status.value == "done"), "total": len(p.items),
                       "results": p.expected_results if "program_results" in allowed.get(p.mentee_staff_id, set()) else ""}
                      for p in programs if p.state is ProgramState.COMPLETED],
        "mentors": [c for c in (mentor_card(s) for s in sorted(mentor_ids, key=lambda i: staff[i].full_name)) if c],
        "mentees": [c for c in (person(staff[s], allowed[s], today) for s in sorted(mentee_ids, key=lambda i: staff[i].full_name)) if c],
        "hidden_people": len([s for s in mentor_ids | mentee_ids if "full_name" not in allowed[s]]),
        "documents": list(db.session.execute(db.select(Order).where(in_inst(Order), Order.issued_at.is_not(None))
                                             .order_by(Order.issued_on.desc())).scalars()),
        "practices": list(db.session.execute(db.select(BestPractice).where(
            BestPractice.institution_id == inst.id, BestPractice.state == "approved")).scalars()),
        "news": news(inst.id),
        "acts": published(inst.id),
    }


def news(institution_id: int | None, limit: int = 20) -> list[NewsItem]:
    stmt = db.select(NewsItem).order_by(NewsItem.published_at.desc()).limit(limit)
    stmt = stmt.where(NewsItem.institution_id == institution_id) if institution_id else stmt.where(
        NewsItem.institution_id.is_(None))
    return list(db.session.execute(stmt).scalars())


def city_page(muni: Municipality) -> dict:
    contests = list(db.session.execute(db.select(Contest).where(Contest.state == ContestState.PUBLISHED)
                                       .order_by(Contest.year.desc())).scalars())
    results = []
    for c in contests[:3]:
        lines = db.session.execute(db.select(Result).where(Result.contest_id == c.id, Result.version == c.results_version,
                                                           Result.held.is_(True)).order_by(Result.nomination_id, Result.rank)).scalars()
        results.append((c, [r for r in lines if r.place in ("Победитель", "Призёр")]))

    roadmap = db.session.execute(db.select(Roadmap).order_by(Roadmap.last_year.desc(), Roadmap.id.desc())).scalars().first()
    return {"roadmap": roadmap, "institutions": list(db.session.execute(db.select(Institution).where(
        Institution.municipality_id == muni.id).order_by(Institution.short_name)).scalars()),
            "news": news(None), "contests": results,
            "practices": list(db.session.execute(db.select(BestPractice).where(BestPractice.state == "approved")
                                                 .order_by(BestPractice.id.desc()).limit(6)).scalars())}


def search_practices(q: str = "", form: str = "", kind: str = "", topic: str = "") -> list[BestPractice]:
    """Approved practices by words (case-insensitive in Russian too: compared in Python, since SQLite's lower()
    knows only ASCII), form of mentorship, institution kind and topic."""
    stmt = db.select(BestPractice).where(BestPractice.state == "approved").order_by(BestPractice.id.desc())
    if form:
        stmt = stmt.where(BestPractice.form_name == form)
    if kind:
        stmt = stmt.join(Institution, Institution.id == BestPractice.institution_id).where(Institution.kind == kind)
    rows = list(db.session.execute(stmt).scalars())
    words, topic = (q or "").casefold().split(), (topic or "").strip().casefold()
    return [p for p in rows
            if all(w in f"{p.title} {p.summary}".casefold() for w in words) and topic in (p.topic or "").casefold()]


# --- writing (not in the public scope) -------------------------------------------------------------------------

def add_news(data: dict, author_id: int, institution_id: int | None) -> NewsItem:
    errors = {}
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите заголовок."
    body = (data.get("body") or "").strip()
    if not body:
        errors["body"] = "Напишите текст."
    if (data.get("kind") or "news") not in NEWS_KINDS:
        errors["kind"] = "Выберите вид публикации."
    if errors:
        raise Invalid(fields=errors)
    row = NewsItem(title=title[:300], body=body[:20000], kind=data.get("kind") or "news", author_id=author_id,
                   institution_id=institution_id, published_at=clock.now())
    db.session.add(row)
    db.session.commit()
    return row


def propose_practice(program: Program, data: dict, institution_id: int) -> BestPractice:
    if program.state is not ProgramState.COMPLETED:
        raise Invalid("program_id", "Лучший кейс предлагают по завершённой программе.")
    errors = {}
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите название кейса."
    summary = (data.get("summary") or "").strip()
    if not summary:
        errors["summary"] = "Опишите кейс."
    if errors:
        raise Invalid(fields=errors)
    row = BestPractice(institution_id=institution_id, title=title[:500], summary=summary[:20000],
                       form_name=program.group.form.name if program.group.form else "",
                       topic=(data.get("topic") or "").strip()[:300], source="proposal", program_id=program.id)
    db.session.add(row)
    db.session.commit()
    return row


def bank_contest_winners(contest: Contest) -> int:
    """Winners and prize-winners of the published results enter the bank (once)."""
    lines = db.session.execute(db.select(Result).where(Result.contest_id == contest.id,
                                                       Result.version == contest.results_version,
                                                       Result.place.in_(["Победитель", "Призёр"]))).scalars()
    added = 0
    for r in lines:
        if db.session.execute(db.select(BestPractice.id).where(BestPractice.entry_id == r.entry_id)).first():
            continue
        form = r.entry.group.form.name if r.entry.group_id and r.entry.group and r.entry.group.form else ""
        db.session.add(BestPractice(institution_id=r.entry.institution_id, title=r.entry.title, summary=r.entry.description,
                                    topic=r.entry.nomination.title, form_name=form, source="contest",
                                    entry_id=r.entry_id, state="approved"))
        added += 1
    db.session.commit()
    return added
