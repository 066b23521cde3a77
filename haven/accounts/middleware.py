"""Who is acting on a page; members who have not accepted the guidelines in force are asked to,
before anything else."""

from collections.abc import Callable

from channels.db import database_sync_to_async
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django.utils.translation import gettext

from haven.accounts.actors import actor_for_page
from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.accounts.two_factor import requires_two_factor, socket_may_open
from haven.core.realtime import CLOSE_REFUSED


class ActorMiddleware:
    """`request.actor` for the write gate (after django_otp's OTPMiddleware, which tells whether
    the session passed the second factor). The API's auth classes replace it with the API's
    way in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: actor_for_page(request))
        return self.get_response(request)


# Pages that stay reachable before accepting: reading the guidelines, getting help, and leaving
# (logging out, taking one's data, deleting the account: nobody must agree to rules to leave).
EXEMPT_PREFIXES = (
    "/guidelines/",
    "/help/",
    "/language/",  # the guidelines, in a language the member reads
    "/jsi18n/",
    "/static/",
    "/admin/",
    "/accounts/logout/",
    "/accounts/settings/",
    "/accounts/export/",
    "/accounts/delete/",
)


class GuidelinesAcceptanceMiddleware:
    """A redirect for pages (the API's own auth refuses with 403 guidelines_not_accepted, and
    every write checks again in check_can_write, whatever the way in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(EXEMPT_PREFIXES)
            or request.path.startswith("/api/")
            or not needs_to_accept_guidelines(request.user)
        ):
            return self.get_response(request)
        return redirect(f"{reverse('accounts:guidelines')}?next={request.get_full_path()}")


# Reachable before the second factor: setting it up, getting help, leaving.
TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/help/",
    "/language/",
    "/jsi18n/",
    "/static/",
)


class TwoFactorRequiredMiddleware:
    """Therapists, moderators and admins use a second factor before anything else (after
    django_otp's OTPMiddleware has marked the session verified or not)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:

        if request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES):
            return self.get_response(request)
        # The member is loaded here anyway, so the view gets them as they are: django_otp
        # wraps Django's lazy user in a second one, and a thread page read them through both
        # layers some 1,400 times.
        user = request.user = resolved(request.user)
        if not requires_two_factor(user) or user.is_verified():
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if request.path.startswith(("/api/openapi.json", "/api/docs", "/api/auth/")):
                return self.get_response(request)
            return JsonResponse(
                {
                    "detail": gettext(
                        "Your role needs two-factor authentication: confirm a code at "
                        "/accounts/two-factor/ first."
                    ),
                    "code": "two_factor_required",
                },
                status=403,
            )
        return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")


def resolved(user):
    """The object behind any number of lazy wrappers, loaded (setting an attribute on a
    wrapper, as django_otp does with otp_device, sets it on this object)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


CLOSE_TWO_FACTOR_REQUIRED = CLOSE_REFUSED


class SecondFactorSocketGate:
    """ASGI middleware inside Channels' AuthMiddlewareStack: the socket counterpart of
    TwoFactorRequiredMiddleware. A refused socket is accepted and closed at once with 4403, so
    the page can read the code and stop retrying."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not await database_sync_to_async(socket_may_open)(
            scope
        ):
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_TWO_FACTOR_REQUIRED})
            return None
        return await self.inner(scope, receive, send)
