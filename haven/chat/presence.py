"""Who has a chat open right now, across server processes (kept in the shared cache), so that
a member who is away is told of new messages and one who is reading is not disturbed; and
whether a listener has gone quiet on the seeker."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from haven.chat.models import Conversation

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


def quiet_seconds() -> int:
    return settings.HAVEN_CHAT_QUIET_SECONDS


def seconds_until_quiet(conversation: Conversation, now=None) -> float | None:
    """How long until the listener counts as quiet: the seeker's last words have gone
    unanswered for HAVEN_CHAT_QUIET_SECONDS (0: quiet now). None while nobody is waiting on
    the listener (the seeker has not written, or the listener answered)."""
    if conversation.status != Conversation.Status.ACTIVE:
        return None
    last_from_seeker = (
        conversation.messages.filter(sender_id=conversation.seeker_id)
        .order_by("-id")
        .values_list("id", "created_at")
        .first()
    )
    if last_from_seeker is None:
        return None
    answered = conversation.messages.filter(
        sender_id=conversation.listener_id, id__gt=last_from_seeker[0]
    ).exists()
    if answered:
        return None
    now = now or timezone.now()
    waited = (now - last_from_seeker[1]).total_seconds()
    return max(0.0, quiet_seconds() - waited)


def listener_is_quiet(conversation: Conversation) -> bool:
    return seconds_until_quiet(conversation) == 0
