"""View helpers shared by every feature: page or fragment, pagination arguments, form data."""
from __future__ import annotations

from flask import make_response, render_template, request

from portal.errors import Invalid
from portal.extensions import htmx
from portal.formatting import ID_MAX

# No list has this many pages and no id column holds more: beyond it a number is bad input, not a page.
QUERY_INT_MAX = ID_MAX


def render(template: str, fragment: str | None = None, status: int = 200, **context):
    """One URL serves the page or, for an HTMX request, the fragment the page itself includes."""
    chosen = fragment if (fragment and htmx and not htmx.boosted) else template
    response = make_response(render_template(chosen, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response


def page_arg() -> int:
    """The page number: missing or unreadable is the first page; a number no list can reach is a 422."""
    raw = request.args.get("page", "")
    try:
        value = int(raw) if raw.strip() else 1
    except ValueError:
        return 1
    if value > QUERY_INT_MAX:
        raise Invalid("page", f"Номер страницы — целое число от 1 до {QUERY_INT_MAX}.")
    return max(1, value)


def int_arg(name: str, default: int | None = None, *, low: int = 1, high: int = QUERY_INT_MAX,
            source=None, message: str = "") -> int | None:
    """An integer from the query string (or `source`, e.g. request.form): missing is `default`; anything that is
    not a whole number from `low` to `high` is a 422 naming the field, never a ValueError or a database overflow."""
    values = request.args if source is None else source
    raw = (values.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise Invalid(name, message or f"Ожидается целое число от {low} до {high}.")
    return value


def form_dict(*names: str) -> dict[str, str]:
    return {n: (request.form.get(n) or "").strip() for n in names}


def htmx_redirects(app) -> None:
    """An HTMX request answered with a redirect navigates the whole page: HX-Redirect instead of a 302, which
    the browser's XHR would otherwise follow and swap a full page into the form's target."""

    @app.after_request
    def _htmx_redirect(response):
        if request.headers.get("HX-Request") and response.status_code in (301, 302, 303) and response.location:
            target = response.location
            response = app.response_class("", status=200)
            response.headers["HX-Redirect"] = target
        return response
