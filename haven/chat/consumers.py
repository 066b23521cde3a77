"""WebSocket consumers of live chat. They only carry data: every rule is in the actions and
permission checks they call.

Chat protocol (JSON), /ws/chat/<conversation id>/?after=<last message id seen>:
  client → {"type": "message", "body": "...", "client_id": "<unique per message>"}
           {"type": "typing"}  {"type": "read", "up_to": <message id>}  {"type": "end"}
           {"type": "find_someone_else"} (the seeker, once the listener has gone quiet)
  server → {"type": "history", "messages": [...]} once on connect (messages after `after`)
           {"type": "ack", "client_id": ..., "id": ..., "created_at": ..., "held": bool}
           {"type": "message", "id": ..., "client_id": ..., "sender": ..., "body": ...,
            "created_at": ..., "held": bool, "erased": bool}
           {"type": "typing", "sender": ...}  {"type": "read", "reader": ..., "up_to": ...}
           {"type": "ended", "ended_by": ...}, then the socket closes with 4411
           {"type": "error", "client_id": ..., "code": ..., "detail": "..."}
           {"type": "support", "message": ..., "country": ..., "resources": [...],
            "international": [...], "safety_plan_url": ...} to a seeker whose words suggest
            crisis: chat.js shows it as a banner in the chat, which never reloads for it
           {"type": "crisis_protocol", "title": ..., "steps": [...], ...} to the listener of
            that seeker: chat.js opens the protocol panel beside the conversation
           {"type": "moderator_joined"} when a site moderator joins an escalated chat
           {"type": "listener_quiet"} to the seeker when the listener has left their last
            words unanswered for HAVEN_CHAT_QUIET_SECONDS ("Find someone else" is offered)
           {"type": "requeued", "request_id": ...} to the seeker who asked for someone else,
            before "ended"
  `sender`, `reader` and `ended_by` say "you", "seeker", "listener" or "moderator" (null:
  nobody, or an account since deleted), as the page does: no frame carries a member's
  internal id.
  A frame that is not JSON, not an object, of an unknown type or with fields of the wrong
  type or size gets an "error" frame; the socket stays open.
  Close codes: 4401 not signed in; 4403 guidelines to accept first; 4404 no such chat (the
  same for "not yours"); 4410 signed out while open (suspended, banned, role changed, account
  deleted: haven.notifications.sockets); 4411 the chat has ended. chat.js retries none of them.

Waiting protocol, /ws/chat/requests/<request id>/ (the seeker's own request):
  server → {"type": "status", "status": "waiting" | "offered", "position": ..., ...}
           {"type": "joined", "listener": "<pseudonym>", "conversation_id": ...} when the
            listener accepts, then {"type": "status", "status": "matched", ...}
  While the request is offered, the socket itself reads the queue again when the offer runs
  out, so an unanswered offer moves on even with no worker running.

Delivery: a message is stored, then pushed to the other side, then acknowledged to the sender,
so a sender whose socket is gone cannot stop the push. A retry with the same client_id is
answered with the stored message and pushed again unless the first push is known to have gone
out (events.was_pushed): delivery is at least once, and clients ignore an id they already show.
A client that reconnects with `after` set to the last id it saw gets everything it missed.
"""

import asyncio
import json
import logging
from urllib.parse import parse_qs

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from haven.accounts.actors import actor_from_scope
from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.chat import actions, events, presence
from haven.chat.models import MESSAGE_MAX_LENGTH, ChatMessage, Conversation
from haven.chat.permissions import (
    access_conversation_by_id,
    access_own_request,
    check_find_someone_else,
    check_send_message,
    check_take_part_in_chat,
)
from haven.chat.training import crisis_protocol
from haven.core.realtime import (
    CLIENT_GONE,
    CLOSE_ENDED,
    CLOSE_REFUSED,
    FrameError,
    read_message_frame,
    refuse,
)
from haven.notifications.sockets import MemberSocketMixin
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import SUPPORT_MESSAGE, support_panel_data

logger = logging.getLogger(__name__)


# Sending runs in a pool of threads, each with its own database connection, instead of
# Channels' single database thread: with hundreds of chats a process would otherwise store one
# message at a time (measured in bench/chat.py). Each send is its own transaction, so nothing
# depends on sharing a thread.
def send_in_pool(function):
    return DatabaseSyncToAsync(function, thread_sensitive=False)


# The chat's own codes are core's (haven.core.realtime); these name what they mean here.
CLOSE_GUIDELINES = CLOSE_REFUSED  # new community guidelines to accept first (on the web page)

# The largest frame a client may send: a message of MESSAGE_MAX_LENGTH characters, JSON-escaped
# (up to 6 characters each), with room for the other fields.
MAX_FRAME_CHARS = 6 * MESSAGE_MAX_LENGTH + 1024
MAX_MESSAGE_ID = 2**63 - 1  # a bigint column: anything larger is not a message id


class OneTimer:
    """At most one pending call of a consumer (rescheduling replaces it); cancelled on close."""

    def __init__(self) -> None:
        self.task: asyncio.Task | None = None

    def start(self, delay: float, call) -> None:
        self.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            await call()

        self.task = asyncio.get_running_loop().create_task(later())

    def cancel(self) -> None:
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()
        self.task = None


def who(conversation: Conversation, user_id: int | None, viewer_id: int) -> str | None:
    """A participant as the viewer's page names them: never by their internal id."""
    if user_id is None:
        return None
    if user_id == viewer_id:
        return "you"
    return conversation.role_of_id(user_id)


def message_frame(fields: dict, conversation: Conversation, viewer_id: int) -> dict:
    """A stored message (actions.message_fields) as one participant's client receives it."""
    frame = {key: value for key, value in fields.items() if key not in ("type", "sender_id")}
    frame["sender"] = who(conversation, fields["sender_id"], viewer_id)
    return frame


def read_up_to(content: dict) -> int:
    up_to = content.get("up_to")
    # bool is an int in Python; and a number past the id column would fail in the database.
    if isinstance(up_to, bool) or not isinstance(up_to, int) or not 0 < up_to <= MAX_MESSAGE_ID:
        raise FrameError("A read receipt needs the id of a message (up_to).")
    return up_to


class ChatConsumer(MemberSocketMixin, AsyncJsonWebsocketConsumer):
    group: str | None = None
    ended: bool = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.quiet_timer = OneTimer()

    async def connect(self) -> None:
        self.conversation = await self.access_or_close(
            access_conversation_by_id, int(self.scope["url_route"]["kwargs"]["conversation_id"])
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
        if self.conversation.status != Conversation.Status.ACTIVE:
            # What was missed is delivered; an ended chat has nothing more to carry.
            self.ended = True
            await self.close(code=CLOSE_ENDED)
            return
        await self._watch_for_quiet()

    def _history(self, after: int) -> list[dict]:
        return [
            message_frame(actions.message_fields(m), self.conversation, self.user.pk)
            for m in actions.visible_messages(self.conversation, self.user, after)
        ]

    async def disconnect(self, code: int) -> None:
        self.quiet_timer.cancel()
        await self.leave_member_group()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(presence.mark_absent)(self.conversation.pk, self.user.pk)
            self.group = None

    @property
    def closing(self) -> bool:
        return self.group is None or self.ended or self.access_ended

    # --- Frames from the client

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Every frame is checked before it is handled: a malformed one gets an error frame
        and the socket stays open (a traceback would drop the chat for a typo)."""
        if self.closing:
            return
        try:
            try:
                await self.receive_json(self._decode(text_data))
            except FrameError as error:
                await self._error(error.client_id, error.code, error.detail)
        except CLIENT_GONE:
            # The client is gone (uvicorn raises ClientDisconnected on a send): what was stored
            # is already pushed; the disconnect comes next and cleans up.
            logger.info("Chat socket %s closed before its answer was sent", self.channel_name)

    @staticmethod
    def _decode(text_data: str | None) -> dict:
        if text_data is None:
            raise FrameError("Messages are JSON text.")
        if len(text_data) > MAX_FRAME_CHARS:
            raise FrameError(gettext("This message is too large."), code="too_large")
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # includes integers too long to read
            raise FrameError("Messages are JSON.") from None
        if not isinstance(content, dict):
            raise FrameError("Messages are JSON objects with a type.")
        return content

    async def receive_json(self, content: dict, **kwargs) -> None:
        kind = content.get("type")
        if kind == "message":
            await self._receive_message(content)
        elif kind == "typing":
            await self.channel_layer.group_send(
                self.group, {"type": "chat.typing", "sender_id": self.user.pk}
            )
        elif kind == "read":
            await database_sync_to_async(actions.do_mark_read)(
                self.conversation, self.user, read_up_to(content)
            )
        elif kind == "end":
            try:
                await database_sync_to_async(self._end)()
            except PermissionDenied as refused:
                raise FrameError(str(refused), getattr(refused, "code", "refused")) from None
        elif kind == "find_someone_else":
            try:
                chat_request = await database_sync_to_async(self._find_someone_else)()
            except PermissionDenied as refused:
                raise FrameError(str(refused), getattr(refused, "code", "refused")) from None
            # Before the chat's own "ended" event, which closes this socket.
            await self.send_json({"type": "requeued", "request_id": chat_request.pk})
        else:
            raise FrameError("Unknown message.", code="unknown")

    async def _receive_message(self, content: dict) -> None:
        client_id, body = read_message_frame(content, MESSAGE_MAX_LENGTH)
        try:
            message, created = await send_in_pool(self._send)(
                body, client_id, content.get("send_for_review") is True
            )
        except TextRefused as refused:
            raise FrameError(str(refused), "personal_data", client_id) from None
        except TextNeedsReviewChoice as nudge:
            raise FrameError(str(nudge), "may_hurt", client_id) from None
        except PermissionDenied as refused:  # chat ended, muted, or too many messages
            raise FrameError(str(refused), getattr(refused, "code", "refused"), client_id) from None
        # The other side first: if this socket is gone, sending the ack below raises, and
        # nothing after it would run.
        if created or not await events.was_pushed(message.pk):
            await self._push(message)
        ack = message_frame(actions.message_fields(message), self.conversation, self.user.pk)
        await self.send_json({"type": "ack", **ack})
        await self._watch_for_quiet()
        if "crisis" in message.safety_labels:
            # Again on a retry: the first answer may have been lost with the socket.
            await self._support_for_seeker()

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

    def _find_someone_else(self):
        conversation = Conversation.objects.select_related("request").get(pk=self.conversation.pk)
        check_find_someone_else(self.actor, conversation)
        return actions.do_find_someone_else(conversation, seeker=self.user)

    # --- A listener who goes quiet: the seeker's socket tells its page when the seeker's last
    # words have waited HAVEN_CHAT_QUIET_SECONDS, so the page can offer "Find someone else".

    async def _watch_for_quiet(self) -> None:
        if self.conversation.role_of(self.user) != "seeker":
            return
        delay = await database_sync_to_async(presence.seconds_until_quiet)(self.conversation)
        if delay is None:
            self.quiet_timer.cancel()
        else:
            self.quiet_timer.start(delay, self._tell_if_quiet)

    async def _tell_if_quiet(self) -> None:
        if self.closing:
            return
        delay = await database_sync_to_async(presence.seconds_until_quiet)(self.conversation)
        if delay == 0:
            await self.send_json({"type": "listener_quiet"})
        elif delay is not None:  # the seeker wrote again meanwhile
            self.quiet_timer.start(delay, self._tell_if_quiet)

    async def _push(self, message: ChatMessage) -> None:
        """Tells the other side (every process) of a stored, committed message."""
        if message.moderation_state == "visible":
            await self.channel_layer.group_send(self.group, actions.message_event(message))
        if "crisis" in message.safety_labels and self.conversation.role_of(self.user) == "seeker":
            await self.channel_layer.group_send(
                self.group, {"type": "chat.crisis", "seeker_id": self.user.pk}
            )
        await events.mark_pushed(message.pk)

    async def _support_for_seeker(self) -> None:
        """The seeker's page shows this as a banner inside the chat, without reloading."""

        if self.conversation.role_of(self.user) != "seeker":
            return
        panel = await database_sync_to_async(support_panel_data)(self.user)
        await self.send_json({"type": "support", "message": SUPPORT_MESSAGE, **panel})

    async def _error(self, client_id: str, code: str, detail: str) -> None:
        await self.send_json(
            {"type": "error", "client_id": client_id, "code": code, "detail": detail}
        )

    # --- Events from the group (server-side; they may carry ids, the frames never do)

    async def chat_message(self, event: dict) -> None:
        if not self.closing and event["sender_id"] != self.user.pk:
            await self.send_json(
                {"type": "message", **message_frame(event, self.conversation, self.user.pk)}
            )
            if event["sender_id"] == self.conversation.listener_id:
                self.quiet_timer.cancel()  # answered

    async def chat_typing(self, event: dict) -> None:
        if not self.closing and event["sender_id"] != self.user.pk:
            sender = who(self.conversation, event["sender_id"], self.user.pk)
            await self.send_json({"type": "typing", "sender": sender})

    async def chat_read(self, event: dict) -> None:
        if not self.closing:
            reader = who(self.conversation, event["reader_id"], self.user.pk)
            await self.send_json({"type": "read", "reader": reader, "up_to": event["up_to"]})

    async def chat_ended(self, event: dict) -> None:
        if self.closing:
            return
        if event.get("signed_out_id") == self.user.pk:
            # This member's access ended (sanction, deletion, lost role): the member group's
            # close may come second.
            await self.member_access_revoked({"type": "member.access_revoked"})
            return
        self.ended = True
        self.quiet_timer.cancel()
        ended_by = who(self.conversation, event["ended_by_id"], self.user.pk)
        await self.send_json({"type": "ended", "ended_by": ended_by})
        await self.close(code=CLOSE_ENDED)

    async def chat_moderator_joined(self, event: dict) -> None:
        # This socket's copy of the chat learns the third participant, so their messages are
        # labelled "moderator" from now on.
        self.conversation.moderator_id = event["moderator_id"]
        if not self.closing and event["moderator_id"] != self.user.pk:
            await self.send_json({"type": "moderator_joined"})

    async def chat_crisis(self, event: dict) -> None:
        if not self.closing and self.conversation.role_of(self.user) == "listener":
            await self.send_json({"type": "crisis_protocol", **crisis_protocol()})


def _int_param(query_string: bytes, name: str) -> int:
    values = parse_qs(query_string.decode("latin-1")).get(name, ["0"])
    try:
        return min(MAX_MESSAGE_ID, max(0, int(values[0])))
    except ValueError:
        return 0


class WaitingConsumer(MemberSocketMixin, AsyncJsonWebsocketConsumer):
    """The seeker's place in the queue, live; the listener joining; and moving an offer on
    when it runs out unanswered."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offer_timer = OneTimer()

    async def connect(self) -> None:
        self.chat_request = await self.access_or_close(
            access_own_request, int(self.scope["url_route"]["kwargs"]["request_id"])
        )
        if self.chat_request is None:
            return
        await self.channel_layer.group_add(events.QUEUE_GROUP, self.channel_name)
        await self.channel_layer.group_add(
            events.request_group(self.chat_request.pk), self.channel_name
        )
        await self.accept()
        await self.send_status()

    async def disconnect(self, code: int) -> None:
        self.offer_timer.cancel()
        await self.leave_member_group()
        if getattr(self, "chat_request", None) is not None:
            await self.channel_layer.group_discard(events.QUEUE_GROUP, self.channel_name)
            await self.channel_layer.group_discard(
                events.request_group(self.chat_request.pk), self.channel_name
            )

    async def send_status(self) -> None:
        status = await database_sync_to_async(actions.waiting_status)(self.chat_request)
        await self.send_json({"type": "status", **status})
        if "offer_expires_in" in status:
            # Reading the status reads the queue: an offer that ran out moves on then.
            self.offer_timer.start(status["offer_expires_in"] + 0.2, self.send_status)
        else:
            self.offer_timer.cancel()

    async def queue_changed(self, event: dict) -> None:
        if not self.access_ended:
            await self.send_status()

    async def request_matched(self, event: dict) -> None:
        self.offer_timer.cancel()
        conversation_id = event["conversation_id"]
        await self.send_json(
            {"type": "joined", "listener": event["listener"], "conversation_id": conversation_id}
        )
        await self.send_json(
            {"type": "status", "status": "matched", "conversation_id": conversation_id}
        )
