"""Channel-layer groups and events of support rooms, always sent after the write commits.

Events may carry member ids (they stay on the server); each consumer turns an event into the
frame its own member may see (haven.rooms.consumers)."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from haven.core.realtime import PushMarks, send_event_on_commit


def room_group(room_id: int) -> str:
    return f"rooms.room.{room_id}"


# Delivery of a stored message: at least once, usually exactly once
# (haven.core.realtime.PushMarks).
_pushed = PushMarks("room")
was_pushed = _pushed.was_pushed
mark_pushed = _pushed.mark_pushed
was_pushed_sync = _pushed.was_pushed_sync


def send_message_on_commit(room_id: int, message_id: int, event: dict[str, Any]) -> None:
    """The pages' and the API's way: push once committed, then remember that it was pushed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(room_group(room_id), event)
            _pushed.mark_pushed_sync(message_id)

    transaction.on_commit(send)


def send_room_event_on_commit(room_id: int, event: dict[str, Any]) -> None:
    send_event_on_commit(room_group(room_id), event)
