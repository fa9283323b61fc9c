"""Mentoring models: banks (MentorProfile, MenteeNeed), groups and members, orders and meetings (the programs
live in portal/programs/models.py, the requests in portal/appeals/models.py). Rules live in the services; here only the schema and derived properties."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from portal.mentoring.states import KIND_LABELS, GroupFormat, GroupState, MemberRole, MenteeCategory, OrderKind
from portal.mentoring.states import GROUP_TRANSITIONS
from tenants.models import TenantOwned




class MentoringForm(TenantOwned, db.Model):
    """Форма наставничества: the nine of seed §2.3 are seeded per institution; an institution may add its own."""

    __tablename__ = "mentoring_form"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the form asks of a pair (portal.mentoring.forms_rules): a 3–12-month program, or meetings only.
    kind: Mapped[str] = mapped_column(String(20), default="long")
    # Who may take part besides the institution's staff: mentors from a partner, mentees who are students.
    mentors_from: Mapped[str] = mapped_column(String(10), default="staff")    # staff, partner
    mentees_from: Mapped[str] = mapped_column(String(10), default="staff")    # staff, student
    description: Mapped[str] = mapped_column(Text, default="")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class MentorProfile(TenantOwned, db.Model):
    """Банк наставников: a staff member who may mentor, with competencies and capacity."""

    __tablename__ = "mentor_profile"
    __table_args__ = (UniqueConstraint("institution_id", "staff_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    competencies: Mapped[list] = mapped_column(JSON, default=list)   # codes of DEFAULT_DIFFICULTIES covered
    areas: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: the institution's setting
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    staff = relationship("Staff")


class MenteeNeed(TenantOwned, db.Model):
    """Банк наставляемых: a staff member who needs a mentor, and why."""

    __tablename__ = "mentee_need"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    category: Mapped[MenteeCategory] = mapped_column(value_enum(MenteeCategory))
    difficulties: Mapped[list] = mapped_column(JSON, default=list)  # codes of DEFAULT_DIFFICULTIES
    difficulties_text: Mapped[str] = mapped_column(Text, default="")
    own_request: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    staff = relationship("Staff")


class MentoringGroup(TenantOwned, db.Model):
    """Наставническая пара или группа: one or more mentors with one or more mentees."""

    __tablename__ = "mentoring_group"
    __table_args__ = (UniqueConstraint("institution_id", "academic_year", "number"),)  # numbering.py
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_form.id", ondelete="SET NULL"))
    format: Mapped[GroupFormat] = mapped_column(value_enum(GroupFormat), default=GroupFormat.IN_PERSON)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    state: Mapped[GroupState] = mapped_column(value_enum(GroupState), default=GroupState.PROPOSED)
    academic_year: Mapped[str] = mapped_column(String(9))  # «2022-2023»
    number: Mapped[int | None] = mapped_column(Integer)     # within the institution and academic year (numbering.py)
    replaces_group_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_group.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    form = relationship("MentoringForm")
    extra_forms = relationship("MentoringForm", secondary="group_form", order_by="MentoringForm.id", viewonly=True)
    form_links = relationship("GroupForm", cascade="all, delete-orphan")
    members: Mapped[list[GroupMember]] = relationship(back_populates="group", cascade="all, delete-orphan",
                                                      order_by="GroupMember.id")

    def current(self, role: MemberRole) -> list[GroupMember]:
        return [m for m in self.members if m.role is role and m.left_at is None]

    @property
    def next_states(self) -> list[GroupState]:
        return [s for s in GroupState if s in GROUP_TRANSITIONS[self.state]]

    @property
    def all_forms(self) -> list:
        """The main form, then the forms combined with it (seed §2.3: «в комплексе»)."""
        return ([self.form] if self.form else []) + [f for f in self.extra_forms if f.id != self.form_id]

    @property
    def forms_label(self) -> str:
        return " + ".join(f.name for f in self.all_forms) or "Наставничество"

    @property
    def mentors(self) -> list[GroupMember]:
        return self.current(MemberRole.MENTOR)

    @property
    def mentees(self) -> list[GroupMember]:
        return self.current(MemberRole.MENTEE)


class GroupMember(TenantOwned, db.Model):
    __tablename__ = "group_member"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), index=True)
    # A member is a staff record of the institution or a person from outside it (portal.mentoring.people).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[int | None] = mapped_column(ForeignKey("external_person.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(value_enum(MemberRole, 10))
    consent_date: Mapped[date | None] = mapped_column(Date)  # written consent (seed §3.2, §3.3)
    consent_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    joined_at: Mapped[date] = mapped_column(Date)
    left_at: Mapped[date | None] = mapped_column(Date)
    # The list's «Стаж педагогической работы наставляемого» as written («1 год 3 мес») and the list's date.
    stated_tenure: Mapped[str] = mapped_column(String(100), default="")
    stated_on: Mapped[date | None] = mapped_column(Date)

    group: Mapped[MentoringGroup] = relationship(back_populates="members")
    staff_record = relationship("Staff")
    external = relationship("ExternalPerson")

    @property
    def staff(self):
        """The person: the staff record, or the outside participant (who answers the same names and labels)."""
        return self.staff_record if self.staff_id is not None else self.external

    @property
    def is_external(self) -> bool:
        return self.staff_id is None


class GroupStateChange(TenantOwned, db.Model):
    """Every state change of a group: from, to, why, who, when."""

    __tablename__ = "group_state_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str] = mapped_column(String(20), default="")
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    actor = relationship("User")


class Meeting(TenantOwned, db.Model):
    """Журнал встреч наставнической пары/группы: a meeting planned ahead (date, time, place or link, agenda), then
    logged after (how long, what was done) — or logged straight away, as it happened."""

    __tablename__ = "meeting"
    # An aggregation chunk reads its institutions' rows of one period: (institution_id, date) keeps that proportional
    # to the chunk, where either index alone reads the whole region's period or every period of the chunk.
    __table_args__ = (Index("ix_meeting_institution_id_held_on", "institution_id", "held_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    format: Mapped[GroupFormat] = mapped_column(value_enum(GroupFormat))
    topic: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="held", index=True)   # planned, held, cancelled
    starts_at: Mapped[str] = mapped_column(String(5), default="")                 # «15:30»
    place: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")

    @property
    def planned(self) -> bool:
        return self.state == "planned"


class Order(TenantOwned, db.Model):
    """Приказ: number, date, title, preamble, items («ПРИКАЗЫВАЮ:»), linked groups, acknowledgement list."""

    __tablename__ = "mentoring_order"
    __table_args__ = (UniqueConstraint("institution_id", "number", "issued_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[OrderKind] = mapped_column(value_enum(OrderKind))
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(500))
    preamble: Mapped[str] = mapped_column(Text, default="")
    signer_position: Mapped[str] = mapped_column(String(300), default="")
    signer_name: Mapped[str] = mapped_column(String(300), default="")
    academic_year: Mapped[str] = mapped_column(String(9), default="")
    signed_scan_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: a draft
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("order_delegation.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    items: Mapped[list[OrderItem]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                  order_by="OrderItem.position")
    appendices: Mapped[list[OrderAppendix]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                           order_by="OrderAppendix.position")
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    delegation = relationship("OrderDelegation")

    @property
    def top_items(self) -> list[OrderItem]:
        return sorted((i for i in self.items if i.parent_id is None), key=lambda i: i.position)

    # The link rows carry institution_id (tenant-owned), so they are written through `links`; `groups` only reads.
    links: Mapped[list[OrderGroup]] = relationship(cascade="all, delete-orphan")
    groups = relationship("MentoringGroup", secondary="order_group", order_by="MentoringGroup.id", viewonly=True)
    acknowledgements: Mapped[list[Acknowledgement]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                                   order_by="Acknowledgement.id")


class OrderItem(TenantOwned, db.Model):
    """A numbered item of «ПРИКАЗЫВАЮ:», with sub-items to any depth (1., 1.1., 2.3. …): free text, and the
    responsible person and due date where the item has them."""

    __tablename__ = "order_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("mentoring_order.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("order_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # among its siblings, from 1
    text: Mapped[str] = mapped_column(Text)
    responsible_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    responsible_text: Mapped[str] = mapped_column(String(300), default="")  # «Заместитель заведующего»
    due_date: Mapped[date | None] = mapped_column(Date)

    order: Mapped[Order] = relationship(back_populates="items")
    parent: Mapped[OrderItem | None] = relationship(remote_side="OrderItem.id", back_populates="children")
    children: Mapped[list[OrderItem]] = relationship(back_populates="parent", order_by="OrderItem.position")
    responsible = relationship("Staff")


class OrderAppendix(TenantOwned, db.Model):
    """An appendix of an order, numbered by its position («приложение 1», «приложение 2»). The kind says what it
    holds: a редакция of a local act from the register, the list of the order's pairs, a text or a file; a
    new kind is a new renderer in portal.mentoring.appendices, not a new column."""

    __tablename__ = "order_appendix"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("mentoring_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))  # local_act, group_list, text, file
    title: Mapped[str] = mapped_column(String(500), default="")
    act_version_id: Mapped[int | None] = mapped_column(ForeignKey("local_act_version.id", ondelete="SET NULL"))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="appendices")
    act_version = relationship("LocalActVersion")
    attachment = relationship("Attachment")


class OrderDelegation(TenantOwned, db.Model):
    """The head's explicit instruction that a curator may issue orders (recorded, revocable)."""

    __tablename__ = "order_delegation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    basis: Mapped[str] = mapped_column(String(500), default="")  # «приказ от 01.09.2022 № 120-0»
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])
    granted_by = relationship("User", foreign_keys=[granted_by_id])


class OrderGroup(TenantOwned, db.Model):
    __tablename__ = "order_group"
    order_id: Mapped[int] = mapped_column(ForeignKey("mentoring_order.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), primary_key=True)


class Acknowledgement(TenantOwned, db.Model):
    """«С приказом ознакомлены»: who must read the order, by when, and when they did."""

    __tablename__ = "acknowledgement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("mentoring_order.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_paper: Mapped[bool] = mapped_column(Boolean, default=False)  # signature recorded by the curator
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    order: Mapped[Order] = relationship(back_populates="acknowledgements")
    staff = relationship("Staff")


from portal.mentoring.people import ExternalPerson, GroupForm  # noqa: E402,F401  (registered with the models)
