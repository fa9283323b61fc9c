"""A person's own page, the meetings log, the curator's dashboard, reminders, the inbox, and requests."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.appeals import services as appeals
from portal.appeals.models import MentoringRequest
from portal.cabinet import services as cabinet
from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.mentoring.models import GroupMember, Meeting, MentoringGroup, Order
from portal.mentoring.states import GroupState, OrderKind, PlanItemStatus, RequestState
from portal.notifications.models import Notification
from portal.reminders.services import send_reminders
from portal.programs.models import Program
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tenants.models import Institution
from tests.factories import make_group, make_institution, make_plan_item, make_program, make_staff, make_user, order_items

TODAY = date.today()


def _person(inst, role):
    user = make_user((role, inst))
    return user, make_staff(inst, user_id=user.id)


def test_mentee_sees_own_items_overdue_and_due_soon_not_others(app, client, login):
    inst = make_institution()
    user, me = _person(inst, Role.MENTEE)
    mine = make_program(make_group(inst, mentees=[me], start=TODAY - timedelta(days=60)))
    make_plan_item(mine, due=TODAY - timedelta(days=3), content="Просроченное мероприятие")
    make_plan_item(mine, due=TODAY + timedelta(days=5), content="Ближайшее мероприятие")
    make_plan_item(mine, due=TODAY + timedelta(days=40), content="Далёкое мероприятие")
    other = make_program(make_group(inst, start=TODAY - timedelta(days=60)))
    make_plan_item(other, due=TODAY, content="Чужое мероприятие")
    login(user)
    page = client.get(f"/i/{inst.slug}/").get_data(as_text=True)
    assert "Моё наставничество" in page
    assert "Просроченное мероприятие" in page and "Ближайшее мероприятие" in page
    assert "Далёкое мероприятие" not in page and "Чужое мероприятие" not in page
    assert page.index("Просроченное") < page.index("Ближайшее")


def test_meeting_is_logged_by_a_member_with_valid_data(app, client, login):
    inst = make_institution()
    user, me = _person(inst, Role.MENTOR)
    group = make_group(inst, mentors=[me], start=date(2024, 9, 1))
    login(user)
    url = f"/i/{inst.slug}/my/groups/{group.id}/meetings"
    bad = client.post(url, data={"held_on": (TODAY + timedelta(days=1)).strftime("%d.%m.%Y"), "duration_minutes": "0",
                                 "format": "x", "topic": ""}, headers={"HX-Request": "true"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "позже сегодняшней" in text and "от 5 до 480" in text and "тему" in text
    ok = client.post(url, data={"held_on": "10.10.2024", "duration_minutes": "45", "format": "remote",
                                "topic": "Планирование недели", "notes": "Разобрали план"}, headers={"HX-Request": "true"})
    assert ok.status_code == 200 and "Планирование недели" in ok.get_data(as_text=True)
    with institution_scope(inst.id):
        assert db.session.query(Meeting).count() == 1


def test_meetings_of_a_pair_are_hidden_from_other_mentees_and_curator_only_reads(app, client, login):
    inst = make_institution()
    group = make_group(inst)
    outsider, _ = _person(inst, Role.MENTEE)
    login(outsider)
    assert client.get(f"/i/{inst.slug}/my/groups/{group.id}/meetings").status_code == 404
    curator = make_user((Role.CURATOR, inst))
    login(curator)
    assert client.get(f"/i/{inst.slug}/my/groups/{group.id}/meetings").status_code == 200
    with institution_scope(inst.id), pytest.raises(Forbidden):
        cabinet.add_meeting(db.session.get(MentoringGroup, group.id), {"held_on": "10.10.2024"}, curator)


def test_dashboard_counts_against_hand_counted_fixture(app):
    inst = make_institution()
    young = make_staff(inst, pedagogical_start=TODAY - timedelta(days=200))
    make_staff(inst, pedagogical_start=TODAY - timedelta(days=300))  # young, no mentor
    make_staff(inst, pedagogical_start=date(2000, 9, 1))              # not young
    mentor = make_staff(inst, pedagogical_start=date(2000, 9, 1))
    group = make_group(inst, mentors=[mentor], mentees=[young], start=TODAY - timedelta(days=100))
    program = make_program(group, start=TODAY - timedelta(days=100), months=4)  # ends in ~20 days
    make_plan_item(program, due=TODAY - timedelta(days=1))
    make_plan_item(program, due=TODAY - timedelta(days=2), status=PlanItemStatus.DONE)
    make_plan_item(program, due=TODAY + timedelta(days=1))
    with institution_scope(inst.id):
        board = cabinet.dashboard(TODAY)
    assert (board["staff"], board["mentors"], board["mentees"], board["groups"]) == (4, 1, 1, 1)
    assert board["programs_active"] == 1 and board["overdue_count"] == 1
    assert [p.id for p in board["ending_soon"]] == [program.id]
    assert board["young"] == 2 and len(board["young_without_mentor"]) == 1


def test_curator_home_is_the_dashboard(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    page = client.get(f"/i/{inst.slug}/").get_data(as_text=True)
    assert "Молодые специалисты без наставника" in page and "Не ознакомлены с приказами" in page


# --- reminders and the inbox ---------------------------------------------------------------------------------------

def test_reminders_are_sent_once_for_items_due_overdue_and_acknowledgements(app):
    inst = make_institution()
    user, me = _person(inst, Role.MENTEE)
    program = make_program(make_group(inst, mentees=[me], start=TODAY - timedelta(days=60)))
    make_plan_item(program, due=TODAY + timedelta(days=2))
    make_plan_item(program, due=TODAY - timedelta(days=1))
    with platform_scope("setup"):
        order = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="5", issued_on=TODAY, title="О парах",
                      items=order_items(inst, "Закрепить"), issued_at=TODAY)
        db.session.add(order)
        db.session.flush()
        from portal.mentoring.models import Acknowledgement

        db.session.add(Acknowledgement(institution_id=inst.id, order_id=order.id, staff_id=me.id,
                                       due_date=TODAY - timedelta(days=1)))
        db.session.commit()
    with institution_scope(inst.id):
        first = send_reminders(inst, TODAY)
        second = send_reminders(inst, TODAY)
    assert (first.marked_overdue, first.item_due, first.item_overdue, first.ack_overdue) == (1, 1, 1, 1)
    assert (second.item_due, second.item_overdue, second.ack_overdue) == (0, 0, 0)
    kinds = sorted(n.kind for n in db.session.query(Notification).filter_by(user_id=user.id))
    assert kinds == ["ack_overdue", "item_due", "item_overdue"]


def test_daily_reminder_task_fans_out_per_institution_once_a_day(app):
    from tasks.reminders import daily

    a, _b = make_institution(), make_institution()
    user, me = _person(a, Role.MENTEE)
    program = make_program(make_group(a, mentees=[me], start=TODAY - timedelta(days=30)))
    make_plan_item(program, due=TODAY + timedelta(days=1))
    assert daily.delay().get() == 2
    assert daily.delay().get() == 0   # sent twice (two beats): today's reminders are claimed already
    assert db.session.query(Notification).filter_by(user_id=user.id, kind="item_due").count() == 1


def test_inbox_shows_own_notifications_and_hides_others(app, client, login):
    from portal.notifications.services import notify_user

    me, other = make_user(), make_user()
    mine = notify_user(me.id, "test", "Моё уведомление", email=False)
    theirs = notify_user(other.id, "test", "Чужое уведомление", email=False)
    login(me)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Моё уведомление" in page and "Чужое уведомление" not in page
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    r = client.post(f"/notifications/{mine.id}/read", data={"next": "https://evil.example/"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/notifications/")
    assert db.session.get(Notification, mine.id).read_at is not None
    assert db.session.get(Notification, theirs.id).read_at is None


# --- requests (seed §4.1, §5.1) -------------------------------------------------------------------------------------

def test_mentee_asks_to_replace_the_mentor_and_approval_forms_a_new_group_and_a_draft_order(app, client, login):
    inst = make_institution()
    mentee_user, mentee = _person(inst, Role.MENTEE)
    other_mentee = make_staff(inst)
    old_mentor = make_staff(inst)
    group = make_group(inst, mentors=[old_mentor], mentees=[mentee, other_mentee])
    program = make_program(group, mentee_staff=mentee)
    curator = make_user((Role.CURATOR, inst))
    login(mentee_user)
    r = client.post(f"/i/{inst.slug}/requests", data={"group_id": group.id, "reason": "Коротко"})
    assert r.status_code == 422 and "не короче 10 символов" in r.get_data(as_text=True)
    client.post(f"/i/{inst.slug}/requests", data={"group_id": group.id, "reason": "Не совпадают графики работы"})
    assert db.session.query(Notification).filter_by(user_id=curator.id, kind="request").count() == 1
    with institution_scope(inst.id):
        row = db.session.query(MentoringRequest).one()
        assert row.kind.value == "replace_mentor"
    new_mentor = make_staff(inst)
    login(curator)
    r = client.post(f"/i/{inst.slug}/requests/{row.id}/decide",
                    data={"decision": "approve", "new_mentor_id": old_mentor.id})
    assert r.status_code == 422 and "другим человеком" in r.get_data(as_text=True)
    r = client.post(f"/i/{inst.slug}/requests/{row.id}/decide",
                    data={"decision": "approve", "new_mentor_id": new_mentor.id, "decision_note": "Согласовано"})
    assert r.status_code == 302
    with institution_scope(inst.id):
        row = db.session.get(MentoringRequest, row.id)
        new = db.session.get(MentoringGroup, row.new_group_id)
        old = db.session.get(MentoringGroup, group.id)
        assert row.state is RequestState.APPROVED and new.replaces_group_id == group.id
        assert [m.staff_id for m in new.mentors] == [new_mentor.id] and [m.staff_id for m in new.mentees] == [mentee.id]
        assert [m.staff_id for m in old.mentees] == [other_mentee.id] and old.state is GroupState.ACTIVE
        assert db.session.get(Program, program.id).group_id == new.id
        order = db.session.get(Order, row.order_id)
        assert order.kind is OrderKind.REPLACEMENT and order.issued_at is None and order.groups == [new]


def test_mentor_asks_to_be_relieved_and_the_old_group_is_replaced(app):
    inst = make_institution()
    mentor_user, mentor = _person(inst, Role.MENTOR)
    mentees = [make_staff(inst), make_staff(inst)]
    group = make_group(inst, mentors=[mentor], mentees=mentees)
    with institution_scope(inst.id):
        row = appeals.submit(mentor_user, group.id, "Перехожу на другую должность", [])
        assert row.kind.value == "relieve_mentor"
        with pytest.raises(Invalid, match="уже на рассмотрении"):
            appeals.submit(mentor_user, group.id, "Перехожу на другую должность", [])
        busy = make_staff(inst)
        make_group(inst, mentors=[busy], mentees=[make_staff(inst)])
        with platform_scope("the institution sets a limit"):
            db.session.get(Institution, inst.id).mentor_capacity = 2
            db.session.commit()
        with pytest.raises(Invalid, match="будет наставляемых: 3, а лимит — 2"):
            appeals.approve(row, busy.id, "", None, inst)
        assert db.session.get(MentoringGroup, group.id).state is GroupState.ACTIVE  # nothing half-done
        appeals.approve(row, make_staff(inst).id, "", None, inst)
        assert db.session.get(MentoringGroup, group.id).state is GroupState.REPLACED
        assert len(db.session.get(MentoringGroup, row.new_group_id).mentees) == 2


def test_rejection_needs_a_reason_and_is_told_to_the_author(app):
    inst = make_institution()
    user, me = _person(inst, Role.MENTEE)
    group = make_group(inst, mentees=[me])
    with institution_scope(inst.id):
        row = appeals.submit(user, group.id, "Хочу другого наставника", [])
        with pytest.raises(Invalid, match="почему"):
            appeals.reject(row, "", None)
        appeals.reject(row, "Наставник назначен приказом до конца года", None)
        with pytest.raises(Invalid, match="уже рассмотрено"):
            appeals.reject(row, "ещё раз", None)
    assert db.session.query(Notification).filter_by(user_id=user.id, kind="request_decided").count() == 1


def test_a_person_cannot_file_a_request_about_someone_elses_pair(app):
    inst = make_institution()
    user, _ = _person(inst, Role.MENTEE)
    group = make_group(inst)
    with institution_scope(inst.id), pytest.raises(Invalid, match="свою пару"):
        appeals.submit(user, group.id, "Хочу другого наставника", [])
    with institution_scope(inst.id):
        assert db.session.query(GroupMember).count() == 2
