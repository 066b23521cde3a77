"""Rate limits on writes and sign-ups, counted in the cache (django-ratelimit), per account
(stricter for accounts younger than HAVEN_NEW_ACCOUNT_DAYS) and per client address.

Accounts holds the counting; moderation's write gate applies it to every write
(haven.moderation.permissions.check_within_rate_limit), and the sign-up and quick-start pages
apply it to what they create. Limits count what was done, not what was tried.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from django_ratelimit.core import ALL, get_usage

from haven.accounts.gates import RateLimited
from haven.core.client_ip import client_ip as trusted_client_ip


def client_ip(request: HttpRequest) -> str:
    # One answer everywhere (login throttling, rate limits, records): see haven.core.client_ip.
    return trusted_client_ip(request)


def _rates(group: str, request: HttpRequest) -> dict[str, str]:
    rates = settings.HAVEN_RATE_LIMITS[group]
    user = request.user
    if user.is_authenticated:
        age_days = (timezone.now() - user.date_joined).days
        if age_days < settings.HAVEN_NEW_ACCOUNT_DAYS:
            return {"user": rates["new_member"], "ip": rates["ip"]}
        return {"user": rates["member"], "ip": rates["ip"]}
    return {"ip": rates["ip"]}


def _usages(request: HttpRequest, group: str, *, increment: bool) -> list[dict]:
    usages = []
    for key, rate in _rates(group, request).items():
        usage = get_usage(
            request, group=f"haven:{group}:{key}", key=key, rate=rate, method=ALL,
            increment=increment,
        )  # fmt: skip
        if usage is not None:  # None: rate limits are switched off
            usages.append(usage)
    return usages


# What the member was trying to do, for "You can … again in about 12 minutes" (English, marked
# for translation: each refusal is put in the language active then).
_DOING = {
    "thread": gettext_noop("start a thread"), "reply": gettext_noop("reply"),
    "update": gettext_noop("post an update"), "post": gettext_noop("post"),
    "chat_request": gettext_noop("ask for a listener"),
    "signup": gettext_noop("create an account"),
    "quick_start": gettext_noop("start anonymously"), "report": gettext_noop("send a report"),
    "chat": gettext_noop("send messages"), "private": gettext_noop("save"),
    "safety_plan": gettext_noop("save your safety plan"),
    "suggest": gettext_noop("get suggestions"),
}  # fmt: skip


def in_about(seconds: int) -> str:
    """A wait in plain words: "less than a minute", "about 12 minutes", "about 2 hours"."""
    if seconds < 60:
        return gettext("less than a minute")
    minutes = round(seconds / 60)
    if minutes < 60:
        if minutes == 1:
            return gettext("about a minute")
        return ngettext("about %(count)s minute", "about %(count)s minutes", minutes) % {
            "count": minutes
        }
    hours = round(minutes / 60)
    if hours == 1:
        return gettext("about an hour")
    return ngettext("about %(count)s hour", "about %(count)s hours", hours) % {"count": hours}


def for_a_while(seconds: int) -> str:
    """A span in plain words, without "about": "30 seconds", "2 minutes", "an hour"."""
    if seconds < 60:
        return ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
    minutes = round(seconds / 60)
    if minutes < 60:
        if minutes == 1:
            return gettext("a minute")
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    hours = round(minutes / 60)
    if hours == 1:
        return gettext("an hour")
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


def _refusal(group: str, limited: list[dict]) -> RateLimited:
    # A failing cache reports time_left -1: ask for a minute rather than nothing.
    retry_after = max((usage["time_left"] for usage in limited), default=60)
    retry_after = retry_after if retry_after > 0 else 60
    doing = gettext(_DOING[group]) if group in _DOING else gettext("do that")
    return RateLimited(
        gettext(
            "You've done that a lot in a short time, so please take a short break: you can "
            "%(doing)s again in %(when)s."
        )
        % {"doing": doing, "when": in_about(retry_after)},
        retry_after=retry_after,
    )


def check_rate_limit(request: HttpRequest, group: str) -> None:
    """Is there room for one more in this group, per account (stricter for accounts younger
    than HAVEN_NEW_ACCOUNT_DAYS) and per address? Counts nothing: the caller counts a write
    that succeeded with `count_towards_rate_limit`."""
    limited = [usage for usage in _usages(request, group, increment=False)
               if usage["count"] >= usage["limit"]]  # fmt: skip
    if limited:
        raise _refusal(group, limited)


def count_towards_rate_limit(request: HttpRequest, group: str) -> None:
    _usages(request, group, increment=True)


def check_and_count(request: HttpRequest, group: str) -> None:
    # For the kinds still counted as they are tried (HAVEN_WRITES_COUNTED_WHEN_DONE lists the
    # others).
    limited = [usage for usage in _usages(request, group, increment=True)
               if usage["should_limit"]]  # fmt: skip
    if limited:
        raise _refusal(group, limited)
