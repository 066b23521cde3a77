"""The language Haven speaks to each reader. LocaleMiddleware has already chosen the switch's
cookie or the browser's Accept-Language; a member's saved choice wins over both, so Haven speaks
it on any device they sign in from. URLs stay the same in every language."""

from collections.abc import Callable

from channels.db import database_sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from haven.core.language import is_offered


class MemberLanguageMiddleware:
    """After AuthenticationMiddleware. Reading the member costs nothing extra: the pages that
    follow load them anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            use_member_language(request, request.user)
        return self.get_response(request)


def use_member_language(request: HttpRequest, member) -> None:
    """Speak the member's saved language for the rest of this request. The API's token auth
    calls it too: an app's request carries no session for the middleware to see."""
    language = getattr(member, "language", "")
    if is_offered(language) and language != getattr(request, "LANGUAGE_CODE", None):
        translation.activate(language)
        request.LANGUAGE_CODE = language


def signup_language() -> str:
    """The language a new member signs up in (the page's), kept as their choice."""
    language = translation.get_language() or ""
    return language if is_offered(language) else ""


def remember_language(response: HttpResponse, language: str) -> None:
    """The switch's choice on this device, signed in or not (the same cookie Django reads)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def socket_language(scope: dict) -> str:
    """A socket's language, chosen as for a page: the member's saved one, the switch's cookie,
    the browser's Accept-Language, then the site's."""
    user = scope.get("user")
    if user is not None and user.is_authenticated and is_offered(user.language):
        return user.language
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    if is_offered(cookie):
        return cookie
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for code, _quality in parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class SocketLanguageMiddleware:
    """ASGI middleware inside Channels' AuthMiddlewareStack: what a consumer says to people
    (a refusal, a notice) is in the language of the page that opened the socket."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        language = await database_sync_to_async(socket_language)(scope)
        with translation.override(language):
            return await self.inner(scope, receive, send)
