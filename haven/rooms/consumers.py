"""The support room socket. It only carries data: every rule is in the checks and actions it
calls (haven.rooms.permissions, haven.rooms.actions).

Protocol (JSON), /ws/rooms/<room id>/?after=<last message id seen>:
  client → {"type": "message", "body": "...", "client_id": "<unique per message>",
            "send_for_review": false}
  server → {"type": "history", "messages": [...], "pinned": {...} | null, "you": {"member": ...,
            "name": ..., "host": bool}, "slow_mode_seconds": ...} once on connect (the messages
            after `after`; the last HISTORY_LIMIT when `after` is 0)
           {"type": "ack", ...message} to the writer once the message is stored
           {"type": "message", "id", "client_id", "author", "host", "member", "mine",
            "collapsed", "body", "created_at", "held", "erased"}
           {"type": "presence", "present": [{"member", "name", "host"}]} who has the room open
           {"type": "members_changed"} someone joined or left (the page's member list)
           {"type": "host_action", "action": "mute" | "unmute" | "remove" | "slow_mode" | "pin"
            | "close", ...} a host's action, to everyone in the room
           {"type": "removed"} then close 4403, to the member a host removed
           {"type": "message_removed", "message_id": ...} a moderator took a message down
           {"type": "support", "message", "country", "resources", "international",
            "safety_plan_url"} privately to a writer whose words suggest crisis
           {"type": "host_alert", "message_id", "author", "detail"} privately to the room's hosts
           {"type": "error", "client_id", "code", "detail", ["retry_after"]}
  `author` is the member's pseudonym, or in an anonymous room the room's name for them ("Guest
  7"); `member` is their place in this room (for host tools), never an account id. `collapsed`
  is true for a message by someone the viewer blocked: the page folds it away behind a button.
  Close codes: 4401 not signed in; 4403 guidelines to accept, rules not yet confirmed (the page
  asks), or removed from the room; 4404 no such room; 4410 signed out while open; 4411 the room
  is closed. rooms.js retries none of them.

Delivery (as in live chat): a message is stored, pushed to the room, then acknowledged, so a
writer whose socket is gone cannot stop the push. A retry with the same client_id is answered
with the stored message and pushed again unless the first push is known to have gone out.
A client that reconnects with `after` set to the last id it saw gets everything it missed.
"""

import json
import logging
from urllib.parse import parse_qs

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.accounts.actors import actor_from_scope
from haven.accounts.blocks import ids_blocked_by
from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.communities.rules import WatchedWordsRefused
from haven.core.realtime import (
    CLIENT_GONE,
    CLOSE_ENDED,
    CLOSE_REFUSED,
    FrameError,
    read_message_frame,
    refuse,
)
from haven.notifications.sockets import MemberSocketMixin
from haven.rooms import actions, events, presence
from haven.rooms.display import (
    Name,
    frame_for,
    message_fields,
    names_in,
    pinned_fields,
    place_name,
)
from haven.rooms.models import ROOM_MESSAGE_MAX_LENGTH, Room, RoomMember
from haven.rooms.permissions import (
    SlowMode,
    access_room_as_member,
    check_send_room_message,
    is_host_place,
)
from haven.rooms.queries import present_members
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import SUPPORT_MESSAGE, support_panel_data

logger = logging.getLogger(__name__)

MAX_FRAME_CHARS = 6 * ROOM_MESSAGE_MAX_LENGTH + 1024
MAX_MESSAGE_ID = 2**63 - 1
HISTORY_LIMIT = 200  # a fresh page shows the room's recent talk, not a month of it
RESUME_LIMIT = 1000  # what a reconnecting client can catch up on at once
HOST_ALERT = gettext_lazy(
    "%(author)s's words suggest they may be struggling. They were shown crisis support "
    "privately and the moderators have been told. A gentle word in the room, or asking them to "
    "reach out to a listener, can help."
)


# Sending runs in a pool of threads, each with its own database connection (as the chat does):
# a busy room would otherwise store one message at a time behind Channels' single thread.
def send_in_pool(function):
    return DatabaseSyncToAsync(function, thread_sensitive=False)


def _int_param(query_string: bytes, name: str) -> int:
    values = parse_qs(query_string.decode("latin-1")).get(name, ["0"])
    try:
        return min(MAX_MESSAGE_ID, max(0, int(values[0])))
    except ValueError:
        return 0


class RoomConsumer(MemberSocketMixin, AsyncJsonWebsocketConsumer):
    group: str | None = None
    ended: bool = False

    async def connect(self) -> None:
        found = await self.access_or_close(
            access_room_as_member, int(self.scope["url_route"]["kwargs"]["room_id"])
        )
        if found is None:
            return
        self.room, self.place = found
        user = self.scope["user"]
        if await database_sync_to_async(needs_to_accept_guidelines)(user):
            await refuse(self, CLOSE_REFUSED, _("Please accept the community guidelines first."))
            return
        self.user = user
        self.actor = await database_sync_to_async(actor_from_scope)(self.scope)
        self.blocked = await database_sync_to_async(ids_blocked_by)(user)
        self.group = events.room_group(self.room.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await database_sync_to_async(presence.mark_present)(self.room.pk, user.pk)
        await self.accept()
        after = _int_param(self.scope.get("query_string", b""), "after")
        await self.send_json(await database_sync_to_async(self._history)(after))
        if self.room.status == Room.Status.CLOSED:
            self.ended = True
            await self.close(code=CLOSE_ENDED)
            return
        await self._tell_presence()

    def _history(self, after: int) -> dict:
        room = Room.objects.select_related("pinned_message").get(pk=self.room.pk)
        names = names_in(room)
        messages = actions.visible_messages(room, self.user, after)
        if after:
            shown = list(messages[:RESUME_LIMIT])
        else:
            shown = list(messages.order_by("-id")[:HISTORY_LIMIT])[::-1]
        me = names.get(self.user.pk)
        return {
            "type": "history",
            "messages": [
                frame_for(
                    message_fields(m, names.get(m.author_id) or Name("", False, None)),
                    self.user.pk,
                    self.blocked,
                )
                for m in shown
            ],
            "pinned": pinned_fields(room, room.pinned_message),
            "you": {"member": me.member, "name": me.name, "host": me.host} if me else None,
            "slow_mode_seconds": room.slow_mode_seconds,
        }

    async def _tell_presence(self) -> None:
        present = await database_sync_to_async(present_members)(self.room)
        await self.channel_layer.group_send(
            self.group, {"type": "room.presence", "present": present}
        )

    async def disconnect(self, code: int) -> None:
        await self.leave_member_group()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(presence.mark_absent)(self.room.pk, self.user.pk)
            await self._tell_presence()
            self.group = None

    @property
    def closing(self) -> bool:
        return self.group is None or self.ended or self.access_ended

    # --- Frames from the client

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return
        try:
            try:
                await self.receive_json(self._decode(text_data))
            except FrameError as error:
                await self.send_json(
                    {
                        "type": "error",
                        "client_id": error.client_id,
                        "code": error.code,
                        "detail": error.detail,
                        **error.extra,
                    }
                )
        except CLIENT_GONE:
            logger.info("Room socket %s closed before its answer was sent", self.channel_name)

    @staticmethod
    def _decode(text_data: str | None) -> dict:
        if text_data is None:
            raise FrameError("Messages are JSON text.")
        if len(text_data) > MAX_FRAME_CHARS:
            raise FrameError(_("This message is too large."), code="too_large")
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            raise FrameError("Messages are JSON.") from None
        if not isinstance(content, dict):
            raise FrameError("Messages are JSON objects with a type.")
        return content

    async def receive_json(self, content: dict, **kwargs) -> None:
        if content.get("type") == "message":
            await self._receive_message(content)
        else:
            raise FrameError("Unknown message.", code="unknown")

    async def _receive_message(self, content: dict) -> None:
        client_id, body = read_message_frame(content, ROOM_MESSAGE_MAX_LENGTH)
        try:
            sent, event = await send_in_pool(self._send)(
                body, client_id, content.get("send_for_review") is True
            )
        except WatchedWordsRefused as refused:
            raise FrameError(str(refused), "watched_words", client_id) from None
        except TextRefused as refused:
            raise FrameError(str(refused), "personal_data", client_id) from None
        except TextNeedsReviewChoice as nudge:
            raise FrameError(str(nudge), "may_hurt", client_id) from None
        except SlowMode as slow:
            raise FrameError(
                str(slow), slow.code, client_id, retry_after=slow.retry_after
            ) from None
        except PermissionDenied as refused:  # paused by a host, removed, closed, rate limited
            raise FrameError(str(refused), getattr(refused, "code", "refused"), client_id) from None
        message = sent.message
        # The room first: if this socket is gone, sending the ack below raises.
        if not sent.held and (sent.created or not await events.was_pushed(message.pk)):
            await self.channel_layer.group_send(self.group, {**event, "origin": self.channel_name})
            await events.mark_pushed(message.pk)
        await self.send_json({"type": "ack", **frame_for(event, self.user.pk, self.blocked)})
        if sent.crisis:
            # Again on a retry: the first answer may have been lost with the socket.
            panel = await database_sync_to_async(support_panel_data)(self.user)
            await self.send_json({"type": "support", "message": SUPPORT_MESSAGE, **panel})

    def _send(self, body: str, client_id: str, send_for_review: bool):
        room = Room.objects.select_related("community").get(pk=self.room.pk)
        place = RoomMember.objects.select_related("user").get(pk=self.place.pk)
        stored = actions.stored_message(room, self.user, client_id)
        if stored is not None:
            sent = actions.answer_retry(room, stored, announce=False)
        else:
            check_send_room_message(self.actor, room, place)
            sent = actions.do_send_room_message(
                room, place, body=body, client_id=client_id, send_for_review=send_for_review,
                announce=False,
            )  # fmt: skip
        name = Name(place_name(room, place), is_host_place(place), place.pk)
        return sent, actions.message_event(room, sent.message, name)

    # --- Events from the group (they may carry ids; the frames never do)

    async def room_message(self, event: dict) -> None:
        if self.closing or event.get("origin") == self.channel_name:
            return
        frame = frame_for(
            {k: v for k, v in event.items() if k != "origin"}, self.user.pk, self.blocked
        )
        await self.send_json({"type": "message", **frame})

    async def room_presence(self, event: dict) -> None:
        if not self.closing:
            await self.send_json({"type": "presence", "present": event["present"]})

    async def room_members_changed(self, event: dict) -> None:
        if not self.closing:
            await self.send_json({"type": "members_changed"})

    async def room_crisis_alert(self, event: dict) -> None:
        if not self.closing and self.user.pk in event["host_ids"]:
            await self.send_json(
                {
                    "type": "host_alert",
                    "message_id": event["message_id"],
                    "author": event["author"],
                    "detail": str(HOST_ALERT % {"author": event["author"]}),
                }
            )

    async def room_message_removed(self, event: dict) -> None:
        if not self.closing:
            await self.send_json({"type": "message_removed", "message_id": event["message_id"]})

    async def room_host_action(self, event: dict) -> None:
        if self.closing:
            return
        frame = {key: value for key, value in event.items() if key != "type"}
        if event["action"] == "remove" and event.get("member") == self.place.pk:
            self.ended = True
            await self.send_json({"type": "removed"})
            await self.close(code=CLOSE_REFUSED)
            return
        await self.send_json({"type": "host_action", **frame})
        if event["action"] == "close":
            self.ended = True
            await self.close(code=CLOSE_ENDED)
