"""Answers computed once per request: several layers of one page ask the same question (the
second-factor gate, the menu and the page itself each asked which communities the member
moderates, a query each time).

Only inside a request (haven.core.middleware.RequestScopeMiddleware): code called from a
consumer, a job or a test computes afresh every time. A write that could change an answer
forgets them all (forget_request_memo), so a page that changes something and then reads it sees
the change.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("haven_request_memo", default=None)


def request_memo[T](key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget_request_memo(*args: Any, **kwargs: Any) -> None:
    """Forget this request's answers (also usable as a signal receiver)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


@contextmanager
def memoising() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)
