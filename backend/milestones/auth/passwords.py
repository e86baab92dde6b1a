"""argon2 password hashing (RFC 9106 defaults; tests may lower the cost through config)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


@cache
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    # Verified against when the account does not exist, so timing does not tell.
    return _hasher(time_cost, memory_cost).hash("not-a-real-password")


def _params() -> tuple[int, int]:
    defaults = PasswordHasher()
    if not has_app_context():
        return defaults.time_cost, defaults.memory_cost
    config = current_app.config
    return (
        int(config.get("ARGON2_TIME_COST") or defaults.time_cost),
        int(config.get("ARGON2_MEMORY_COST") or defaults.memory_cost),
    )


def hash_password(password: str) -> str:
    return _hasher(*_params()).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    params = _params()
    try:
        return _hasher(*params).verify(password_hash or _dummy_hash(*params), password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False
