"""Every change to appointments and a therapist's hours: booking without double booking,
cancelling, rescheduling.

Callers run the matching check_* of haven.care.booking.permissions first (check_can_book,
check_can_cancel, check_can_reschedule); these functions trust them. What they still refuse is
what they find inside their own transaction: a slot taken or not offered, a session already
cancelled.

Two people asking for the same slot at once: every booking of one therapist first locks the
therapist's row and re-checks for an overlap inside its transaction. On PostgreSQL the lock
queues concurrent bookings and an exclusion constraint (migration 0002) refuses any overlap
that slips past anyway; on SQLite the transaction starts IMMEDIATE (settings), so writers queue
at BEGIN and the second one re-checks and sees the first. Either way the loser gets SlotTaken.
"""

import random
import time as time_module
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from haven.accounts.models import User
from haven.accounts.zones import member_zone
from haven.care.booking.permissions import is_member_of
from haven.care.booking.queries import (
    appointment_link,
    cancel_would_be_late,
    grid_of,
    horizon_days,
    load_schedules,
    min_notice,
    therapist_today,
)
from haven.care.booking.slots import (
    WEEKDAYS_PLURAL,
    day_slots,
    describe_when_translated,
    zone_of,
)
from haven.care.messaging.actions import do_attach_pending_handoffs
from haven.care.models import (
    MOVED_TO_A_NEW_TIME,
    Appointment,
    AvailabilityException,
    CareRelationship,
    SessionFormat,
    TherapistProfile,
    WeeklyAvailability,
)
from haven.core.language import in_language_of
from haven.notifications.actions import do_notify_care

# The name of the PostgreSQL exclusion constraint of migration 0002.
NO_DOUBLE_BOOKING = "care_no_double_booking"
# In English, for code that compares with them; SlotTaken says them in the reader's language.
JUST_TAKEN = gettext_noop("This time was just taken. Please choose another.")
NOT_OFFERED = gettext_noop("This time is not available. Please choose another.")


class SlotTaken(Exception):
    """The slot went to someone else a moment ago, or is no longer offered."""

    def __init__(self, message: str = JUST_TAKEN) -> None:
        super().__init__(gettext(message))


class BookingRefused(Exception):
    """A booking rule says no (notice period, format the therapist does not offer, …)."""


# --- Booking


def refuse_unless_offered(therapist: TherapistProfile, starts_at: datetime, now: datetime) -> None:
    """Is `starts_at` a slot this therapist offers now? Only the one local date is computed."""
    grid = grid_of(therapist)
    if starts_at < now + min_notice():
        raise BookingRefused(
            gettext(
                "Sessions need to be booked at least %(hours)s hours ahead. Please choose a later "
                "time."
            )
            % {"hours": settings.HAVEN_BOOKING_MIN_NOTICE_HOURS}
        )
    day = starts_at.astimezone(grid.zone).date()
    if day > now.astimezone(grid.zone).date() + timedelta(days=horizon_days()):
        raise BookingRefused(
            gettext(
                "Sessions can be booked up to %(days)s days ahead. Please choose an earlier time."
            )
            % {"days": horizon_days()}
        )
    schedule = load_schedules([therapist.pk], day, day)[therapist.pk]
    if starts_at not in {s.starts_at for s in day_slots(grid, day, schedule.windows_on(day))}:
        raise SlotTaken(NOT_OFFERED)
    if _overlapping(therapist.pk, starts_at, starts_at + grid.length).exists():
        raise SlotTaken(JUST_TAKEN)


def _overlapping(therapist_id: int, starts_at: datetime, ends_at: datetime):
    return Appointment.objects.filter(
        therapist_id=therapist_id,
        status=Appointment.Status.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def relationship_for(member: User, therapist: TherapistProfile) -> CareRelationship:
    relationship, _ = CareRelationship.objects.get_or_create(
        member=member, therapist=therapist, status=CareRelationship.Status.ACTIVE
    )
    return relationship


def when_unlocked[T](attempt: Callable[[], T]) -> T:
    """Run `attempt`, again if SQLite said "locked".

    A file database waits out its busy timeout by itself (settings: 20 s), but a shared-cache
    one (the test suite's in-memory database) answers "database table is locked" at once. The
    attempt is a whole transaction, so trying it again is safe; inside an outer transaction it
    cannot be, and the outer one decides."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return attempt()
    timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)
    deadline = time_module.monotonic() + timeout
    pause = 0.002
    while True:
        try:
            return attempt()
        except OperationalError as error:
            if "locked" not in str(error) or time_module.monotonic() + pause > deadline:
                raise
        time_module.sleep(pause + random.random() * pause)
        pause = min(pause * 2, 0.05)


def do_book(
    *,
    member: User,
    therapist: TherapistProfile,
    starts_at: datetime,
    format: str = SessionFormat.VIDEO,
    now: datetime | None = None,
    rescheduled_from: Appointment | None = None,
) -> Appointment:
    """Book one offered slot. Raises SlotTaken when someone else got it first, BookingRefused
    when a rule says no."""
    return when_unlocked(
        lambda: _book(
            member=member,
            therapist=therapist,
            starts_at=starts_at,
            format=format,
            now=now,
            rescheduled_from=rescheduled_from,
        )
    )


def _book(
    *,
    member: User,
    therapist: TherapistProfile,
    starts_at: datetime,
    format: str,
    now: datetime | None,
    rescheduled_from: Appointment | None,
) -> Appointment:

    if format not in therapist.formats:
        raise BookingRefused(gettext("This therapist does not offer that kind of session."))
    now = now or timezone.now()
    starts_at = starts_at.astimezone(UTC)
    ends_at = starts_at + grid_of(therapist).length
    # Outside the lock: cheap refusals for stale pages, without queueing behind other bookings.
    refuse_unless_offered(therapist, starts_at, now)
    try:
        with transaction.atomic():
            # The lock queues concurrent bookings of one therapist; the re-check inside the
            # transaction sees any booking that committed while we waited.
            list(
                TherapistProfile.objects.select_for_update()
                .filter(pk=therapist.pk)
                .values_list("pk", flat=True)
            )
            if _overlapping(therapist.pk, starts_at, ends_at).exists():
                raise SlotTaken(JUST_TAKEN)
            own = Appointment.objects.filter(
                member=member,
                status=Appointment.Status.BOOKED,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            if rescheduled_from is not None:
                own = own.exclude(pk=rescheduled_from.pk)
            if own.exists():
                raise BookingRefused(
                    gettext("You already have a session at this time. Please choose another.")
                )
            appointment = Appointment.objects.create(
                therapist=therapist,
                member=member,
                relationship=relationship_for(member, therapist),
                starts_at=starts_at,
                ends_at=ends_at,
                format=format,
                rescheduled_from=rescheduled_from,
                member_location=rescheduled_from.member_location if rescheduled_from else "",
            )
            if rescheduled_from is None:
                # A listener's summary the member agreed to share reaches this therapist now.
                do_attach_pending_handoffs(member)
                with in_language_of(therapist.user):
                    when = describe_when_translated(starts_at, zone_of(therapist.time_zone))
                    told = gettext("A new session was booked for %(when)s.") % {"when": when}
                do_notify_care(therapist.user_id, told, appointment_link(appointment))
            return appointment
    except IntegrityError as error:
        # Only the exclusion constraint means "taken"; any other integrity error is a bug.
        if NO_DOUBLE_BOOKING in str(error):
            raise SlotTaken(JUST_TAKEN) from error
        raise


# --- Cancelling and rescheduling


def _mark_cancelled(
    appointment: Appointment, acting_user: User, reason: str, now: datetime
) -> None:
    # Conditional: of two people cancelling at once, one does it and the other is told.
    updated = Appointment.objects.filter(
        pk=appointment.pk, status=Appointment.Status.BOOKED
    ).update(
        status=Appointment.Status.CANCELLED,
        cancelled_at=now,
        cancelled_by=acting_user,
        cancel_reason=reason[:300],
    )
    if not updated:
        raise PermissionDenied(gettext("This session is already cancelled."))


def do_cancel(
    appointment: Appointment, *, acting_user: User, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Either party cancels a session ahead of time; the other is told."""

    now = now or timezone.now()
    therapist = appointment.therapist
    with transaction.atomic():
        _mark_cancelled(appointment, acting_user, reason.strip(), now)
        if is_member_of(acting_user, appointment):
            late = cancel_would_be_late(acting_user, appointment, now)
            with in_language_of(therapist.user):
                told = (
                    gettext("%(member)s cancelled at short notice the session on %(when)s.")
                    if late
                    else gettext("%(member)s cancelled the session on %(when)s.")
                ) % {
                    "member": appointment.member.pseudonym,
                    "when": describe_when_translated(
                        appointment.starts_at, zone_of(therapist.time_zone)
                    ),
                }
            do_notify_care(therapist.user_id, told, appointment_link(appointment))
        else:
            with in_language_of(appointment.member):
                told = gettext(
                    "%(therapist)s had to cancel your session on %(when)s. We're sorry. You can "
                    "book another time whenever you like."
                ) % {
                    "therapist": therapist.professional_name,
                    "when": describe_when_translated(
                        appointment.starts_at, member_zone(appointment.member)
                    ),
                }
            do_notify_care(appointment.member_id, told, appointment_link(appointment))
    appointment.refresh_from_db()
    return appointment


def do_reschedule(
    appointment: Appointment,
    *,
    acting_user: User,
    starts_at: datetime,
    format: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """The member moves a session: the new one is booked before the old one is cancelled, in one
    transaction, so a reschedule that fails (the new time was just taken) keeps the old one."""
    return when_unlocked(
        lambda: _reschedule(appointment, acting_user, starts_at, format, now or timezone.now())
    )


def _reschedule(
    appointment: Appointment,
    acting_user: User,
    starts_at: datetime,
    format: str | None,
    now: datetime,
) -> Appointment:

    therapist = appointment.therapist
    with transaction.atomic():
        new = do_book(
            member=acting_user,
            therapist=therapist,
            starts_at=starts_at,
            format=format or appointment.format,
            now=now,
            rescheduled_from=appointment,
        )
        _mark_cancelled(appointment, acting_user, MOVED_TO_A_NEW_TIME, now)
        zone = zone_of(therapist.time_zone)
        late = cancel_would_be_late(acting_user, appointment, now)
        with in_language_of(therapist.user):
            told = (
                gettext("%(member)s moved at short notice the session on %(before)s to %(after)s.")
                if late
                else gettext("%(member)s moved the session on %(before)s to %(after)s.")
            ) % {
                "member": acting_user.pseudonym,
                "before": describe_when_translated(appointment.starts_at, zone),
                "after": describe_when_translated(new.starts_at, zone),
            }
        do_notify_care(therapist.user_id, told, appointment_link(new))
    return new


# --- Editing availability (the therapist's own)


def _validate_hours(start_time: time, end_time: time) -> None:
    if end_time <= start_time:
        raise ValidationError(gettext("The end time needs to be after the start time."))


def do_add_weekly_window(
    therapist: TherapistProfile, *, weekday: int, start_time: time, end_time: time
) -> WeeklyAvailability:
    _validate_hours(start_time, end_time)
    if not 0 <= weekday <= 6:
        raise ValidationError(gettext("Please choose a day of the week."))
    with transaction.atomic():
        overlapping = therapist.weekly_availability.filter(
            weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
        )
        if overlapping.exists():
            raise ValidationError(
                gettext("These hours overlap hours you already have on %(weekdays)s.")
                % {"weekdays": WEEKDAYS_PLURAL[weekday]}
            )
        return WeeklyAvailability.objects.create(
            therapist=therapist, weekday=weekday, start_time=start_time, end_time=end_time
        )


def do_delete_weekly_window(therapist: TherapistProfile, window_id: int) -> None:
    deleted, _ = therapist.weekly_availability.filter(pk=window_id).delete()
    if not deleted:
        raise Http404("No such hours.")


def do_add_exception(
    therapist: TherapistProfile,
    *,
    day: date,
    available: bool,
    start_time: time | None = None,
    end_time: time | None = None,
    note: str = "",
) -> AvailabilityException:
    """A day off replaces whatever that date had; hours on a date replace a day off there and
    sit beside other hours of that date. Booked sessions are never touched."""
    if day < therapist_today(therapist):
        raise ValidationError(gettext("Please choose today or a later date."))
    with transaction.atomic():
        on_day = therapist.availability_exceptions.filter(date=day)
        if not available:
            on_day.delete()
            return AvailabilityException.objects.create(
                therapist=therapist, date=day, available=False, note=note
            )
        if start_time is None or end_time is None:
            raise ValidationError(gettext("Please give the hours you will work that day."))
        _validate_hours(start_time, end_time)
        if on_day.filter(available=True, start_time__lt=end_time, end_time__gt=start_time).exists():
            raise ValidationError(gettext("These hours overlap other hours you set for that date."))
        on_day.filter(available=False).delete()
        return AvailabilityException.objects.create(
            therapist=therapist,
            date=day,
            available=True,
            start_time=start_time,
            end_time=end_time,
            note=note,
        )


def do_delete_exception(therapist: TherapistProfile, exception_id: int) -> None:
    deleted, _ = therapist.availability_exceptions.filter(pk=exception_id).delete()
    if not deleted:
        raise Http404("No such change.")
