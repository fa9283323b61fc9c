"""The region above the cities (ХМАО – Югра): the regional institute's pages — the merged registry of mentors,
tutors and experts (roadmap 27) and the target indicators rolled up from the cities' snapshots (roadmap 31)."""
