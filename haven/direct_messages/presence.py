"""Who has a direct conversation open right now (in the shared cache, so across server
processes): a member reading it live is not sent a notification for each new message."""

from django.core.cache import cache

PRESENCE_SECONDS = 6 * 60 * 60  # a forgotten key expires; open sockets renew it on connect


def _key(thread_id: int, user_id: int) -> str:
    return f"direct-presence:{thread_id}:{user_id}"


def mark_present(thread_id: int, user_id: int) -> None:
    key = _key(thread_id, user_id)
    if not cache.add(key, 1, PRESENCE_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, PRESENCE_SECONDS)


def mark_absent(thread_id: int, user_id: int) -> None:
    key = _key(thread_id, user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def is_present(thread_id: int, user_id: int) -> bool:
    return bool(cache.get(_key(thread_id, user_id)))
