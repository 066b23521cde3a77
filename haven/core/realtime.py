"""What every WebSocket in Haven shares: the close codes pages act on, refusing a socket in a
way a browser can read, and sending an event to a group once the write behind it committed
(after Zulip's send_event_on_commit).

Close codes (pages stop reconnecting on any 44xx):
4401 not signed in · 4403 refused (guidelines to accept, second factor, not allowed here) ·
4404 no such thing, or not yours (the same answer for both) · 4409 opened again elsewhere ·
4410 signed out while open (suspended, banned, role changed, password changed, deleted) ·
4411 ended (the chat or the room is over).
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

CLOSE_NOT_SIGNED_IN = 4401
CLOSE_REFUSED = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_REPLACED = 4409
CLOSE_SIGNED_OUT = 4410
CLOSE_ENDED = 4411


def close_reason(text: str) -> str:
    """A WebSocket close reason holds at most 123 bytes of UTF-8."""
    return text.encode()[:123].decode(errors="ignore")


async def refuse(consumer, code: int, reason: str = "") -> None:
    """Accept, then close with the code: a browser never learns the code of a refused handshake
    (it only sees 1006), and the pages must know not to retry a 44xx."""
    await consumer.accept()
    await consumer.close(code=code, reason=close_reason(reason) if reason else None)


def send_event_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send `event` to every socket in `group` once the caller's transaction commits. The write
    is already stored: a push that fails is logged and only delays what the page shows."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group, event)
        except Exception:
            logger.warning("Could not push a live event to %s", group, exc_info=True)

    transaction.on_commit(send)
