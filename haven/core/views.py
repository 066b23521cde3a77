import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from haven.core.error_pages import (
    database_unavailable_response,
    member_country,
    render_error_page,
    typed_text,
)
from haven.core.middleware import is_database_unavailable


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("forums:home")
    return render(request, "core/landing.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: Django's floor through the whole middleware stack, no database
    (for a load balancer's check, and the baseline of bench/load.py)."""
    return HttpResponse("ok", content_type="text/plain")


# The error views never touch the session, the user or the database: they are what is left
# when one of those has failed, and they must still show the way to help (error_pages.py).


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render_error_page("404.html", 404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    # The write gate's refusals carry their status (429 for a rate limit, with when to retry).
    status = getattr(exception, "status", 403)
    return render_error_page(
        "429.html" if status == 429 else "403.html", status, message,
        country_code=member_country(request), retry_after=getattr(exception, "retry_after", None),
        typed=typed_text(request),
    )  # fmt: skip


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render_error_page("400.html", 400)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except`: a database that is down or a pool with no free
    # connection left, wherever it surfaced (a middleware, a view, saving the session), is an
    # outage to come back from, not a bug: 503 with Retry-After.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request.path)
    return render_error_page("500.html", 500)
