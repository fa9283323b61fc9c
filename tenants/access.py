"""Who may do what, named once: the roles, the role sets, the named rules, and the `@allow` every view declares.

Deny by default: a view with no rule answers 403. Views declare `@allow(EDIT_MENTORING)`, services ask
`EDIT_MENTORING.admits(roles)`, templates ask `can('edit_mentoring')`. No role tuple is written anywhere
else (tests/test_permissions.py keeps it that way); the checked-in matrix (tests/matrix/) lists what each
rule comes to, endpoint by endpoint.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from flask import g


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    REGIONAL = "regional"
    HEAD = "head"
    CURATOR = "curator"
    MENTOR = "mentor"
    MENTEE = "mentee"
    EXPERT = "expert"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def level(self) -> str:
        """Which scope a binding of this role takes: platform, region, municipality or institution."""
        if self in PLATFORM_ADMINS:
            return "platform"
        if self in REGION_ROLES:
            return "region"
        if self in CITY_ROLES:
            return "municipality"
        return "institution"


ROLE_LABELS = {
    Role.ADMIN: "Администратор платформы",
    Role.COORDINATOR: "Муниципальный координатор",
    Role.REGIONAL: "Региональный институт (ИРО)",
    Role.HEAD: "Руководитель",
    Role.CURATOR: "Куратор",
    Role.MENTOR: "Наставник",
    Role.MENTEE: "Наставляемый",
    Role.EXPERT: "Эксперт (член жюри)",
}

# --- role sets --------------------------------------------------------------------------------------------------

PLATFORM_ADMINS = frozenset({Role.ADMIN})
CITY_COORDINATORS = frozenset({Role.COORDINATOR})
JURORS = frozenset({Role.EXPERT})
CITY_ROLES = frozenset({Role.COORDINATOR, Role.EXPERT})  # bound to a municipality, not an institution
# Bound to a region: sees every city of it, and only reads — a request whose roles are all of this set is refused
# every unsafe method and runs under a read-only scope (tenants.routing).
REGION_ROLES = frozenset({Role.REGIONAL})
READ_ONLY_ROLES = REGION_ROLES
REGION_READERS = frozenset({Role.REGIONAL, Role.ADMIN})
REGISTRY_READERS = frozenset({Role.COORDINATOR, Role.REGIONAL})
CITY_VIEWERS = frozenset({Role.COORDINATOR, Role.REGIONAL, Role.ADMIN})
CONTEST_PEOPLE = frozenset({Role.COORDINATOR, Role.EXPERT})

INSTITUTION_HEADS = frozenset({Role.HEAD})
INSTITUTION_CURATORS = frozenset({Role.CURATOR})
INSTITUTION_EDITORS = frozenset({Role.HEAD, Role.CURATOR})            # run the institution's mentoring
INSTITUTION_READERS = INSTITUTION_EDITORS | CITY_COORDINATORS          # … and the city, which oversees it
PARTICIPANTS = frozenset({Role.MENTOR, Role.MENTEE})                  # the people of pairs and programs
INSTITUTION_MEMBERS = INSTITUTION_EDITORS | PARTICIPANTS               # everyone with a place in the institution
INSTITUTION_VISITORS = INSTITUTION_MEMBERS | CITY_COORDINATORS         # … and the city
PROGRAM_AUTHORS = INSTITUTION_EDITORS | {Role.MENTOR}                 # a mentor writes the program of their pair
# Who may protect their login with a second factor (portal/accounts/mfa.py; MFA_REQUIRED_ROLES says who must).
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.REGIONAL, Role.HEAD})

# The roles a city coordinator may grant inside the city; the rest only the platform admin grants.
GRANTABLE_BY_COORDINATOR = INSTITUTION_MEMBERS | JURORS

# Markers for views outside any tenant.
_ANYONE = "public"            # no login at all (login page, public section)
_SIGNED_IN = "authenticated"  # any logged-in user, no tenant (profile, home)


# --- named rules ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A named permission: who (roles in the URL's tenant) may do one kind of thing."""

    name: str
    roles: frozenset
    doc: str = ""

    def admits(self, roles: Iterable) -> bool:
        return bool(self.roles & set(roles))

    def __contains__(self, role) -> bool:
        return role in self.roles


RULES: dict[str, Rule] = {}


def _rule(name: str, roles, doc: str) -> Rule:
    assert name not in RULES, f"rule {name} named twice"
    RULES[name] = Rule(name, frozenset(roles), doc)
    return RULES[name]


PUBLIC = _rule("public", {_ANYONE}, "anyone, without logging in")
AUTHENTICATED = _rule("authenticated", {_SIGNED_IN}, "any logged-in user, outside a tenant")

# platform
ADMINISTER_PLATFORM = _rule("administer_platform", PLATFORM_ADMINS, "municipalities, institutions, users, the outbox")

# the city
VIEW_CITY = _rule("view_city", CITY_VIEWERS, "the city's front page")
ADMINISTER_CITY = _rule("administer_city", CITY_COORDINATORS, "the city's institutions, users and role grants")
READ_CITY_AUDIT = _rule("read_city_audit", CITY_COORDINATORS, "the city's access log")
RUN_ROADMAP = _rule("run_roadmap", CITY_COORDINATORS, "roadmaps, activities, their rules and tasks")
REVIEW_CITY_TASKS = _rule("review_city_tasks", CITY_COORDINATORS, "accept or return the institutions' evidence")
READ_CITY_INDICATORS = _rule("read_city_indicators", CITY_COORDINATORS, "indicators of the city, reports, recompute")
RUN_SURVEYS = _rule("run_surveys", CITY_COORDINATORS, "questionnaires, campaigns and their results")
RUN_CONTESTS = _rule("run_contests", CITY_COORDINATORS, "contests: setup, jury, admission, results, documents")
SEE_CONTESTS = _rule("see_contests", CONTEST_PEOPLE, "contests and their published results")
SCORE_ENTRIES = _rule("score_entries", JURORS, "a juror's own score sheets")
PUBLISH_CITY_NEWS = _rule("publish_city_news", CITY_COORDINATORS, "news of the city's public page")
KEEP_PRACTICE_BANK = _rule("keep_practice_bank", CITY_COORDINATORS, "the best-practice bank: proposals, winners")
READ_REGISTRY = _rule("read_registry", REGISTRY_READERS,
                      "the registry of mentors: build (the coordinator; the regional account only reads) and download")
BUILD_REGISTRY = _rule("build_registry", CITY_COORDINATORS,
                       "start a build of the city's registry of mentors, retry a failed one (page and API)")

# the region (the regional institute's account: reads only)
READ_REGION = _rule("read_region", REGION_READERS, "the region's merged registry and its target indicators")
BUILD_REGION_REGISTRY = _rule("build_region_registry", PLATFORM_ADMINS,
                              "start a build of the region's merged registry (the beat builds it every month)")

# the institution
VIEW_INSTITUTION = _rule("view_institution", INSTITUTION_VISITORS, "the institution's pages for everyone in it")
READ_MENTORING = _rule("read_mentoring", INSTITUTION_READERS, "banks, pairs, orders and their documents")
EDIT_MENTORING = _rule("edit_mentoring", INSTITUTION_EDITORS, "banks, pairs, orders, consents, paper signatures")
ACKNOWLEDGE_ORDERS = _rule("acknowledge_orders", INSTITUTION_MEMBERS, "acknowledge an order with one's own button")
READ_STAFF = _rule("read_staff", INSTITUTION_READERS, "the staff registry, cards, development, consents")
PICK_STAFF = _rule("pick_staff", INSTITUTION_EDITORS, "find the institution's staff by surname in a form's person picker")
EDIT_STAFF = _rule("edit_staff", INSTITUTION_EDITORS, "staff records, training, incentives, consents, data export")
ERASE_PERSONAL_DATA = _rule("erase_personal_data", INSTITUTION_HEADS, "erasure on request and the acts of destruction")
READ_INSTITUTION_AUDIT = _rule("read_institution_audit", INSTITUTION_HEADS, "the institution's access log")
SEE_OWN_MENTORING = _rule("see_own_mentoring", INSTITUTION_MEMBERS, "one's own pairs, programs and meetings")
IN_PAIRS = _rule("in_pairs", PARTICIPANTS, "mentors and mentees: their own mentoring comes first")
OVERSEE_MENTORING = _rule("oversee_mentoring", INSTITUTION_READERS,
                          "every pair, program and request of the institution, not only one's own")
WRITE_PROGRAMS = _rule("write_programs", PROGRAM_AUTHORS, "write and change programs (a mentor: of their own pair)")
APPROVE_PROGRAMS = _rule("approve_programs", INSTITUTION_EDITORS,
                         "approve and start programs, record the parties' consent given on paper")
PROPOSE_INCENTIVES = _rule("propose_incentives", INSTITUTION_MEMBERS,
                           "propose to reward a mentor (a colleague, the association)")
WORK_ON_PLANS = _rule("work_on_plans", INSTITUTION_MEMBERS, "mark plan items done, comment, propose changes")
AGREE_TO_CHANGES = _rule("agree_to_changes", PARTICIPANTS, "agree to a change of one's own program")
SUBMIT_REQUESTS = _rule("submit_requests", INSTITUTION_MEMBERS, "ask to replace or relieve a mentor of one's pair")
DECIDE_REQUESTS = _rule("decide_requests", INSTITUTION_EDITORS, "decide requests to replace or relieve a mentor")
READ_INSTITUTION_REPORTING = _rule("read_institution_reporting", INSTITUTION_READERS,
                                   "the institution's roadmap tasks, indicators, survey results")
SUBMIT_EVIDENCE = _rule("submit_evidence", INSTITUTION_EDITORS, "submit the evidence of a roadmap task")
ANSWER_SURVEYS = _rule("answer_surveys", INSTITUTION_MEMBERS, "answer one's own questionnaires")
READ_PARTNERS = _rule("read_partners", INSTITUTION_READERS, "partners and agreements")
EDIT_PARTNERS = _rule("edit_partners", INSTITUTION_EDITORS, "add partners and agreements")
ENTER_CONTESTS = _rule("enter_contests", INSTITUTION_EDITORS, "the institution's contest entries")
PUBLISH_INSTITUTION_NEWS = _rule("publish_institution_news", INSTITUTION_EDITORS,
                                 "news and best cases of the institution's public page")
# the institution's year (issue 12): settings, local acts, orders, the academic year, the annual report
READ_INSTITUTION_SETTINGS = _rule("read_institution_settings", INSTITUTION_EDITORS,
                                  "the institution's settings: load limit, the head who signs, delegation")
EDIT_INSTITUTION_SETTINGS = _rule("edit_institution_settings", INSTITUTION_EDITORS,
                                  "change the load limit and the head's position and name on orders")
SIGN_ORDERS = _rule("sign_orders", INSTITUTION_HEADS, "issue orders in one's own right; a curator only when delegated")
DELEGATE_ISSUING = _rule("delegate_issuing", INSTITUTION_HEADS, "delegate issuing orders to a curator, and revoke it")
ISSUE_ORDERS = _rule("issue_orders", INSTITUTION_EDITORS,
                     "issue an order: the head, or a curator the head delegated issuing to (the service checks which)")
READ_LOCAL_ACTS = _rule("read_local_acts", INSTITUTION_VISITORS, "the register of local acts: acts in force")
KEEP_LOCAL_ACTS = _rule("keep_local_acts", INSTITUTION_EDITORS,
                        "local acts: drafts, редакции, files, approvals recorded from paper")
CLOSE_ACADEMIC_YEAR = _rule("close_academic_year", INSTITUTION_EDITORS,
                            "close the academic year: carry pairs and programs over, draft next year's order")
WRITE_ANNUAL_REPORT = _rule("write_annual_report", INSTITUTION_EDITORS,
                            "the annual report: generate, comment the figures, submit to the city")
READ_ANNUAL_REPORT = _rule("read_annual_report", INSTITUTION_READERS, "the institution's annual reports")
REVIEW_ANNUAL_REPORTS = _rule("review_annual_reports", CITY_COORDINATORS,
                              "who submitted the annual report; accept or return it; the city's analysis")

# the methodological association (ШМО, совет наставников) and the city's ГМО, seminars of curators
READ_ASSOCIATION = _rule("read_association", INSTITUTION_VISITORS,
                         "the methodological association: members, meetings, protocols, plan of work")
FORM_ASSOCIATION = _rule("form_association", INSTITUTION_EDITORS, "create the association, its members and chair")
KEEP_ASSOCIATION = _rule("keep_association", INSTITUTION_MEMBERS,
                         "meetings, minutes, protocols and the plan: the curator, the head, the association's chair "
                         "and secretary (the last two checked per association)")
WORK_ON_DECISIONS = _rule("work_on_decisions", INSTITUTION_MEMBERS, "mark a decision of a protocol carried out "
                          "(its responsible person, or a keeper of the association)")
DEVELOP_INSTITUTION_ROADMAP = _rule("develop_institution_roadmap", INSTITUTION_EDITORS,
                                    "the institution's roadmap: items, responsible people, the draft order approving it")
# the pairs' daily work: meetings, messages, settings, nudges
KEEP_PAIR_MEETINGS = _rule("keep_pair_meetings", INSTITUTION_MEMBERS,
                           "plan, log and cancel meetings of a pair: its members, and the curator and head for any pair")
WRITE_PAIR_MESSAGES = _rule("write_pair_messages", INSTITUTION_MEMBERS,
                            "write on one's own pair's page (its current members only, checked per pair)")
SET_UP_MENTORING = _rule("set_up_mentoring", INSTITUTION_EDITORS,
                         "the institution's settings of the daily work: weeks before an inactive pair is nudged")
NUDGED_OF_INACTIVE_PAIRS = _rule("nudged_of_inactive_pairs", INSTITUTION_CURATORS,
                                 "who hears after the mentor that a pair has had no meeting and no progress")
RUN_CITY_ASSOCIATION = _rule("run_city_association", CITY_COORDINATORS,
                             "the city's ГМО and seminars of curators: members, meetings, protocols, plan")


# --- using the rules ----------------------------------------------------------------------------------------------

def allow(rule: Rule):
    """Declare who may call a view, by one named rule. Enforced once, in tenants.routing, before the view runs."""
    if not isinstance(rule, Rule):
        raise TypeError("allow() takes one named rule from tenants.access, e.g. @allow(EDIT_MENTORING)")

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.access_rule = rule.roles
        wrapper.rule_name = rule.name
        return wrapper

    return decorate


def access_rule(view) -> frozenset | None:
    return getattr(view, "access_rule", None)


def view_admits(view, roles: Iterable) -> bool:
    """Does the rule a view declared admit these roles? (The menu shows only what its user may open.)"""
    return bool((access_rule(view) or frozenset()) & set(roles))


def is_public(roles: frozenset) -> bool:
    return _ANYONE in roles


def is_for_everyone_signed_in(roles: frozenset) -> bool:
    return _SIGNED_IN in roles


def current_roles() -> frozenset:
    """The current user's roles in the URL's tenant (set by tenants.routing before the view runs)."""
    return frozenset(g.get("roles", ()))


def can(rule: Rule | str, roles: Iterable | None = None) -> bool:
    """May the current user (or the given roles) do it? `can('edit_mentoring')` in templates."""
    if roles is None:
        roles = current_roles()
    return (RULES[rule] if isinstance(rule, str) else rule).admits(roles)
