"""The JSON API under /api/, for mobile apps. Its OpenAPI schema is at /api/openapi.json."""

from dataclasses import asdict

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from haven.accounts.api import router as accounts_router
from haven.accounts.gates import RateLimited, WriteRefused
from haven.accounts.preferences_api import router as preferences_router
from haven.api.parsers import JSON_ONLY_MESSAGE, JsonOnlyParser, NotJsonBody
from haven.care.api import routers as care_routers
from haven.chat.api import router as chat_router
from haven.communities.api import router as communities_router
from haven.core.error_pages import crisis_lines
from haven.direct_messages.api import router as direct_messages_router
from haven.forums.api import router as forums_router
from haven.matching.api import router as matching_router
from haven.moderation.api import router as moderation_router
from haven.moderation.rules_api import router as moderation_rules_router
from haven.moderation.trust_api import router as moderation_trust_router
from haven.notifications.api import router as notifications_router
from haven.rooms.api import router as rooms_router
from haven.rooms.circle_api import router as circles_router
from haven.safety.api import router as safety_router
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.updates.api import router as updates_router
from haven.wellness.api import router as wellness_router

# Every operation can answer these, from the handlers below (503 from the database-outage
# middleware, haven.core.middleware), with at least a "detail" message.
ERROR_RESPONSES = {
    "400": "The body is not valid JSON.",
    "401": "Not signed in (a session or a Bearer token).",
    "403": "Not allowed: the message says why.",
    "404": "Not found, or not yours.",
    "409": "It changed meanwhile (newer guidelines, a slot just taken): look again.",
    "413": "The request is too large.",
    "415": "The body is not sent as JSON (Content-Type: application/json).",
    "422": "The input is not the documented shape, or a text was refused.",
    "429": "Too many requests; the message says when to try again.",
    "503": "The database is briefly unreachable; try again after Retry-After seconds.",
}


_CRISIS_LINE = {
    "type": "object",
    "properties": {
        name: {"type": "boolean" if name == "is_emergency_number" else "string"}
        for name in ("name", "description", "phone", "text", "url", "hours", "is_emergency_number")
    },
}
# A rate limit's 429 says when to try again and carries the crisis lines (haven.api.urls).
RATE_LIMITED_ERROR = {
    "title": "RateLimitedError",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "retry_after": {"type": "integer", "description": "Seconds until it can be done again."},
        "crisis_lines": {
            "type": "object",
            "properties": {
                "country_name": {"type": "string"},
                "lines": {"type": "array", "items": _CRISIS_LINE},
                "worldwide": {"type": "array", "items": _CRISIS_LINE},
            },
        },
    },
    "required": ["detail"],
}


class HavenAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """ninja documents only each endpoint's successes; the contract includes its errors."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Error"] = {
            "title": "Error",
            "type": "object",
            "properties": {"detail": {"type": "string", "title": "Detail"}},
            "required": ["detail"],
        }
        schema["components"]["schemas"]["RateLimitedError"] = RATE_LIMITED_ERROR
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        limited_ref = {"$ref": "#/components/schemas/RateLimitedError"}
        limited = {"application/json": {"schema": limited_ref}}
        for item in schema["paths"].values():
            for operation in item.values():
                responses = operation["responses"]
                for status, description in ERROR_RESPONSES.items():
                    if status not in responses and int(status) not in responses:
                        content = limited if status == "429" else error
                        responses[status] = {"description": description, "content": content}
        return schema


api = HavenAPI(
    title="Haven API",
    version="1",
    description="Haven's JSON API: the same rules as the web pages. Authenticate with "
    "`Authorization: Bearer <token>` (POST /api/auth/token) or a browser session with CSRF.",
    urls_namespace="api",
    parser=JsonOnlyParser(),
)
api.add_router("", accounts_router)
api.add_router("", preferences_router)
api.add_router("", communities_router)
api.add_router("", forums_router)
api.add_router("", updates_router)
api.add_router("", notifications_router)
api.add_router("", safety_router)
api.add_router("", moderation_router)
api.add_router("", moderation_rules_router)
api.add_router("", moderation_trust_router)
api.add_router("", chat_router)
api.add_router("", wellness_router)
api.add_router("", matching_router)
api.add_router("", rooms_router)
api.add_router("", circles_router)
api.add_router("", direct_messages_router)
for care_router in care_routers:
    api.add_router("", care_router)


def _field_name(location: tuple) -> str:
    # ninja's location starts with where the value came from and the parameter's name; a field
    # may itself be called "body" (a post's text), so only that leading part is dropped.
    parts = [str(part) for part in location]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    # A field that takes one of several types (an id or a public id) reports each branch
    # ("constrained-int"); the member only needs the field's own name.
    parts = [part for part in parts if "-" not in part and "[" not in part]
    return ".".join(parts) or "request"


def _friendly_message(error: dict) -> str:
    """Plain words for pydantic's most common complaints; its own wording otherwise."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return gettext("This is required.")
    if kind == "string_too_short":
        return (
            gettext("This can't be empty.") if ctx.get("min_length") == 1 else error.get("msg", "")
        )
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return ngettext(
            "Please keep this to at most %(limit)s character.",
            "Please keep this to at most %(limit)s characters.",
            limit,
        ) % {"limit": limit}
    if kind == "too_long":
        limit = ctx.get("max_length", 0)
        return ngettext(
            "Please give at most %(limit)s item.", "Please give at most %(limit)s items.", limit
        ) % {"limit": limit}
    if kind == "string_unicode":
        return gettext("This contains characters that are not valid text; please retype it.")
    if kind == "string_type":
        return gettext("This must be text.")
    if kind == "bool_parsing" or kind == "bool_type":
        return gettext("This must be true or false.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return gettext("This must be a JSON object with the documented fields.")
    if kind == "extra_forbidden":
        return gettext("This field is not part of this request; please check its name.")
    if kind in ("list_type", "tuple_type"):
        return gettext("This must be a list.")
    if kind in ("float_type", "decimal_type"):
        return gettext("This must be a number.")
    if kind == "literal_error":
        return gettext("This must be one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    message = error.get("msg", "")
    return message.removeprefix("Value error, ")


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(tuple(error.get("loc", ()))), "message": _friendly_message(error)}
        for error in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(
        request,
        {
            "detail": gettext("Please check your input. %(problems)s") % {"problems": summary},
            "errors": errors,
        },
        status=422,
    )


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if isinstance(exc.__cause__, NotJsonBody):  # raised in the parser, wrapped by ninja
        return api.create_response(request, {"detail": gettext(JSON_ONLY_MESSAGE)}, status=415)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = gettext("We couldn't read that request: the body must be valid JSON.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": gettext("That request is too large. Please shorten it.")}, status=413
    )


@api.exception_handler(TextRefused)
def text_refused(request: HttpRequest, exc: TextRefused) -> HttpResponse:
    findings = [{"kind": f.kind, "text": f.text} for f in exc.verdict.findings]
    return api.create_response(
        request,
        # Watched words (haven.communities.rules) refuse with their own code and no findings.
        {"detail": str(exc), "code": getattr(exc, "code", "personal_data"), "findings": findings},
        status=422,
    )


@api.exception_handler(TextNeedsReviewChoice)
def needs_review_choice(request: HttpRequest, exc: TextNeedsReviewChoice) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": str(exc),
            "code": "may_hurt",
            "hint": gettext('Edit the text, or send it again with "send_for_review": true.'),
        },
        status=422,
    )


def _crisis_lines_out(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    country = getattr(actor.user, "country", "") if actor is not None else ""
    country_name, local, worldwide = crisis_lines(country, get_language() or "")
    return {
        "country_name": country_name,
        "lines": [asdict(line) for line in local],
        "worldwide": [asdict(line) for line in worldwide],
    }


@api.exception_handler(WriteRefused)
def write_refused(request: HttpRequest, exc: WriteRefused) -> HttpResponse:
    """The write gate's refusals (guidelines, mute, suspension, ban, rate limit, second factor):
    the plain message and a code an app can act on. A rate limit also says when to try again
    (`retry_after` seconds, and the Retry-After header) and carries the crisis lines, which an
    app shows at once: nothing is held back from someone who may need help now."""
    body: dict = {"detail": str(exc), "code": exc.code}
    if isinstance(exc, RateLimited):
        body |= {"retry_after": exc.retry_after, "crisis_lines": _crisis_lines_out(request)}
    response = api.create_response(request, body, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "You don't have permission to do that."
    return api.create_response(request, {"detail": message}, status=403)


@csrf_exempt  # nothing is done here; a CSRF refusal would be an HTML page instead of JSON
def api_not_found(request: HttpRequest) -> HttpResponse:
    """Any /api/ address no operation answers (e.g. /api/threads/abc): 404 in JSON."""
    return not_found(request, Http404())


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
