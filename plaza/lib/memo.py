"""Facts about a person worked out once per request and remembered on the person object (``request.user``).

Several checks of one page ask the same question of the same person — their positions, their scopes, whether
they are dealer staff, which organisations they reach — and each answer costs a query. The answer is kept in the
object's ``__dict__`` under a key of this module, so it lives exactly as long as the request's user object and
is never shared between requests or people. A service that changes what the answers depend on (positions,
memberships, dealer staff) calls :func:`forget` so the rest of the request reads them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_PREFIX = "_plaza_memo:"


def remembered(person: Any, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time this person object is asked for ``key``; the same answer afterwards. An
    object without a ``__dict__`` (an anonymous user) is simply asked every time."""
    memo = getattr(person, "__dict__", None)
    name = _PREFIX + key
    if isinstance(memo, dict) and name in memo:
        return memo[name]
    found = compute()
    if isinstance(memo, dict):
        memo[name] = found
    return found


def forget(person: Any) -> None:
    """Drop every remembered answer on this person object: what changed may feed more than one of them (a new
    position changes the scopes, the mall's reach and the sections shown)."""
    memo = getattr(person, "__dict__", None)
    if isinstance(memo, dict):
        for name in [name for name in memo if isinstance(name, str) and name.startswith(_PREFIX)]:
            del memo[name]
