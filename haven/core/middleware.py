"""Middleware of Haven's own that every request passes.

- PrivateResponseMiddleware: responses that belong to one person are never kept by a cache.
- DatabaseUnavailableMiddleware: a database that is down, or a connection pool with nothing
  free, answers 503 with the static crisis page and Retry-After, instead of a 500 that tells
  nobody what to do.
- HtmxLoginRedirectMiddleware: a panel fetched by htmx after the session ended is not answered
  with the login page (htmx would paste it inside the page being read).
"""

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control

from haven.core.error_pages import database_unavailable_response, typed_text
from haven.core.realtime import batched_pushes
from haven.core.request_memo import memoising

try:
    import psycopg
except ImportError:  # the embedded default may run without psycopg
    psycopg = None

logger = logging.getLogger(__name__)


def _directives(response: HttpResponse) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in header.split(",") if part.strip()}


def is_personal_request(request: HttpRequest) -> bool:
    """A signed-in member (or one who just signed out), or an app sending a token."""
    # The cheap signs first: with a cookie or a token the answer is known without loading the
    # user, which would touch the database (perhaps the very database that is down).
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class PrivateResponseMiddleware:
    """Every response to a member or a token says `Cache-Control: private, no-store`, so a
    journal, a chat or a safety plan is not left in a shared computer's browser cache, its
    back button or a proxy. A view opts into shared caching only by saying `public` itself
    (django.views.decorators.cache.cache_control(public=True)). Static files are answered by
    WhiteNoise before this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A view that already said no-store is left as it is: no cache, private or shared,
        # may keep that response at all.
        if is_personal_request(request) and not {"public", "no-store"} & _directives(response):
            patch_cache_control(response, private=True, no_store=True)
        return response


def is_database_unavailable(error: BaseException | None) -> bool:
    """Django wraps psycopg's errors, PoolTimeout among them, in its OperationalError; a raw
    psycopg error can still escape from code that talks to psycopg itself."""
    if error is None:
        return False
    if isinstance(error, OperationalError):
        return True
    return psycopg is not None and isinstance(error, psycopg.OperationalError)


def is_disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full") or PostgreSQL's disk_full; and for
    SQLite, whose reads fail as "disk I/O error" once its shared-memory file cannot grow, a
    database folder with (almost) no space left."""
    text = str(error)
    if "disk is full" in text or "No space left on device" in text:
        return True
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return False
    try:
        return shutil.disk_usage(Path(database["NAME"]).parent).free < 1024 * 1024
    except OSError:
        return False


def log_database_error(path: str, error: BaseException) -> None:
    if is_disk_full(error):
        # Not an outage that passes by itself: the host must free space (nothing is lost,
        # SQLite and PostgreSQL roll the write back), so it is an error, with the fix.
        logger.error(
            "The disk holding the database is full: %s failed. Free some space (old backups, "
            "logs); Haven works again as soon as there is room, with no restart.",
            path,
        )
    else:
        logger.warning("Database unavailable for %s: %s", path, error)


class DatabaseUnavailableMiddleware:
    """Catches the error where a view raised it. Errors raised in other middleware (loading the
    session, the guidelines check) reach handler500, which answers the same way
    (haven.core.views.server_error); this one also works with DEBUG on and logs a warning, not
    a traceback per request, while the database is away."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        log_database_error(request.path, exception)
        return database_unavailable_response(request.path, typed_text(request))


class HtmxLoginRedirectMiddleware:
    """When the session has ended, htmx requests for a panel or an action would follow the
    redirect to the login page and paste it into the page. A panel loading by itself (GET)
    is then simply left empty, so a member reading a thread is not pulled away; an action
    they chose (a reaction, a reply) takes the whole page to the login, where they can return."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not (request.headers.get("HX-Request") and response.status_code in (301, 302)):
            return response
        login = resolve_url(settings.LOGIN_URL)
        if not response.get("Location", "").startswith(login):
            return response
        if request.method in ("GET", "HEAD"):
            return HttpResponse(status=204)
        # Back to the page they were on after logging in, not to the action's address.
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = page.path if page.path.startswith("/") and not page.path.startswith("//") else "/"
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = f"{login}?{urlencode({'next': back})}"
        return answer


class RequestScopeMiddleware:
    """What lasts exactly one request: its live events, sent together once its response is
    ready (haven.core.realtime.batched_pushes), and the answers its layers share, computed once
    (haven.core.request_memo)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with batched_pushes(), memoising():
            return self.get_response(request)
