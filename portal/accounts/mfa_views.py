"""The second step of login (a code from the authenticator or a recovery code), enrolment with a QR code at login
or from the profile, new recovery codes, and the admin's reset of a lost factor."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import current_user, login_user

from portal.accounts import mfa, throttle
from portal.accounts.models import User
from portal.errors import Invalid
from portal.extensions import db
from portal.web import render
from tenants.access import ADMINISTER_PLATFORM, AUTHENTICATED, PUBLIC, allow
from tenants.queries import find, get_or_404

bp = Blueprint("mfa", __name__)
PENDING_SECONDS = 10 * 60


def start_second_step(user: User, next_url: str):
    """After a correct password: ask for the code, or send a user who must enrol to the enrolment page."""
    if not (mfa.enrolled(user) or mfa.must_enrol(user)):
        return None
    session.clear()
    session["mfa_pending"] = {"u": user.get_id(), "at": datetime.now(timezone.utc).timestamp(), "next": next_url}
    return redirect(url_for("mfa.code" if mfa.enrolled(user) else "mfa.setup_at_login"))


def complete_login(user, next_url: str):
    """Every factor checked: a fresh session (no fixation) for the user."""
    session.clear()
    login_user(user)
    now = datetime.now(timezone.utc).timestamp()
    session["login_at"] = session["seen"] = now
    return redirect(next_url)


def _pending_user() -> tuple[User | None, str]:
    pending = session.get("mfa_pending") or {}
    if not pending or datetime.now(timezone.utc).timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None, ""
    try:
        raw_id, token = str(pending["u"]).split(":", 1)
    except (ValueError, KeyError):
        return None, ""
    user = find(User, raw_id)
    if user is None or not user.active or user.session_token != token:
        return None, ""
    return user, pending.get("next") or url_for("home.index")


def _expired():
    # Nothing pending (or pending too long): the login page itself, so the address stays a plain public page.
    session.pop("mfa_pending", None)
    error = "Время на ввод кода истекло. Войдите ещё раз." if request.method == "POST" else None
    return render("accounts/login.html", email="", error=error, status=401 if error else 200)


@bp.route("/login/code", methods=["GET", "POST"])
@allow(PUBLIC)
def code():
    user, next_url = _pending_user()
    if user is None:
        return _expired()
    if request.method == "GET":
        return render("accounts/mfa_code.html", error=None)
    ip = request.remote_addr or ""
    try:
        throttle.check(user.email, ip)
    except throttle.Throttled as exc:
        return render("accounts/mfa_code.html", status=429,
                      error=f"Слишком много неверных кодов. Подождите {exc.minutes} мин. и повторите.")
    if not mfa.verify(user, request.form.get("code", "")[:64]):
        throttle.record_failure(user.email, ip, user)
        return render("accounts/mfa_code.html", status=401,
                      error="Код не подошёл. Введите шесть цифр из приложения или один из кодов восстановления.")
    throttle.clear_pair(user.email, ip)
    db.session.commit()
    return complete_login(user, next_url)


@bp.route("/login/mfa/setup", methods=["GET", "POST"])
@allow(PUBLIC)
def setup_at_login():
    user, next_url = _pending_user()
    if user is None:
        return _expired()
    factor = mfa.start_enrolment(user)
    if request.method == "POST":
        try:
            codes = mfa.confirm_enrolment(user, request.form.get("code", "")[:64])
        except Invalid as exc:
            return render("accounts/mfa_setup.html", status=422, error=exc.message, required=True,
                          **mfa.provisioning(user, factor))
        complete_login(user, next_url)
        return render("accounts/mfa_recovery_codes.html", codes=codes, next_url=next_url)
    return render("accounts/mfa_setup.html", error=None, required=True, **mfa.provisioning(user, factor))


@bp.route("/profile/mfa", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def profile():
    if mfa.enrolled(current_user):
        return render("accounts/mfa_status.html", error=None)
    factor = mfa.start_enrolment(current_user)
    if request.method == "POST":
        try:
            codes = mfa.confirm_enrolment(current_user, request.form.get("code", "")[:64])
        except Invalid as exc:
            return render("accounts/mfa_setup.html", status=422, error=exc.message, required=False,
                          **mfa.provisioning(current_user, factor))
        return render("accounts/mfa_recovery_codes.html", codes=codes, next_url=url_for("accounts.profile"))
    return render("accounts/mfa_setup.html", error=None, required=False, **mfa.provisioning(current_user, factor))


@bp.route("/profile/mfa/recovery", methods=["POST"])
@allow(AUTHENTICATED)
def recovery():
    if not mfa.verify(current_user, request.form.get("code", "")[:64]):
        return render("accounts/mfa_status.html", status=422, error="Код не подошёл: новые коды не выданы.")
    return render("accounts/mfa_recovery_codes.html", codes=mfa.new_recovery_codes(current_user),
                  next_url=url_for("accounts.profile"))


@bp.route("/admin/users/<int:user_id>/mfa/reset", methods=["POST"])
@allow(ADMINISTER_PLATFORM)
def admin_reset(user_id: int):
    user = get_or_404(User, user_id, "Пользователь не найден.")
    mfa.reset(user, current_user)
    flash("Второй фактор сброшен: при следующем входе пользователь настроит его заново.", "info")
    return redirect(url_for("admin.user", user_id=user.id))


def register(app) -> None:
    app.register_blueprint(bp)
