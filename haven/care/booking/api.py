"""Professional care in the JSON API: free slots, booking, cancelling and moving sessions.

The same actions and access rules as the pages. Times go out in UTC (ISO 8601), with each slot's
start also in the member's own zone; times coming in must carry their offset.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator

from haven.accounts.api_auth import member_auth
from haven.accounts.zones import member_zone
from haven.care.booking import actions, permissions, queries
from haven.care.booking.actions import BookingRefused, SlotTaken
from haven.care.models import Appointment, SessionFormat
from haven.care.therapists.permissions import access_therapist
from haven.core.api_schemas import InputSchema, JsonDateTime, MemberText, RowId

router = Router(auth=member_auth, tags=["care"])


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(_("Please give the time with its UTC offset, e.g. 2026-06-15T08:00:00Z."))
    return value


AwareDatetime = Annotated[JsonDateTime, AfterValidator(_aware)]
FormatName = Literal[tuple(SessionFormat.values)]  # type: ignore[valid-type]


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    local_starts_at: datetime


class SlotsOut(Schema):
    time_zone: str
    session_minutes: int
    slots: list[SlotOut]


class BookIn(InputSchema):
    therapist_id: RowId
    starts_at: AwareDatetime
    format: FormatName = SessionFormat.VIDEO


class CancelIn(InputSchema):
    reason: MemberText(300, required=False) = ""


class RescheduleIn(InputSchema):
    starts_at: AwareDatetime


class AppointmentOut(Schema):
    id: int
    role: Literal["member", "therapist"]
    therapist_id: int
    therapist_name: str
    client: str | None  # the member's pseudonym, for the therapist only
    starts_at: datetime
    ends_at: datetime
    format: str
    status: str
    cancelled_at: datetime | None
    cancelled_by_me: bool
    cancelled_late: bool
    cancel_reason: str
    rescheduled_from_id: int | None
    can_cancel: bool
    can_reschedule: bool
    cancel_would_be_late: bool


class AppointmentsOut(Schema):
    upcoming: list[AppointmentOut]
    past: list[AppointmentOut]


def _appointment_out(appointment: Appointment, viewer) -> dict:
    as_member = permissions.is_member_of(viewer, appointment)
    return {
        "id": appointment.pk,
        "role": "member" if as_member else "therapist",
        "therapist_id": appointment.therapist_id,
        "therapist_name": appointment.therapist.professional_name,
        "client": None if as_member else appointment.member.pseudonym,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "format": appointment.format,
        "status": appointment.status,
        "cancelled_at": appointment.cancelled_at,
        "cancelled_by_me": appointment.cancelled_by_id == viewer.pk,
        "cancelled_late": queries.is_late_cancellation(appointment),
        "cancel_reason": appointment.cancel_reason_for_reader,
        "rescheduled_from_id": appointment.rescheduled_from_id,
        "can_cancel": permissions.can_cancel(viewer, appointment),
        "can_reschedule": permissions.can_reschedule(viewer, appointment),
        "cancel_would_be_late": queries.cancel_would_be_late(viewer, appointment),
    }


def _refusals(call):
    """SlotTaken is a conflict (409); any other booking rule is 422, in plain words."""
    try:
        return call()
    except SlotTaken as taken:
        raise HttpError(409, str(taken)) from taken
    except BookingRefused as refused:
        raise HttpError(422, str(refused)) from refused


@router.get("/care/therapists/{int:therapist_id}/slots", response=SlotsOut)
def slots(request: HttpRequest, therapist_id: int, days: int = 14):
    therapist = access_therapist(request.user, therapist_id)
    days = max(1, min(days, queries.horizon_days()))
    zone = member_zone(request.user)
    return {
        "time_zone": zone.key,
        "session_minutes": therapist.session_minutes,
        "slots": [
            {
                "starts_at": slot.starts_at,
                "ends_at": slot.ends_at,
                "local_starts_at": slot.starts_at.astimezone(zone),
            }
            for slot in queries.free_slots(therapist, days=days)
        ],
    }


@router.post("/care/appointments", response={201: AppointmentOut})
def book(request: HttpRequest, payload: BookIn):
    therapist = access_therapist(request.user, payload.therapist_id)
    permissions.check_write_care(request.actor)
    permissions.check_can_book(request.user, therapist)
    appointment = _refusals(
        lambda: actions.do_book(
            member=request.user,
            therapist=therapist,
            starts_at=payload.starts_at,
            format=payload.format,
        )
    )
    return Status(201, _appointment_out(appointment, request.user))


@router.get("/care/appointments", response=AppointmentsOut)
def appointments(request: HttpRequest):
    upcoming, past = queries.upcoming_and_past(request.user)
    return {
        "upcoming": [_appointment_out(a, request.user) for a in upcoming],
        "past": [_appointment_out(a, request.user) for a in past],
    }


@router.get("/care/appointments/{int:appointment_id}", response=AppointmentOut)
def appointment(request: HttpRequest, appointment_id: int):
    return _appointment_out(
        permissions.access_appointment(request.user, appointment_id), request.user
    )


@router.post("/care/appointments/{int:appointment_id}/cancel", response=AppointmentOut)
def cancel(request: HttpRequest, appointment_id: int, payload: CancelIn | None = None):
    item = permissions.access_appointment(request.user, appointment_id)
    permissions.check_write_care(request.actor)
    permissions.check_can_cancel(request.user, item)
    reason = payload.reason if payload is not None else ""
    item = actions.do_cancel(item, acting_user=request.user, reason=reason)
    return _appointment_out(item, request.user)


@router.post("/care/appointments/{int:appointment_id}/reschedule", response={201: AppointmentOut})
def reschedule(request: HttpRequest, appointment_id: int, payload: RescheduleIn):
    item = permissions.access_appointment(request.user, appointment_id)
    permissions.check_write_care(request.actor)
    permissions.check_can_reschedule(request.user, item)
    permissions.check_can_book(request.user, item.therapist)  # the new time is a booking of its own
    new = _refusals(
        lambda: actions.do_reschedule(item, acting_user=request.user, starts_at=payload.starts_at)
    )
    return Status(201, _appointment_out(new, request.user))
