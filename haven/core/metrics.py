"""Prometheus metrics the apps record into (prometheus-client): request latency by view, open
sockets by kind, messages stored, the safety pipeline's latency. Figures read from the database
at scrape time (queue depths, the oldest urgent item, the vector index) and the /metrics
endpoint are in haven/metrics.py.

With several server processes, scripts/serve sets PROMETHEUS_MULTIPROC_DIR and each process
writes its figures there; the endpoint adds them up (prometheus-client's multiprocess mode).
"""

import time
from collections.abc import Awaitable, Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Gauge, Histogram

# Pages and API answers: most are tens of milliseconds; the top buckets catch the slow tail.
REQUEST_SECONDS = Histogram(
    "haven_request_duration_seconds",
    "Time to answer an HTTP request, by Django view.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OPEN_SOCKETS = Gauge(
    "haven_open_sockets",
    "WebSockets open now, by kind (chat, rooms, direct, notifications, care, ...).",
    ["kind"],
    multiprocess_mode="livesum",
)
MESSAGES_STORED = Counter(
    "haven_messages_stored",
    "Live messages stored, by where: a listener chat, a support room, a direct conversation.",
    ["kind"],
)
SAFETY_SECONDS = Histogram(
    "haven_safety_screen_seconds",
    "Time the safety pipeline takes to screen one text (the fast path's target is 10 ms).",
    buckets=(0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 1),
)
# Requests waiting for their turn to run a view (haven.core.request_turns).
HTTP_WAITING = Gauge(
    "haven_http_requests_waiting",
    "HTTP requests waiting for their turn to run (HAVEN_HTTP_CONCURRENCY at a time).",
    multiprocess_mode="livesum",
)
HTTP_TURN_WAIT_SECONDS = Histogram(
    "haven_http_turn_wait_seconds",
    "Time an HTTP request waited for its turn before its view ran.",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

# Every series from the start at zero, so dashboards draw a line before the first event.
for _kind in ("notifications", "chat", "direct", "rooms", "care"):
    OPEN_SOCKETS.labels(_kind)
for _kind in ("chat", "room", "direct"):
    MESSAGES_STORED.labels(_kind)


def count_message(kind: str) -> None:
    MESSAGES_STORED.labels(kind).inc()


class RequestMetricsMiddleware:
    """Times each request by the name of the view that answered (one label per view, never per
    URL, so ids and pseudonyms never become labels)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match is not None else "unmatched"
        REQUEST_SECONDS.labels(view, request.method or "GET").observe(time.perf_counter() - started)
        return response


def socket_kind(path: str) -> str:
    """/ws/chat/12/ → "chat": the kind of socket, never its ids."""
    parts = [part for part in path.split("/") if part]
    return parts[1] if len(parts) > 1 and parts[0] == "ws" else "other"


class SocketCounter:
    """ASGI middleware around the WebSocket router: a socket counts from its acceptance until
    its consumer returns, however it ends."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        gauge = OPEN_SOCKETS.labels(socket_kind(scope.get("path", "")))
        accepted = False

        async def counting_send(message: dict[str, Any]) -> None:
            nonlocal accepted
            if message.get("type") == "websocket.accept" and not accepted:
                accepted = True
                gauge.inc()
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if accepted:
                gauge.dec()
