"""Inactivity nudges: a working pair with no meeting and no progress of its plan for the weeks the institution set
gets its mentor nudged once; after as many weeks again, the curator once. Run daily per institution (tasks/nudges);
idempotent by dedup keys that carry the date of the pair's last activity, so a pair that wakes up and falls asleep
again is nudged again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, url_for

from portal.accounts.services import user_ids_with_roles
from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import ru_date
from portal.mentoring.forms_rules import on_demand
from portal.mentoring.models import Meeting, MentoringGroup
from portal.mentoring.states import GroupState, MemberRole, PlanItemStatus
from portal.notifications.services import notify_staff, notify_user
from portal.pairs.models import DEFAULT_INACTIVITY_WEEKS, MentoringSettings
from portal.programs.models import PlanItem, Program
from tenants.access import NUDGED_OF_INACTIVE_PAIRS


@dataclass
class Nudged:
    mentors: int = 0
    curators: int = 0


def settings() -> MentoringSettings | None:
    return db.session.execute(db.select(MentoringSettings)).scalar_one_or_none()


def inactivity_weeks() -> int:
    row = settings()
    return row.inactivity_weeks if row is not None else DEFAULT_INACTIVITY_WEEKS


def save_settings(data: dict) -> MentoringSettings:
    raw = str(data.get("inactivity_weeks") if data.get("inactivity_weeks") is not None else "").strip()
    if not raw.isdigit() or not 0 <= int(raw) <= 26:
        raise Invalid("inactivity_weeks", "Число недель от 1 до 26 (0 — не напоминать).")
    row = settings() or MentoringSettings()
    row.inactivity_weeks = int(raw)
    db.session.add(row)
    db.session.commit()
    return row


def last_activity(groups: list[MentoringGroup]) -> dict[int, date]:
    """The day of each pair's last meeting held or plan item done (its start, if nothing yet): grouped queries."""
    ids = [g.id for g in groups]
    last = {g.id: g.start_date for g in groups}
    for group_id, day in db.session.execute(db.select(Meeting.group_id, db.func.max(Meeting.held_on)).where(
            Meeting.group_id.in_(ids), Meeting.state == "held").group_by(Meeting.group_id)):
        last[group_id] = max(last[group_id], day)
    for group_id, at in db.session.execute(db.select(Program.group_id, db.func.max(PlanItem.done_at)).join(
            PlanItem, PlanItem.program_id == Program.id).where(
            Program.group_id.in_(ids), PlanItem.status == PlanItemStatus.DONE).group_by(Program.group_id)):
        if at is not None:
            day = at.date() if isinstance(at, datetime) else at
            last[group_id] = max(last[group_id], day)
    return last


def _waits_for_meetings(group: MentoringGroup) -> bool:
    """Situational and speed mentoring meet on demand or once: silence there is not inactivity."""
    return not on_demand(group)


def nudge_inactive(institution, today: date | None = None) -> Nudged:
    today = today or date.today()
    done = Nudged()
    weeks = inactivity_weeks()
    if weeks <= 0:
        return done
    groups = [g for g in db.session.execute(db.select(MentoringGroup).where(MentoringGroup.state == GroupState.ACTIVE))
              .scalars() if _waits_for_meetings(g)]
    quiet = {gid: day for gid, day in last_activity(groups).items() if today - day >= timedelta(weeks=weeks)}
    if not quiet:
        return done
    curators = None
    with current_app.test_request_context("/"):
        for group in (g for g in groups if g.id in quiet):
            since = quiet[group.id]
            url = url_for("pairs.page", inst_slug=institution.slug, group_id=group.id)
            body = (f"С {ru_date(since)} у пары (группы) № {group.id} не было ни встречи, ни выполненного мероприятия "
                    f"плана. Запланируйте встречу.")
            for m in group.members:
                if m.role is MemberRole.MENTOR and m.left_at is None and notify_staff(
                        m.staff, "pair_inactive", "Пара давно не встречалась", body=body, url=url,
                        dedup_key=f"inactive:{group.id}:{since.isoformat()}:mentor") is not None:
                    done.mentors += 1
            if today - since >= timedelta(weeks=2 * weeks):
                if curators is None:
                    curators = user_ids_with_roles(institution.id, NUDGED_OF_INACTIVE_PAIRS.roles)
                names = ", ".join(m.staff.short_name for m in group.members
                                  if m.left_at is None and m.role is MemberRole.MENTOR)
                for user_id in curators:
                    if notify_user(user_id, "pair_inactive_curator", f"Пара № {group.id} неактивна с {ru_date(since)}",
                                   body=f"Наставнику ({names}) уже напомнили. " + body, url=url,
                                   dedup_key=f"inactive:{group.id}:{since.isoformat()}:curator",
                                   institution_id=institution.id) is not None:
                        done.curators += 1
    return done

