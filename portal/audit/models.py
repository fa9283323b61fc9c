"""AuditEvent: ids and actions only, never the personal data itself."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db


class AuditEvent(db.Model):
    """Not TenantOwned on purpose: platform and city events have no institution. Read only through
    portal.audit.services, which scopes by the viewer's institution or municipality."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # read, create, update, delete, export, import, cross_tenant, erase
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[int | None] = mapped_column(Integer)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="SET NULL"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"), index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")

    actor = relationship("User")
    institution = relationship("Institution")

    ACTION_LABELS = {"read": "Просмотр", "create": "Создание", "update": "Изменение", "delete": "Удаление",
                     "archive": "Архивирование", "export": "Выгрузка", "import": "Загрузка",
                     "cross_tenant": "Доступ по всем организациям", "erase": "Уничтожение"}

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)
