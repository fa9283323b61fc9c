"""View helpers shared by every feature: page or fragment, pagination arguments, form data."""
from __future__ import annotations

from flask import make_response, render_template, request

from portal.extensions import htmx


def render(template: str, fragment: str | None = None, status: int = 200, **context):
    """One URL serves the page or, for an HTMX request, the fragment the page itself includes."""
    chosen = fragment if (fragment and htmx and not htmx.boosted) else template
    response = make_response(render_template(chosen, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response


def page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except (TypeError, ValueError):
        return 1


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
