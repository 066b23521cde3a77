"""Real-time events to a member's open pages, sent only after the write has committed."""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_user_event_on_commit(user_id: int, event: dict[str, Any]) -> None:
    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(user_group(user_id), {"type": "user.event", **event})
        except Exception:
            # The notification is already stored; a live push that fails only delays it.
            logger.warning("Could not push a live event to user %s", user_id, exc_info=True)

    transaction.on_commit(send)
