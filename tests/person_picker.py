"""Choosing a person in a browser test as a curator would: type the surname, tick the suggestion."""
from __future__ import annotations


def pick_person(page, name: str, surname: str, staff_id: int) -> None:
    page.fill(f"#f-{name}-search", surname)
    box = page.locator(f'#suggest-{name} input[value="{staff_id}"]')
    box.wait_for()
    box.check()
    page.locator(f'#chosen-{name} input[value="{staff_id}"]').wait_for()
