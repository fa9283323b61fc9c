"""Mentors' development (training, incentives) and the registry of mentors for the regional institute."""
