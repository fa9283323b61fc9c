"""Satisfaction surveys of mentors and mentees (seed roadmap item 18)."""
