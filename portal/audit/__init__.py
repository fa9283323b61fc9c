"""Audit log of personal-data access: who read, changed or exported which record, when and from where."""
