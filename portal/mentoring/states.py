"""Enumerations of the mentoring domain with their Russian labels and allowed transitions."""
from __future__ import annotations

import enum


class Labeled(enum.StrEnum):
    @property
    def label(self) -> str:
        return LABELS[(type(self), self.value)]


class MenteeCategory(Labeled):
    YOUNG_SPECIALIST = "young_specialist"
    NEW_EMPLOYEE = "new_employee"
    POSITION_CHANGE = "position_change"
    DIFFICULTIES = "difficulties"


class GroupFormat(Labeled):
    IN_PERSON = "in_person"
    REMOTE = "remote"
    BLENDED = "blended"


class GroupState(Labeled):
    PROPOSED = "proposed"
    APPROVED = "approved"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    REPLACED = "replaced"


class MemberRole(Labeled):
    MENTOR = "mentor"
    MENTEE = "mentee"


class ProgramState(Labeled):
    DRAFT = "draft"
    APPROVED = "approved"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class CompletionReason(Labeled):
    """Seed §7.1: why a personalized program ends."""

    PLAN_DONE = "plan_done"
    PARTICIPANT_INITIATIVE = "participant_initiative"
    CURATOR_INITIATIVE = "curator_initiative"


class PlanItemStatus(Labeled):
    PLANNED = "planned"
    DONE = "done"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


class OrderKind(Labeled):
    MENTORING = "mentoring"
    PAIRS = "pairs"
    CURATOR = "curator"
    REPLACEMENT = "replacement"
    REGULATION = "regulation"
    INCENTIVE = "incentive"
    OTHER = "other"


class RequestKind(Labeled):
    REPLACE_MENTOR = "replace_mentor"
    RELIEVE_MENTOR = "relieve_mentor"


class RequestState(Labeled):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


# (member, label) pairs: members of different enums share values («active»), so labels are keyed by class too.
_LABEL_PAIRS = (
    (MenteeCategory.YOUNG_SPECIALIST, "Молодой специалист"),
    (MenteeCategory.NEW_EMPLOYEE, "Новый сотрудник"),
    (MenteeCategory.POSITION_CHANGE, "Смена должности"),
    (MenteeCategory.DIFFICULTIES, "Профессиональные затруднения"),
    (GroupFormat.IN_PERSON, "Очно"),
    (GroupFormat.REMOTE, "Дистанционно"),
    (GroupFormat.BLENDED, "Смешанно"),
    (GroupState.PROPOSED, "Предложена"),
    (GroupState.APPROVED, "Утверждена приказом"),
    (GroupState.ACTIVE, "Работает"),
    (GroupState.COMPLETED, "Завершена"),
    (GroupState.TERMINATED, "Прекращена"),
    (GroupState.REPLACED, "Заменена"),
    (MemberRole.MENTOR, "Наставник"),
    (MemberRole.MENTEE, "Наставляемый"),
    (ProgramState.DRAFT, "Черновик"),
    (ProgramState.APPROVED, "Утверждена"),
    (ProgramState.ACTIVE, "Реализуется"),
    (ProgramState.COMPLETED, "Завершена"),
    (ProgramState.TERMINATED, "Прекращена"),
    (CompletionReason.PLAN_DONE, "План мероприятий выполнен в полном объёме"),
    (CompletionReason.PARTICIPANT_INITIATIVE, "По инициативе наставника или наставляемого и/или обоюдному решению"),
    (CompletionReason.CURATOR_INITIATIVE, "По инициативе куратора"),
    (PlanItemStatus.PLANNED, "Запланировано"),
    (PlanItemStatus.DONE, "Выполнено"),
    (PlanItemStatus.OVERDUE, "Просрочено"),
    (PlanItemStatus.CANCELLED, "Отменено"),
    (OrderKind.MENTORING, "О наставничестве (положение, список наставников и наставляемых)"),
    (OrderKind.PAIRS, "О закреплении наставнических пар (групп)"),
    (OrderKind.CURATOR, "О назначении куратора"),
    (OrderKind.REPLACEMENT, "О замене наставника"),
    (OrderKind.REGULATION, "Об утверждении положения о наставничестве"),
    (OrderKind.INCENTIVE, "О поощрении наставников"),
    (OrderKind.OTHER, "Иной"),
    (RequestKind.REPLACE_MENTOR, "Замена наставника (по ходатайству наставляемого)"),
    (RequestKind.RELIEVE_MENTOR, "Сложение обязанностей наставника (по заявлению наставника)"),
    (RequestState.PENDING, "На рассмотрении"),
    (RequestState.APPROVED, "Удовлетворено"),
    (RequestState.REJECTED, "Отклонено"),
)
LABELS = {(type(member), member.value): label for member, label in _LABEL_PAIRS}

GROUP_TRANSITIONS = {
    GroupState.PROPOSED: {GroupState.APPROVED, GroupState.TERMINATED},
    GroupState.APPROVED: {GroupState.ACTIVE, GroupState.TERMINATED, GroupState.REPLACED},
    GroupState.ACTIVE: {GroupState.COMPLETED, GroupState.TERMINATED, GroupState.REPLACED},
    GroupState.COMPLETED: set(),
    GroupState.TERMINATED: set(),
    GroupState.REPLACED: set(),
}

PROGRAM_TRANSITIONS = {
    ProgramState.DRAFT: {ProgramState.APPROVED, ProgramState.TERMINATED},
    ProgramState.APPROVED: {ProgramState.ACTIVE, ProgramState.TERMINATED, ProgramState.DRAFT},
    ProgramState.ACTIVE: {ProgramState.COMPLETED, ProgramState.TERMINATED},
    ProgramState.COMPLETED: set(),
    ProgramState.TERMINATED: set(),
}

# Seed §2.3: the nine forms of mentoring every institution starts with (it may add its own).
DEFAULT_FORMS = [
    "Виртуальное (дистанционное) наставничество",
    "Наставничество в группе",
    "Краткосрочное или целеполагающее наставничество",
    "Реверсивное наставничество",
    "Ситуационное наставничество",
    "Скоростное наставничество",
    "Традиционная форма наставничества («один-на-один»)",
    "Форма наставничества «учитель – учитель»",
    "Форма наставничества «руководитель образовательной организации – учитель»",
]

# Seed §2.3, its first sentence: the two forms whose participants come from outside the institution — an employer's
# mentor for a student, a teacher of a college or university for a young teacher. They follow the nine.
PARTNER_FORMS = [
    "Форма наставничества «работодатель – студент»",
    "Форма наставничества «педагог вуза/колледжа – молодой педагог образовательной организации»",
]

# The one order the forms are listed in (portal.mentoring.banks.forms): the traditional one-to-one form (the usual
# case of a pair) first, then the other eight in the order of seed §2.3, then its two partner forms; an
# institution's own forms follow, alphabetically.
TRADITIONAL_FORM = DEFAULT_FORMS[6]
FORMS_ORDER = [TRADITIONAL_FORM] + [f for f in DEFAULT_FORMS if f != TRADITIONAL_FORM] + PARTNER_FORMS

DEFAULT_DIFFICULTIES = {
    "planning": "Планирование и организация образовательной деятельности",
    "methods": "Выбор методов и приёмов работы",
    "discipline": "Организация дисциплины, работа с поведением",
    "parents": "Взаимодействие с родителями (законными представителями)",
    "documents": "Ведение документации",
    "fgos": "Реализация требований ФГОС, ФОП",
    "digital": "Цифровые образовательные ресурсы и технологии",
    "special_needs": "Работа с детьми с ОВЗ и особыми образовательными потребностями",
    "assessment": "Оценивание и мониторинг результатов",
    "self_regulation": "Эмоциональное выгорание, саморегуляция",
    "adaptation": "Адаптация в коллективе, уклад организации",
}


# The kind of a form of mentoring (portal/mentoring/forms_rules.py says what each asks of a pair).
LONG, SHORT_TERM, SITUATIONAL, SPEED = "long", "short_term", "situational", "speed"
KIND_LABELS = {
    LONG: "Программа наставничества (3–12 месяцев)",
    SHORT_TERM: "Краткосрочное: встречи по графику, без программы",
    SITUATIONAL: "Ситуационное: встречи по запросу, без программы",
    SPEED: "Скоростное: одна встреча, без программы",
}
