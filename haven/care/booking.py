"""Availability, free slots, booking without double booking, cancelling and rescheduling.

Therapists publish weekly hours and exceptions in their own time zone; slots are computed in
that zone and stored in UTC, so a daylight-saving change moves nothing a therapist published
(09:00 in London stays 09:00 in London; its UTC hour moves instead). A wall time that does not
exist (the hour skipped when clocks go forward) is read as RFC 5545 reads it, with the offset
from before the change, so that hour simply has no slot.

Two people asking for the same slot at once: every booking of one therapist first locks the
therapist's row and re-checks for an overlap inside its transaction. On PostgreSQL the lock
queues concurrent bookings and an exclusion constraint (migration 0002) refuses any overlap
that slips past anyway; on SQLite the transaction starts IMMEDIATE (settings), so writers queue
at BEGIN and the second one re-checks and sees the first. Either way the loser gets SlotTaken.
"""

import random
import time as time_module
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.zones import member_zone
from haven.care.models import (
    Appointment,
    AvailabilityException,
    CareRelationship,
    SessionFormat,
    TherapistProfile,
    WeeklyAvailability,
)

# The name of the PostgreSQL exclusion constraint of migration 0002.
NO_DOUBLE_BOOKING = "care_no_double_booking"
JUST_TAKEN = "This time was just taken. Please choose another."
NOT_OFFERED = "This time is not available. Please choose another."
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class SlotTaken(Exception):
    """The slot went to someone else a moment ago, or is no longer offered."""

    def __init__(self, message: str = JUST_TAKEN) -> None:
        super().__init__(message)


class BookingRefused(Exception):
    """A booking rule says no (notice period, format the therapist does not offer, …)."""


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC

    @property
    def value(self) -> str:
        """How a slot travels in a form: its UTC start in ISO 8601."""
        return self.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class LocalSlot:
    """A slot as one viewer sees it, in their own time zone."""

    slot: Slot
    starts: datetime
    ends: datetime

    @property
    def value(self) -> str:
        return self.slot.value


@dataclass(frozen=True)
class SlotDay:
    day: date
    slots: list[LocalSlot]


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def viewer_zone(user: User) -> zoneinfo.ZoneInfo:
    """A therapist sees times in their practice's zone; a member in their own (wellness)."""
    from haven.care.permissions import own_therapist_profile

    profile = own_therapist_profile(user)
    return zone_of(profile.time_zone) if profile is not None else member_zone(user)


def parse_slot_value(value: str) -> datetime | None:
    """A slot's form value back to an aware UTC datetime; None when it is not one."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def describe_when(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "Tuesday 3 November at 09:00 (Europe/London)": words for notifications and e-mails."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M} ({zone.key})"


# --- Working hours and free slots


def min_notice() -> timedelta:
    return timedelta(hours=settings.HAVEN_BOOKING_MIN_NOTICE_HOURS)


def cancel_notice() -> timedelta:
    return timedelta(hours=settings.HAVEN_CANCEL_NOTICE_HOURS)


def cancel_notice_hours() -> int:
    return settings.HAVEN_CANCEL_NOTICE_HOURS


def horizon_days() -> int:
    return settings.HAVEN_BOOKING_HORIZON_DAYS


def _windows(
    exceptions: list[AvailabilityException], weekly: list[tuple[time, time]]
) -> list[tuple[time, time]]:
    """One date's hours: the weekly pattern, unless exceptions say otherwise (a day off, or
    other hours)."""
    if exceptions:
        return [
            (e.start_time, e.end_time)
            for e in exceptions
            if e.available and e.start_time and e.end_time
        ]
    return weekly


@dataclass
class Schedule:
    """A therapist's published hours over a range of local dates, loaded in two queries."""

    weekly: dict[int, list[tuple[time, time]]]
    exceptions: dict[date, list[AvailabilityException]]

    @classmethod
    def load(cls, therapist: TherapistProfile, first_day: date, last_day: date) -> "Schedule":
        weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for window in WeeklyAvailability.objects.filter(therapist=therapist):
            weekly[window.weekday].append((window.start_time, window.end_time))
        exceptions: dict[date, list[AvailabilityException]] = defaultdict(list)
        for exception in AvailabilityException.objects.filter(
            therapist=therapist, date__gte=first_day, date__lte=last_day
        ):
            exceptions[exception.date].append(exception)
        return cls(weekly, exceptions)

    def windows_on(self, day: date) -> list[tuple[time, time]]:
        return _windows(self.exceptions.get(day, []), self.weekly.get(day.weekday(), []))


def working_windows(therapist: TherapistProfile, day: date) -> list[tuple[time, time]]:
    """The therapist's hours on one local date, in their own zone. Reads through .all(), so a
    caller that prefetched weekly_availability and availability_exceptions (the directory, for
    a whole page of therapists) pays no query here."""
    return _windows(
        [e for e in therapist.availability_exceptions.all() if e.date == day],
        [
            (w.start_time, w.end_time)
            for w in therapist.weekly_availability.all()
            if w.weekday == day.weekday()
        ],
    )


def _local(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """`at` on `day` in `zone`. fold=0 (the default) reads a wall time that does not exist (the
    hour skipped when clocks go forward) with the offset from before the change, as RFC 5545
    does, and an ambiguous one (the hour repeated in autumn) as its first occurrence. It never
    returns None: a window whose edge falls in the gap keeps its real hours."""
    return datetime.combine(day, at, tzinfo=zone)


def _session_length(therapist: TherapistProfile) -> timedelta:
    return timedelta(minutes=therapist.session_minutes)


def _step(therapist: TherapistProfile) -> timedelta:
    # Sessions start on the hour: a 50-minute session leaves ten minutes between clients.
    return timedelta(minutes=max(60, therapist.session_minutes))


def day_slots(
    therapist: TherapistProfile, day: date, windows: list[tuple[time, time]]
) -> Iterator[Slot]:
    """Every slot the windows of one local date hold, whether booked or not."""
    zone = zone_of(therapist.time_zone)
    length, step = _session_length(therapist), _step(therapist)
    for window_start, window_end in windows:
        start = _local(day, window_start, zone).astimezone(UTC)
        end = _local(day, window_end, zone).astimezone(UTC)
        cursor = start
        while cursor + length <= end:
            yield Slot(cursor, cursor + length)
            # Step in UTC so a DST change inside a window keeps real hour-long gaps.
            cursor += step


def _booked_ranges(
    therapist: TherapistProfile, after: datetime, before: datetime
) -> list[tuple[datetime, datetime]]:
    return list(
        Appointment.objects.filter(
            therapist=therapist,
            status=Appointment.Status.BOOKED,
            ends_at__gt=after,
            starts_at__lt=before,
        ).values_list("starts_at", "ends_at")
    )


def bookable_slots(
    therapist: TherapistProfile,
    schedule: Schedule,
    booked: list[tuple[datetime, datetime]],
    *,
    now: datetime,
    days: int,
    first_only: bool = False,
) -> list[Slot]:
    """The slot rules, once for every caller: the schedule's slots from now plus the notice
    period, over `days` more local days, that overlap no booked session. With first_only, the
    earliest one alone (a local day's windows all start after those of the day before)."""
    earliest = now + min_notice()
    first_day = now.astimezone(zone_of(therapist.time_zone)).date()
    found: set[Slot] = set()
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        free = [
            slot
            for slot in day_slots(therapist, day, schedule.windows_on(day))
            if slot.starts_at >= earliest
            and not any(s < slot.ends_at and slot.starts_at < e for s, e in booked)
        ]
        if free and first_only:
            return [min(free, key=lambda slot: slot.starts_at)]
        found.update(free)
    return sorted(found, key=lambda slot: slot.starts_at)


def free_slots(
    therapist: TherapistProfile, *, days: int = 14, now: datetime | None = None
) -> list[Slot]:
    """Bookable slots from now (plus the notice period) for `days` more local days, in UTC."""
    now = now or timezone.now()
    first_day = now.astimezone(zone_of(therapist.time_zone)).date()
    schedule = Schedule.load(therapist, first_day, first_day + timedelta(days=days))
    booked = _booked_ranges(therapist, now, now + timedelta(days=days + 2))
    return bookable_slots(therapist, schedule, booked, now=now, days=days)


def next_free_slot(therapist: TherapistProfile, now: datetime | None = None) -> Slot | None:
    slots = free_slots(therapist, days=horizon_days(), now=now)
    return slots[0] if slots else None


def slots_by_day(slots: Iterable[Slot], zone: zoneinfo.ZoneInfo) -> list[SlotDay]:
    """Slots grouped by the viewer's local date, each with its local start and end."""
    days: dict[date, list[LocalSlot]] = defaultdict(list)
    for slot in sorted(slots, key=lambda s: s.starts_at):
        starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        days[starts.date()].append(LocalSlot(slot, starts, ends))
    return [SlotDay(day, local) for day, local in sorted(days.items())]


def check_offered(therapist: TherapistProfile, starts_at: datetime, now: datetime) -> None:
    """Is `starts_at` a slot this therapist offers now? Only the one local date is computed."""
    zone = zone_of(therapist.time_zone)
    if starts_at < now + min_notice():
        raise BookingRefused(
            f"Sessions need to be booked at least {settings.HAVEN_BOOKING_MIN_NOTICE_HOURS} "
            "hours ahead. Please choose a later time."
        )
    day = starts_at.astimezone(zone).date()
    if day > now.astimezone(zone).date() + timedelta(days=horizon_days()):
        raise BookingRefused(
            f"Sessions can be booked up to {horizon_days()} days ahead. Please choose an "
            "earlier time."
        )
    schedule = Schedule.load(therapist, day, day)
    if starts_at not in {s.starts_at for s in day_slots(therapist, day, schedule.windows_on(day))}:
        raise SlotTaken(NOT_OFFERED)
    if _overlapping(therapist.pk, starts_at, starts_at + _session_length(therapist)).exists():
        raise SlotTaken(JUST_TAKEN)


# --- Booking


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


def appointment_link(appointment: Appointment) -> str:
    return reverse("care:appointment", args=[appointment.pk])


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
    from haven.care.permissions import check_can_book
    from haven.notifications.actions import do_notify_care

    check_can_book(member, therapist)
    if format not in therapist.formats:
        raise BookingRefused("This therapist does not offer that kind of session.")
    now = now or timezone.now()
    starts_at = starts_at.astimezone(UTC)
    ends_at = starts_at + _session_length(therapist)
    # Outside the lock: cheap refusals for stale pages, without queueing behind other bookings.
    check_offered(therapist, starts_at, now)
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
                    "You already have a session at this time. Please choose another."
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
                from haven.care.messaging import do_attach_pending_handoffs

                # A listener's summary the member agreed to share reaches this therapist now.
                do_attach_pending_handoffs(member)
                when = describe_when(starts_at, zone_of(therapist.time_zone))
                do_notify_care(
                    therapist.user_id,
                    f"A new session was booked for {when}.",
                    appointment_link(appointment),
                )
            return appointment
    except IntegrityError as error:
        # Only the exclusion constraint means "taken"; any other integrity error is a bug.
        if NO_DOUBLE_BOOKING in str(error):
            raise SlotTaken(JUST_TAKEN) from error
        raise


# --- Cancelling and rescheduling


def is_member_of(user: User, appointment: Appointment) -> bool:
    return appointment.member_id == user.pk


def _check_party(user: User, appointment: Appointment) -> None:
    if user.pk not in (appointment.member_id, appointment.therapist.user_id):
        raise Http404("No such appointment.")


def _check_still_ahead(appointment: Appointment, now: datetime, doing: str) -> None:
    if appointment.status == Appointment.Status.CANCELLED:
        raise PermissionDenied("This session is already cancelled.")
    if appointment.status != Appointment.Status.BOOKED or appointment.starts_at <= now:
        raise PermissionDenied(f"This session has already started, so it can't be {doing}.")


def check_can_cancel(user: User, appointment: Appointment, now: datetime | None = None) -> None:
    _check_party(user, appointment)
    _check_still_ahead(appointment, now or timezone.now(), "cancelled")


def check_can_reschedule(user: User, appointment: Appointment, now: datetime | None = None) -> None:
    _check_party(user, appointment)
    if not is_member_of(user, appointment):
        raise PermissionDenied(
            "Only your client can move a session. You can cancel it, and they will be told."
        )
    _check_still_ahead(appointment, now or timezone.now(), "moved")


def can_cancel(user: User, appointment: Appointment, now: datetime | None = None) -> bool:
    try:
        check_can_cancel(user, appointment, now)
    except (PermissionDenied, Http404):
        return False
    return True


def can_reschedule(user: User, appointment: Appointment, now: datetime | None = None) -> bool:
    try:
        check_can_reschedule(user, appointment, now)
    except (PermissionDenied, Http404):
        return False
    return True


def cancel_would_be_late(user: User, appointment: Appointment, now: datetime | None = None) -> bool:
    """A member cancelling or moving a session inside the notice period: allowed, but late.
    A therapist cancelling is never late for the member."""
    now = now or timezone.now()
    return is_member_of(user, appointment) and now > appointment.starts_at - cancel_notice()


def is_late_cancellation(appointment: Appointment) -> bool:
    """Cancelled (or moved) by the member inside the notice period."""
    return (
        appointment.status == Appointment.Status.CANCELLED
        and appointment.cancelled_at is not None
        and appointment.cancelled_by_id == appointment.member_id
        and appointment.cancelled_at > appointment.starts_at - cancel_notice()
    )


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
        raise PermissionDenied("This session is already cancelled.")


def do_cancel(
    appointment: Appointment, *, acting_user: User, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Either party cancels a session ahead of time; the other is told."""
    from haven.notifications.actions import do_notify_care

    now = now or timezone.now()
    check_can_cancel(acting_user, appointment, now)
    therapist = appointment.therapist
    with transaction.atomic():
        _mark_cancelled(appointment, acting_user, reason.strip(), now)
        if is_member_of(acting_user, appointment):
            when = describe_when(appointment.starts_at, zone_of(therapist.time_zone))
            late = " at short notice" if cancel_would_be_late(acting_user, appointment, now) else ""
            do_notify_care(
                therapist.user_id,
                f"{appointment.member.pseudonym} cancelled{late} the session on {when}.",
                appointment_link(appointment),
            )
        else:
            when = describe_when(appointment.starts_at, member_zone(appointment.member))
            do_notify_care(
                appointment.member_id,
                f"{therapist.professional_name} had to cancel your session on {when}. "
                "We're sorry. You can book another time whenever you like.",
                appointment_link(appointment),
            )
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
    from haven.notifications.actions import do_notify_care

    check_can_reschedule(acting_user, appointment, now)
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
        _mark_cancelled(appointment, acting_user, "Moved to a new time.", now)
        zone = zone_of(therapist.time_zone)
        before, after = (
            describe_when(appointment.starts_at, zone),
            describe_when(new.starts_at, zone),
        )
        late = " at short notice" if cancel_would_be_late(acting_user, appointment, now) else ""
        do_notify_care(
            therapist.user_id,
            f"{acting_user.pseudonym} moved{late} the session on {before} to {after}.",
            appointment_link(new),
        )
    return new


# --- What a person sees of their appointments


def filter_appointments_of(user: User) -> QuerySet[Appointment]:
    """Appointments where `user` is the member or the therapist: nobody else's."""
    return Appointment.objects.filter(Q(member=user) | Q(therapist__user=user)).select_related(
        "therapist__user", "member"
    )


def upcoming_and_past(
    user: User, now: datetime | None = None, past_limit: int = 100
) -> tuple[list[Appointment], list[Appointment]]:
    """Booked sessions still ahead (soonest first); the rest, newest first."""
    now = now or timezone.now()
    mine = filter_appointments_of(user)
    ahead = Q(status=Appointment.Status.BOOKED, ends_at__gt=now)
    upcoming = list(mine.filter(ahead).order_by("starts_at", "pk"))
    past = list(mine.exclude(ahead).order_by("-starts_at", "-pk")[:past_limit])
    return upcoming, past


# --- Editing availability (the therapist's own)


def _check_window(start_time: time, end_time: time) -> None:
    if end_time <= start_time:
        raise ValidationError("The end time needs to be after the start time.")


def do_add_weekly_window(
    therapist: TherapistProfile, *, weekday: int, start_time: time, end_time: time
) -> WeeklyAvailability:
    _check_window(start_time, end_time)
    if not 0 <= weekday <= 6:
        raise ValidationError("Please choose a day of the week.")
    with transaction.atomic():
        overlapping = therapist.weekly_availability.filter(
            weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
        )
        if overlapping.exists():
            raise ValidationError(
                f"These hours overlap hours you already have on {WEEKDAYS[weekday]}s."
            )
        return WeeklyAvailability.objects.create(
            therapist=therapist, weekday=weekday, start_time=start_time, end_time=end_time
        )


def do_delete_weekly_window(therapist: TherapistProfile, window_id: int) -> None:
    deleted, _ = therapist.weekly_availability.filter(pk=window_id).delete()
    if not deleted:
        raise Http404("No such hours.")


def therapist_today(therapist: TherapistProfile, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(zone_of(therapist.time_zone)).date()


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
        raise ValidationError("Please choose today or a later date.")
    with transaction.atomic():
        on_day = therapist.availability_exceptions.filter(date=day)
        if not available:
            on_day.delete()
            return AvailabilityException.objects.create(
                therapist=therapist, date=day, available=False, note=note
            )
        if start_time is None or end_time is None:
            raise ValidationError("Please give the hours you will work that day.")
        _check_window(start_time, end_time)
        if on_day.filter(available=True, start_time__lt=end_time, end_time__gt=start_time).exists():
            raise ValidationError("These hours overlap other hours you set for that date.")
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
