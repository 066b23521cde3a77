"""Professional care in the JSON API: telehealth. The same checks and actions as the pages; the
call itself runs over the room's WebSocket (protocol in haven/care/consumers.py)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.care import telehealth
from haven.care.models import Appointment
from haven.care.permissions import access_appointment, check_telehealth_step
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
    consent = telehealth.current_consent(member)
    return {
        "version": telehealth.CONSENT_VERSION,
        "sections": [
            {"key": s.key, "title": s.title, "paragraphs": list(s.paragraphs)}
            for s in telehealth.CONSENT_SECTIONS
        ],
        "given_at": consent.given_at if consent else None,
    }


def _room_out(appointment: Appointment, viewer) -> dict:
    status = telehealth.room_status(appointment)
    is_member = appointment.member_id == viewer.pk
    return {
        "appointment_id": appointment.pk,
        "status": str(status),
        "open": status == telehealth.RoomStatus.OPEN,
        "opens_at": telehealth.room_opens_at(appointment),
        "closes_at": telehealth.room_closes_at(appointment),
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "role": telehealth.role_in(viewer, appointment),
        "consent_needed": is_member and not telehealth.has_current_consent(appointment.member),
        "location_needed": telehealth.needs_location(appointment),
        "member_location": appointment.member_location,
        "websocket": telehealth.room_socket_path(appointment),
        # The TURN password is handed out only to the two participants, only while it is useful.
        "ice_servers": telehealth.ice_servers() if status == telehealth.RoomStatus.OPEN else [],
    }


def _video_appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    appointment = access_appointment(request.user, appointment_id)
    telehealth.check_video_room(appointment)
    return appointment


@router.get("/care/telehealth/consent", response=ConsentOut)
def get_consent(request: HttpRequest):
    return _consent_out(request.user)


@router.post("/care/telehealth/consent", response={201: ConsentOut})
def give_consent(request: HttpRequest, payload: ConsentIn):
    check_telehealth_step(request.actor)
    telehealth.do_give_consent(request.user, payload.version)
    return Status(201, _consent_out(request.user))


@router.get("/care/appointments/{int:appointment_id}/room", response=RoomOut)
def get_room(request: HttpRequest, appointment_id: int):
    return _room_out(_video_appointment(request, appointment_id), request.user)


@router.put("/care/appointments/{int:appointment_id}/location", response=RoomOut)
def confirm_location(request: HttpRequest, appointment_id: int, payload: LocationIn):
    appointment = _video_appointment(request, appointment_id)
    location = telehealth.location_code(payload.country, payload.region)
    check_telehealth_step(request.actor)
    telehealth.do_confirm_location(appointment, request.user, location)
    return _room_out(appointment, request.user)
