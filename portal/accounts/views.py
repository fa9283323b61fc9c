"""Login, logout, password change and reset, the profile page with API tokens."""
from __future__ import annotations


from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from portal.accounts import mfa_views, services, throttle
from portal.accounts.mfa_views import complete_login, start_second_step
from portal.errors import Invalid
from portal.web import form_dict, render
from tenants.access import AUTHENTICATED, PUBLIC, allow

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site. Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    "/<TAB>/evil.example" or "/<BACKSLASH>evil.example" would leave the origin: any control character or
    backslash is refused, and so is anything with a scheme or a host."""
    if not target or not target.startswith("/") or "\\" in target:
        return url_for("home.index")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return url_for("home.index")
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return url_for("home.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("home.index"))
        return render("accounts/login.html", email="", error=None)
    data = form_dict("email", "password")
    try:
        user = services.authenticate(data["email"], request.form.get("password", ""), request.remote_addr or "")
    except services.Throttled as exc:
        if exc.locked:
            error = ("Вход в эту учётную запись временно заблокирован: в неё много раз пытались войти с неверным "
                     "паролем. Владельцу отправлено письмо со ссылкой для разблокировки; можно также "
                     "восстановить пароль.")
        elif exc.seconds and exc.seconds < 60:
            error = f"Слишком много неудачных попыток входа. Подождите {exc.seconds} с и повторите."
        else:
            error = (f"Слишком много неудачных попыток входа. Подождите {exc.minutes} мин. и повторите "
                     "или восстановите пароль.")
        response = render("accounts/login.html", email=data["email"][:254], error=error, status=429)
        if exc.seconds:
            response.headers["Retry-After"] = str(exc.seconds)
        return response
    except Invalid as exc:
        return render("accounts/login.html", email="", error=exc.message, status=422)
    if user is None:
        return render("accounts/login.html", email=data["email"], error="Неверный адрес электронной почты или пароль.",
                      status=401)
    next_url = _safe_next(request.args.get("next"))
    return start_second_step(user, next_url) or complete_login(user, next_url)


@bp.route("/login/unlock/<token>", methods=["GET"])
@allow(PUBLIC)
def unlock(token: str):
    try:
        throttle.unlock(token)
    except Invalid as exc:
        return render("accounts/login.html", email="", error=exc.message, status=422)
    flash("Вход в учётную запись разблокирован. Войдите с вашим паролем.", "success")
    return redirect(url_for("accounts.login"))


@bp.route("/logout", methods=["POST"])
@allow(AUTHENTICATED)
def logout():
    services.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash("Вы вышли из системы.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/profile", methods=["GET"])
@allow(AUTHENTICATED)
def profile():
    return render("accounts/profile.html", tokens=services.tokens_of(current_user), new_token=None, errors={})


@bp.route("/profile/password", methods=["POST"])
@allow(AUTHENTICATED)
def change_password():
    try:
        services.change_password(current_user, request.form.get("current_password", ""),
                                 request.form.get("new_password", ""), request.form.get("new_password_repeat", ""))
    except Invalid as exc:
        return render("accounts/profile.html", "accounts/_password_form.html", status=422,
                      tokens=services.tokens_of(current_user), new_token=None, errors=exc.fields)
    # Every session ended, this one included: log in again with the new password.
    logout_user()
    session.clear()
    flash("Пароль изменён. Войдите с новым паролем.", "success")
    response = redirect(url_for("accounts.login"))
    if request.headers.get("HX-Request"):
        response = current_app.response_class("", status=204)
        response.headers["HX-Redirect"] = url_for("accounts.login")
    return response


@bp.route("/profile/tokens", methods=["POST"])
@allow(AUTHENTICATED)
def create_token():
    try:
        token = services.create_api_token(current_user, request.form.get("name", ""))
    except Invalid as exc:
        return render("accounts/profile.html", "accounts/_tokens.html", status=422,
                      tokens=services.tokens_of(current_user), new_token=None, errors=exc.fields)
    return render("accounts/profile.html", "accounts/_tokens.html",
                  tokens=services.tokens_of(current_user), new_token=token, errors={})


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(AUTHENTICATED)
def revoke_token(token_id: int):
    services.revoke_api_token(current_user, token_id)
    return render("accounts/profile.html", "accounts/_tokens.html",
                  tokens=services.tokens_of(current_user), new_token=None, errors={})


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow(PUBLIC)
def forgot_password():
    if request.method == "POST":
        services.request_password_reset(request.form.get("email", ""))
        return render("accounts/forgot.html", sent=True)
    return render("accounts/forgot.html", sent=False)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset_password(token: str):
    errors: dict = {}
    if request.method == "POST":
        try:
            services.set_password_from_token(token, request.form.get("new_password", ""),
                                             request.form.get("new_password_repeat", ""))
        except Invalid as exc:
            errors = exc.fields
        else:
            flash("Пароль задан. Войдите с новым паролем.", "success")
            return redirect(url_for("accounts.login"))
    else:
        try:
            services.user_from_reset_token(token)
        except Invalid as exc:
            errors = exc.fields
    return render("accounts/reset.html", errors=errors, status=422 if errors else 200)


def register(app) -> None:
    app.register_blueprint(bp)
    mfa_views.register(app)
