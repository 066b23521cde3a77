"""Whether a member has Haven open right now, across server processes.

Every open page holds the notification socket (/ws/notifications/). Each socket records itself
in the shared cache under its member, with the time of its last heartbeat; haven.js beats every
HAVEN_PRESENCE_HEARTBEAT_SECONDS. A member is present while at least one of their sockets has
beaten within HAVEN_PRESENCE_STALE_SECONDS: closing the last tab removes it at once, and a lost
connection (no close ever reaches the server) goes stale and counts as gone.

The entry is read, changed and written back: two sockets of one member changing it at the same
instant may drop the other's beat, which its next beat restores (an entry can only be missing
for one beat, or linger until it is stale).

Higher apps react through the two signals (chat matches a listener who came online and takes
back the offers of one who left) instead of this app importing them.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal

# Sent with user_id when a member's first live socket opens (or a stale one beats again).
member_came_online = Signal()
# Sent with user_id when a member's last live socket closes.
member_went_offline = Signal()


def stale_seconds() -> int:
    return settings.HAVEN_PRESENCE_STALE_SECONDS


def _key(user_id: int) -> str:
    return f"member-presence:{user_id}"


def _live(sockets: dict[str, float], now: float) -> dict[str, float]:
    return {name: seen for name, seen in sockets.items() if now - seen < stale_seconds()}


def beat(user_id: int, socket_name: str) -> bool:
    """Records that this socket of the member is alive (on connect and on every heartbeat).
    Returns True when the member was not present before it."""
    now = time.time()
    sockets = _live(cache.get(_key(user_id)) or {}, now)
    came_online = not sockets
    sockets[socket_name] = now
    cache.set(_key(user_id), sockets, stale_seconds())
    return came_online


def leave(user_id: int, socket_name: str) -> bool:
    """Forgets a closed socket. Returns True when it was the member's last live one."""
    now = time.time()
    sockets = _live(cache.get(_key(user_id)) or {}, now)
    sockets.pop(socket_name, None)
    if sockets:
        cache.set(_key(user_id), sockets, stale_seconds())
        return False
    cache.delete(_key(user_id))
    return True


def present_user_ids(user_ids: list[int]) -> set[int]:
    """Which of these members have a live socket now (one cache round trip)."""
    if not user_ids:
        return set()
    now = time.time()
    found = cache.get_many([_key(user_id) for user_id in user_ids])
    return {user_id for user_id in user_ids if _live(found.get(_key(user_id)) or {}, now)}


def is_present(user_id: int) -> bool:
    return bool(present_user_ids([user_id]))
