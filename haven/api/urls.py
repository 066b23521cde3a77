"""The JSON API under /api/, for mobile apps. Its OpenAPI schema is at /api/openapi.json."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from haven.accounts.api import router as accounts_router
from haven.communities.api import router as communities_router
from haven.forums.api import router as forums_router
from haven.notifications.api import router as notifications_router
from haven.safety.api import router as safety_router
from haven.updates.api import router as updates_router

api = NinjaAPI(
    title="Haven API",
    version="1",
    description="Haven's JSON API: the same rules as the web pages. Authenticate with "
    "`Authorization: Bearer <token>` (POST /api/auth/token) or a browser session with CSRF.",
    urls_namespace="api",
)
api.add_router("", accounts_router)
api.add_router("", communities_router)
api.add_router("", forums_router)
api.add_router("", updates_router)
api.add_router("", notifications_router)
api.add_router("", safety_router)


def _field_name(location: tuple) -> str:
    parts = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "request"


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(tuple(error.get("loc", ()))), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(
        request, {"detail": f"Please check your input. {summary}", "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "We couldn't read that request: the body must be valid JSON."
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "You don't have permission to do that."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
