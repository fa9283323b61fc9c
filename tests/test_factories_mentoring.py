"""The mentoring factories build what they say (other features' tests depend on them)."""
from portal.extensions import db
from portal.mentoring.models import MentoringGroup
from portal.programs.models import PlanItem
from tenants.context import institution_scope
from tests.factories import make_group, make_institution, make_plan_item, make_program


def test_group_program_and_item_belong_to_the_institution(app):
    inst = make_institution()
    group = make_group(inst)
    item = make_plan_item(make_program(group))
    db.session.remove()
    with institution_scope(inst.id):
        g = db.session.get(MentoringGroup, group.id)
        assert len(g.mentors) == 1 and len(g.mentees) == 1
        assert db.session.get(PlanItem, item.id).program.mentee.id == g.mentees[0].staff_id
    with institution_scope(make_institution().id):
        assert db.session.get(MentoringGroup, group.id) is None
