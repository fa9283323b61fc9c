"""JSON API /api/v1: bearer tokens, the same services and the same tenant scoping as the pages."""
