"""Password hashing with argon2id; old parameters are re-hashed on the next successful login."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from portal.errors import Invalid

MIN_LENGTH = 10


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_KIB"], parallelism=1)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    if not stored:
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)


def check_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise Invalid(field, f"Пароль должен содержать не менее {MIN_LENGTH} символов.")
    if password.isdigit() or password.isalpha():
        raise Invalid(field, "Пароль должен содержать и буквы, и цифры или другие знаки.")
