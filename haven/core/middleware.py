"""A database that is down, or a connection pool with nothing free, answers 503 with the static
crisis page and Retry-After, instead of a 500 that tells nobody what to do."""

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

from haven.core.error_pages import database_unavailable_response

logger = logging.getLogger(__name__)


def is_database_unavailable(error: BaseException | None) -> bool:
    """Django wraps psycopg's errors, PoolTimeout among them, in its OperationalError; a raw
    psycopg error can still escape from code that talks to psycopg itself."""
    if error is None:
        return False
    if isinstance(error, OperationalError):
        return True
    try:
        import psycopg
    except ImportError:  # the embedded default may run without psycopg
        return False
    return isinstance(error, psycopg.OperationalError)


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
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        return database_unavailable_response(request.path)
