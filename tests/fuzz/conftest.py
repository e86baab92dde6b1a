"""The fuzz suite shares the security suite's app, database and world."""

from tests.security.conftest import fresh_world, keeper, security_app, secworld

__all__ = ["fresh_world", "keeper", "security_app", "secworld"]
