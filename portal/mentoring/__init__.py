"""Mentoring inside an institution: banks, pairs and groups, orders, personalized programs, plans, meetings."""
