"""Haven's log lines: one JSON object a line for hosts (HAVEN_LOG_FORMAT=json), plain text for
a developer, and in both the request id of the page, API call, socket or job each line
belongs to, so one request can be followed through every process that worked on it.

- RequestLogMiddleware (pages and the API) and SocketLogMiddleware (WebSockets, in asgi.py)
  bind a request id for everything logged while they run: the client's `X-Request-ID` when
  well-formed (nginx's `$request_id`), else a new one, echoed on the response. With
  HAVEN_ACCESS_LOG they also write one `haven.access` line per request and per socket.
- Jobs carry the id of the request that enqueued them, and the worker binds it, with the job's
  id, while it runs each one (haven/jobs/logs.py).
- RequestIdFilter puts the id on every record; the formatters print it.

Never logged by any of these: request bodies, query strings (they hold search words), headers
(cookies, tokens), members' words. JsonFormatter keeps only plain values, so an object passed
as `extra` (Django attaches the request itself to its 4xx/5xx lines) is left out, not printed
through its repr.
"""

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import LazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from haven.core.metrics import socket_kind

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and . _ -: nothing that could break a log line or a header. nginx's
# $request_id is 32 hex characters; a UUID with dashes is 36.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
NO_REQUEST_ID = "-"

_request_id: ContextVar[str] = ContextVar("haven_request_id", default=NO_REQUEST_ID)
_job_id: ContextVar[str] = ContextVar("haven_job_id", default="")

access_logger = logging.getLogger("haven.access")


def request_id_from(offered: str | bytes | None) -> str:
    """The client's (or the proxy's) id when it is well-formed, else a new one."""
    if isinstance(offered, bytes):
        offered = offered.decode("latin-1")
    if offered and WELL_FORMED_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The request id bound here, or "-" outside any request, socket or job."""
    return _request_id.get()


def bind_job(request_id: str, job_id: str) -> None:
    """For the worker: the lines of the job it now runs carry these ids until `unbind_job`."""
    _request_id.set(request_id)
    _job_id.set(job_id)


def unbind_job() -> None:
    _request_id.set(NO_REQUEST_ID)
    _job_id.set("")


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


class RequestLogMiddleware:
    """Right after the probes in MIDDLEWARE: binds the request id for the whole request, echoes
    it as X-Request-ID, and writes the access line (method, path, status, time, view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # Django logs 4xx answers after the middleware returns: RequestIdFilter finds the id
        # on the request it attaches.
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if settings.HAVEN_ACCESS_LOG:
                log_request(request, response.status_code, _elapsed_ms(started))
            return response
        finally:
            _request_id.reset(token)


def member_id(request: HttpRequest) -> int | None:
    """The signed-in member's id, if the request has looked them up already: looking them up
    here would touch the database, perhaps the very thing that is down (a 503 must stay one)."""
    user = getattr(request, "user", None)
    if isinstance(user, LazyObject) and user._wrapped is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


def loggable_path(request: HttpRequest) -> str:
    """The path without another member's pseudonym in it: beside the member's id, a line for
    /members/alice/block/ or /messages/new/alice/ would tell a log reader who blocked or wrote
    to whom. The segment becomes <pseudonym>; the route still shows what was asked."""
    match = getattr(request, "resolver_match", None)
    pseudonym = match.kwargs.get("pseudonym") if match is not None else None
    if not pseudonym:
        return request.path
    return "/".join(
        "<pseudonym>" if segment == pseudonym else segment for segment in request.path.split("/")
    )


def log_request(request: HttpRequest, status: int, duration_ms: float) -> None:
    match = getattr(request, "resolver_match", None)
    path = loggable_path(request)  # never the query string either: search words live there
    access_logger.info(
        "%s %s %s %sms",
        request.method,
        path,
        status,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "view": match.view_name if match is not None else None,
            # A number, never the pseudonym: lines may reach people who should not know who.
            "user_id": member_id(request),
        },
    )


class SocketLogMiddleware:
    """ASGI middleware around the WebSocket router: each socket gets its own request id at the
    handshake, bound for everything its consumer logs (Channels runs a consumer's handlers in
    this task, and sync code through sync_to_async, which copies the binding). The id is sent
    back on the handshake's answer; with HAVEN_ACCESS_LOG, one line when the socket opens (or
    is refused) and one when it closes."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        offered = dict(scope.get("headers") or ()).get(REQUEST_ID_HEADER.lower().encode())
        request_id = request_id_from(offered)
        token = _request_id.set(request_id)
        path = scope.get("path", "")  # never the query string
        started = time.perf_counter()
        accepted = False
        close_code: int | None = None

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal accepted, close_code
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                headers = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
                log_socket(path, "accepted")
            elif message["type"] == "websocket.close" and close_code is None:
                close_code = message.get("code", 1000)
                if not accepted:
                    log_socket(path, "refused", close_code=close_code)
            await send(message)

        async def receive_noting_close() -> dict[str, Any]:
            nonlocal close_code
            message = await receive()
            if message["type"] == "websocket.disconnect" and close_code is None:
                close_code = message.get("code", 1005)
            return message

        try:
            await self.app(scope, receive_noting_close, send_with_id)
        finally:
            if accepted:
                log_socket(path, "closed", close_code=close_code, duration_ms=_elapsed_ms(started))
            _request_id.reset(token)


def log_socket(
    path: str, event: str, *, close_code: int | None = None, duration_ms: float | None = None
) -> None:
    if not settings.HAVEN_ACCESS_LOG:
        return
    access_logger.info(
        "WebSocket %s %s%s",
        path,
        event,
        f" {close_code}" if close_code is not None else "",
        extra={
            "method": "WEBSOCKET",
            "path": path,
            "socket": socket_kind(path),
            "event": event,
            "close_code": close_code,
            "duration_ms": duration_ms,
        },
    )


class RequestIdFilter(logging.Filter):
    """On the handler: every record gets the request id bound where it was logged (and the job
    id in the worker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            # Django's own lines ("Not Found: %s") name the path: without the pseudonym too.
            shown = loggable_path(request)
            record.args = tuple(shown if arg == request.path else arg for arg in record.args)
        job_id = _job_id.get()
        if job_id:
            record.job_id = job_id
        return True


class NoDebugFilter(logging.Filter):
    """On loggers whose DEBUG lines carry members' words whatever the level asked for: uvicorn's
    WebSocket protocol logs each frame (chat messages) and each handshake header (the session
    cookie) at DEBUG; Django's SQL log holds every query's parameters."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


class NoSocketHandshakeFilter(logging.Filter):
    """On uvicorn.error when Haven's access log replaces uvicorn's: uvicorn writes each
    WebSocket handshake there, with the client's address and the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith('%s - "WebSocket %s"')


_PLAIN_VALUES = (str, int, float, bool, type(None))


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: time, level, logger, request_id, message, then the record's
    plain extra fields (method, path, status, duration_ms, view, job_id, ...)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            # uvicorn's copy of each message with terminal colours.
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        # Objects (a request, a socket scope) would be written through their repr, which may
        # hold a form's fields or a query string.
        for key in [key for key, value in log_data.items() if not isinstance(value, _PLAIN_VALUES)]:
            del log_data[key]


class TextFormatter(logging.Formatter):
    """For a developer's terminal: time, level, logger, [request id], message."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            defaults={"request_id": NO_REQUEST_ID},
        )
