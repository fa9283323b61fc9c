"""The second factor (TOTP, RFC 6238) for the powerful roles: enrolment with a QR code, codes at login, recovery
codes, reset by the platform admin. ASVS 4 2.8 / 4.3.1, ASVS 5 6.3.3.

Admins, coordinators, regional accounts and heads may enrol; the roles in MFA_REQUIRED_ROLES (admin and
coordinator in production) must, and are sent to the enrolment page after their password until they do. The
TOTP secret is encrypted at rest with a key derived from SECRET_KEY; each time step is accepted once; recovery
codes are kept as hashes and each works once. Enrolment, new recovery codes, use of a recovery code and a reset
are audited.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from portal import clock
from portal.accounts.models import new_session_token, RecoveryCode, TotpFactor, User
from portal.audit.services import record
from portal.errors import Forbidden, Invalid
from portal.extensions import db
from tenants.access import SECOND_FACTOR_ROLES as MFA_ROLES
from tenants.access import Role

ISSUER = "Наставник"
RECOVERY_CODES = 10


def _fernet() -> Fernet:
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), b"nastavnik: totp secrets, v1", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def may_enrol(user: User) -> bool:
    return any(b.role in MFA_ROLES for b in user.bindings)


def must_enrol(user: User) -> bool:
    required = {Role(r) for r in current_app.config["MFA_REQUIRED_ROLES"]}
    return any(b.role in required for b in user.bindings)


def factor_of(user: User) -> TotpFactor | None:
    return db.session.execute(db.select(TotpFactor).where(TotpFactor.user_id == user.id)).scalar_one_or_none()


def enrolled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def _secret(factor: TotpFactor) -> str:
    try:
        return _fernet().decrypt(factor.secret_encrypted.encode()).decode()
    except InvalidToken:
        # SECRET_KEY changed since enrolment: the factor cannot be read; the admin resets it.
        raise Invalid("code", "Второй фактор нужно настроить заново: обратитесь к администратору.") from None


def start_enrolment(user: User) -> TotpFactor:
    """A new secret for an account that has no confirmed factor (a pending one is kept, so a reload shows the
    same QR code)."""
    if not may_enrol(user):
        raise Forbidden("Второй фактор предусмотрен для администраторов, координаторов, ИРО и руководителей.")
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise Invalid("code", "Второй фактор уже настроен.")
    if factor is None:
        factor = TotpFactor(user_id=user.id, last_step=0,
                            secret_encrypted=_fernet().encrypt(pyotp.random_base32().encode()).decode())
        db.session.add(factor)
        db.session.commit()
    return factor


def provisioning(user: User, factor: TotpFactor) -> dict:
    """What the enrolment page shows: the QR code (an SVG made here, no outside service), the key to type in."""
    secret = _secret(factor)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return {"qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
            "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))}


def _accept_totp(factor: TotpFactor, code: str) -> bool:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp, now = pyotp.TOTP(_secret(factor)), clock.now()
    for offset in (0, -1, 1):   # one step of clock drift either way
        step = totp.timecode(now) + offset
        if step > factor.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            factor.last_step = step
            return True
    return False


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").lower().encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh one-time codes (the old ones stop working); shown once."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [(lambda h: f"{h[:5]}-{h[5:]}")(secrets.token_hex(5)) for _ in range(RECOVERY_CODES)]  # 40 bits each
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(code)))
    record("mfa_recovery_codes", "user", user.id, actor_id=user.id, detail="выданы новые коды восстановления")
    db.session.commit()
    return codes


def confirm_enrolment(user: User, code: str) -> list[str]:
    factor = factor_of(user)
    if factor is None:
        raise Invalid("code", "Начните настройку заново.")
    if factor.confirmed_at is not None:
        raise Invalid("code", "Второй фактор уже настроен.")
    if not _accept_totp(factor, code):
        raise Invalid("code", "Код не подошёл. Введите шесть цифр, которые сейчас показывает приложение.")
    factor.confirmed_at = clock.now()
    record("mfa_enrol", "user", user.id, actor_id=user.id, detail="подключён второй фактор (TOTP)")
    db.session.commit()
    return new_recovery_codes(user)


def verify(user: User, code: str) -> bool:
    """A code from the authenticator, or one of the recovery codes (then used up)."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        return False
    if _accept_totp(factor, code):
        db.session.commit()
        return True
    row = db.session.execute(db.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest("".join(code.split())),
        RecoveryCode.used_at.is_(None))).scalar_one_or_none()
    if row is None:
        return False
    row.used_at = clock.now()
    record("mfa_recovery_used", "user", user.id, actor_id=user.id, detail="вход по коду восстановления")
    db.session.commit()
    return True


def reset(user: User, actor: User) -> None:
    """The platform admin removes a lost factor; the person enrols again at the next login. Every session ends."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(db.delete(TotpFactor).where(TotpFactor.user_id == user.id))

    user.session_token = new_session_token()
    record("mfa_reset", "user", user.id, actor_id=actor.id, detail="второй фактор сброшен администратором")
    db.session.commit()
