"""Who has a chat open right now, across server processes (kept in the shared cache), so that
a member who is away is told of new messages and one who is reading is not disturbed."""

from django.core.cache import cache

PRESENCE_SECONDS = 6 * 60 * 60  # a forgotten key expires; open sockets renew it on connect


def _key(conversation_id: int, user_id: int) -> str:
    return f"chat-presence:{conversation_id}:{user_id}"


def mark_present(conversation_id: int, user_id: int) -> None:
    key = _key(conversation_id, user_id)
    if not cache.add(key, 1, PRESENCE_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, PRESENCE_SECONDS)


def mark_absent(conversation_id: int, user_id: int) -> None:
    key = _key(conversation_id, user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def is_present(conversation_id: int, user_id: int) -> bool:
    return bool(cache.get(_key(conversation_id, user_id)))
