"""Survey rules: the default questionnaires, campaigns and the automatic survey when a program ends, answering
(named or anonymous), results and the satisfaction figure for the indicators."""
from __future__ import annotations

import copy
from collections import Counter
from datetime import date

from flask import has_request_context, url_for

from portal import evidence
from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date, tenths
from portal.periods import quarter_bounds, quarter_of
from portal.mentoring.groups import LIVE
from portal.mentoring.models import GroupMember, MentoringGroup, MentorProfile
from portal.mentoring.states import MemberRole
from portal.staff.models import Staff
from portal.staff.services import staff_of
from portal.surveys.models import (AUDIENCES, SurveyCampaign, SurveyInvitation, SurveyResponse, SurveyTally,
                                   SurveyTemplate)
from tenants.queries import get_or_404

_USEFUL = ["Консультации", "Взаимопосещение занятий", "Мастер-классы", "Совместная подготовка документов",
           "Обратная связь наставника"]
DEFAULT_TEMPLATES = {
    "mentee": ("Анкета наставляемого по итогам программы наставничества", [
        {"id": "q1", "kind": "scale10", "satisfaction": True,
         "text": "Насколько вы удовлетворены участием в программе наставничества?"},
        {"id": "q2", "kind": "scale10", "text": "Насколько программа помогла преодолеть ваши профессиональные затруднения?"},
        {"id": "q3", "kind": "yesno", "text": "Встречи с наставником проходили регулярно?"},
        {"id": "q4", "kind": "single", "text": "Какой формат встреч был для вас удобнее?",
         "options": ["Очно", "Дистанционно", "Смешанно"]},
        {"id": "q5", "kind": "multi", "text": "Что было наиболее полезным?", "options": _USEFUL},
        {"id": "q6", "kind": "text", "text": "Ваши пожелания к организации наставничества"},
    ]),
    "mentor": ("Анкета наставника по итогам программы наставничества", [
        {"id": "q1", "kind": "scale10", "satisfaction": True,
         "text": "Насколько вы удовлетворены участием в программе наставничества?"},
        {"id": "q2", "kind": "scale10", "text": "Насколько, по вашей оценке, вырос профессиональный уровень наставляемого?"},
        {"id": "q3", "kind": "yesno", "text": "Было ли у вас достаточно времени на наставническую деятельность?"},
        {"id": "q4", "kind": "single", "text": "Хотели бы вы продолжить быть наставником?",
         "options": ["Да", "Нет", "Затрудняюсь ответить"]},
        {"id": "q5", "kind": "multi", "text": "Какая поддержка нужна вам как наставнику?",
         "options": ["Обучение", "Методические материалы", "Время в расписании", "Моральное и материальное поощрение"]},
        {"id": "q6", "kind": "text", "text": "Ваши предложения"},
    ]),
}


def templates(municipality_id: int) -> list[SurveyTemplate]:
    rows = list(db.session.execute(db.select(SurveyTemplate).order_by(SurveyTemplate.id)).scalars())
    if not any(t.builtin for t in rows):
        for audience, (title, questions) in DEFAULT_TEMPLATES.items():
            row = SurveyTemplate(municipality_id=municipality_id, title=title, audience=audience, questions=questions,
                                 builtin=True)
            db.session.add(row)
            rows.append(row)
        db.session.commit()
    return rows


# --- campaigns ------------------------------------------------------------------------------------------------------

def campaign(campaign_id: int) -> SurveyCampaign:
    return get_or_404(SurveyCampaign, campaign_id, "Анкетирование не найдено.")


def campaigns() -> list[SurveyCampaign]:
    return list(db.session.execute(db.select(SurveyCampaign).order_by(SurveyCampaign.id.desc())).scalars())


def _participants(audience: str) -> list:
    """Current mentors (in pairs or in the bank) or current mentees of the institutions in scope."""
    role = MemberRole.MENTOR if audience == "mentor" else MemberRole.MENTEE
    ids = set(db.session.execute(db.select(GroupMember.staff_id).join(MentoringGroup, MentoringGroup.id == GroupMember.group_id)
                                 .where(GroupMember.role == role, GroupMember.left_at.is_(None),
                                        MentoringGroup.state.in_(LIVE))).scalars())
    if audience == "mentor":
        ids |= set(db.session.execute(db.select(MentorProfile.staff_id).where(MentorProfile.active.is_(True))).scalars())
    return list(db.session.execute(db.select(Staff).where(Staff.id.in_(ids), Staff.archived_at.is_(None))).scalars())


def create_campaign(municipality_id: int, data: dict, user_id: int) -> tuple[SurveyCampaign, int]:
    errors = {}
    template = db.session.get(SurveyTemplate, int(data["template_id"])) if str(data.get("template_id") or "").isdigit() else None
    if template is None:
        errors["template_id"] = "Выберите анкету."
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите название анкетирования."
    opens, closes = parse_ru_date(data.get("opens_on") or ""), parse_ru_date(data.get("closes_on") or "")
    if opens is None:
        errors["opens_on"] = "Дата начала в формате дд.мм.гггг."
    if closes is None:
        errors["closes_on"] = "Дата окончания в формате дд.мм.гггг."
    elif opens and closes < opens:
        errors["closes_on"] = "Окончание не раньше начала."
    if errors:
        raise Invalid(fields=errors)
    row = SurveyCampaign(municipality_id=municipality_id, template_id=template.id, title=title[:300],
                         audience=template.audience, anonymous=data.get("anonymous") in ("1", "on", True),
                         opens_on=opens, closes_on=closes, created_by_id=user_id)
    db.session.add(row)
    db.session.flush()
    people = _participants(template.audience)
    for staff in people:
        db.session.add(SurveyInvitation(institution_id=staff.institution_id, campaign_id=row.id, staff_id=staff.id))
    db.session.commit()
    return row, len(people)


def _program_campaign(municipality_id: int, audience: str) -> SurveyCampaign:
    row = db.session.execute(db.select(SurveyCampaign).where(
        SurveyCampaign.origin == "program", SurveyCampaign.audience == audience)).scalars().first()
    if row is None:
        template = next(t for t in templates(municipality_id) if t.builtin and t.audience == audience)
        row = SurveyCampaign(municipality_id=municipality_id, template_id=template.id, audience=audience,
                             title=f"По итогам программы наставничества ({AUDIENCES[audience].lower()})",
                             anonymous=True, origin="program", opens_on=date(2000, 1, 1))
        db.session.add(row)
        db.session.flush()
    return row


def invite_for_program(program, municipality_id: int) -> list[SurveyInvitation]:
    """When a program ends, its mentee and mentors are asked (seed roadmap item 18). Idempotent."""
    made = []
    people = [("mentee", program.mentee_staff_id)] + [("mentor", m.staff_id) for m in program.group.mentors
                                                          if m.staff_id is not None]
    for audience, staff_id in people:
        camp = _program_campaign(municipality_id, audience)
        exists = db.session.execute(db.select(SurveyInvitation.id).where(
            SurveyInvitation.campaign_id == camp.id, SurveyInvitation.staff_id == staff_id,
            SurveyInvitation.program_id == program.id)).first()
        if exists is None:
            invitation = SurveyInvitation(campaign_id=camp.id, staff_id=staff_id, program_id=program.id)
            db.session.add(invitation)
            made.append(invitation)
    db.session.flush()
    return made


def my_invitations(user) -> list[SurveyInvitation]:
    me = staff_of(user)
    if me is None:
        return []
    today = date.today()
    rows = db.session.execute(db.select(SurveyInvitation).where(
        SurveyInvitation.staff_id == me.id, SurveyInvitation.answered.is_(False))).scalars()
    return [i for i in rows if i.campaign.is_open(today)]


def invitation_for(user, invitation_id: int) -> SurveyInvitation:
    me = staff_of(user)  # one's own questionnaire only: another person's is not found
    return get_or_404(SurveyInvitation, invitation_id, "Анкета не найдена.", staff_id=me.id if me else None)


# --- answering --------------------------------------------------------------------------------------------------------

def clean_answers(questions: list, form) -> dict:
    """form: a MultiDict of q-ids. Every question but free text must be answered, within its range or options."""
    answers, errors = {}, {}
    for q in questions:
        qid, kind = q["id"], q["kind"]
        if kind == "multi":
            values = [v for v in form.getlist(qid) if v in q.get("options", [])]
            if not values:
                errors[qid] = "Отметьте хотя бы один вариант."
            answers[qid] = values
            continue
        value = (form.get(qid) or "").strip()
        if kind == "scale10":
            if not value.isdigit() or not 1 <= int(value) <= 10:
                errors[qid] = "Оценка от 1 до 10."
            else:
                answers[qid] = int(value)
        elif kind == "yesno":
            if value not in ("yes", "no"):
                errors[qid] = "Ответьте «да» или «нет»."
            answers[qid] = value
        elif kind == "single":
            if value not in q.get("options", []):
                errors[qid] = "Выберите вариант."
            answers[qid] = value
        else:
            answers[qid] = value[:2000]
    if errors:
        raise Invalid(None, "Ответьте на все вопросы.", fields=errors)
    return answers


def answer(invitation: SurveyInvitation, form, today: date | None = None) -> None:
    today = today or date.today()
    camp = invitation.campaign
    if invitation.answered:
        raise Invalid("state", "Вы уже ответили на эту анкету.")
    if not camp.is_open(today):
        raise Forbidden("Анкетирование закрыто.")
    answers = clean_answers(camp.template.questions, form)
    invitation.answered = True
    if not camp.anonymous:
        db.session.add(SurveyResponse(campaign_id=camp.id, staff_id=invitation.staff_id, answers=answers,
                                      submitted_on=today))
    else:
        _add_to_tally(camp, answers, quarter_of(today))
    db.session.commit()
    if invitation.program_id is not None:
        _attach_program_results(invitation, today)


def _attach_program_results(invitation: SurveyInvitation, today: date) -> None:
    """Roadmap item 18: once everyone of a program has answered, the results answer the program's task. Only the
    count is written there, never an answer."""
    rows = list(db.session.execute(db.select(SurveyInvitation).where(
        SurveyInvitation.program_id == invitation.program_id)).scalars())
    if not rows or not all(r.answered for r in rows):
        return
    link = ""
    if has_request_context():
        link = url_for("surveys.results_inst", campaign_id=invitation.campaign_id)
    evidence.record(invitation.institution_id, "survey_results", invitation.program_id, today,
                    f"Анкетирование по итогам программы № {invitation.program_id}: ответили {len(rows)} из {len(rows)}",
                    link)
    db.session.commit()


def _add_to_tally(camp: SurveyCampaign, answers: dict, quarter: str) -> None:
    tally = db.session.execute(db.select(SurveyTally).where(SurveyTally.campaign_id == camp.id)
                               .with_for_update()).scalar_one_or_none()
    if tally is None:
        tally = SurveyTally(campaign_id=camp.id, respondents=0, tallies={})
        db.session.add(tally)
    data = copy.deepcopy(tally.tallies or {})  # a deep copy: the JSON column only sees a change of the whole value
    bucket = data.setdefault(quarter, {"respondents": 0})
    bucket["respondents"] += 1
    for q in camp.template.questions:
        value = answers.get(q["id"])
        slot = bucket.setdefault(q["id"], {})
        if q["kind"] == "text":
            if value:
                slot.setdefault("texts", []).append(value)
        else:
            for v in (value if isinstance(value, list) else [value]):
                slot[str(v)] = slot.get(str(v), 0) + 1
    tally.respondents += 1
    tally.tallies = data  # a new object, so the JSON column is written


# --- results ---------------------------------------------------------------------------------------------------------

def _counts(camp: SurveyCampaign, quarters: set[str] | None = None) -> tuple[int, dict[str, Counter], dict[str, list]]:
    """Counts of every answer over the institutions in scope: from the tallies (anonymous) or the responses."""
    respondents, counts, texts = 0, {}, {}
    for q in camp.template.questions:
        counts[q["id"]], texts[q["id"]] = Counter(), []
    if camp.anonymous:
        for tally in db.session.execute(db.select(SurveyTally).where(SurveyTally.campaign_id == camp.id)).scalars():
            for quarter, bucket in (tally.tallies or {}).items():
                if quarters is not None and quarter not in quarters:
                    continue
                respondents += bucket.get("respondents", 0)
                for qid in counts:
                    slot = bucket.get(qid, {})
                    texts[qid] += slot.get("texts", [])
                    counts[qid].update({k: v for k, v in slot.items() if k != "texts"})
    else:
        for r in db.session.execute(db.select(SurveyResponse).where(SurveyResponse.campaign_id == camp.id)).scalars():
            if quarters is not None and quarter_of(r.submitted_on) not in quarters:
                continue
            respondents += 1
            for q in camp.template.questions:
                value = r.answers.get(q["id"])
                if q["kind"] == "text":
                    if value:
                        texts[q["id"]].append(value)
                else:
                    counts[q["id"]].update(str(v) for v in (value if isinstance(value, list) else [value]))
    return respondents, counts, texts


def results(camp: SurveyCampaign) -> dict:
    respondents, counts, texts = _counts(camp)
    invited = db.session.execute(db.select(db.func.count(SurveyInvitation.id)).where(
        SurveyInvitation.campaign_id == camp.id)).scalar_one()
    answered = db.session.execute(db.select(db.func.count(SurveyInvitation.id)).where(
        SurveyInvitation.campaign_id == camp.id, SurveyInvitation.answered.is_(True))).scalar_one()
    out = []
    for q in camp.template.questions:
        c = counts[q["id"]]
        item = {"question": q, "counts": dict(c), "texts": sorted(texts[q["id"]])}  # sorted: no order of arrival
        if q["kind"] == "scale10":
            total = sum(c.values())
            item["mean"] = round(sum(int(k) * v for k, v in c.items()) / total, 1) if total else None
        out.append(item)
    return {"respondents": respondents, "invited": invited, "answered": answered, "questions": out}


def satisfaction_by_institution(quarters: list[str]) -> dict[int, float]:
    """Mean of the satisfaction questions answered in these consecutive quarters, per institution in scope (1–10):
    one query for the campaigns, one for their anonymous tallies, one for the named responses of those dates.
    An institution with no answer is absent."""
    # Plain rows, and of each tally only the buckets of the wanted quarters (a tally keeps every quarter the
    # campaign ran): this runs once per aggregation chunk.
    camps = db.session.execute(db.select(SurveyCampaign.id, SurveyCampaign.anonymous, SurveyTemplate.questions)
                               .join(SurveyTemplate, SurveyTemplate.id == SurveyCampaign.template_id)).all()
    asked = {c.id: [q["id"] for q in c.questions if q.get("satisfaction")] for c in camps}
    asked = {cid: qids for cid, qids in asked.items() if qids}
    sums: dict[int, list[int]] = {}

    def add(institution_id: int, counts: dict) -> None:
        acc = sums.setdefault(institution_id, [0, 0])
        for k, v in counts.items():
            acc[0], acc[1] = acc[0] + int(k) * v, acc[1] + v

    anonymous = [c.id for c in camps if c.anonymous and c.id in asked]
    named = [c.id for c in camps if not c.anonymous and c.id in asked]
    if anonymous:
        for institution_id, campaign_id, *buckets in db.session.execute(db.select(
                SurveyTally.institution_id, SurveyTally.campaign_id, *(SurveyTally.tallies[q] for q in quarters))
                .where(SurveyTally.campaign_id.in_(anonymous))):
            for bucket in buckets:
                for qid in asked[campaign_id] if bucket else ():
                    add(institution_id, {k: v for k, v in bucket.get(qid, {}).items() if k != "texts"})
    if named:
        first, last = quarter_bounds(quarters[0])[0], quarter_bounds(quarters[-1])[1]
        qids = sorted({qid for cid in named for qid in asked[cid]})   # of each response only these answers
        for institution_id, campaign_id, *values in db.session.execute(db.select(
                SurveyResponse.institution_id, SurveyResponse.campaign_id, *(SurveyResponse.answers[q] for q in qids))
                .where(SurveyResponse.campaign_id.in_(named), SurveyResponse.submitted_on.between(first, last))):
            answers = dict(zip(qids, values))
            for qid in asked[campaign_id]:
                value = answers[qid]
                add(institution_id, Counter(str(v) for v in (value if isinstance(value, list) else [value])))
    return {i: tenths(total, weight) for i, (total, weight) in sums.items() if weight}


KIND_WORDS = {"шкала": "scale10", "да/нет": "yesno", "один": "single", "несколько": "multi", "текст": "text"}


def parse_questions(text: str) -> list[dict]:
    """One question per line: «шкала: …», «да/нет: …», «один: … | вариант; вариант», «несколько: … | …»,
    «текст: …». The first scale question measures satisfaction (it feeds the indicators)."""
    questions, errors = [], []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        word, sep, rest = line.partition(":")
        kind = KIND_WORDS.get(word.strip().lower())
        body, _, options = rest.partition("|")
        opts = [o.strip() for o in options.split(";") if o.strip()]
        if not sep or kind is None:
            errors.append(f"строка {n}: начните с «шкала:», «да/нет:», «один:», «несколько:» или «текст:»")
        elif not body.strip():
            errors.append(f"строка {n}: нет текста вопроса")
        elif kind in ("single", "multi") and len(opts) < 2:
            errors.append(f"строка {n}: после «|» нужны хотя бы два варианта через «;»")
        else:
            q = {"id": f"q{len(questions) + 1}", "kind": kind, "text": body.strip()[:500]}
            if opts and kind in ("single", "multi"):
                q["options"] = opts[:20]
            if kind == "scale10" and not any(x.get("satisfaction") for x in questions):
                q["satisfaction"] = True
            questions.append(q)
    if errors or not questions:
        raise Invalid("questions", "; ".join(errors) or "Впишите хотя бы один вопрос.")
    return questions


def add_template(municipality_id: int, title: str, audience: str, text: str) -> SurveyTemplate:
    errors = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = "Укажите название анкеты."
    if audience not in AUDIENCES:
        errors["audience"] = "Выберите, кому анкета."
    try:
        questions = parse_questions(text)
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid(fields=errors)
    row = SurveyTemplate(municipality_id=municipality_id, title=title[:300], audience=audience, questions=questions)
    db.session.add(row)
    db.session.commit()
    return row
