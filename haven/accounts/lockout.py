"""Login throttling (django-axes): what is counted, and what a member sees when it stops them.

Two counters, on every way in (the login form, POST /api/auth/token):
- a pseudonym from one address: locked after settings.AXES_FAILURE_LIMIT failures;
- a pseudonym on its own, from anywhere: locked after HAVEN_LOGIN_ACCOUNT_FAILURE_LIMIT, so a
  slow guess spread over many addresses is stopped too.
The pseudonym is counted the way login finds it (case and surrounding spaces ignored), and it is
counted whether or not such a member exists, so a lockout tells nobody who is here.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext


def normalised_pseudonym(raw: object) -> str:
    """The same pseudonym whatever its case: login matches pseudonyms with `iexact`, and the
    form strips surrounding spaces."""
    return str(raw or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised pseudonym from the credentials or the form."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalised_pseudonym(credentials.get(field))
    return normalised_pseudonym(request.POST.get(field) if request.method == "POST" else "")


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    """django-axes compares the largest of its counters with one limit; Haven gives the
    account-wide counter a higher limit of its own. AXES_LOCKOUT_PARAMETERS lists the
    pseudonym + address counter first and the pseudonym-only counter second."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_address, *by_account = [
            attempts.values_list("failures_since_start", flat=True)
            for attempts in self.get_user_attempts(request, credentials)
        ]
        from_here = sum(by_address)
        everywhere = max((sum(counts) for counts in by_account), default=0)
        if everywhere >= settings.HAVEN_LOGIN_ACCOUNT_FAILURE_LIMIT:
            # Reported as the per-address limit so that axes locks, whichever address this is.
            return max(from_here, get_failure_limit(request, credentials))
        return from_here

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in clears the failures from this address only: guesses from
        elsewhere keep counting against the account until they cool off, or the member's own
        sign-in would hand a distributed guesser a fresh allowance."""
        by_address = self.filter_user_attempts(request, credentials)[0]
        deleted, _ = by_address.delete()
        return deleted


def lockout_message() -> str:
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    if minutes == 1:
        wait = gettext("a minute")
    else:
        wait = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    return gettext(
        "Too many attempts. For your account's safety, please wait %(wait)s and try again. "
        "If you've forgotten your password, you can reset it with your recovery e-mail."
    ) % {"wait": wait}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "too_many_attempts"}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
