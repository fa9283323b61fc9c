"""Choosing a person in a browser test as a curator would: type the surname, tick the suggestion."""
from __future__ import annotations


def pick_person(page, name: str, surname: str, staff_id: int) -> None:
    page.wait_for_load_state()   # htmx binds the search box's trigger at load: a surname typed before is not sent
    search = page.locator(f"#f-{name}-search")
    box = page.locator(f'#suggest-{name} input[value="{staff_id}"]')
    for attempt in range(3):     # as a person would, type it again if no suggestion came
        search.fill("")
        search.fill(surname)
        try:
            box.wait_for(timeout=5000)
            break
        except Exception:
            if attempt == 2:
                raise
    box.check()
    page.locator(f'#chosen-{name} input[value="{staff_id}"]').wait_for()
