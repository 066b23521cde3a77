"""Error pages that always render: no session, no user, no database, no context processors.

They are what someone sees when something has gone wrong, perhaps while they are in crisis, so
each one carries the crisis lines, read once from the shipped file rather than the database
(which may be the thing that is down).
"""

import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import Engine
from django.templatetags.static import static
from django.utils.translation import get_language, override

from haven.core.contact_links import sms_href, tel_href

CRISIS_RESOURCES_FILE = settings.BASE_DIR / "haven" / "safety" / "data" / "crisis_resources.json"
INTERNATIONAL = "ZZ"  # the code haven.safety stores worldwide services under
# A client told to come back should not all come back at once; a few seconds is long enough
# for a restart or a failover, short enough for someone who needs help now.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_MESSAGE = (
    "We're having trouble reaching our database right now. If you were posting something, it "
    "may not have been saved: please try again in a moment."
)


@dataclass(frozen=True)
class CrisisLine:
    name: str
    description: str
    phone: str
    text: str
    url: str
    hours: str
    is_emergency_number: bool

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)

    @property
    def sms_href(self) -> str:
        return sms_href(self.text)


@cache
def _crisis_rows() -> tuple[dict, ...]:
    try:
        return tuple(json.loads(CRISIS_RESOURCES_FILE.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return ()


def in_reader_language(items: list, language: str, language_of=lambda item: item["language"]):
    """One country's lines for a reader: those written in their language when the country has
    any, else those kept for every language (blank), else all of them (a line in another
    language is better than none). Hosts keep a full set per language in the admin."""
    for wanted in (language, ""):
        chosen = [item for item in items if (language_of(item) or "") == wanted]
        if chosen:
            return chosen
    return list(items)


@cache
def crisis_lines(
    country_code: str = "", language: str = ""
) -> tuple[str, tuple[CrisisLine, ...], tuple[CrisisLine, ...]]:
    """(country name, its lines, worldwide lines) for the country (HAVEN_DEFAULT_COUNTRY when
    none is given or the file has none for it) in the reader's language, from the shipped
    file; an unreadable file gives no lines rather than no page (the /help/ link stays)."""
    rows = _crisis_rows()
    known = {row.get("country") for row in rows} - {INTERNATIONAL}
    country = country_code.upper()
    if country not in known:
        country = settings.HAVEN_DEFAULT_COUNTRY.upper()

    def chosen_rows(code: str) -> list[dict]:
        of_country = [row for row in rows if row.get("country") == code]
        return sorted(
            in_reader_language(of_country, language, lambda row: row.get("language", "")),
            key=lambda row: row.get("sort_order", 100),
        )

    def lines(chosen: list[dict]) -> tuple[CrisisLine, ...]:
        return tuple(
            CrisisLine(
                name=row.get("name", ""),
                description=row.get("description", ""),
                phone=row.get("phone", ""),
                text=row.get("text", ""),
                url=row.get("url", ""),
                hours=row.get("hours", ""),
                is_emergency_number=bool(row.get("is_emergency_number")),
            )
            for row in chosen
        )

    local = chosen_rows(country)
    name = local[0].get("country_name", "") if local else ""
    return name, lines(local), lines(chosen_rows(INTERNATIONAL))


@cache
def _engine() -> Engine:
    """A template engine of its own: the site's engine runs context processors that read the
    session and the database, which is what failed when these pages are needed."""
    return Engine(
        dirs=[settings.BASE_DIR / "haven" / "templates"],
        autoescape=True,
        libraries={"i18n": "django.templatetags.i18n"},  # translations need no database
    )


def _stylesheet() -> str:
    try:
        return static("haven/haven.css")
    except Exception:  # a missing manifest entry must not cost the page
        return f"{settings.STATIC_URL}haven/haven.css"


def crisis_context(country_code: str = "", language: str | None = None) -> dict:
    """What the crisis lines partial of a page needs, without the database (in the language
    of the request being answered unless another is given)."""
    if language is None:
        language = get_language() or settings.LANGUAGE_CODE
    country_name, local, international = crisis_lines(country_code, language)
    return {
        "country_name": country_name,
        "local_lines": local,
        "international_lines": international,
    }


def member_country(request: HttpRequest) -> str:
    """The country a signed-in member gave, if the request already knows who they are. Only
    what the middleware has loaded is read: an error page must not query for it."""
    user = getattr(request, "_cached_user", None)
    return getattr(user, "country", "") or ""


# Sent fields that are never shown back: secrets, and the form's own machinery.
_NOT_TYPED = ("csrf", "password", "token", "otp", "confirm", "code", "secret", "next")
_TEXT_FIELDS = {"body", "text", "title", "message", "opening_message", "note", "reason"}


def typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """What a refused POST carried that a person typed, as (field, text), so a page that cannot
    bring back its own form (a generic 403/429) still hands the words back to copy."""
    if request.method != "POST":  # request.POST holds form data only, never JSON
        return []
    typed = []
    for name, values in request.POST.lists():
        if any(part in name.lower() for part in _NOT_TYPED):
            continue
        for value in values:
            text = value.strip()
            # Choices, switches and ids are single tokens: not words anyone would miss.
            if text and (" " in text or name in _TEXT_FIELDS) and not text.isdigit():
                typed.append((name.replace("_", " ").capitalize(), value))
    return typed[:10]


def render_error_page(
    template_name: str, status: int, message: str = "", *, country_code: str = "",
    retry_after: int | None = None, typed: list[tuple[str, str]] | None = None,
) -> HttpResponse:  # fmt: skip
    html = _engine().render_to_string(
        template_name,
        {
            "site_name": settings.HAVEN_SITE_NAME,
            "stylesheet": _stylesheet(),
            "message": message,
            "typed": typed or [],
            **crisis_context(country_code),
        },
    )
    response = HttpResponse(html, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def unavailable_page_html(language: str | None = None) -> str:
    """The page nginx shows when no Haven process answers (haven.core.static_storage writes one
    per language; nginx picks it by the switch's cookie, then Accept-Language): the crisis
    lines of HAVEN_DEFAULT_COUNTRY and the worldwide ones, in that language."""
    with override(language or settings.LANGUAGE_CODE):
        return _engine().render_to_string(
            "unavailable.html",
            {
                "site_name": settings.HAVEN_SITE_NAME,
                "stylesheet": _stylesheet(),
                **crisis_context(),
            },
        )


def render_refused_form(
    request: HttpRequest, template_name: str, context: dict, refusal: Exception
) -> HttpResponse:
    """A form a gate refused (a rate limit, above all) comes back as it was sent, filled, with
    the message on the same page, the crisis lines and the way to a listener, its status (429)
    and, for a limit, Retry-After."""
    response = render(
        request,
        template_name,
        {
            **context,
            "refusal": str(refusal),
            # A limit never holds back a listener; a moderator's pause may (see MUTED_ACTIONS).
            "refusal_is_limit": getattr(refusal, "status", 403) == 429,
            **crisis_context(member_country(request)),
        },
        status=getattr(refusal, "status", 403),
    )
    retry_after = getattr(refusal, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def database_unavailable_response(
    path: str, typed: list[tuple[str, str]] | None = None
) -> HttpResponse:
    """503 with Retry-After: the static crisis page, with what the person typed handed back
    (a journal entry written as the database went away is not lost), or JSON for the API."""
    if path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": UNAVAILABLE_MESSAGE, "code": "service_unavailable"}, status=503
        )
    else:
        response = render_error_page("503.html", 503, typed=typed)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
