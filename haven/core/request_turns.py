"""HTTP requests take turns: at most HAVEN_HTTP_CONCURRENCY of a process's requests run Django's
views at once; the others wait in arrival order.

Why: Django runs each request's view in a thread of its own, and a busy process had dozens of
them competing for Python's one interpreter lock with the event loop that carries the chat
sockets. Under load (bench/load.py, 50 members, 2 processes) a chat message waited 2.1 s for its
acknowledgement at p50 and 7.5 s at p99, and the slowest pages 5.4 s, because whichever thread
the interpreter happened to favour went first. In turns, the same work is done in about the same
time, but the sockets' event loop competes with only a few threads (a chat message: 0.08 s at
p50, 0.41 s at p99), and pages queue fairly (p99 2.0 s).

A request takes its turn when its whole body has arrived and gives it back when its response
starts, so a slow upload or a slow reader never holds one (nginx buffers both anyway). The crisis
help page and the probes never wait: someone looking for a crisis line gets it at once, and a
load balancer sees a busy process as up. Waiting requests and how long they waited are in the
metrics (haven_http_requests_waiting, haven_http_turn_wait_seconds).
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from haven.core.metrics import HTTP_TURN_WAIT_SECONDS, HTTP_WAITING

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class RequestTurns:
    """ASGI middleware around Django's HTTP application; `limit` 0 lets every request run."""

    def __init__(self, app: ASGIApp, limit: int, never_wait: Iterable[str] = ()) -> None:
        self.app = app
        self.limit = limit
        self.never_wait = frozenset(never_wait)
        self._turns: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def turns(self) -> asyncio.Semaphore:
        # One per event loop: a server has one, but tests run each case in a loop of its own.
        loop = asyncio.get_running_loop()
        if self._turns is None or self._loop is not loop:
            self._turns, self._loop = asyncio.Semaphore(self.limit), loop
        return self._turns

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limit <= 0 or scope["type"] != "http" or scope["path"] in self.never_wait:
            await self.app(scope, receive, send)
            return
        turns = self.turns()
        holding = False

        async def receive_then_wait() -> Message:
            nonlocal holding
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body") and not holding:
                started = time.perf_counter()
                HTTP_WAITING.inc()
                try:
                    await turns.acquire()
                finally:
                    HTTP_WAITING.dec()
                holding = True
                HTTP_TURN_WAIT_SECONDS.observe(time.perf_counter() - started)
            return message

        async def send_then_give_back(message: Message) -> None:
            nonlocal holding
            if message["type"] == "http.response.start" and holding:
                holding = False
                turns.release()
            await send(message)

        try:
            await self.app(scope, receive_then_wait, send_then_give_back)
        finally:
            if holding:  # no response started (an error, a client gone)
                turns.release()
