"""The socket of one direct conversation. It only carries data: every rule is in the checks and
actions it calls, the same as the pages' and the API's.

Protocol (JSON), /ws/direct/<thread id>/?after=<last message id seen>:
  client → {"type": "message", "body": "...", "client_id": "<unique per message>",
            "send_for_review": false}
           {"type": "read", "up_to": <message id>}
  server → {"type": "history", "messages": [...]} once on connect (messages after `after`)
           {"type": "ack", "id", "client_id", "mine": true, "body", "created_at", "held"}
           {"type": "message", "id", "client_id", "mine": false, "body", "created_at",
            "held": false} from the other member
           {"type": "support", "message": ..., "resources": [...], ...} to a writer whose words
            suggest crisis (never to the other member)
           {"type": "closed"} when the conversation closes, then the socket closes with 4411
           {"type": "error", "client_id", "code", "detail"}: the socket stays open
  Close codes: 4401 not signed in; 4403 guidelines to accept first; 4404 no such conversation
  (the same for "not yours"); 4410 signed out while open; 4411 not open (waiting for an
  answer, declined, closed, or a block between the two).

Delivery: stored, pushed to the group (after the commit), then acknowledged to the writer. A
retry with the same client_id is answered with the stored message and pushed again (clients
ignore an id they already show). Reconnecting with `after` gives everything missed.
"""

import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied

from haven.accounts.actors import actor_from_scope
from haven.accounts.gates import record_write
from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.core.realtime import (
    CLOSE_ENDED,
    CLOSE_REFUSED,
    FrameError,
    read_message_frame,
    refuse,
)
from haven.direct_messages import actions, events, presence, queries
from haven.direct_messages.models import DIRECT_MESSAGE_MAX_LENGTH, DirectThread
from haven.direct_messages.permissions import (
    access_direct_thread_by_id,
    check_send_direct_message,
    is_open,
)
from haven.notifications.sockets import MemberSocketMixin
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import SUPPORT_MESSAGE, support_panel_data

MAX_FRAME_CHARS = 6 * DIRECT_MESSAGE_MAX_LENGTH + 1024
MAX_MESSAGE_ID = 2**63 - 1


def frame(fields: dict, viewer_id: int) -> dict:
    """A stored message as one member's client receives it: `mine`, never an id of a member."""
    out = {key: value for key, value in fields.items() if key not in ("type", "sender_id")}
    out["mine"] = fields["sender_id"] == viewer_id
    return out


def _after(query_string: bytes) -> int:
    value = parse_qs(query_string.decode("latin-1")).get("after", ["0"])[0]
    try:
        return min(MAX_MESSAGE_ID, max(0, int(value)))
    except ValueError:
        return 0


class DirectConsumer(MemberSocketMixin, AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        self.thread = await self.access_or_close(access_direct_thread_by_id, thread_id)
        if self.thread is None:
            return
        user = self.scope["user"]
        if await database_sync_to_async(needs_to_accept_guidelines)(user):
            await refuse(self, CLOSE_REFUSED)
            return
        if not await database_sync_to_async(is_open)(self.thread):
            # Waiting, declined or closed: the page shows it; nothing live to carry.
            await refuse(self, CLOSE_ENDED)
            return
        self.user = user
        self.actor = await database_sync_to_async(actor_from_scope)(self.scope)
        self.group = events.thread_group(self.thread.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await database_sync_to_async(presence.mark_present)(self.thread.pk, user.pk)
        await self.accept()
        after = _after(self.scope.get("query_string", b""))
        history = await database_sync_to_async(self._history)(after)
        await self.send_json({"type": "history", "messages": history})

    def _history(self, after: int) -> list[dict]:
        return [
            frame(actions.message_fields(m), self.user.pk)
            for m in queries.visible_messages(self.thread, self.user, after)[:500]
        ]

    async def disconnect(self, code: int) -> None:
        await self.leave_member_group()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(presence.mark_absent)(self.thread.pk, self.user.pk)
            self.group = None

    @property
    def closing(self) -> bool:
        return self.group is None or self.access_ended

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return
        try:
            if text_data is None or len(text_data) > MAX_FRAME_CHARS:
                raise FrameError("Messages are JSON text, at most a message long.")
            try:
                content = json.loads(text_data)
            except (ValueError, RecursionError):
                raise FrameError("Messages are JSON.") from None
            if not isinstance(content, dict):
                raise FrameError("Messages are JSON objects with a type.")
            await self.receive_json(content)
        except FrameError as error:
            await self.send_json(
                {"type": "error", "client_id": error.client_id, "code": error.code,
                 "detail": error.detail}
            )  # fmt: skip

    async def receive_json(self, content: dict, **kwargs) -> None:
        kind = content.get("type")
        if kind == "message":
            await self._receive_message(content)
        elif kind == "read":
            up_to = content.get("up_to")
            if isinstance(up_to, bool) or not isinstance(up_to, int):
                raise FrameError("A read receipt needs the id of a message (up_to).")
            await database_sync_to_async(actions.do_mark_read)(
                self.thread, self.user, min(max(up_to, 0), MAX_MESSAGE_ID)
            )
        else:
            raise FrameError("Unknown message.", code="unknown")

    async def _receive_message(self, content: dict) -> None:
        client_id, body = read_message_frame(content, DIRECT_MESSAGE_MAX_LENGTH)
        try:
            message = await database_sync_to_async(self._send)(
                body, client_id, content.get("send_for_review") is True
            )
        except TextRefused as refused:
            code = getattr(refused, "code", "personal_data")  # or "watched_words"
            raise FrameError(str(refused), code, client_id) from None
        except TextNeedsReviewChoice as nudge:
            raise FrameError(str(nudge), "may_hurt", client_id) from None
        except PermissionDenied as refused:  # closed, blocked, muted, too many messages
            raise FrameError(str(refused), getattr(refused, "code", "refused"), client_id) from None
        # The push to the other member already went out with the commit, before this ack.
        await self.send_json(
            {"type": "ack", **frame(actions.message_fields(message), self.user.pk)}
        )
        if "crisis" in message.safety_labels:
            panel = await database_sync_to_async(support_panel_data)(self.user)
            await self.send_json({"type": "support", "message": SUPPORT_MESSAGE, **panel})

    def _send(self, body: str, client_id: str, send_for_review: bool):
        thread = DirectThread.objects.select_related("sender", "recipient").get(pk=self.thread.pk)
        check_send_direct_message(self.actor, thread)
        message, _ = actions.do_send_direct_message(
            thread, sender=self.user, body=body, client_id=client_id,
            send_for_review=send_for_review,
        )  # fmt: skip
        record_write(self.actor, "direct_message")
        return message

    # --- Events from the group

    async def direct_message(self, event: dict) -> None:
        if not self.closing and event["sender_id"] != self.user.pk and not event["held"]:
            await self.send_json({"type": "message", **frame(event, self.user.pk)})

    async def direct_accepted(self, event: dict) -> None:
        """Only sockets of an open conversation exist; nothing to tell them."""

    async def direct_closed(self, event: dict) -> None:
        if self.closing:
            return
        await self.send_json({"type": "closed"})
        await self.close(code=CLOSE_ENDED)
