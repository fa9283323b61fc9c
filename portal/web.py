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
