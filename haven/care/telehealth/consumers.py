"""WebSocket consumer of the telehealth room: its signalling.

The server never sees the video or the sound: the two browsers connect to each other (WebRTC),
and this socket only relays what they need to find each other, who is in the room, and the
text chat of the room. Nothing is stored: frames are checked, rebuilt from their known fields
and passed on, never written to the database or logged.

Protocol (JSON text frames), /ws/care/rooms/<appointment id>/
  client → server
    {"type": "join"}                      camera and microphone ready: "I'm in the call"
    {"type": "leave"}                     left the call, still in the waiting room
    {"type": "description", "session": "<id of the sender's RTCPeerConnection>",
     "description": {"type": "offer" | "answer", "sdp": "..."}}
    {"type": "candidate", "session": "...",
     "candidate": {"candidate": "...", "sdpMid": ..., "sdpMLineIndex": ...,
                   "usernameFragment": ...} | null}
    {"type": "media", "audio": bool, "video": bool}          microphone / camera on or off
    {"type": "chat", "id": "<client's id>", "body": "..."}   the text chat (not stored)
  server → client
    {"type": "welcome", "role": "member" | "therapist", "polite": bool, "closes_at": ...}
    {"type": "presence", "who": "member" | "therapist", "state": "waiting" | "in_call" | "gone"}
    description, candidate and media frames of the other participant, as sent
    {"type": "chat", "who": ..., "body": ..., "sent_at": ...}
    {"type": "sent", "id": ..., "delivered": bool}  (false: nobody else was connected)
    {"type": "error", "code": "invalid" | "too_large" | "unknown" | "too_many", "detail": ...}
    {"type": "closing", "detail": ...} when the room closes, then the socket closes with 4403
  close codes
    4401 not signed in; 4403 not a participant, room not open, consent or location missing,
    therapist without two-factor authentication (the reason says which); 4409 the same person
    opened the room again elsewhere (the newest connection stays); 4410 signed out while in the
    room (suspension, ban, role change, account deletion: haven.notifications.sockets).

The socket is accepted before it is checked so that the browser can read the close code and
its reason (a handshake refused outright only ever shows as 1006).
"""

import asyncio
import json
import re
import time
from datetime import datetime

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts.two_factor import session_passed_second_factor
from haven.care.booking.permissions import role_in
from haven.care.models import Appointment
from haven.care.telehealth.permissions import (
    access_video_appointment,
    check_can_enter_room,
)
from haven.care.telehealth.room import RoomStatus, room_closes_at, room_status
from haven.core.realtime import (
    CLOSE_REFUSED,
    CLOSE_REPLACED,
    close_reason,
)
from haven.core.text import clean_text
from haven.notifications.sockets import MemberSocketMixin

# Limits on what a client may send. A browser's SDP is a few kilobytes; these leave room for
# many codecs without letting a client push megabytes through the relay.
MAX_FRAME_CHARS = 64 * 1024
MAX_SDP_CHARS = 48 * 1024
MAX_CANDIDATE_CHARS = 1024
CHAT_MAX_LENGTH = 2000
FRAMES_PER_WINDOW = 200
WINDOW_SECONDS = 10.0
# How often an open socket checks that its appointment is still booked (and not closed).
RECHECK_SECONDS = 60.0

_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_STATE_RANK = {"gone": 0, "waiting": 1, "in_call": 2}


class FrameError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def room_group(appointment_id: int) -> str:
    return f"care-room-{appointment_id}"


def _short_text(value, limit: int, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise FrameError("invalid", "A field of this message is not valid.")
    return value


def _session_id(content: dict) -> str:
    session = content.get("session")
    if not isinstance(session, str) or not _SESSION_ID.match(session):
        raise FrameError("invalid", "Signalling messages need a session id.")
    return session


def _description(content: dict) -> dict:
    description = content.get("description")
    if not isinstance(description, dict) or description.get("type") not in ("offer", "answer"):
        raise FrameError("invalid", "A description is an offer or an answer.")
    sdp = description.get("sdp")
    if not isinstance(sdp, str) or not sdp or "\x00" in sdp:
        raise FrameError("invalid", "A description needs its SDP.")
    if len(sdp) > MAX_SDP_CHARS:
        raise FrameError("too_large", "This description is too large.")
    return {"type": description["type"], "sdp": sdp}


def _candidate(content: dict) -> dict | None:
    if "candidate" not in content:
        raise FrameError("invalid", "An ICE candidate message needs a candidate (or null).")
    candidate = content["candidate"]
    if candidate is None:  # end of candidates
        return None
    if not isinstance(candidate, dict):
        raise FrameError("invalid", "An ICE candidate is an object.")
    index = candidate.get("sdpMLineIndex")
    if index is not None and (
        not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= 255
    ):
        raise FrameError("invalid", "sdpMLineIndex is a small number.")
    return {
        "candidate": _short_text(candidate.get("candidate"), MAX_CANDIDATE_CHARS, required=True),
        "sdpMid": _short_text(candidate.get("sdpMid"), 64),
        "sdpMLineIndex": index,
        "usernameFragment": _short_text(candidate.get("usernameFragment"), 256),
    }


def _chat_body(content: dict) -> str:
    body = content.get("body")
    if not isinstance(body, str):
        raise FrameError("invalid", gettext("A chat message needs some text."))
    try:
        body = clean_text(body, field=gettext("Your message"))
    except ValidationError as error:
        raise FrameError("invalid", error.messages[0]) from None
    if not body or len(body) > CHAT_MAX_LENGTH:
        raise FrameError(
            "invalid",
            gettext("Messages are 1 to %(count)s characters.") % {"count": CHAT_MAX_LENGTH},
        )
    return body


def validate_frame(content) -> dict:
    """The frame rebuilt from the fields we know, or FrameError: nothing else is passed on."""
    if not isinstance(content, dict):
        raise FrameError("invalid", "Each message is a JSON object.")
    kind = content.get("type")
    if kind in ("join", "leave"):
        return {"type": kind}
    if kind == "description":
        return {
            "type": kind,
            "session": _session_id(content),
            "description": _description(content),
        }
    if kind == "candidate":
        return {"type": kind, "session": _session_id(content), "candidate": _candidate(content)}
    if kind == "media":
        audio, video = content.get("audio"), content.get("video")
        if not isinstance(audio, bool) or not isinstance(video, bool):
            raise FrameError("invalid", "Media state is two true/false values.")
        return {"type": kind, "audio": audio, "video": video}
    if kind == "chat":
        client_id = content.get("id", "")
        if not isinstance(client_id, str) or len(client_id) > 64:
            raise FrameError("invalid", "A chat id is a short text.")
        return {"type": kind, "id": client_id, "body": _chat_body(content)}
    raise FrameError("unknown", "Unknown message.")


class RoomConsumer(MemberSocketMixin, AsyncJsonWebsocketConsumer):
    group: str | None = None
    watcher: asyncio.Task | None = None

    async def connect(self) -> None:
        # The same answer for "missing" and "not yours"; a room not open yet says why.
        appointment = await self.access_or_close(
            self._enter, missing_code=CLOSE_REFUSED, missing_reason="No such room."
        )
        if appointment is None:
            return
        await self.accept()
        user = self.scope["user"]
        self.user = user
        self.appointment_id = appointment.pk
        self.role = role_in(appointment, user)
        self.closes_at = room_closes_at(appointment)
        self.state = "waiting"
        self.peers: dict[str, str] = {}  # the other participant's channels and their states
        self.peer_state = "gone"
        self.frames: list[float] = []
        self.told_too_many = False
        self.group = room_group(appointment.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json(
            {
                "type": "welcome",
                "role": self.role,
                # Perfect negotiation needs one polite side: the member gives way.
                "polite": self.role == "member",
                "closes_at": self.closes_at.isoformat(),
            }
        )
        await self._announce(hello=True)
        self.watcher = asyncio.create_task(self._watch_room())

    def _enter(self, user) -> Appointment:
        appointment = access_video_appointment(
            user, int(self.scope["url_route"]["kwargs"]["appointment_id"])
        )
        check_can_enter_room(
            user,
            appointment,
            second_factor=session_passed_second_factor(user, self.scope.get("session")),
        )
        return appointment

    async def disconnect(self, code: int) -> None:
        await self.leave_member_group()
        if self.watcher is not None:
            self.watcher.cancel()
        if self.group is not None:
            self.state = "gone"
            await self._announce()
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    # --- Incoming frames

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.group is None or self.access_ended:
            return
        if timezone.now() >= self.closes_at:
            await self._close_room(gettext("The session time is over: the room is now closed."))
            return
        if not self._within_rate():
            if not self.told_too_many:
                self.told_too_many = True
                await self._error(
                    "too_many", gettext("Too many messages at once; some were dropped.")
                )
            return
        if text_data is None:
            await self._error("invalid", "Only JSON text messages are accepted.")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self._error("too_large", "This message is too large.")
            return
        try:
            frame = validate_frame(json.loads(text_data))
        except ValueError:
            await self._error("invalid", "Messages are JSON.")
            return
        except FrameError as error:
            await self._error(error.code, error.detail)
            return
        await self._handle(frame)

    def _within_rate(self) -> bool:
        now = time.monotonic()
        self.frames = [t for t in self.frames if now - t < WINDOW_SECONDS]
        if len(self.frames) >= FRAMES_PER_WINDOW:
            return False
        if not self.frames:
            self.told_too_many = False
        self.frames.append(now)
        return True

    async def _handle(self, frame: dict) -> None:
        kind = frame["type"]
        if kind in ("join", "leave"):
            self.state = "in_call" if kind == "join" else "waiting"
            await self._announce()
        elif kind == "chat":
            delivered = bool(self.peers)
            await self._relay(
                {
                    "type": "chat",
                    "who": self.role,
                    "body": frame["body"],
                    "sent_at": timezone.now().isoformat(),
                }
            )
            await self.send_json({"type": "sent", "id": frame["id"], "delivered": delivered})
        else:
            await self._relay(frame)

    async def _relay(self, frame: dict) -> None:
        await self.channel_layer.group_send(
            self.group, {"type": "room.relay", "user_id": self.user.pk, "frame": frame}
        )

    async def _announce(self, *, hello: bool = False, to: str | None = None) -> None:
        event = {
            "type": "room.presence",
            "channel": self.channel_name,
            "user_id": self.user.pk,
            "who": self.role,
            "state": self.state,
            "hello": hello,
        }
        if to is None:
            await self.channel_layer.group_send(self.group, event)
        else:
            await self.channel_layer.send(to, event)

    async def _error(self, code: str, detail: str) -> None:
        await self.send_json({"type": "error", "code": code, "detail": detail})

    async def before_signed_out_close(self) -> None:
        # The page shows why the call ended; the other side sees this person leave.
        await self.send_json(
            {"type": "closing", "detail": gettext("You were signed out of Haven.")}
        )

    # --- Events from the group

    async def room_relay(self, event: dict) -> None:
        # Never back to the sender, nor to another window of theirs.
        if self.group is not None and not self.access_ended and event["user_id"] != self.user.pk:
            await self.send_json(event["frame"])

    async def room_presence(self, event: dict) -> None:
        if self.group is None or event["channel"] == self.channel_name:
            return
        if event["user_id"] == self.user.pk:
            if event["hello"]:
                # The same person opened the room again (a reload, another tab or device):
                # the newest connection stays, so two windows never answer one call.
                await self.send_json(
                    {
                        "type": "closing",
                        "detail": gettext("You opened this session somewhere else."),
                    }
                )
                await self.close(code=CLOSE_REPLACED, reason="Opened somewhere else.")
            return
        if event["state"] == "gone":
            self.peers.pop(event["channel"], None)
        else:
            self.peers[event["channel"]] = event["state"]
        if event["hello"]:
            # A newcomer learns who is already here.
            await self._announce(to=event["channel"])
        # The page sees one state for the other person, however many sockets they have.
        state = max(self.peers.values(), key=_STATE_RANK.__getitem__, default="gone")
        if state != self.peer_state or event["hello"]:
            self.peer_state = state
            await self.send_json({"type": "presence", "who": event["who"], "state": state})

    # --- Closing time

    async def _watch_room(self) -> None:
        """Close the socket when the room closes, or earlier if the appointment is
        cancelled while someone is in the room."""
        try:
            while True:
                remaining = (self.closes_at - timezone.now()).total_seconds()
                await asyncio.sleep(max(0.0, min(RECHECK_SECONDS, remaining)))
                status = await database_sync_to_async(self._current_status)()
                if status != RoomStatus.OPEN:
                    await self._close_room(gettext("The room is now closed."))
                    return
        except asyncio.CancelledError:
            pass

    def _current_status(self, now: datetime | None = None) -> str:
        appointment = Appointment.objects.filter(pk=self.appointment_id).first()
        if appointment is None:
            return RoomStatus.CLOSED
        return room_status(appointment, now)

    async def _close_room(self, detail: str) -> None:
        await self.send_json({"type": "closing", "detail": detail})
        await self.close(code=CLOSE_REFUSED, reason=close_reason(detail))
