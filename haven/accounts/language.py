"""The language Haven speaks to each reader. LocaleMiddleware has already chosen the switch's
cookie or the browser's Accept-Language; a member's saved choice wins over both, so Haven speaks
it on any device they sign in from. URLs stay the same in every language."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
