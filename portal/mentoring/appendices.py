"""Appendices of an order, by kind. Each kind says its title, what must hold before the order is issued, what
issuing does to it and how it prints; a new kind (issue 13: an institution's roadmap is a local act already, an
incentive list could be a text) is one more entry in KINDS, the schema stays as it is."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from portal.local_acts.services import approve_by_order, check_approvable
from portal.mentoring.models import Order, OrderAppendix


@dataclass(frozen=True)
class AppendixKind:
    label: str
    title: Callable[[OrderAppendix, Order, object], str]
    problem: Callable[[OrderAppendix, Order], str | None]
    on_issue: Callable[[OrderAppendix, Order], None]


def _act_title(a: OrderAppendix, order: Order, institution) -> str:
    if a.title:
        return a.title
    return a.act_version.act.title if a.act_version is not None else "Локальный акт"


def _act_problem(a: OrderAppendix, order: Order) -> str | None:
    if a.act_version is None:
        return "приложение — локальный акт, которого нет в реестре"
    return check_approvable(a.act_version)


def _act_issue(a: OrderAppendix, order: Order) -> None:
    if a.act_version is not None:
        approve_by_order(a.act_version, order)


def list_title(order: Order, institution) -> str:
    return f"Список наставников и наставляемых {institution.short_name} на {order.academic_year} учебный год"


def _list_problem(a: OrderAppendix, order: Order) -> str | None:
    return None if order.groups else "в приложении «Список наставников и наставляемых» нет ни одной пары (группы)"


def _text_problem(a: OrderAppendix, order: Order) -> str | None:
    return None if (a.text or "").strip() else f"приложение «{a.title or 'без названия'}» без текста"


def _file_problem(a: OrderAppendix, order: Order) -> str | None:
    return None if a.attachment_id else f"к приложению «{a.title or 'без названия'}» не приложен файл"


def _nothing(a: OrderAppendix, order: Order) -> None:
    return None


KINDS: dict[str, AppendixKind] = {
    "local_act": AppendixKind("Локальный акт из реестра", _act_title, _act_problem, _act_issue),
    "group_list": AppendixKind("Список наставников и наставляемых",
                               lambda a, o, inst: a.title or list_title(o, inst), _list_problem, _nothing),
    "text": AppendixKind("Текст", lambda a, o, inst: a.title or "Приложение", _text_problem, _nothing),
    "file": AppendixKind("Файл", lambda a, o, inst: a.title or "Приложение", _file_problem, _nothing),
}


def title(a: OrderAppendix, order: Order, institution) -> str:
    return KINDS[a.kind].title(a, order, institution) if a.kind in KINDS else (a.title or "Приложение")


def problems(order: Order) -> list[str]:
    return [p for a in order.appendices if a.kind in KINDS and (p := KINDS[a.kind].problem(a, order))]


def on_issue(order: Order) -> None:
    for a in order.appendices:
        if a.kind in KINDS:
            KINDS[a.kind].on_issue(a, order)


def has_list(order: Order) -> bool:
    return any(a.kind == "group_list" for a in order.appendices)


def number_of(order: Order, kind: str) -> int | None:
    """«приложение N» of the first appendix of a kind (the list is «приложение 2» in the seed)."""
    for n, a in enumerate(sorted(order.appendices, key=lambda a: a.position), start=1):
        if a.kind == kind:
            return n
    return None
