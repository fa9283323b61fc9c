"""Pairs and groups: forming them (capacity, one active group per mentee), consent, the state machine."""
from __future__ import annotations

from datetime import date

from portal import clock
from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ids, parse_ru_date
from portal.mentoring import outsiders
from portal.mentoring.banks import close_need_for
from portal.mentoring.forms_rules import admits_outside, LONG
from portal.mentoring.models import GroupMember, GroupStateChange, MentoringForm, MentoringGroup, MentorProfile
from portal.mentoring.people import GroupForm
from portal.mentoring.states import GROUP_TRANSITIONS, GroupFormat, GroupState, MemberRole
from portal.staff.models import Staff
from portal.staff.services import staff_of
from portal.uploads.models import Attachment
from portal.uploads.services import get_attachment
from tenants.models import Institution
from portal.mentoring.years import group_list_load
from portal.years.services import check_open, year_of
from tenants.queries import find, get_or_404

LIVE = (GroupState.PROPOSED, GroupState.APPROVED, GroupState.ACTIVE)


# «2022-2023» for a day: the one definition lives with the academic year's lifecycle.
academic_year = year_of


def group(group_id: int) -> MentoringGroup:
    return get_or_404(MentoringGroup, group_id, "Пара (группа) не найдена.")


def groups(states=None) -> list[MentoringGroup]:
    stmt = db.select(MentoringGroup).options(*group_list_load()).order_by(
        MentoringGroup.academic_year.desc(), MentoringGroup.number, MentoringGroup.id)
    if states:
        stmt = stmt.where(MentoringGroup.state.in_(list(states)))
    return list(db.session.execute(stmt).scalars())


def capacity_of(staff_id: int, institution: Institution) -> int | None:
    """Mentees this mentor may have at a time: the mentor's own limit, else the institution's; None: no limit."""
    profile = db.session.execute(db.select(MentorProfile).where(MentorProfile.staff_id == staff_id)).scalar_one_or_none()
    return profile.capacity if profile and profile.capacity else institution.mentor_capacity


def free_places(staff_id: int, institution: Institution) -> int | None:
    limit = capacity_of(staff_id, institution)
    return None if limit is None else limit - current_mentee_count(staff_id)


LIMIT_WHERE = ("Лимит задаётся в «Настройки организации» → «Наставляемых на одного наставника» (пусто — без "
               "ограничения) или в карточке наставника в банке наставников.")


def over_limit(mentor: Staff | str, staff_id: int | None, adding: int, institution: Institution) -> str | None:
    """The warning when `adding` more mentees take a mentor over a limit the institution set; None within it.
    A mentor who is not in the registry yet (a list being imported) has only the institution's limit."""
    limit = capacity_of(staff_id, institution) if staff_id else institution.mentor_capacity
    if limit is None:
        return None
    have = current_mentee_count(staff_id) if staff_id else 0
    if have + adding <= limit:
        return None
    name = mentor if isinstance(mentor, str) else mentor.short_name
    return f"У наставника {name} будет наставляемых: {have + adding}, а лимит — {limit}. {LIMIT_WHERE}"


def confirm_limit(warnings: list[str], confirmed, field: str = "confirm_over_limit") -> None:
    """A limit the institution set is a warning the curator confirms, never a refusal."""
    if warnings and not confirmed:
        raise Invalid(field, " ".join(warnings) + " Подтвердите превышение лимита, чтобы продолжить.")


def current_mentee_count(mentor_staff_id: int, exclude_group_id: int | None = None) -> int:
    """Mentees in live groups where this person is a mentor."""
    mentor_groups = db.select(GroupMember.group_id).join(MentoringGroup, MentoringGroup.id == GroupMember.group_id).where(
        GroupMember.staff_id == mentor_staff_id, GroupMember.role == MemberRole.MENTOR, GroupMember.left_at.is_(None),
        MentoringGroup.state.in_(LIVE))
    if exclude_group_id:
        mentor_groups = mentor_groups.where(GroupMember.group_id != exclude_group_id)
    return db.session.execute(db.select(db.func.count(GroupMember.id)).where(
        GroupMember.group_id.in_(mentor_groups), GroupMember.role == MemberRole.MENTEE,
        GroupMember.left_at.is_(None))).scalar_one()


def live_group_of_mentee(staff_id: int | None = None, external_id: int | None = None) -> MentoringGroup | None:
    """The mentee's live pair of a long form (with a program): one at a time. Meetings-only forms (short-term,
    situational, speed) come on top of it."""
    who = GroupMember.staff_id == staff_id if staff_id is not None else GroupMember.external_id == external_id
    return db.session.execute(db.select(MentoringGroup).join(GroupMember, GroupMember.group_id == MentoringGroup.id)
                              .outerjoin(MentoringForm, MentoringForm.id == MentoringGroup.form_id)
                              .where(who, GroupMember.role == MemberRole.MENTEE,
                                     (MentoringForm.kind == "long") | MentoringForm.id.is_(None),
                                     GroupMember.left_at.is_(None), MentoringGroup.state.in_(LIVE))).scalars().first()


def _forms(data: dict, errors: dict) -> list[MentoringForm]:
    """The main form, then the ones combined with it (seed §2.3: forms «в комплексе»)."""
    main = find(MentoringForm, data.get("form_id"))
    if main is None or main.archived:
        errors["form_id"] = "Выберите форму наставничества."
        return []
    extra = []
    for fid in parse_ids(data.get("form_ids")):
        row = find(MentoringForm, fid)
        if row is None or row.archived:
            errors["form_ids"] = "Выберите формы из списка."
            return []
        if row.id != main.id and row not in extra:
            extra.append(row)
    return [main] + extra


def form_group(institution: Institution, data: dict, actor_id: int | None) -> MentoringGroup:  # noqa: C901 (predates the limit)
    """Propose a pair or group: the institution's staff, and where its forms admit them a partner's employee as
    mentor or a student as mentee. Every rule is checked before anything is written."""
    errors: dict[str, str] = {}
    mentor_ids, mentee_ids = parse_ids(data.get("mentor_ids")), parse_ids(data.get("mentee_ids"))
    staff = {s.id: s for s in db.session.execute(db.select(Staff).where(
        Staff.id.in_(mentor_ids + mentee_ids), Staff.archived_at.is_(None))).scalars()}
    forms = _forms(data, errors)
    outside_mentors = outsiders.pick(data.get("external_mentor_ids"), outsiders.PARTNER_EMPLOYEE, errors,
                                     "external_mentor_ids")
    outside_mentees = outsiders.pick(data.get("external_mentee_ids"), outsiders.STUDENT, errors, "external_mentee_ids")
    if forms and outside_mentors and not admits_outside(forms, "mentor"):
        errors["external_mentor_ids"] = ("Наставник из организации-партнёра — в форме «педагог вуза/колледжа – "
                                         "молодой педагог» или в иной форме, которая это допускает.")
    if forms and outside_mentees and not admits_outside(forms, "mentee"):
        errors["external_mentee_ids"] = ("Студент-наставляемый — в форме «работодатель – студент» или в иной форме, "
                                         "которая это допускает.")
    if any(i not in staff for i in mentor_ids) or not (mentor_ids or outside_mentors):
        errors["mentor_ids"] = "Выберите наставника (одного или нескольких)."
    if any(i not in staff for i in mentee_ids) or not (mentee_ids or outside_mentees):
        errors["mentee_ids"] = "Выберите наставляемого (одного или нескольких)."
    if set(mentor_ids) & set(mentee_ids):
        errors["mentee_ids"] = "Один человек не может быть наставником и наставляемым в одной паре."
    start = data.get("start_date") if isinstance(data.get("start_date"), date) else parse_ru_date(data.get("start_date") or "")
    end = data.get("end_date") if isinstance(data.get("end_date"), date) else parse_ru_date(data.get("end_date") or "")
    if start is None:
        errors["start_date"] = "Дата начала в формате дд.мм.гггг."
    if (data.get("end_date") and end is None) or (start and end and end < start):
        errors["end_date"] = "Дата окончания не раньше даты начала, в формате дд.мм.гггг."
    fmt = data.get("format") or GroupFormat.IN_PERSON.value
    if fmt not in GroupFormat._value2member_map_:
        errors["format"] = "Выберите формат: очно, дистанционно или смешанно."
    if not errors and any(f.kind == LONG for f in forms):
        for mentee_id in mentee_ids:
            existing = live_group_of_mentee(mentee_id)
            if existing is not None:
                errors["mentee_ids"] = f"{staff[mentee_id].short_name} уже в паре (группе) № {existing.id}."
        for person in outside_mentees:
            existing = live_group_of_mentee(external_id=person.id)
            if existing is not None:
                errors["external_mentee_ids"] = f"{person.short_name} уже в паре (группе) № {existing.id}."
    if not errors:
        if start is not None:
            try:
                check_open(year_of(start), "start_date")
            except Invalid as exc:
                errors.update(exc.fields)
    if errors:
        raise Invalid(fields=errors)
    adding = len(mentee_ids) + len(outside_mentees)
    confirm_limit([w for mid in mentor_ids if (w := over_limit(staff[mid], mid, adding, institution))],
                  data.get("confirm_over_limit"))
    group = MentoringGroup(form_id=forms[0].id, format=GroupFormat(fmt), start_date=start, end_date=end,
                           state=GroupState.PROPOSED, academic_year=academic_year(start))

    for extra in forms[1:]:
        group.form_links.append(GroupForm(form_id=extra.id))
    for role, ids in ((MemberRole.MENTOR, mentor_ids), (MemberRole.MENTEE, mentee_ids)):
        for sid in ids:
            group.members.append(GroupMember(staff_id=sid, role=role, joined_at=start))
    for role, people in ((MemberRole.MENTOR, outside_mentors), (MemberRole.MENTEE, outside_mentees)):
        for person in people:
            group.members.append(GroupMember(external_id=person.id, role=role, joined_at=start))
    db.session.add(group)
    db.session.flush()
    _log(group, "", GroupState.PROPOSED, "Пара (группа) сформирована", actor_id)

    for sid in mentee_ids:
        close_need_for(sid)
    db.session.commit()
    return group


def _log(group: MentoringGroup, old, new: GroupState, reason: str, actor_id: int | None) -> None:
    db.session.add(GroupStateChange(group_id=group.id, institution_id=group.institution_id,
                                    from_state=str(old or ""), to_state=new.value, reason=reason, actor_id=actor_id,
                                    at=clock.now()))


def change_state(group: MentoringGroup, new: GroupState, reason: str, actor_id: int | None,
                 commit: bool = True) -> None:
    if new not in GROUP_TRANSITIONS[group.state]:
        raise Invalid("state", f"Нельзя перевести пару из состояния «{group.state.label}» в «{new.label}».")
    if new in (GroupState.TERMINATED, GroupState.REPLACED) and not (reason or "").strip():
        raise Invalid("reason", "Укажите причину.")
    if new is GroupState.ACTIVE:
        missing = [m.staff.short_name for m in group.members if m.left_at is None and m.consent_date is None]
        if missing:
            raise Invalid("state", "Нет письменного согласия: " + ", ".join(missing) +
                          ". Отметьте дату согласия каждого участника (положение, п. 3.2).")
    old = group.state
    group.state = new
    if new in (GroupState.COMPLETED, GroupState.TERMINATED, GroupState.REPLACED) and group.end_date is None:
        group.end_date = date.today()
    _log(group, old, new, reason or "", actor_id)
    if commit:
        db.session.commit()


def record_consent(group: MentoringGroup, member_id: int, consent_date: str, attachment_id: int | None = None) -> None:
    member = get_or_404(GroupMember, member_id, "Участник не найден.", group_id=group.id)
    day = parse_ru_date(consent_date or "")
    if day is None or day > date.today():
        raise Invalid("consent_date", "Дата согласия в формате дд.мм.гггг, не позже сегодняшней.")
    member.consent_date = day
    if attachment_id:
        member.consent_attachment_id = attachment_id
    db.session.commit()


def record_consent_all(group: MentoringGroup, consent_date: str) -> int:
    """One date for every current member still without a consent (the curator collected them at one meeting);
    a consent already recorded keeps its own date. Returns how many were marked."""
    day = parse_ru_date(consent_date or "")
    if day is None or day > date.today():
        raise Invalid("consent_date", "Дата согласия в формате дд.мм.гггг, не позже сегодняшней.")
    todo = [m for m in group.members if m.left_at is None and m.consent_date is None]
    for m in todo:
        m.consent_date = day
    db.session.commit()
    return len(todo)


def consent_scan(group: MentoringGroup, member_id: int) -> Attachment:
    """The scan of a member's written consent (not found when none was attached)."""
    member = get_or_404(GroupMember, member_id, "Участник не найден.", group_id=group.id)
    if not member.consent_attachment_id:
        raise NotFound("Скан согласия не прикреплён.")
    return get_attachment(member.consent_attachment_id, "group_member", member.id)


def history(group: MentoringGroup) -> list[GroupStateChange]:
    return list(db.session.execute(db.select(GroupStateChange).where(GroupStateChange.group_id == group.id)
                                   .order_by(GroupStateChange.id)).scalars())


def staff_options() -> list[Staff]:
    return list(db.session.execute(db.select(Staff).where(Staff.archived_at.is_(None))
                                   .order_by(Staff.last_name, Staff.first_name)).scalars())


def is_mentor_of(user, group: MentoringGroup) -> bool:
    """The signed-in user is a mentor of this pair (group), not one who has left it."""
    me = staff_of(user)
    return me is not None and any(m.staff_id == me.id and m.role is MemberRole.MENTOR and m.left_at is None
                                  for m in group.members)
