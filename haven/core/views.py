import sys

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from haven.core.error_pages import (
    database_unavailable_response,
    member_country,
    render_error_page,
    typed_text,
)
from haven.core.middleware import is_database_unavailable, log_database_error


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("forums:home")
    return render(request, "core/landing.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: Django's floor through the whole middleware stack, no database
    (for a load balancer's check, and the baseline of bench/load.py)."""
    return HttpResponse("ok", content_type="text/plain")


# The error views never touch the session, the user or the database: they are what is left
# when one of those has failed, and they must still show the way to help (error_pages.py).


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render_error_page("404.html", 404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    # The write gate's refusals carry their status (429 for a rate limit, with when to retry).
    status = getattr(exception, "status", 403)
    return render_error_page(
        "429.html" if status == 429 else "403.html", status, message,
        country_code=member_country(request), retry_after=getattr(exception, "retry_after", None),
        typed=typed_text(request),
    )  # fmt: skip


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render_error_page("400.html", 400)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except`: a database that is down or a pool with no free
    # connection left, wherever it surfaced (a middleware, a view, saving the session), is an
    # outage to come back from, not a bug: 503 with Retry-After.
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        log_database_error(request.path, error)
        return database_unavailable_response(request.path, typed_text(request))
    return render_error_page("500.html", 500)


class StyleSampleForm(forms.Form):
    """A form with one of each kind of field, so /style/ shows how forms look and read."""

    pseudonym = forms.CharField(
        label=_("Pseudonym"), help_text=_("What others see. Not your name.")
    )
    feeling = forms.ChoiceField(
        label=_("How are you feeling?"),
        choices=[
            ("low", pgettext_lazy("mood", "Low")),
            ("okay", pgettext_lazy("mood", "Okay")),
            ("good", pgettext_lazy("mood", "Good")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("A note for yourself"), widget=forms.Textarea(attrs={"rows": 3}))
    anonymous = forms.BooleanField(label=_("Post anonymously"), required=False)


@require_GET
def style_guide(request: HttpRequest) -> HttpResponse:
    """The living style page: every component of haven.css, rendered from the same markup the
    pages use. For staff, or anyone while DEBUG is on; others get the ordinary 404."""
    if not (settings.DEBUG or (request.user.is_authenticated and request.user.is_staff)):
        raise Http404
    invalid = StyleSampleForm({"pseudonym": "", "feeling": "okay", "note": "Slept better."})
    invalid.is_valid()
    return render(
        request,
        "core/style.html",
        {"tokens": DESIGN_TOKENS, "sample_form": invalid, "avatar_names": AVATAR_SAMPLES},
    )


DESIGN_TOKENS = [
    ("--bg", _("Page background")),
    ("--surface", _("Cards, bars, sheets")),
    ("--text", _("Body text")),
    ("--muted", _("Secondary text: dates, help")),
    ("--accent", _("Links, buttons, the current tab")),
    ("--accent-soft", _("Notices, hover, pills")),
    ("--help", _("Get help now, urgent, danger")),
    ("--help-soft", _("The support panel")),
    ("--warn-bg", _("Content warnings, gentle alerts")),
    ("--ok", _("Success")),
    ("--border", _("Card and field borders")),
    ("--focus", _("The keyboard focus ring")),
]
AVATAR_SAMPLES = ["quiet-harbor", "morning-fern", "slow-tide", None]
