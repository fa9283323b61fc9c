"""Roles and the access rule every view declares. Deny by default: a view with no rule answers 403."""
from __future__ import annotations

import enum
from functools import wraps


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
        """Which scope a binding of this role takes: platform, municipality or institution."""
        if self is Role.ADMIN:
            return "platform"
        if self in (Role.COORDINATOR, Role.REGIONAL, Role.EXPERT):
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

PUBLIC = "public"          # no login at all (login page, public section)
AUTHENTICATED = "authenticated"  # any logged-in user, no tenant (profile, home)

INSTITUTION_STAFF = (Role.HEAD, Role.CURATOR)
INSTITUTION_MEMBERS = (Role.HEAD, Role.CURATOR, Role.MENTOR, Role.MENTEE)


def allow(*who):
    """Declare who may call a view: roles in the URL's tenant context, or PUBLIC / AUTHENTICATED.

    The rule is enforced once, in tenants.routing, before the view runs.
    """
    if not who:
        raise ValueError("allow() needs at least one role")

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.access_rule = frozenset(who)
        return wrapper

    return decorate


def access_rule(view) -> frozenset | None:
    return getattr(view, "access_rule", None)
