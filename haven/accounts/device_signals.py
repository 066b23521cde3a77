"""Where an account was seen, as keyed digests only: the raw material of moderators' ban-evasion
signals (haven.moderation.evasion).

Two kinds of signal, each stored as an HMAC-SHA256 keyed with a key derived from SECRET_KEY
(`salted_hmac`, one salt per kind), so a leaked table names no address and no browser, and the
digests cannot be recomputed without the key:
- **device**: a random first-party cookie (haven.accounts.device_cookie) that this browser keeps.
  The cookie's token is never stored, only its digest.
- **network**: the client's address prefix (IPv4 /24, IPv6 /48), from the one client-address
  rule Haven has (haven.core.client_ip: X-Forwarded-For only from HAVEN_TRUSTED_PROXIES).

They are recorded at sign-up, at every sign-in (the login page, the quick start, the API's
sign-up and token issue) and at most once a day on later requests (the middleware remembers the
day in the session, or in the cache for API tokens, so a normal request costs no query).
Rows not seen for HAVEN_DEVICE_SIGNAL_DAYS are pruned by a periodic job, and they are deleted
with the account (the foreign key cascades; see haven.accounts.privacy).

Raw addresses: no table holds one. Rate limits count in the cache under django-ratelimit's
hashed keys, which expire with their window; django-axes keeps the address of a failed login
(AccessAttempt) only for its cool-off, pruned by the same job, and its log of successful
logins is switched off (settings.AXES_DISABLE_ACCESS_LOG).
"""

import ipaddress
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from haven.accounts.models import DeviceSignal, User
from haven.core.client_ip import client_ip, trusted_proxies

DEVICE_COOKIE_NAME = "haven_device"
# The session key holding "<member id>:<day>" of the last recording in this browser.
SESSION_KEY = "_haven_signals_day"
IPV4_PREFIX = 24
IPV6_PREFIX = 48


def signal_digest(kind: str, value: str) -> str:
    """64 hex characters: HMAC-SHA256 of the value, keyed from SECRET_KEY, one salt per kind."""
    return salted_hmac(
        f"haven.accounts.device_signals.{kind}", value, algorithm="sha256"
    ).hexdigest()


def network_prefix(address: str) -> str | None:
    """The network an address belongs to ("203.0.113.0/24", "2001:db8:1::/48"), or None for an
    address that says nothing about who sent it (missing, loopback, one of our proxies)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_unspecified or ip.is_link_local or ip.is_multicast:
        return None
    if any(ip in network for network in trusted_proxies()):
        return None
    bits = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def request_digests(request: HttpRequest, *, device_token: str | None = None) -> dict[str, str]:
    """{kind: digest} for this request: its network and, when known, its browser's cookie.
    `device_token` names a cookie just minted on this response (not yet in request.COOKIES)."""
    digests = {}
    prefix = network_prefix(client_ip(request))
    if prefix is not None:
        digests[DeviceSignal.Kind.NETWORK] = signal_digest(DeviceSignal.Kind.NETWORK, prefix)
    token = device_token or request.COOKIES.get(DEVICE_COOKIE_NAME, "")
    if token:
        digests[DeviceSignal.Kind.DEVICE] = signal_digest(DeviceSignal.Kind.DEVICE, token)
    return digests


def do_record_device_signals(user: User, digests: dict[str, str]) -> None:
    """Note that the member was seen with these digests now (a new row, or a later last seen)."""
    now = timezone.now()
    for kind, digest in digests.items():
        updated = DeviceSignal.objects.filter(user=user, kind=kind, digest=digest).update(
            last_seen_at=now
        )
        if updated:
            continue
        try:
            # A savepoint: two first requests at once may both try to create the row.
            with transaction.atomic():
                DeviceSignal.objects.create(
                    user=user, kind=kind, digest=digest, first_seen_at=now, last_seen_at=now
                )
        except IntegrityError:
            pass


def do_record_request_signals(
    request: HttpRequest, user: User, *, device_token: str | None = None
) -> None:
    """Record what this request shows of the member. On a signed-in browser session (the
    middleware) the day is remembered in the session, so it is not recorded again today; the
    API's sign-up and token issue call this for a member not signed in on the request, whose
    session is left untouched (an app has no use for a session cookie)."""
    do_record_device_signals(user, request_digests(request, device_token=device_token))
    session = getattr(request, "session", None)
    signed_in = getattr(request, "user", None)
    if session is not None and signed_in is not None and signed_in.pk == user.pk:
        session[SESSION_KEY] = _marker(user)


def _marker(user: User) -> str:
    return f"{user.pk}:{timezone.localdate().isoformat()}"


def recorded_today(request: HttpRequest, user: User) -> bool:
    """Whether this browser (its session) or this app (its API token) was recorded today.
    Costs no query: the session is already loaded, an API token is looked up in the cache."""
    api_token = getattr(request, "api_token", None)
    if api_token is not None:
        # cache.add stores only when absent: the first request of the day records, others skip.
        key = f"haven:device-signals:token:{api_token.pk}:{timezone.localdate().isoformat()}"
        return not cache.add(key, 1, timeout=int(timedelta(days=1).total_seconds()))
    session = getattr(request, "session", None)
    if session is None:
        return True
    return session.get(SESSION_KEY) == _marker(user)


def do_prune_device_signals(now=None) -> int:
    """Forget signals not seen for HAVEN_DEVICE_SIGNAL_DAYS, and the raw addresses django-axes
    kept past its cool-off. Returns how many device signals went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HAVEN_DEVICE_SIGNAL_DAYS)
    deleted, _ = DeviceSignal.objects.filter(last_seen_at__lt=cutoff).delete()
    cool_off = get_cool_off() or timedelta(0)
    AccessAttempt.objects.filter(attempt_time__lt=now - cool_off).delete()
    AccessLog.objects.filter(attempt_time__lt=now - cool_off).delete()
    AccessFailureLog.objects.filter(attempt_time__lt=now - cool_off).delete()
    return deleted
