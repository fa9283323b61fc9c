"""Accounts: users, role bindings, login, sessions, password change and reset, API tokens."""
