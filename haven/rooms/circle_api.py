"""Sharing circles and "Match me to a room" in the JSON API: the same checks and actions as the
pages. Times are given in the member's own time zone (as an offset), stored in UTC."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.gates import check_can_write, record_write
from haven.accounts.zones import member_zone
from haven.core.api_schemas import Confirmed, InputSchema, JsonDateTime, MemberText
from haven.rooms import circles
from haven.rooms.models import ROOM_TITLE_MAX_LENGTH, ROOM_TOPIC_MAX_LENGTH, Circle
from haven.rooms.room_match import SENTENCE_MAX_LENGTH, RoomFit, match_rooms
from haven.safety.api import SupportOut
from haven.safety.support import SUPPORT_MESSAGE, support_panel_content

router = Router(auth=member_auth, tags=["circles"])

Duration = Literal[tuple(circles.DURATIONS)]  # type: ignore[valid-type]


class SharingCircleOut(Schema):
    id: int
    title: str
    topic: str
    host: str | None = Field(description="The host's pseudonym; null once they left Haven.")
    starts_at: datetime = Field(description="In your time zone.")
    ends_at: datetime
    duration_minutes: int
    size_limit: int
    is_anonymous: bool
    going: int
    waiting: int
    is_full: bool
    room_id: int | None = Field(description="The circle's room, while it is open.")
    you: Literal["host", "going", "waiting"] | None = Field(
        description="Your place: hosting, signed up, or on the waiting list."
    )
    waiting_position: int | None = Field(description="1: the next to get a place.")


class SharingCircleIn(InputSchema):
    title: MemberText(ROOM_TITLE_MAX_LENGTH)
    topic: MemberText(ROOM_TOPIC_MAX_LENGTH)
    starts_at: JsonDateTime = Field(
        description="ISO 8601. Without an offset it is read in your time zone."
    )
    duration_minutes: Duration = 60
    size_limit: int = Field(default=12, ge=circles.SIZE_LIMITS[0], le=circles.SIZE_LIMITS[1])
    is_anonymous: bool = False


class CircleJoinIn(InputSchema):
    accept_rules: Confirmed = Field(description="You read the room's rules and follow them.")


class CircleRoomOut(Schema):
    room_id: int


class RoomMatchIn(InputSchema):
    sentence: MemberText(SENTENCE_MAX_LENGTH) = Field(
        description="What is on your mind, in a sentence. Never stored."
    )


class MatchedRoomOut(Schema):
    id: int
    title: str
    topic: str
    reason: str
    score: float


class MatchedCircleOut(Schema):
    id: int
    title: str
    starts_at: datetime


class RoomMatchOut(Schema):
    support: SupportOut | None = Field(
        description="The sentence suggests crisis: apps show this at once, before any room."
    )
    room: MatchedRoomOut | None = Field(description="The closest open room: join it.")
    closest: MatchedRoomOut | None = Field(
        description="When nothing fits: the closest room anyway."
    )
    circles: list[MatchedCircleOut] = Field(description="When nothing fits: circles to come.")
    can_start_room: bool = Field(description="You may host: offer to start a room about it.")


def _circle_out(request: HttpRequest, circle: Circle) -> dict:
    view = circles.circle_view(circle, request.user)
    zone = member_zone(request.user)
    you = None
    if view.is_host:
        you = "host"
    elif view.signup is not None:
        you = view.signup.status
    return {
        "id": circle.pk, "title": circle.title, "topic": circle.topic,
        "host": circle.host.pseudonym if circle.host else None,
        "starts_at": circle.starts_at.astimezone(zone),
        "ends_at": circles.ends_at(circle).astimezone(zone),
        "duration_minutes": circle.duration_minutes, "size_limit": circle.size_limit,
        "is_anonymous": circle.is_anonymous, "going": circle.going, "waiting": circle.waiting,
        "is_full": view.is_full, "room_id": circle.room_id if view.room_open else None,
        "you": you, "waiting_position": view.position,
    }  # fmt: skip


def _fresh(request: HttpRequest, circle_id: int) -> dict:
    return _circle_out(request, circles.access_circle_by_id(request.user, circle_id))


@router.get("/circles", response=list[SharingCircleOut])
def list_circles(request: HttpRequest):
    return [_circle_out(request, circle) for circle in circles.upcoming_circles()]


@router.post("/circles", response={201: SharingCircleOut})
def schedule_circle(request: HttpRequest, payload: SharingCircleIn):
    circles.check_schedule_circle(request.actor)
    starts_at = payload.starts_at
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=member_zone(request.user))
    circles.check_circle_fields(starts_at, payload.duration_minutes, payload.size_limit)
    circle = circles.do_schedule_circle(
        request.user, title=payload.title, topic=payload.topic, starts_at=starts_at,
        duration_minutes=payload.duration_minutes, size_limit=payload.size_limit,
        is_anonymous=payload.is_anonymous,
    )  # fmt: skip
    record_write(request.actor, "circle")
    return Status(201, _fresh(request, circle.pk))


@router.get("/circles/{int:circle_id}", response=SharingCircleOut)
def circle_detail(request: HttpRequest, circle_id: int):
    return _fresh(request, circle_id)


@router.post("/circles/{int:circle_id}/signup", response=SharingCircleOut)
def sign_up(request: HttpRequest, circle_id: int):
    """A place while there is one, else the waiting list (`you` says which)."""
    circle = circles.access_circle_by_id(request.user, circle_id)
    circles.check_sign_up(request.actor, circle)
    circles.do_sign_up(circle, request.user)
    return _fresh(request, circle_id)


@router.post("/circles/{int:circle_id}/cancel", response=SharingCircleOut)
def cancel_signup(request: HttpRequest, circle_id: int):
    """Gives up the place or the spot in line; a freed place goes to the next one waiting."""
    circle = circles.access_circle_by_id(request.user, circle_id)
    signup = circles.signup_of(circle, request.user)
    circles.check_cancel_signup(request.actor, circle, signup)
    circles.do_cancel_signup(signup)
    return _fresh(request, circle_id)


@router.post("/circles/{int:circle_id}/join", response=CircleRoomOut)
def join_room(request: HttpRequest, circle_id: int, payload: CircleJoinIn):
    """Into the circle's room once open: places are kept for those signed up."""
    circle = circles.access_circle_by_id(request.user, circle_id)
    room = circles.check_join_circle_room(request.actor, circle)
    circles.do_join_circle_room(circle, request.user)
    return {"room_id": room.pk}


def _fit_out(fit: RoomFit | None) -> dict | None:
    if fit is None:
        return None
    room = fit.room
    return {
        "id": room.pk, "title": room.title, "topic": room.topic, "reason": fit.reason,
        "score": round(fit.score, 3),
    }  # fmt: skip


@router.post("/room-match", response=RoomMatchOut)
def match_room(request: HttpRequest, payload: RoomMatchIn):
    """The closest open room to one sentence, with the reason; the sentence is never stored."""
    check_can_write(request.actor, "suggest")
    result = match_rooms(request.user, payload.sentence)
    support = None
    if result.crisis:
        panel = support_panel_content(request.user, moderators_told=False)
        support = {"message": SUPPORT_MESSAGE, **panel}
    zone = member_zone(request.user)
    return {
        "support": support,
        "room": _fit_out(result.room),
        "closest": _fit_out(result.closest),
        "circles": [
            {
                "id": fit.circle.pk,
                "title": fit.circle.title,
                "starts_at": fit.circle.starts_at.astimezone(zone),
            }
            for fit in result.circles
        ],
        "can_start_room": result.can_start_room,
    }
