"""Who may see and do what with appointments, and the write gates of professional care.

An appointment (like a care relationship) belongs to its member and its therapist: everyone
else gets 404, staff included. access_appointment is the one way to an appointment; the checks
that follow it trust it and test only what else the step needs.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.care.models import Appointment, CareRelationship, TherapistProfile
from haven.care.therapists.permissions import is_practising


def is_party(user: User, of: Appointment | CareRelationship) -> bool:
    """The member or the therapist of an appointment or a care relationship."""
    return user.pk in (of.member_id, of.therapist.user_id)


def role_in(of: Appointment | CareRelationship, user: User) -> str | None:
    if user.pk == of.member_id:
        return "member"
    if user.pk == of.therapist.user_id:
        return "therapist"
    return None


def access_as_party[T: (Appointment, CareRelationship)](
    rows: QuerySet[T], pk: int, viewer: User, missing: str
) -> T:
    """Row `pk` of `rows` when `viewer` is its member or its therapist. The same 404 for
    "missing" and "not yours", so nobody can probe for other people's care."""
    row = rows.select_related("member", "therapist__user").filter(pk=pk).first()
    if row is None or not is_party(viewer, row):
        raise Http404(missing)
    return row


def access_appointment(viewer: User, appointment_id: int) -> Appointment:
    return access_as_party(
        Appointment.objects.all(), appointment_id, viewer, "No such appointment."
    )


def is_member_of(user: User, appointment: Appointment) -> bool:
    return appointment.member_id == user.pk


# --- Booking, cancelling, moving


def check_can_book(member: User, therapist: TherapistProfile) -> None:
    if therapist.user_id == member.pk:
        raise PermissionDenied(_("You can't book a session with yourself."))
    if not is_practising(therapist):
        raise PermissionDenied(_("This therapist is not taking bookings at the moment."))


def _check_still_ahead(appointment: Appointment, now: datetime, started: str) -> None:
    if appointment.status == Appointment.Status.CANCELLED:
        raise PermissionDenied(_("This session is already cancelled."))
    if appointment.status != Appointment.Status.BOOKED or appointment.starts_at <= now:
        raise PermissionDenied(started)


def check_can_cancel(user: User, appointment: Appointment, now: datetime | None = None) -> None:
    _check_still_ahead(
        appointment,
        now or timezone.now(),
        _("This session has already started, so it can't be cancelled."),
    )


def check_can_reschedule(user: User, appointment: Appointment, now: datetime | None = None) -> None:
    if not is_member_of(user, appointment):
        raise PermissionDenied(
            _("Only your client can move a session. You can cancel it, and they will be told.")
        )
    _check_still_ahead(
        appointment,
        now or timezone.now(),
        _("This session has already started, so it can't be moved."),
    )


def can_cancel(user: User, appointment: Appointment, now: datetime | None = None) -> bool:
    try:
        check_can_cancel(user, appointment, now)
    except PermissionDenied:
        return False
    return True


def can_reschedule(user: User, appointment: Appointment, now: datetime | None = None) -> bool:
    try:
        check_can_reschedule(user, appointment, now)
    except PermissionDenied:
        return False
    return True


# --- The write gates of care (booking, intake and messaging share them)


def check_write_care(actor: Actor) -> None:
    """Booking, cancelling, the questionnaire and screening, choosing a therapist, a therapist's
    hours and notes, calendar feeds, hand-offs."""
    check_can_write(actor, "care")


def check_stop_care_data(actor: Actor) -> None:
    """Deleting one's answers, hours or a calendar feed, declining a hand-off."""
    check_can_write(actor, "delete")
