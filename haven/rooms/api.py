"""Support rooms in the JSON API: the same checks and actions as the pages and the socket.
Members appear by name (pseudonym, or the room's guest name in an anonymous room) and by
`member`, their place in the room; never by account id."""

import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.blocks import ids_blocked_by
from haven.communities.models import Community
from haven.core.api_schemas import Confirmed, InputSchema, MemberText, PlainText
from haven.moderation.models import ReportReason
from haven.rooms import actions
from haven.rooms.circles import check_and_join_room
from haven.rooms.display import Name, frame_for, message_fields, names_in, pinned_fields
from haven.rooms.models import (
    ROOM_MESSAGE_MAX_LENGTH,
    ROOM_TITLE_MAX_LENGTH,
    ROOM_TOPIC_MAX_LENGTH,
    Room,
)
from haven.rooms.permissions import (
    access_message_in_room,
    access_place_in_room,
    access_room_as_member,
    access_room_by_id,
    check_act_on_member,
    check_can_host,
    check_host_action,
    check_leave_room,
    check_report_room_message,
    check_send_room_message,
    place_of,
)
from haven.rooms.queries import open_rooms, room_members
from haven.safety.support import SUPPORT_MESSAGE, support_panel_data

router = Router(auth=member_auth, tags=["rooms"])

MuteMinutes = Literal[(*actions.MUTE_MINUTES, 0)]  # type: ignore[valid-type]
SlowSeconds = Literal[tuple(actions.SLOW_MODE_SECONDS)]  # type: ignore[valid-type]


class SupportRoomOut(Schema):
    id: int
    title: str
    topic: str
    is_anonymous: bool
    community: str | None = Field(description="The community's slug, if the room is in one.")
    slow_mode_seconds: int
    members: int
    present: int = Field(description="How many have the room open now.")
    hosts_present: list[str]


class RoomPinnedOut(Schema):
    id: int
    author: str
    host: bool
    body: str


class RoomYouOut(Schema):
    member: int = Field(description="Your place in this room (not your account id).")
    name: str
    host: bool
    muted_until: datetime | None


class RoomMemberOut(Schema):
    member: int
    name: str
    host: bool
    present: bool
    muted: bool


class SupportRoomDetailOut(SupportRoomOut):
    rules: str
    status: str
    pinned: RoomPinnedOut | None
    you: RoomYouOut | None = Field(description="Null until you have joined (accepting the rules).")
    member_list: list[RoomMemberOut] = Field(description="Empty until you have joined.")


class SupportRoomIn(InputSchema):
    title: MemberText(ROOM_TITLE_MAX_LENGTH)
    topic: MemberText(ROOM_TOPIC_MAX_LENGTH)
    rules: MemberText(2000, required=False) = ""
    is_anonymous: bool = False
    community: PlainText(50) | None = Field(default=None, description="A community's slug.")
    capacity: int = Field(default=25, ge=2, le=50)


class RoomJoinIn(InputSchema):
    accept_rules: Confirmed = Field(description="You read the room's rules and follow them.")


class RoomMessageIn(InputSchema):
    body: MemberText(ROOM_MESSAGE_MAX_LENGTH)
    client_id: PlainText(64) = Field(
        default_factory=lambda: uuid.uuid4().hex,
        description="Chosen by the app; sending again with the same one returns the stored "
        "message (200) instead of storing it twice.",
    )
    send_for_review: bool = False


class RoomMessageOut(Schema):
    id: int
    client_id: str
    author: str
    host: bool
    member: int | None
    mine: bool
    collapsed: bool = Field(description="By someone you blocked: show it folded away.")
    body: str
    created_at: datetime
    held: bool
    erased: bool


class RoomSupportOut(Schema):
    message: str
    country: str
    resources: list[dict[str, Any]]
    international: list[dict[str, Any]]
    safety_plan_url: str


class RoomSentOut(RoomMessageOut):
    support: RoomSupportOut | None = Field(
        description="Only to the writer, when their words suggest crisis: show it at once."
    )


class RoomReportIn(InputSchema):
    reason: Literal[tuple(ReportReason.values)]  # type: ignore[valid-type]
    details: MemberText(500, required=False) = ""


class RoomReportOut(Schema):
    received: bool
    message: str


class RoomMuteIn(InputSchema):
    minutes: MuteMinutes = Field(description="0 lifts the pause.")


class RoomSlowModeIn(InputSchema):
    seconds: SlowSeconds


class RoomPinIn(InputSchema):
    message_id: int | None = Field(description="Null takes the pinned message down.")


def _room_out(listed) -> dict:
    room = listed.room
    return {
        "id": room.pk,
        "title": room.title,
        "topic": room.topic,
        "is_anonymous": room.is_anonymous,
        "community": room.community.slug if room.community else None,
        "slow_mode_seconds": room.slow_mode_seconds,
        "members": listed.members,
        "present": listed.present,
        "hosts_present": listed.hosts_present,
    }


def _detail(request: HttpRequest, room: Room) -> dict:
    room = Room.objects.select_related("community", "pinned_message").get(pk=room.pk)
    place = place_of(room, request.user)
    joined = place is not None and place.left_at is None and place.removed_at is None
    members = room_members(room)
    present = [m for m in members if m.present]
    you = None
    if joined:
        me = next(m for m in members if m.member == place.pk)
        you = {"member": place.pk, "name": me.name, "host": me.host,
               "muted_until": place.muted_until}  # fmt: skip
    return {
        "id": room.pk,
        "title": room.title,
        "topic": room.topic,
        "is_anonymous": room.is_anonymous,
        "community": room.community.slug if room.community else None,
        "slow_mode_seconds": room.slow_mode_seconds,
        "members": len(members),
        "present": len(present),
        "hosts_present": [m.name for m in present if m.host],
        "rules": room.rules,
        "status": room.status,
        "pinned": pinned_fields(room, room.pinned_message) if joined else None,
        "you": you,
        "member_list": [m.__dict__ for m in members] if joined else [],
    }


def _message_out(room: Room, message, viewer, names=None, blocked=None) -> dict:
    names = names if names is not None else names_in(room)
    name = names.get(message.author_id) or Name("", False, None)
    frame = frame_for(message_fields(message, name), viewer.pk, blocked or set())
    return {**frame, "created_at": message.created_at}


@router.get("/rooms", response=list[SupportRoomOut])
def list_rooms(request: HttpRequest):
    return [_room_out(listed) for listed in open_rooms()]


@router.post("/rooms", response={201: SupportRoomDetailOut})
def start_room(request: HttpRequest, payload: SupportRoomIn):
    check_can_host(request.actor)
    community = (
        Community.objects.filter(slug=payload.community).first() if payload.community else None
    )
    room = actions.do_create_room(
        request.user, title=payload.title, topic=payload.topic, rules=payload.rules,
        is_anonymous=payload.is_anonymous, community=community, capacity=payload.capacity,
    )  # fmt: skip
    return Status(201, _detail(request, room))


@router.get("/rooms/{room_id}", response=SupportRoomDetailOut)
def room_detail(request: HttpRequest, room_id: int):
    return _detail(request, access_room_by_id(request.user, room_id))


@router.post("/rooms/{room_id}/join", response=SupportRoomDetailOut)
def join_room(request: HttpRequest, room_id: int, payload: RoomJoinIn):
    room = access_room_by_id(request.user, room_id)
    check_and_join_room(request.actor, room)
    return _detail(request, room)


@router.post("/rooms/{room_id}/leave", response={204: None})
def leave_room(request: HttpRequest, room_id: int):
    _room, place = access_room_as_member(request.user, room_id)
    check_leave_room(request.actor)
    actions.do_leave_room(place)
    return Status(204, None)


@router.get("/rooms/{room_id}/messages", response=list[RoomMessageOut])
def list_messages(request: HttpRequest, room_id: int, after: int = 0):
    """Messages after the id `after` (the last you have), oldest first, up to 500."""
    room, _place = access_room_as_member(request.user, room_id)
    names, blocked = names_in(room), ids_blocked_by(request.user)
    messages = actions.visible_messages(room, request.user, max(0, after))[:500]
    return [_message_out(room, m, request.user, names, blocked) for m in messages]


@router.post("/rooms/{room_id}/messages", response={200: RoomSentOut, 201: RoomSentOut})
def send_message(request: HttpRequest, room_id: int, payload: RoomMessageIn):
    room, place = access_room_as_member(request.user, room_id)
    stored = actions.stored_message(room, request.user, payload.client_id)
    if stored is not None:
        sent = actions.answer_retry(room, stored)
    else:
        check_send_room_message(request.actor, room, place)
        sent = actions.do_send_room_message(
            room, place, body=payload.body, client_id=payload.client_id,
            send_for_review=payload.send_for_review,
        )  # fmt: skip
    support = (
        {"message": SUPPORT_MESSAGE, **support_panel_data(request.user)} if sent.crisis else None
    )
    out = {**_message_out(room, sent.message, request.user), "support": support}
    return Status(201 if sent.created else 200, out)


@router.post("/rooms/{room_id}/messages/{message_id}/report", response={201: RoomReportOut})
def report_message(request: HttpRequest, room_id: int, message_id: int, payload: RoomReportIn):
    room, _place = access_room_as_member(request.user, room_id)
    message = access_message_in_room(room, message_id, request.user)
    check_report_room_message(request.actor, message)
    actions.do_report_message(request.user, message, reason=payload.reason, details=payload.details)
    return Status(
        201,
        {"received": True, "message": _("Thank you. A moderator will look at it; the person "
                                        "won't know who reported them.")},
    )  # fmt: skip


def _as_host(request: HttpRequest, room_id: int):
    room = access_room_by_id(request.user, room_id)
    place = place_of(room, request.user)
    check_host_action(request.actor, room, place)
    return room, place


@router.post("/rooms/{room_id}/members/{member_id}/mute", response=RoomMemberOut)
def mute_member(request: HttpRequest, room_id: int, member_id: int, payload: RoomMuteIn):
    room, place = _as_host(request, room_id)
    target = access_place_in_room(room, member_id)
    check_act_on_member(request.actor, room, place, target)
    actions.do_mute_member(room, target, minutes=payload.minutes, acting_user=request.user)
    return next(m.__dict__ for m in room_members(room) if m.member == target.pk)


@router.post("/rooms/{room_id}/members/{member_id}/remove", response={204: None})
def remove_member(request: HttpRequest, room_id: int, member_id: int):
    room, place = _as_host(request, room_id)
    target = access_place_in_room(room, member_id)
    check_act_on_member(request.actor, room, place, target)
    actions.do_remove_member(room, target, acting_user=request.user)
    return Status(204, None)


@router.put("/rooms/{room_id}/slow-mode", response=SupportRoomDetailOut)
def set_slow_mode(request: HttpRequest, room_id: int, payload: RoomSlowModeIn):
    room, _place = _as_host(request, room_id)
    actions.do_set_slow_mode(room, seconds=payload.seconds, acting_user=request.user)
    return _detail(request, room)


@router.put("/rooms/{room_id}/pin", response=SupportRoomDetailOut)
def pin_message(request: HttpRequest, room_id: int, payload: RoomPinIn):
    room, _place = _as_host(request, room_id)
    message = (
        access_message_in_room(room, payload.message_id, request.user)
        if payload.message_id is not None
        else None
    )
    actions.do_pin_message(room, message, acting_user=request.user)
    return _detail(request, room)
