"""Rules for the admin and coordinator screens: institutions, users, role grants."""
from __future__ import annotations

import re

from portal.accounts.models import RoleBinding, User
from portal.accounts.services import create_user, end_all_sessions, grant_role, invite_user
from portal.audit.services import record
from portal.errors import Forbidden, Invalid, NotFound
from portal.extensions import db
from tenants.access import GRANTABLE_BY_COORDINATOR, Role
from tenants.models import Institution, InstitutionKind, Municipality, Region
from tenants.queries import find, get_or_404, institution_ids_of

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def _slug(value: str, errors: dict, model, current_id: int | None = None) -> str:
    slug = (value or "").strip().lower()
    if not SLUG_RE.match(slug):
        errors["slug"] = "Адрес: латинские строчные буквы, цифры и дефис, от 2 до 63 символов (например, sosh-5)."
    elif db.session.execute(db.select(model.id).where(model.slug == slug, model.id != (current_id or 0))).first():
        errors["slug"] = "Такой адрес уже занят."
    return slug


def create_municipality(data: dict) -> Municipality:
    errors: dict = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "Укажите название, например «г. Покачи»."
    slug = _slug(data.get("slug", ""), errors, Municipality)
    if errors:
        raise Invalid(fields=errors)
    region = region_of_form(data.get("region_id"), errors)
    if errors:
        raise Invalid(fields=errors)
    muni = Municipality(name=name, slug=slug, region=region)
    db.session.add(muni)
    db.session.commit()
    return muni


def region_of_form(value, errors: dict):
    """The region a form chose (optional); an unknown id is an error of the field."""
    if not value:
        return None
    region = find(Region, value)
    if region is None:
        errors["region_id"] = "Выберите регион из списка."
    return region


def save_region(data: dict, region=None):
    """Create a region, or rename one (its address too, while nobody links to it)."""
    errors: dict = {}
    name = " ".join((data.get("name") or "").split())
    if not name:
        errors["name"] = "Укажите название, например «Ханты-Мансийский автономный округ – Югра»."
    slug = _slug(data.get("slug", ""), errors, Region, region.id if region else None)
    if errors:
        raise Invalid(fields=errors)
    if region is None:
        region = Region(name=name, slug=slug)
        db.session.add(region)
    else:
        region.name, region.slug = name, slug
    db.session.flush()
    record("update", "region", region.id, detail=f"регион «{name}»")
    db.session.commit()
    return region


def set_municipality_region(muni: Municipality, region_id) -> Municipality:
    errors: dict = {}
    muni.region = region_of_form(region_id, errors)
    if errors:
        raise Invalid(fields=errors)
    record("update", "municipality", muni.id, municipality_id=muni.id,
           detail=f"регион: {muni.region.name if muni.region else 'не задан'}")
    db.session.commit()
    return muni


def clean_institution(data: dict, current: Institution | None = None) -> dict:
    errors: dict = {}
    out = {f: " ".join((data.get(f) or "").split()) for f in ("full_name", "short_name", "address", "site_url")}
    if not out["full_name"]:
        errors["full_name"] = "Укажите полное наименование, как в уставе."
    if not out["short_name"]:
        errors["short_name"] = "Укажите краткое наименование, например «МАДОУ ДСКВ «Радуга»»."
    if out["site_url"] and not re.match(r"^https?://[^\s]+\.[^\s]+$", out["site_url"]):
        errors["site_url"] = "Адрес сайта вида https://school.ru."
    kind = data.get("kind") or ""
    if kind not in InstitutionKind._value2member_map_:
        errors["kind"] = "Выберите тип организации."
    out["kind"] = InstitutionKind(kind) if kind in InstitutionKind._value2member_map_ else None
    out["slug"] = _slug(data.get("slug", ""), errors, Institution, current.id if current else None)
    try:
        capacity = int(data.get("mentor_capacity") or 2)
        if not 1 <= capacity <= 5:
            raise ValueError
        out["mentor_capacity"] = capacity
    except ValueError:
        errors["mentor_capacity"] = "Число наставляемых на одного наставника — от 1 до 5."
    if errors:
        raise Invalid(fields=errors)
    return out


def create_institution(municipality: Municipality, data: dict) -> Institution:
    values = clean_institution(data)
    inst = Institution(municipality_id=municipality.id, **values)
    db.session.add(inst)
    db.session.flush()
    record("create", "institution", inst.id, municipality_id=municipality.id)
    db.session.commit()
    return inst


def update_institution(inst: Institution, data: dict) -> None:
    for key, value in clean_institution(data, inst).items():
        setattr(inst, key, value)
    record("update", "institution", inst.id, municipality_id=inst.municipality_id)
    db.session.commit()


def institution_in(municipality: Municipality | None, institution_id) -> Institution:
    """The institution, of the coordinator's city when one is given."""
    in_city = {"municipality_id": municipality.id} if municipality is not None else {}
    return get_or_404(Institution, institution_id, "Организация не найдена.", **in_city)


def users_page(q: str, page: int, municipality: Municipality | None = None):
    stmt = db.select(User)
    if municipality is not None:
        inst_ids = list(institution_ids_of([municipality.id]))
        bound = db.select(RoleBinding.user_id).where(
            RoleBinding.institution_id.in_(inst_ids) | (RoleBinding.municipality_id == municipality.id))
        stmt = stmt.where(User.id.in_(bound))
    for word in q.split()[:4]:
        stmt = stmt.where(User.full_name.contains(word) | User.email.contains(word.lower()))
    return db.paginate(stmt.order_by(User.full_name), page=page, per_page=25, error_out=False)


def user_in(municipality: Municipality | None, user_id: int) -> User:
    user = get_or_404(User, user_id, "Пользователь не найден.")
    if municipality is not None and not _belongs_to(user, municipality):
        raise NotFound("Пользователь не найден.")
    return user


def _belongs_to(user: User, municipality: Municipality) -> bool:
    return any((b.institution is not None and b.institution.municipality_id == municipality.id)
               or b.municipality_id == municipality.id for b in user.bindings)


def parse_role(value: str) -> Role:
    if value not in Role._value2member_map_:
        raise Invalid("role", "Выберите роль.")
    return Role(value)


def grant(actor: User, user: User, role_value: str, institution_id, municipality: Municipality | None,
          as_coordinator: bool) -> RoleBinding:
    """Grant a role. A coordinator grants only institution roles in her city and the expert role there."""
    role = parse_role(role_value)
    inst = None
    if role.level == "institution":
        if not institution_id:
            raise Invalid("institution_id", "Для этой роли выберите организацию.")
        inst = institution_in(municipality if as_coordinator else None, institution_id)
    muni = municipality
    if as_coordinator and role not in GRANTABLE_BY_COORDINATOR:
        raise Forbidden("Координатор не может выдавать эту роль.")
    if not as_coordinator and role.level in ("municipality", "region") and muni is None:
        raise Invalid("municipality_id", "Для этой роли выберите муниципалитет (для ИРО — любой город его региона).")
    binding = grant_role(user, role, institution=inst,
                         municipality=muni if role.level in ("municipality", "region") else None, granted_by=actor)
    record("update", "role_binding", binding.id, institution_id=inst.id if inst else None,
           municipality_id=muni.id if muni else None, detail=f"выдана роль {role.value}")
    db.session.commit()
    return binding


def revoke(user: User, binding_id: int, municipality: Municipality | None, as_coordinator: bool) -> None:
    binding = get_or_404(RoleBinding, binding_id, "Роль не найдена.", user_id=user.id)
    if as_coordinator:
        in_city = (binding.institution is not None and binding.institution.municipality_id == municipality.id) or \
                  (binding.municipality_id == municipality.id and binding.role in GRANTABLE_BY_COORDINATOR)
        if not in_city or binding.role not in GRANTABLE_BY_COORDINATOR:
            raise NotFound()
    record("update", "role_binding", binding.id, institution_id=binding.institution_id,
           municipality_id=binding.municipality_id, detail=f"отозвана роль {binding.role.value}")
    user.bindings.remove(binding)
    db.session.commit()


def create_and_invite(actor: User, data: dict, municipality: Municipality | None, as_coordinator: bool) -> User:
    """Create the account, grant its first role, send the invitation — all or nothing."""
    if as_coordinator and not data.get("role"):
        raise Invalid("role", "Выберите роль: координатор создаёт пользователей только с ролью в своём городе.")
    try:
        user = create_user(data.get("email", ""), data.get("full_name", ""))
        if data.get("role"):
            role = parse_role(data["role"])
            inst = None
            if role.level == "institution":
                if not data.get("institution_id"):
                    raise Invalid("institution_id", "Для этой роли выберите организацию.")
                inst = institution_in(municipality if as_coordinator else None, data["institution_id"])
            if as_coordinator and role not in GRANTABLE_BY_COORDINATOR:
                raise Forbidden("Координатор не может выдавать эту роль.")
            grant_role(user, role, institution=inst,
                       municipality=municipality if role.level in ("municipality", "region") else None, granted_by=actor)
        record("create", "user", user.id, municipality_id=municipality.id if municipality else None)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    invite_user(user)
    return user


def set_active(user: User, active: bool) -> None:
    user.active = active
    record("update", "user", user.id, detail="учётная запись " + ("включена" if active else "отключена"))
    end_all_sessions(user)  # commits


def terminate_sessions(user: User) -> None:
    record("update", "user", user.id, detail="завершены все сеансы")
    end_all_sessions(user)
