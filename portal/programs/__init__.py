"""Personalized mentoring programs (ППН): plans, states, extensions by mutual consent, templates, DOCX."""
