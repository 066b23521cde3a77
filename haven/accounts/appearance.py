"""Light or dark: the device's choice by default, or the one made in Settings. Kept in a cookie
on this device (no account field: it works signed out, and says nothing about anyone)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import pgettext_lazy

THEME_COOKIE = "haven_theme"
THEMES = {
    "auto": pgettext_lazy("appearance", "Match my device"),
    "light": pgettext_lazy("appearance", "Light"),
    "dark": pgettext_lazy("appearance", "Dark"),
}


def chosen_theme(request: HttpRequest) -> str:
    theme = request.COOKIES.get(THEME_COOKIE, "auto")
    return theme if theme in THEMES else "auto"


def remember_theme(response: HttpResponse, theme: str) -> None:
    if theme == "auto":
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            THEME_COOKIE, theme, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
