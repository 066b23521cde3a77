"""Professional care in the JSON API: telehealth. The same checks and actions as the pages; the
call itself runs over the room's WebSocket (protocol in haven/care/telehealth/consumers.py)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.care.booking.permissions import role_in
from haven.care.models import Appointment
from haven.care.telehealth import actions, consent, room
from haven.care.telehealth.location import location_code, needs_location
from haven.care.telehealth.permissions import (
    access_video_appointment,
    check_can_prepare_session,
    check_telehealth_step,
)
from haven.core.api_schemas import InputSchema, PlainText, Version

router = Router(auth=member_auth, tags=["care"])


class ConsentSectionOut(Schema):
    key: str
    title: str
    paragraphs: list[str]


class ConsentOut(Schema):
    version: int
    sections: list[ConsentSectionOut]
    given_at: datetime | None = Field(description="When you accepted this version; null if not")


class ConsentIn(InputSchema):
    version: Version = Field(description="The version you read (GET /care/telehealth/consent)")


class LocationIn(InputSchema):
    country: PlainText(2, min_length=2) = Field(description="ISO 3166 code, e.g. GB")
    region: PlainText(6) = Field(default="", description="Optional, e.g. CA for US-CA")


class IceServerOut(Schema):
    urls: list[str]
    username: str | None = None
    credential: str | None = None


class RoomOut(Schema):
    appointment_id: int
    status: Literal["not_yet_open", "open", "closed"]
    open: bool
    opens_at: datetime
    closes_at: datetime
    starts_at: datetime
    ends_at: datetime
    role: Literal["member", "therapist"]
    consent_needed: bool = Field(description="The member still has to accept the consent")
    location_needed: bool = Field(description="The member still has to say where they are")
    member_location: str = Field(description="ISO 3166 code the member confirmed, or empty")
    websocket: str = Field(description="Path of the room's signalling socket")
    ice_servers: list[IceServerOut] = Field(description="For RTCPeerConnection; only while open")


def _consent_out(member) -> dict:
    given = consent.current_consent(member)
    return {
        "version": consent.CONSENT_VERSION,
        "sections": [
            {"key": s.key, "title": str(s.title), "paragraphs": [str(p) for p in s.paragraphs]}
            for s in consent.CONSENT_SECTIONS
        ],
        "given_at": given.given_at if given else None,
    }


def _room_out(appointment: Appointment, viewer) -> dict:
    status = room.room_status(appointment)
    is_member = appointment.member_id == viewer.pk
    return {
        "appointment_id": appointment.pk,
        "status": str(status),
        "open": status == room.RoomStatus.OPEN,
        "opens_at": room.room_opens_at(appointment),
        "closes_at": room.room_closes_at(appointment),
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "role": role_in(appointment, viewer),
        "consent_needed": is_member and not consent.has_current_consent(appointment.member),
        "location_needed": needs_location(appointment),
        "member_location": appointment.member_location,
        "websocket": room.room_socket_path(appointment),
        # The TURN password is handed out only to the two participants, only while it is useful.
        "ice_servers": room.ice_servers() if status == room.RoomStatus.OPEN else [],
    }


@router.get("/care/telehealth/consent", response=ConsentOut)
def get_consent(request: HttpRequest):
    return _consent_out(request.user)


@router.post("/care/telehealth/consent", response={201: ConsentOut})
def give_consent(request: HttpRequest, payload: ConsentIn):
    check_telehealth_step(request.actor)
    actions.do_give_consent(request.user, payload.version)
    return Status(201, _consent_out(request.user))


@router.get("/care/appointments/{int:appointment_id}/room", response=RoomOut)
def get_room(request: HttpRequest, appointment_id: int):
    return _room_out(access_video_appointment(request.user, appointment_id), request.user)


@router.put("/care/appointments/{int:appointment_id}/location", response=RoomOut)
def confirm_location(request: HttpRequest, appointment_id: int, payload: LocationIn):
    appointment = access_video_appointment(request.user, appointment_id)
    location = location_code(payload.country, payload.region)
    check_telehealth_step(request.actor)
    check_can_prepare_session(request.user, appointment)
    actions.do_confirm_location(appointment, request.user, location)
    return _room_out(appointment, request.user)
