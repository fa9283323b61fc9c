"""Imports every model once so that relationships resolve and Alembic sees the whole schema."""
from portal.accounts.models import ApiToken, LoginFailure, RoleBinding, User  # noqa: F401
from portal.audit.models import AuditEvent  # noqa: F401
from portal.mail import OutboxMessage  # noqa: F401
from portal.staff.models import Staff, StaffChange  # noqa: F401
from tenants.models import Institution, Municipality  # noqa: F401
