"""Tenancy: municipalities and institutions, the tenant context, THE scoping mechanism, role checks.

Every tenant-owned model inherits `TenantOwned` (an `institution_id` column) or `CityOwned` (a
`municipality_id` column). Queries on them are filtered automatically by `tenants.scoping`; a query with
no tenant context raises `NoTenantContext`. Crossing institutions is done only through the loud, audited
`tenants.context.across_institutions(...)`.
"""
from tenants.context import (  # noqa: F401
    NoTenantContext,
    Scope,
    TenantViolation,
    across_institutions,
    current_scope,
    institution_scope,
    platform_scope,
)
