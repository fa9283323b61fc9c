"""Staff — педагогический работник of one institution, the history of changes to the record, and the person's
trainings and incentives (what the staff card, the registry of mentors and the reports read)."""
from __future__ import annotations

import calendar
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String, Text, and_, func, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from portal.formatting import months_between, tenure_words
from portal.staff.dictionaries import POSITIONS, Category
from tenants.models import TenantOwned

YOUNG_SPECIALIST_MAX_AGE = 35
YOUNG_SPECIALIST_MAX_MONTHS = 36


def initials_of(*names: str) -> str:
    """«Айнур», «Эльчин Гызы» → «А. Э. Г.»; a hyphenated name keeps both parts («Анна-Мария» → «А.-М.»)."""
    out = []
    for part in " ".join(n for n in names if n).split():
        out.append("-".join(f"{piece[0].upper()}." for piece in part.split("-") if piece))
    return " ".join(out)


class PersonName:
    """The ways a person's name is written, for anything with last, first and middle names (staff, outside people)."""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def initials(self) -> str:
        """«А. Э. Г.» — every part of the name and patronymic, «оглы/гызы» included («Гусейнова А. Э. Г.», as the seed writes such names)."""
        return initials_of(self.first_name, self.middle_name)

    @property
    def short_name(self) -> str:
        """«Петрова А. С.» — as orders and lists write it."""
        return f"{self.last_name} {self.initials}".strip()

    @property
    def signature_name(self) -> str:
        """«И. П. Соколова» — initials first, as under a signature."""
        return f"{self.initials} {self.last_name}".strip()


class Staff(PersonName, TenantOwned, db.Model):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(50))
    category: Mapped[Category] = mapped_column(Enum(Category, native_enum=False, length=20), default=Category.NONE)
    category_date: Mapped[date | None] = mapped_column(Date)
    pedagogical_start: Mapped[date | None] = mapped_column(Date)
    institution_start: Mapped[date | None] = mapped_column(Date)
    # Needed only to derive «молодой специалист» (under 35); never exported or published.
    birth_date: Mapped[date | None] = mapped_column(Date)
    young_specialist_manual: Mapped[bool | None] = mapped_column(Boolean)
    work_email: Mapped[str] = mapped_column(String(254), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now(), onupdate=func.now())

    user = relationship("User")
    institution = relationship("Institution")

    @property
    def position_label(self) -> str:
        return POSITIONS.get(self.position, self.position)

    def experience_months(self, as_of: date) -> int | None:
        return months_between(self.pedagogical_start, as_of) if self.pedagogical_start else None

    def experience_words(self, as_of: date) -> str:
        return tenure_words(self.pedagogical_start, as_of)

    def tenure_here_words(self, as_of: date) -> str:
        return tenure_words(self.institution_start, as_of)

    def is_young_specialist(self, as_of: date) -> bool:
        """Молодой специалист: set by hand, or under 35 with less than 3 years of pedagogical experience."""
        if self.young_specialist_manual is not None:
            return self.young_specialist_manual
        months = self.experience_months(as_of)
        if months is None or months >= YOUNG_SPECIALIST_MAX_MONTHS:
            return False
        if self.birth_date is None:
            return True
        return months_between(self.birth_date, as_of) < YOUNG_SPECIALIST_MAX_AGE * 12

    @classmethod
    def young_specialist_clause(cls, as_of: date):
        """The same rule as `is_young_specialist`, as SQL: whole months below a limit mean a start after the day
        that many months before `as_of` (clipped to the month's end), so it compares plain dates on any database."""
        experienced_on = _months_before(as_of, YOUNG_SPECIALIST_MAX_MONTHS)
        aged_on = _months_before(as_of, YOUNG_SPECIALIST_MAX_AGE * 12)
        derived = and_(cls.pedagogical_start.is_not(None), cls.pedagogical_start > experienced_on,
                       or_(cls.birth_date.is_(None), cls.birth_date > aged_on))
        return or_(cls.young_specialist_manual.is_(True), and_(cls.young_specialist_manual.is_(None), derived))

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


def _months_before(day: date, months: int) -> date:
    """The last start date that is `months` whole months before `day` (see formatting.months_between)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class StaffChange(TenantOwned, db.Model):
    """History of a staff record: who changed which field, when."""

    __tablename__ = "staff_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[str] = mapped_column(String(500), default="")
    new_value: Mapped[str] = mapped_column(String(500), default="")

    actor = relationship("User")


TRAINING_KINDS = {"course": "Курсы повышения квалификации", "seminar": "Семинар", "webinar": "Вебинар",
                  "conference": "Конференция", "other": "Иное"}
INCENTIVE_KINDS = {"gratitude": "Благодарность", "diploma": "Почётная грамота", "bonus": "Премия",
                   "title": "Звание, знак отличия", "other": "Иное"}
INCENTIVE_LEVELS = {"institution": "Организации", "municipal": "Муниципальный", "regional": "Региональный",
                    "federal": "Федеральный"}


class Training(TenantOwned, db.Model):
    """A course, seminar or webinar a mentor attended (seed roadmap items 19–21)."""

    __tablename__ = "mentor_training"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    organizer: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    mentoring_related: Mapped[bool] = mapped_column(default=True)   # counted in the registry's «обучение наставничеству»
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    @property
    def kind_label(self) -> str:
        return TRAINING_KINDS.get(self.kind, self.kind)


class Incentive(TenantOwned, db.Model):
    """An incentive of a mentor (seed roadmap item 5): grounds, kind, level, the order that gave it."""

    __tablename__ = "mentor_incentive"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20), default="institution")
    grounds: Mapped[str] = mapped_column(Text)
    awarded_on: Mapped[date] = mapped_column(Date)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_order.id", ondelete="SET NULL"))
    # The institution's own kind (portal.incentives) when the incentive came from a proposal; `kind` stays the
    # registry's code it counts as.
    kind_id: Mapped[int | None] = mapped_column(ForeignKey("incentive_kind.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    order = relationship("Order")
    kind_row = relationship("IncentiveKind", lazy="joined")

    @property
    def kind_label(self) -> str:
        return self.kind_row.name if self.kind_row is not None else INCENTIVE_KINDS.get(self.kind, self.kind)
