"""Channel-layer groups and events of live chat, always sent after the write commits."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from haven.core.realtime import PushMarks

QUEUE_GROUP = "chat.queue"


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


def request_group(request_id: int) -> str:
    return f"chat.request.{request_id}"


# Delivery of a stored message to the other side: at least once, usually exactly once
# (haven.core.realtime.PushMarks).
_pushed = PushMarks("chat")
was_pushed = _pushed.was_pushed
mark_pushed = _pushed.mark_pushed
was_pushed_sync = _pushed.was_pushed_sync


def send_message_on_commit(group: str, message_id: int, event: dict[str, Any]) -> None:
    """The pages' and API's way: push once committed, then remember that it was pushed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, event)
            _pushed.mark_pushed_sync(message_id)

    transaction.on_commit(send)
