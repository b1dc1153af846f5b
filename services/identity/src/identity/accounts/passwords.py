"""Password policy and argon2id hashing (parameters from settings; rehash when they change)."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from identity.config import IdentitySettings
from servicekit.errors import FieldErrors


def check_policy(
    password: str, phone: str | None, errors: FieldErrors, path: str = "password"
) -> None:
    """≥ 8 characters, letters and digits, not the phone number (DOMAIN.md §1)."""
    if len(password) < 8 or len(password) > 128:
        errors.add(path, "密码长度应为8–128位", "must be 8–128 characters")
    elif not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        errors.add(path, "密码须同时包含字母和数字", "must contain letters and digits")
    elif phone and phone in password:
        errors.add(path, "密码不能包含手机号码", "must not contain the phone number")


class Passwords:
    def __init__(self, settings: IdentitySettings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
