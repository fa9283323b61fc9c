"""Login throttling that slows attackers without letting them lock users out (ASVS 4 2.2.1, ASVS 5 6.3.1).

Three rules, all kept in the database (they work without Redis and across web nodes):

* **account × address**: after PAIR_FREE failures from one address on one account, each further attempt from that
  pair waits twice as long as the one before (1 s, 2 s, 4 s … up to PAIR_MAX_DELAY). It is refused even with the
  right password, but only for that pair: the owner elsewhere is not affected.
* **address**: an address with more than LOGIN_MAX_FAILURES_PER_IP failures in the window is refused only for
  accounts that have themselves been attacked (a failure in the window). A school behind one NAT address, or
  the shipped nginx, can no longer lock a colleague's account with wrong guesses for made-up e-mails.
* **account**: LOGIN_MAX_FAILURES_PER_ACCOUNT failures in an hour (from anywhere) lock the account; the owner gets
  an e-mail with a link that unlocks it (and a password reset unlocks it too). Nobody can lock it for good.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal import clock
from portal.accounts.models import LoginFailure, User
from portal.errors import Invalid
from portal.extensions import db
from portal.mail import send_mail

log = logging.getLogger("portal.auth")

PAIR_FREE = 5
PAIR_MAX_DELAY = timedelta(minutes=15)
ACCOUNT_WINDOW = timedelta(hours=1)


class Throttled(Exception):
    """Refused before the password is looked at; `seconds` until the next attempt may succeed (None: locked)."""

    def __init__(self, seconds: int | None, locked: bool = False):
        self.seconds = seconds
        self.locked = locked
        self.minutes = max(1, -(-(seconds or 0) // 60))


def mask(email: str) -> str:
    # Logs carry no personal data: a short hash identifies the account across log lines.
    return hashlib.sha256(email.encode()).hexdigest()[:12]


def _count(*conditions) -> int:
    return db.session.execute(db.select(db.func.count(LoginFailure.id)).where(*conditions)).scalar_one()


def pair_delay(failures: int) -> timedelta:
    """How long an account × address pair waits after its n-th failure: nothing for the first PAIR_FREE."""
    if failures < PAIR_FREE:
        return timedelta(0)
    return min(PAIR_MAX_DELAY, timedelta(seconds=2 ** min(failures - PAIR_FREE, 20)))


def check(email: str, ip: str, now: datetime | None = None) -> None:
    """Raise Throttled if this attempt may not even be evaluated."""
    cfg = current_app.config
    now = now or clock.now()
    window = now - cfg["LOGIN_FAILURE_WINDOW"]
    account_failures = _count(LoginFailure.email == email, LoginFailure.at >= now - ACCOUNT_WINDOW)
    if account_failures >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]:
        log.warning("login refused: account locked account=%s ip=%s", mask(email), ip)
        raise Throttled(None, locked=True)
    pair = db.session.execute(db.select(db.func.count(LoginFailure.id), db.func.max(LoginFailure.at)).where(
        LoginFailure.email == email, LoginFailure.ip == ip, LoginFailure.at >= now - PAIR_MAX_DELAY * 2)).one()
    if pair[0] >= PAIR_FREE:
        wait_until = pair[1] + pair_delay(pair[0])
        if now < wait_until:
            log.warning("login slowed account=%s ip=%s failures=%s", mask(email), ip, pair[0])
            raise Throttled(int((wait_until - now).total_seconds()) + 1)
    if _count(LoginFailure.ip == ip, LoginFailure.at >= window) >= cfg["LOGIN_MAX_FAILURES_PER_IP"]:
        attacked = _count(LoginFailure.email == email, LoginFailure.at >= window) > 0
        if attacked:
            log.warning("login refused: address over its limit account=%s ip=%s", mask(email), ip)
            raise Throttled(int(cfg["LOGIN_FAILURE_WINDOW"].total_seconds()))


def record_failure(email: str, ip: str, user) -> None:
    db.session.add(LoginFailure(email=email[:254], ip=ip[:64], at=clock.now()))
    db.session.commit()
    log.info("login failed account=%s ip=%s", mask(email), ip)
    limit = current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if user is not None and _count(LoginFailure.email == email, LoginFailure.at >= clock.now() - ACCOUNT_WINDOW) == limit:
        _send_unlock_link(user)


def clear_pair(email: str, ip: str) -> None:
    """A correct password from this address: its own slow-down starts over."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.ip == ip))


def clear_account(email: str) -> None:
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == email))


# --- unlocking by the owner, through e-mail ------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="login-unlock")


def unlock_token(user) -> str:
    return _serializer().dumps({"u": user.id})


def _send_unlock_link(user) -> None:
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/login/unlock/" + unlock_token(user)
    log.warning("account locked after repeated failures account=%s; unlock link sent", mask(user.email))
    # The message and its delivery job are committed together: a broker that is down delays it, never loses it.
    send_mail(user.email, "Вход в «Наставник» заблокирован",
              f"Здравствуйте, {user.full_name}!\n\nЗа последний час в вашу учётную запись много раз пытались "
              "войти с неверным паролем, и вход в неё временно заблокирован.\n\nЕсли это были вы или вы хотите "
              f"снова войти, откройте ссылку (действует сутки):\n{link}\n\nЕсли вы не пытались войти, "
              "смените пароль после разблокировки.")


def unlock(token: str):
    try:
        data = _serializer().loads(token, max_age=24 * 3600)
    except SignatureExpired:
        raise Invalid("token", "Срок действия ссылки истёк. Подождите час или восстановите пароль.") from None
    except BadSignature:
        raise Invalid("token", "Ссылка недействительна.") from None
    user = db.session.get(User, data.get("u"))
    if user is None:
        raise Invalid("token", "Ссылка недействительна.")
    clear_account(user.email)
    db.session.commit()
    log.info("account unlocked by its owner account=%s", mask(user.email))
    return user
