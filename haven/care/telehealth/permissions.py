"""Who may prepare a session and enter its room, and when.

Only the member and the therapist of a booked video appointment may enter its room, while it is
open; the therapist only from a session that has passed two-factor authentication, the member
only after giving the current version of the informed consent and saying where they are for
this session. Callers reach the appointment through access_appointment (or
access_video_appointment) first; the checks here trust it.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.care.booking.permissions import access_appointment
from haven.care.models import Appointment
from haven.care.telehealth.consent import has_current_consent
from haven.care.telehealth.location import needs_location
from haven.care.telehealth.room import RoomStatus, has_video_room, room_status


def check_telehealth_step(actor: Actor) -> None:
    """Consent, confirming one's location, preparing a session."""
    check_can_write(actor, "telehealth")


class RoomRefused(PermissionDenied):
    """Why someone may not enter a room now; `code` tells pages and the socket which step is
    missing ("not_open", "closed", "consent", "location", "two_factor")."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_video_room(appointment: Appointment) -> None:
    if not has_video_room(appointment):
        raise Http404("This appointment has no video room.")


def access_video_appointment(viewer: User, appointment_id: int) -> Appointment:
    """One of the viewer's appointments that has a video room (404 otherwise)."""
    appointment = access_appointment(viewer, appointment_id)
    check_video_room(appointment)
    return appointment


def check_can_prepare_session(
    member: User, appointment: Appointment, *, now: datetime | None = None
) -> None:
    """Consent and location come from the member of a video appointment that is still ahead
    (or under way)."""
    if appointment.member_id != member.pk:
        raise Http404("No such appointment.")
    check_video_room(appointment)
    if room_status(appointment, now) == RoomStatus.CLOSED:
        raise RoomRefused("closed", _("This session has ended or was cancelled."))


def check_can_enter_room(
    user: User,
    appointment: Appointment,
    *,
    second_factor: bool,
    now: datetime | None = None,
) -> None:
    """May `user` be in this appointment's room right now? The appointment comes from
    access_video_appointment; RoomRefused says which step is missing."""
    status = room_status(appointment, now)
    if status == RoomStatus.NOT_YET_OPEN:
        raise RoomRefused("not_open", _("The room isn't open yet."))
    if status == RoomStatus.CLOSED:
        raise RoomRefused("closed", _("The room is closed."))
    if user.pk == appointment.therapist.user_id:
        if not second_factor:
            raise RoomRefused("two_factor", _("Please confirm your two-factor code first."))
        return
    if not has_current_consent(user):
        raise RoomRefused("consent", _("Please read and accept the consent for video sessions."))
    if needs_location(appointment):
        raise RoomRefused("location", _("Please tell us where you are for this session."))
