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


def is_offered(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


class MemberLanguageMiddleware:
    """After AuthenticationMiddleware. Reading the member costs nothing extra: the pages that
    follow load them anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = getattr(user, "language", "") if user.is_authenticated else ""
        if language and is_offered(language) and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


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
