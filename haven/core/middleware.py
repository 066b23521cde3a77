"""Responses that belong to one person are never kept by a cache."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def _directives(response: HttpResponse) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in header.split(",") if part.strip()}


def is_personal_request(request: HttpRequest) -> bool:
    """A signed-in member (or one who just signed out), or an app sending a token."""
    user = getattr(request, "user", None)
    return (
        (user is not None and user.is_authenticated)
        or "HTTP_AUTHORIZATION" in request.META
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


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
