"""WebSocket consumers of live chat. They only carry data: every rule is in the actions and
permission checks they call.

Chat protocol (JSON), /ws/chat/<conversation id>/?after=<last message id seen>:
  client → {"type": "message", "body": "...", "client_id": "<unique per message>"}
           {"type": "typing"}  {"type": "read", "up_to": <message id>}  {"type": "end"}
  server → {"type": "history", "messages": [...]} once on connect (messages after `after`)
           {"type": "ack", "client_id": ..., "id": ..., "created_at": ..., "held": bool}
           {"type": "message", ...}  {"type": "typing", "sender_id": ...}
           {"type": "read", "reader_id": ..., "up_to": ...}  {"type": "ended", "ended_by": ...}
           {"type": "error", "client_id": ..., "code": ..., "detail": "..."}
           {"type": "support", ...} to a seeker whose words suggest crisis
           {"type": "crisis_protocol", ...} to the listener of that seeker
A message is acknowledged only after it is stored; a client that reconnects with `after`
set to the last id it saw gets everything it missed, once.
"""

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from haven.accounts.actors import actor_from_scope
from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.chat import actions, events, presence
from haven.chat.models import MESSAGE_MAX_LENGTH, Conversation
from haven.chat.permissions import (
    access_conversation_by_id,
    access_own_request,
    check_send_message,
    check_take_part_in_chat,
)
from haven.chat.training import crisis_protocol
from haven.core.text import clean_text
from haven.safety.screening import TextNeedsReviewChoice, TextRefused


# Sending runs in a pool of threads, each with its own database connection, instead of
# Channels' single database thread: with hundreds of chats a process would otherwise store one
# message at a time (measured in bench/chat.py). Each send is its own transaction, so nothing
# depends on sharing a thread.
def send_in_pool(function):
    return DatabaseSyncToAsync(function, thread_sensitive=False)


CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_GUIDELINES = 4403  # new community guidelines to accept first (on the web page)


async def refuse(consumer: AsyncJsonWebsocketConsumer, code: int) -> None:
    """Accept, then close with the code: a browser never learns the code of a refused handshake
    (it only sees 1006), and chat.js must know not to retry a 44xx."""
    await consumer.accept()
    await consumer.close(code=code)


async def access_or_close(consumer: AsyncJsonWebsocketConsumer, access, key: str):
    """The object named in the URL if this member may see it; otherwise the socket is closed
    with a 44xx code (the same for "missing" and "not yours") and None is returned."""
    user = consumer.scope.get("user")
    if user is None or not user.is_authenticated:
        await refuse(consumer, CLOSE_NOT_SIGNED_IN)
        return None
    try:
        return await database_sync_to_async(access)(
            user, int(consumer.scope["url_route"]["kwargs"][key])
        )
    except Http404:
        await refuse(consumer, CLOSE_NOT_FOUND)
        return None


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.conversation = await access_or_close(
            self, access_conversation_by_id, "conversation_id"
        )
        if self.conversation is None:
            return
        user = self.scope["user"]
        if await database_sync_to_async(needs_to_accept_guidelines)(user):
            await refuse(self, CLOSE_GUIDELINES)
            return
        self.user = user
        self.actor = await database_sync_to_async(actor_from_scope)(self.scope)
        self.group = events.conversation_group(self.conversation.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await database_sync_to_async(presence.mark_present)(self.conversation.pk, user.pk)
        await self.accept()
        after = _int_param(self.scope.get("query_string", b""), "after")
        history = await database_sync_to_async(self._history)(after)
        await self.send_json({"type": "history", "messages": history})

    def _history(self, after: int) -> list[dict]:
        return [
            actions.message_fields(m)
            for m in actions.visible_messages(self.conversation, self.user, after)
        ]

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(presence.mark_absent)(self.conversation.pk, self.user.pk)

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "message":
            await self._receive_message(content)
        elif kind == "typing":
            await self.channel_layer.group_send(
                self.group, {"type": "chat.typing", "sender_id": self.user.pk}
            )
        elif kind == "read" and isinstance(content.get("up_to"), int):
            await database_sync_to_async(actions.do_mark_read)(
                self.conversation, self.user, content["up_to"]
            )
        elif kind == "end":
            try:
                await database_sync_to_async(self._end)()
            except PermissionDenied as refused:
                await self._error("", getattr(refused, "code", "refused"), str(refused))
        else:
            await self.send_json({"type": "error", "code": "unknown", "detail": "Unknown message."})

    async def _receive_message(self, content: dict) -> None:
        client_id = str(content.get("client_id", ""))[:64]
        body = content.get("body")
        if not client_id or not isinstance(body, str):
            await self._error(client_id, "invalid", "A message needs a body and a client_id.")
            return
        try:
            body = clean_text(body, field="Your message")
        except ValidationError as error:
            await self._error(client_id, "invalid", error.messages[0])
            return
        if not body or len(body) > MESSAGE_MAX_LENGTH:
            await self._error(
                client_id, "invalid", f"Messages are 1 to {MESSAGE_MAX_LENGTH} characters."
            )
            return
        try:
            message, created = await send_in_pool(self._send)(
                body, client_id, bool(content.get("send_for_review"))
            )
        except TextRefused as refused:
            await self._error(client_id, "personal_data", str(refused))
            return
        except TextNeedsReviewChoice as nudge:
            await self._error(client_id, "may_hurt", str(nudge))
            return
        except PermissionDenied as refused:  # chat ended, muted, or too many messages
            await self._error(client_id, getattr(refused, "code", "refused"), str(refused))
            return
        await self.send_json({"type": "ack", **actions.message_fields(message)})
        if created and message.moderation_state == "visible":
            # Stored and committed by now: tell the other side from this loop.
            await self.channel_layer.group_send(self.group, actions.message_event(message))
        if created and "crisis" in message.safety_labels:
            await self._crisis_response()

    def _send(self, body: str, client_id: str, send_for_review: bool):
        conversation = Conversation.objects.get(pk=self.conversation.pk)
        check_send_message(self.actor, conversation)
        return actions.do_send_message(
            conversation, sender=self.user, body=body, client_id=client_id,
            send_for_review=send_for_review, announce=False,
        )  # fmt: skip

    def _end(self) -> None:
        check_take_part_in_chat(self.actor)
        actions.do_end_conversation(self.conversation, ended_by=self.user)

    async def _crisis_response(self) -> None:
        from haven.safety.support import SESSION_KEY, SUPPORT_MESSAGE, support_panel_data

        if self.conversation.role_of(self.user) == "seeker":
            session = self.scope.get("session")
            if session is not None:
                # The chat page shows the panel when it reloads on this event.
                session[SESSION_KEY] = {"moderators_told": False}
                await database_sync_to_async(session.save)()
            panel = await database_sync_to_async(support_panel_data)(self.user)
            await self.send_json({"type": "support", "message": SUPPORT_MESSAGE, **panel})
            await self.channel_layer.group_send(
                self.group, {"type": "chat.crisis", "seeker_id": self.user.pk}
            )

    async def _error(self, client_id: str, code: str, detail: str) -> None:
        await self.send_json(
            {"type": "error", "client_id": client_id, "code": code, "detail": detail}
        )

    # --- Events from the group

    async def chat_message(self, event: dict) -> None:
        if event["sender_id"] != self.user.pk:
            await self.send_json({**event, "type": "message"})

    async def chat_typing(self, event: dict) -> None:
        if event["sender_id"] != self.user.pk:
            await self.send_json({"type": "typing", "sender_id": event["sender_id"]})

    async def chat_read(self, event: dict) -> None:
        await self.send_json(
            {"type": "read", "reader_id": event["reader_id"], "up_to": event["up_to"]}
        )

    async def chat_ended(self, event: dict) -> None:
        await self.send_json({"type": "ended", "ended_by": event["ended_by"]})

    async def chat_crisis(self, event: dict) -> None:
        if self.conversation.role_of(self.user) == "listener":
            await self.send_json({"type": "crisis_protocol", **crisis_protocol()})


def _int_param(query_string: bytes, name: str) -> int:
    from urllib.parse import parse_qs

    values = parse_qs(query_string.decode("latin-1")).get(name, ["0"])
    try:
        return max(0, int(values[0]))
    except ValueError:
        return 0


class WaitingConsumer(AsyncJsonWebsocketConsumer):
    """The seeker's place in the queue, live; and the moment a listener is found."""

    async def connect(self) -> None:
        self.chat_request = await access_or_close(self, access_own_request, "request_id")
        if self.chat_request is None:
            return
        await self.channel_layer.group_add(events.QUEUE_GROUP, self.channel_name)
        await self.channel_layer.group_add(
            events.request_group(self.chat_request.pk), self.channel_name
        )
        await self.accept()
        await self.send_status()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "chat_request", None) is not None:
            await self.channel_layer.group_discard(events.QUEUE_GROUP, self.channel_name)
            await self.channel_layer.group_discard(
                events.request_group(self.chat_request.pk), self.channel_name
            )

    async def send_status(self) -> None:
        status = await database_sync_to_async(actions.waiting_status)(self.chat_request)
        await self.send_json({"type": "status", **status})

    async def queue_changed(self, event: dict) -> None:
        await self.send_status()

    async def request_matched(self, event: dict) -> None:
        await self.send_json(
            {"type": "status", "status": "matched", "conversation_id": event["conversation_id"]}
        )
