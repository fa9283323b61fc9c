"""Suggesting mentors for a mentee's need, ranked, each with the reasons in words; the curator decides."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.formatting import plural
from portal.mentoring.banks import mentors
from portal.mentoring.groups import capacity_of, current_mentee_count
from portal.mentoring.models import MenteeNeed, MentorProfile
from portal.staff.dictionaries import Category

CATEGORY_WEIGHT = {Category.MENTOR: 3, Category.METHODIST: 3, Category.HIGHEST: 2, Category.FIRST: 1}


@dataclass
class Suggestion:
    profile: MentorProfile
    score: float
    free: int | None  # None: no limit
    reasons: list[str] = field(default_factory=list)


def suggest(need: MenteeNeed, institution, today: date | None = None, limit: int = 10) -> list[Suggestion]:
    """Rank by coverage of the difficulties first, then free places, category and experience."""
    today = today or date.today()
    wanted = set(need.difficulties or [])
    result = []
    for profile in mentors():
        if profile.staff_id == need.staff_id:
            continue
        places = capacity_of(profile.staff_id, institution)
        free = None if places is None else places - current_mentee_count(profile.staff_id)
        if free is not None and free <= 0:
            continue  # at a limit the institution set: suggesting her would only lead to a warning
        covered = wanted & set(profile.competencies or [])
        months = profile.staff.experience_months(today) or 0
        years = months // 12
        score = (len(covered) / len(wanted) * 10 if wanted else 0) + min(3 if free is None else free, 3) + \
            CATEGORY_WEIGHT.get(profile.staff.category, 0) + min(years, 30) / 10
        reasons = []
        if wanted:
            reasons.append(f"покрывает {len(covered)} из {len(wanted)} {plural(len(wanted), 'затруднения', 'затруднений', 'затруднений')}")
        reasons.append("без ограничения числа наставляемых" if free is None else f"свободно мест: {free}")
        reasons.append(profile.staff.category.label.lower().replace(" квалификационная категория", " категория"))
        reasons.append(f"стаж {years} {plural(years, 'год', 'года', 'лет')}")
        result.append(Suggestion(profile, round(score, 2), free, reasons))
    result.sort(key=lambda s: (-s.score, s.profile.staff.last_name))
    return result[:limit]
