"""Rules for accounts: authentication with throttling, sessions, invitations, password reset, role grants."""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal import clock
from portal.accounts import throttle
from portal.accounts.models import ApiToken, new_session_token, PasswordResetRequest, RoleBinding, User
from portal.accounts.passwords import check_strength, hash_password, needs_rehash, verify_password
from portal.errors import Conflict, Invalid
from portal.extensions import db
from portal.jobs.services import submit
from portal.mail import send_mail
from tenants.access import Role
from tenants.models import Institution, Municipality
from tenants.queries import get_or_404

log = logging.getLogger("portal.auth")


Throttled = throttle.Throttled
MAX_EMAIL = 254
MAX_PASSWORD_TRIED = 1024   # no password that long can be set; longer input is not even hashed


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(db.select(User).where(User.email == normalize_email(email))).scalar_one_or_none()


def authenticate(email: str, password: str, ip: str) -> User | None:
    """Return the user for a correct password, None for a wrong one; raise Throttled when this attempt may not be
    evaluated (portal/accounts/throttle.py). A missing or disabled account costs one argon2 verification as well,
    so the answer takes as long either way."""
    email = normalize_email(email)
    if len(email) > MAX_EMAIL:
        raise Invalid("email", f"Адрес электронной почты не длиннее {MAX_EMAIL} символов.")
    throttle.check(email, ip)
    user = find_user_by_email(email)
    stored = user.password_hash if user is not None and user.active else ""
    correct = len(password) <= MAX_PASSWORD_TRIED and verify_password(stored, password)
    if not correct:
        throttle.record_failure(email, ip, user if user is not None and user.active else None)
        return None
    throttle.clear_pair(email, ip)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = clock.now()
    db.session.commit()
    return user




def end_all_sessions(user: User) -> None:
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current: str, new: str, repeat: str) -> None:
    if not verify_password(user.password_hash, current):
        raise Invalid("current_password", "Текущий пароль указан неверно.")
    if new != repeat:
        raise Invalid("new_password_repeat", "Пароли не совпадают.")
    check_strength(new, "new_password", email=user.email, name=user.full_name)
    user.password_hash = hash_password(new)
    end_all_sessions(user)


# --- password reset and invitations: signed, expiring, single-use links ----------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    # Bound to the current password hash, so the link dies once a password is set.
    return _serializer().dumps({"u": user.id, "h": hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]})


def user_from_reset_token(token: str, max_age: int = 3 * 24 * 3600) -> User:
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise Invalid("token", "Срок действия ссылки истёк. Запросите новую.") from None
    except BadSignature:
        raise Invalid("token", "Ссылка недействительна. Запросите новую.") from None
    user = db.session.get(User, data.get("u"))
    if user is None or hashlib.sha256(user.password_hash.encode()).hexdigest()[:16] != data.get("h"):
        raise Invalid("token", "Ссылка уже использована или недействительна. Запросите новую.")
    return user


def set_password_from_token(token: str, new: str, repeat: str) -> User:
    user = user_from_reset_token(token)
    if new != repeat:
        raise Invalid("new_password_repeat", "Пароли не совпадают.")
    check_strength(new, "new_password", email=user.email, name=user.full_name)
    user.password_hash = hash_password(new)
    throttle.clear_account(user.email)  # proving control of the mailbox also lifts a lock
    end_all_sessions(user)
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset the same way for every address: one row and its job (given only the row's id) in one
    transaction, the same answer. The job sends the link if the account exists. A broker that is down changes
    nothing the visitor can see (the job waits in the outbox for the relay; tasks.accounts is idempotent), so there
    is no 503-or-200 oracle either."""
    email = normalize_email(email)
    if not email or len(email) > MAX_EMAIL:
        return
    row = PasswordResetRequest(email=email)
    db.session.add(row)
    db.session.flush()
    submit("accounts.password_reset", row.id)
    db.session.commit()


def process_password_reset(request_id: int) -> None:
    row = db.session.get(PasswordResetRequest, request_id)
    if row is None:
        return  # already handled
    user = find_user_by_email(row.email)
    db.session.delete(row)
    db.session.commit()
    if user is None or not user.active:
        return
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/password/reset/" + reset_token(user)
    send_mail(user.email, "Восстановление пароля — «Наставник»",
              f"Здравствуйте, {user.full_name}!\n\nЧтобы задать новый пароль, откройте ссылку:\n{link}\n\n"
              "Если вы не запрашивали восстановление, просто проигнорируйте это письмо.")


# --- users and roles ---------------------------------------------------------------------------------------

def create_user(email: str, full_name: str, password: str | None = None) -> User:
    email = normalize_email(email)
    if not email or "@" not in email:
        raise Invalid("email", "Укажите адрес электронной почты.")
    if not (full_name or "").strip():
        raise Invalid("full_name", "Укажите Ф.И.О.")
    if find_user_by_email(email):
        raise Invalid("email", "Пользователь с таким адресом уже есть.")
    user = User(email=email, full_name=full_name.strip())
    if password:
        check_strength(password, email=email, name=full_name)
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def invite_user(user: User) -> str:
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/password/reset/" + reset_token(user)
    send_mail(user.email, "Приглашение в «Наставник»",
              f"Здравствуйте, {user.full_name}!\n\nДля вас создана учётная запись на портале «Наставник».\n"
              f"Чтобы задать пароль и войти, откройте ссылку (действует 3 дня):\n{link}\n")
    return link


def grant_role(user: User, role: Role, *, institution: Institution | None = None,
               municipality: Municipality | None = None, region=None, granted_by: User | None = None) -> RoleBinding:
    """A role in its scope. A region's role given with a municipality takes that municipality's region."""
    if role.level == "institution" and institution is None:
        raise Invalid("institution_id", "Для этой роли выберите организацию.")
    if role.level == "municipality" and municipality is None:
        raise Invalid("municipality_id", "Для этой роли выберите муниципалитет.")
    if role.level == "region":
        region = region or (municipality.region if municipality is not None else None)
        if region is None:
            raise Invalid("region_id", "Для этой роли выберите регион (или муниципалитет, у которого задан регион).")
    else:
        region = None
    if role.level != "institution":
        institution = None
    if role.level != "municipality":
        municipality = None
    for b in user.bindings:
        if b.role is role and b.institution_id == (institution.id if institution else None) \
                and b.municipality_id == (municipality.id if municipality else None) \
                and b.region_id == (region.id if region else None):
            raise Conflict("У пользователя уже есть эта роль.")
    binding = RoleBinding(user=user, role=role, institution=institution, municipality=municipality, region=region,
                          granted_by_id=granted_by.id if granted_by else None)
    db.session.add(binding)
    db.session.flush()
    return binding


def revoke_role(binding_id: int) -> RoleBinding:
    binding = get_or_404(RoleBinding, binding_id)
    db.session.delete(binding)
    db.session.flush()
    return binding


# --- API tokens -------------------------------------------------------------------------------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid("name", "Назовите токен, например «Интеграция с 1С».")
    if len(name) > 100:
        raise Invalid("name", "Название не длиннее 100 символов.")
    token = "nst_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(token)))
    db.session.commit()
    return token


def user_for_api_token(token: str) -> User | None:
    row = db.session.execute(db.select(ApiToken).where(ApiToken.token_hash == _digest(token))).scalar_one_or_none()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    if row.last_used_at is None or clock.now() - row.last_used_at > timedelta(minutes=5):
        row.last_used_at = clock.now()
        db.session.commit()
    return row.user


def revoke_api_token(user: User, token_id: int) -> None:
    row = get_or_404(ApiToken, token_id, "Токен не найден.", user_id=user.id)
    row.revoked_at = clock.now()
    db.session.commit()


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)
    ).scalars())


def user_ids_with_roles(institution_id: int, roles) -> list[int]:
    """Accounts holding any of these roles in the institution (who to notify about its affairs)."""
    return list(db.session.execute(db.select(RoleBinding.user_id).where(
        RoleBinding.institution_id == institution_id, RoleBinding.role.in_(list(roles)))).scalars().unique())


def city_user_ids(municipality_id: int, roles) -> list[int]:
    """Accounts holding any of these roles in the city (the coordinators to tell about the institutions' reports)."""
    return list(db.session.execute(db.select(RoleBinding.user_id).where(
        RoleBinding.municipality_id == municipality_id, RoleBinding.role.in_(list(roles)))).scalars().unique())
