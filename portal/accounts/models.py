"""User accounts and their role bindings (user × role × scope)."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.access import Role


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """Учётная запись. Not tenant-owned: one person may work in several institutions."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(300))
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rotated on logout and password change: every cookie carrying the old value stops working.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    bindings: Mapped[list[RoleBinding]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        foreign_keys="RoleBinding.user_id")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, role: Role) -> bool:
        return any(b.role is role for b in self.bindings)


class RoleBinding(db.Model):
    """A role held by a user in a scope: the platform, a municipality or an institution."""

    __tablename__ = "role_binding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    # The regional institute's account is bound to a region: it reads every city of it (tenants.routing).
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    user: Mapped[User] = relationship(back_populates="bindings", foreign_keys=[user_id])
    institution = relationship("Institution")
    municipality = relationship("Municipality")
    region = relationship("Region")

    @property
    def scope_label(self) -> str:
        if self.institution is not None:
            return self.institution.short_name
        if self.municipality is not None:
            return self.municipality.name
        if self.region is not None:
            return self.region.name
        return "Платформа"


class LoginFailure(db.Model):
    """A failed login, kept for throttling per account and per IP in the database (works without Redis)."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ApiToken(db.Model):
    """Bearer token for /api/v1; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PasswordResetRequest(db.Model):
    """A «Забыли пароль» request, written the same way whether or not the e-mail has an account; a task (given only
    this row's id) sends the link if it does and deletes the row either way."""

    __tablename__ = "password_reset_request"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


class TotpFactor(db.Model):
    """A second factor (TOTP, RFC 6238) of an account; the secret is stored encrypted (portal/accounts/mfa.py).
    Until `confirmed_at` is set the factor is only being enrolled and is not asked for at login."""

    __tablename__ = "totp_factor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    secret_encrypted: Mapped[str] = mapped_column(String(300))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time step a code was accepted for: the same code is never accepted twice.
    last_step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


class RecoveryCode(db.Model):
    """A one-time recovery code for a lost authenticator; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
