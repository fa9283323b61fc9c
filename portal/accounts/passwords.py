"""Passwords: argon2id hashing, bounded in how many run at once, and the rules for choosing one (ASVS L2).

Hashing parameters come from the config (production default: the OWASP minimum for argon2id, 19 MiB, t=2, p=1);
old parameters are re-hashed on the next successful login. Each hash takes ~20 MiB and a core for tens of
milliseconds, so a process runs at most ARGON2_MAX_CONCURRENT at once: a storm of logins queues behind the
semaphore (and, past ARGON2_QUEUE_SECONDS, is told to retry) instead of taking every thread, so other pages
keep their threads.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from portal.errors import DomainError, Invalid

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).with_name("common_passwords.txt")
# Cyrillic letters typed on a Russian layout where the Latin key sits: «йцукен» is «qwerty» on the same keys.
_LAYOUT = str.maketrans("йцукенгшщзхъфывапролджэячсмитьбю", "qwertyuiop[]asdfghjkl;'zxcvbnm,.")


class HashingBusy(DomainError):
    status, code = 503, "busy"

    def __init__(self):
        super().__init__("Сейчас очень много входов в систему. Повторите через несколько секунд.")


_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _slot() -> threading.BoundedSemaphore:
    size = current_app.config["ARGON2_MAX_CONCURRENT"]
    with _slots_lock:
        if size not in _slots:
            _slots[size] = threading.BoundedSemaphore(size)
        return _slots[size]


def _bounded(work):
    slot = _slot()
    if not slot.acquire(timeout=current_app.config["ARGON2_QUEUE_SECONDS"]):
        raise HashingBusy()
    try:
        return work()
    finally:
        slot.release()


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_KIB"], parallelism=1)


def hash_password(password: str) -> str:
    hasher = _hasher()
    return _bounded(lambda: hasher.hash(password))


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1).hash("no such account")


def verify_password(stored: str, password: str) -> bool:
    """A missing account (stored == "") costs one verification too, against a dummy hash of the same parameters:
    the answer takes as long whether or not the e-mail has an account."""
    cfg = current_app.config
    hasher = _hasher()
    target = stored or _dummy_hash(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_KIB"])

    def work() -> bool:
        try:
            return hasher.verify(target, password)
        except (VerificationError, InvalidHashError):
            return False

    return _bounded(work) and bool(stored)


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)


# --- choosing a password ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_common(password: str) -> bool:
    common = common_passwords()
    lowered = password.lower()
    for candidate in {lowered, lowered.translate(_LAYOUT)}:
        stripped = re.sub(r"[\d\W_]+$", "", candidate)        # «qwerty1234», «dragon2024!!»
        if candidate in common or (len(stripped) >= 4 and stripped in common):
            return True
    return False


def _personal_words(email: str, name: str) -> list[str]:
    local = (email or "").lower().split("@")[0]
    words = [w for w in re.split(r"[\W_]+", local) if len(w) >= 4] + ([local] if len(local) >= 4 else [])
    words += [w for w in re.split(r"[\W_]+", (name or "").lower()) if len(w) >= 4]
    return words


def check_strength(password: str, field: str = "password", *, email: str = "", name: str = "") -> None:
    """ASVS L2: at least 12 and at most 128 characters, any characters (no composition rules), not one of the
    10,000 most common passwords (nor one of them with digits added, nor typed on the Russian layout), not
    repeating one or two characters, and not built from the account's e-mail or name."""
    length = len(re.sub(" {2,}", " ", password))  # ASVS counts runs of spaces as one
    if length < MIN_LENGTH:
        raise Invalid(field, f"Пароль должен содержать не менее {MIN_LENGTH} символов. Удобно взять несколько "
                             "слов через пробел.")
    if length > MAX_LENGTH:
        raise Invalid(field, f"Пароль не длиннее {MAX_LENGTH} символов.")
    if len(set(password.lower())) <= 2:
        raise Invalid(field, "Пароль из одного-двух повторяющихся символов легко подобрать. Выберите другой.")
    if _is_common(password):
        raise Invalid(field, "Этот пароль есть в списках самых распространённых паролей. Выберите другой.")
    lowered = password.lower()
    if email and (lowered == email.lower() or any(w in lowered for w in _personal_words(email, name))):
        raise Invalid(field, "Пароль не должен содержать ваш адрес электронной почты или имя.")
    if not email and name and any(w in lowered for w in _personal_words("", name)):
        raise Invalid(field, "Пароль не должен содержать ваше имя.")
