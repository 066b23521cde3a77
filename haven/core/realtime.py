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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from haven.core.text import clean_text

try:  # what uvicorn raises on a send to a socket whose client has gone
    from uvicorn.protocols.utils import ClientDisconnected
except ImportError:  # another ASGI server: its broken pipes are ConnectionErrors
    ClientDisconnected = ConnectionError

logger = logging.getLogger(__name__)

# A frame's answer could not be sent because the client left. Only these: any other OSError
# (a file, a timeout) is a failure to report, never a silent drop of a member's message.
CLIENT_GONE = (ClientDisconnected, ConnectionError)

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


# Events of the request being served, sent together when it ends (see batched_pushes).
_outbox: ContextVar[list[tuple[str, dict[str, Any]]] | None] = ContextVar(
    "haven_push_outbox", default=None
)


def send_event_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send `event` to every socket in `group` once the caller's transaction commits. The write
    is already stored: a push that fails is logged and only delays what the page shows.

    Inside batched_pushes (every HTTP request), committed events wait for the end of the request
    and go out together: a reply pushes to the thread, each subscriber and the moderators, and
    each push alone cost a hop from the request's thread to the event loop."""

    def send() -> None:
        outbox = _outbox.get()
        if outbox is not None:
            outbox.append((group, event))
        else:
            send_events([(group, event)])

    transaction.on_commit(send)


def send_events(events: list[tuple[str, dict[str, Any]]]) -> None:
    """Each event to its group, in order, in one trip to the event loop."""
    layer = get_channel_layer()
    if layer is None or not events:
        return

    async def send_all() -> None:
        for group, event in events:
            try:
                await layer.group_send(group, event)
            except Exception:
                logger.warning("Could not push a live event to %s", group, exc_info=True)

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.warning("Could not push %d live events", len(events), exc_info=True)


@contextmanager
def batched_pushes() -> Iterator[None]:
    """Holds the live events committed inside the block and sends them together at its end
    (also when it ends in an error: what committed is stored and its pages should hear)."""
    if _outbox.get() is not None:  # already batching: the outer block sends
        yield
        return
    outbox: list[tuple[str, dict[str, Any]]] = []
    token = _outbox.set(outbox)
    try:
        yield
    finally:
        _outbox.reset(token)
        send_events(outbox)


# --- Message frames from clients (the chat, support rooms, direct messages)

MAX_CLIENT_ID_LENGTH = 64


class FrameError(Exception):
    """A client frame that cannot be handled: answered with an "error" frame (and any extra
    fields, such as a slow mode's retry_after)."""

    def __init__(
        self, detail: str, code: str = "invalid", client_id: str = "", **extra: object
    ) -> None:
        super().__init__(detail)
        self.detail, self.code, self.client_id, self.extra = detail, code, client_id, extra


def read_message_frame(content: dict, max_length: int) -> tuple[str, str]:
    """The client_id and the cleaned body of a "message" frame, or a FrameError saying what is
    wrong (carrying the client_id once there is one, so the page can mark that message)."""
    client_id = content.get("client_id")
    if isinstance(client_id, int) and not isinstance(client_id, bool):
        client_id = str(client_id)
    if not isinstance(client_id, str) or not client_id:
        raise FrameError(gettext("A message needs a body and a client_id."))
    client_id = client_id[:MAX_CLIENT_ID_LENGTH]
    body = content.get("body")
    if not isinstance(body, str):
        raise FrameError(gettext("A message needs a body and a client_id."), client_id=client_id)
    try:
        body = clean_text(body, field=gettext_noop("Your message"))
    except ValidationError as error:
        raise FrameError(error.messages[0], client_id=client_id) from None
    if not body or len(body) > max_length:
        raise FrameError(
            gettext("Messages are 1 to %(max)s characters.") % {"max": max_length},
            client_id=client_id,
        )
    return client_id, body


# --- Delivery of a stored message: at least once, usually exactly once. The push happens
# before the sender's acknowledgement (a sender whose socket is gone must not stop it). A retry
# of the same message (same client_id) pushes again unless the first push is known to have
# happened; clients ignore a message id they already show.

PUSHED_SECONDS = 24 * 60 * 60  # retries come within seconds or minutes; the key then expires


class PushMarks:
    """Which stored messages of one kind were pushed live, kept in the cache."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def key(self, message_id: int) -> str:
        return f"{self.prefix}-pushed:{message_id}"

    async def was_pushed(self, message_id: int) -> bool:
        return bool(await cache.aget(self.key(message_id)))

    async def mark_pushed(self, message_id: int) -> None:
        await cache.aset(self.key(message_id), 1, PUSHED_SECONDS)

    def was_pushed_sync(self, message_id: int) -> bool:
        return bool(cache.get(self.key(message_id)))

    def mark_pushed_sync(self, message_id: int) -> None:
        cache.set(self.key(message_id), 1, PUSHED_SECONDS)
