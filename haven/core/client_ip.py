"""Where a request comes from: the socket's address, or the proxy's word for it when the proxy
is one we run.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
request arrives from an address listed in settings.HAVEN_TRUSTED_PROXIES. Login throttling
(django-axes), rate limits (django-ratelimit) and moderation records all use this one answer,
so a forged header buys nobody a fresh counter.
"""

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "HAVEN_TRUSTED_PROXIES", ())))


def _is_trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_ip(request: Any) -> str:
    """The address of the client, for throttling and records.

    Behind trusted proxies, the X-Forwarded-For chain is read from the right (each proxy
    appends the address it saw) and the first hop that is not one of ours is the client.
    Anything malformed there falls back to the socket's address, which cannot be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = trusted_proxies()
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote
        if not _is_trusted(hop, proxies):
            return hop
    # Every hop is one of ours (a request from inside): the first one is where it began.
    return hops[0] if hops else remote
