"""Who is in a room right now, across server processes (counters in the shared cache, one per
member and room: a member with two tabs open counts once and leaves with the last)."""

from django.core.cache import cache

PRESENCE_SECONDS = 6 * 60 * 60  # a forgotten key expires; open sockets renew it on connect


def _key(room_id: int, user_id: int) -> str:
    return f"room-presence:{room_id}:{user_id}"


def mark_present(room_id: int, user_id: int) -> None:
    key = _key(room_id, user_id)
    if not cache.add(key, 1, PRESENCE_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, PRESENCE_SECONDS)


def mark_absent(room_id: int, user_id: int) -> None:
    key = _key(room_id, user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def present_ids(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of these (room id, user id) pairs, the ones with a socket open now: one cache read."""
    if not pairs:
        return set()
    found = cache.get_many([_key(room_id, user_id) for room_id, user_id in pairs])
    return {pair for pair in pairs if found.get(_key(*pair))}


def is_present(room_id: int, user_id: int) -> bool:
    return bool(cache.get(_key(room_id, user_id)))
