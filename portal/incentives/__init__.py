"""Incentives of mentors as a system (seed §3.3, §3.5, §4.2; roadmap item 5)."""
