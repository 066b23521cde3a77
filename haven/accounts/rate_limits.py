"""Rate limits on writes and sign-ups, counted in the cache (django-ratelimit), per account
(stricter for accounts younger than HAVEN_NEW_ACCOUNT_DAYS) and per client address.

Accounts holds the counting; moderation's write gate applies it to every write
(haven.moderation.permissions.check_within_rate_limit), and the sign-up and quick-start pages
apply it to what they create. Limits count what was done, not what was tried.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
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


# What the member was trying to do, for "You can … again in about 12 minutes".
_DOING = {
    "thread": "start a thread", "reply": "reply", "update": "post an update", "post": "post",
    "chat_request": "ask for a listener", "signup": "create an account",
    "quick_start": "start anonymously", "report": "send a report", "chat": "send messages",
    "private": "save", "safety_plan": "save your safety plan", "suggest": "get suggestions",
}  # fmt: skip


def in_about(seconds: int) -> str:
    """A wait in plain words: "less than a minute", "about 12 minutes", "about 2 hours"."""
    if seconds < 60:
        return "less than a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return "about a minute" if minutes == 1 else f"about {minutes} minutes"
    hours = round(minutes / 60)
    return "about an hour" if hours == 1 else f"about {hours} hours"


def _refusal(group: str, limited: list[dict]) -> RateLimited:
    # A failing cache reports time_left -1: ask for a minute rather than nothing.
    retry_after = max((usage["time_left"] for usage in limited), default=60)
    retry_after = retry_after if retry_after > 0 else 60
    doing = _DOING.get(group, "do that")
    return RateLimited(
        "You've done that a lot in a short time, so please take a short break: you can "
        f"{doing} again in {in_about(retry_after)}.",
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
