"""Region (субъект РФ: ХМАО – Югра), Municipality (город) and Institution (образовательная организация — the tenant), and the ownership mixins."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db


class InstitutionKind(enum.StrEnum):
    DOU = "dou"
    SCHOOL = "school"
    DO = "do"

    @property
    def label(self) -> str:
        return {"dou": "Дошкольная образовательная организация", "school": "Общеобразовательная организация",
                "do": "Организация дополнительного образования"}[self.value]

    @property
    def short(self) -> str:
        return {"dou": "ДОУ", "school": "Школа", "do": "ДО"}[self.value]


class Region(db.Model):
    """Субъект РФ (ХМАО – Югра): the level above municipalities, where the regional institute (ИРО) works. Its
    account reads every city of the region (tenants.context.region_scope) and writes nothing."""

    __tablename__ = "region"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="region", order_by="Municipality.name")


class Municipality(db.Model):
    """Муниципальное образование (город): the city level above institutions."""

    __tablename__ = "municipality"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    region: Mapped[Region | None] = relationship(back_populates="municipalities")
    institutions: Mapped[list[Institution]] = relationship(back_populates="municipality", order_by="Institution.short_name")


class Institution(db.Model):
    """Образовательная организация: the tenant. Its own row is not tenant-owned (names are public)."""

    __tablename__ = "institution"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[InstitutionKind] = mapped_column(Enum(InstitutionKind, native_enum=False, length=16))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str] = mapped_column(String(500), default="")
    site_url: Mapped[str] = mapped_column(String(300), default="")
    # Mentees per mentor at a time: no limit unless the institution's own regulation sets one (the seed's does
    # not, and its list has one mentor with three mentees); a set limit warns, it never blocks.
    mentor_capacity: Mapped[int | None] = mapped_column(Integer)
    # Who signs the institution's orders, as printed under them («Заведующий», «С. И. Кравцова»); empty: derived.
    head_position: Mapped[str] = mapped_column(String(200), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    municipality: Mapped[Municipality] = relationship(back_populates="institutions")


class TenantOwned:
    """Mixin for rows that belong to one institution. Filtered by tenants.scoping; never filter by hand."""

    @declared_attr
    def institution_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True, nullable=False)


class CityOwned:
    """Mixin for rows that belong to a municipality (roadmaps, contests, city news)."""

    @declared_attr
    def municipality_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True, nullable=False)
