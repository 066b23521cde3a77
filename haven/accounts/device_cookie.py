"""The first-party device cookie, and the daily note of where a signed-in member is seen.

Runs after authentication, on the way out, so it sees the member a view has just signed in
(sign-up, the login page, the quick start all call `login()`): a browser without the cookie
gets one, and the member's signals are recorded unless this browser session (or this API
token) was already recorded today (haven.accounts.device_signals).
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from haven.accounts.device_signals import (
    DEVICE_COOKIE_NAME,
    do_record_request_signals,
    recorded_today,
)

# Browsers keep a cookie at most 400 days; asking for longer changes nothing.
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 60 * 60


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def set_device_cookie(response: HttpResponse, token: str) -> None:
    # HttpOnly: no script needs it; Lax: it travels only with first-party navigation.
    response.set_cookie(
        DEVICE_COOKIE_NAME, token, max_age=DEVICE_COOKIE_MAX_AGE, httponly=True,
        secure=settings.HTTPS, samesite="Lax",
    )  # fmt: skip


class DeviceSignalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # pk None: the request deleted its own account (the API's delete keeps request.user).
        if user is None or not user.is_authenticated or user.pk is None:
            return response
        minted = None
        # An app signed in with a token is no browser: it gets no cookie.
        if getattr(request, "api_token", None) is None and not request.COOKIES.get(
            DEVICE_COOKIE_NAME
        ):
            minted = new_device_token()
            set_device_cookie(response, minted)
        # A browser that refuses cookies gets a new one each time, but is recorded once a day.
        if not recorded_today(request, user):
            do_record_request_signals(request, user, device_token=minted)
        return response
