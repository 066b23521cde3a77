"""Channel-layer groups and events of live chat, always sent after the write commits."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

QUEUE_GROUP = "chat.queue"


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


def request_group(request_id: int) -> str:
    return f"chat.request.{request_id}"


# --- Delivery of a stored message to the other side: at least once, usually exactly once.
# The push happens before the sender's acknowledgement (a sender whose socket is gone must not
# stop it). A retry of the same message (same client_id) pushes again unless the first push is
# known to have happened; clients ignore a message id they already show.

PUSHED_SECONDS = 24 * 60 * 60  # retries come within seconds or minutes; the key then expires


def _pushed_key(message_id: int) -> str:
    return f"chat-pushed:{message_id}"


async def was_pushed(message_id: int) -> bool:
    return bool(await cache.aget(_pushed_key(message_id)))


async def mark_pushed(message_id: int) -> None:
    await cache.aset(_pushed_key(message_id), 1, PUSHED_SECONDS)


def was_pushed_sync(message_id: int) -> bool:
    return bool(cache.get(_pushed_key(message_id)))


def send_message_on_commit(group: str, message_id: int, event: dict[str, Any]) -> None:
    """The pages' and API's way: push once committed, then remember that it was pushed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, event)
            cache.set(_pushed_key(message_id), 1, PUSHED_SECONDS)

    transaction.on_commit(send)
