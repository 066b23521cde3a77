"""Read paths of booking: the rules' numbers from settings, a therapist's hours and booked
sessions loaded for haven.care.booking.slots (which only computes), free slots, and a person's
own appointments."""

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.zones import member_zone
from haven.care.booking.permissions import is_member_of
from haven.care.booking.slots import (
    Schedule,
    SessionGrid,
    Slot,
    Window,
    bookable_slots,
    zone_of,
)
from haven.care.models import (
    Appointment,
    AvailabilityException,
    TherapistProfile,
    WeeklyAvailability,
)
from haven.care.therapists.permissions import own_therapist_profile


def min_notice() -> timedelta:
    return timedelta(hours=settings.HAVEN_BOOKING_MIN_NOTICE_HOURS)


def cancel_notice() -> timedelta:
    return timedelta(hours=settings.HAVEN_CANCEL_NOTICE_HOURS)


def cancel_notice_hours() -> int:
    return settings.HAVEN_CANCEL_NOTICE_HOURS


def horizon_days() -> int:
    return settings.HAVEN_BOOKING_HORIZON_DAYS


def grid_of(therapist: TherapistProfile) -> SessionGrid:
    return SessionGrid.of(therapist.time_zone, therapist.session_minutes)


def therapist_today(therapist: TherapistProfile, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(zone_of(therapist.time_zone)).date()


def viewer_zone(user: User) -> zoneinfo.ZoneInfo:
    """A therapist sees times in their practice's zone; a member in their own (wellness)."""
    profile = own_therapist_profile(user)
    return zone_of(profile.time_zone) if profile is not None else member_zone(user)


# --- Hours and free slots


def _overrides(exceptions: Iterable[AvailabilityException]) -> dict[date, list[Window]]:
    """The dates that exceptions change, each with its hours (none for a day off)."""
    overrides: dict[date, list[Window]] = {}
    for exception in exceptions:
        windows = overrides.setdefault(exception.date, [])
        if exception.available and exception.start_time and exception.end_time:
            windows.append((exception.start_time, exception.end_time))
    return overrides


def load_schedules(
    therapist_ids: Sequence[int], first_day: date, last_day: date
) -> dict[int, Schedule]:
    """The published hours of these therapists over a range of local dates, in two queries."""
    weekly: dict[int, dict[int, list[Window]]] = defaultdict(lambda: defaultdict(list))
    for window in WeeklyAvailability.objects.filter(therapist_id__in=therapist_ids):
        weekly[window.therapist_id][window.weekday].append((window.start_time, window.end_time))
    exceptions: dict[int, list[AvailabilityException]] = defaultdict(list)
    for exception in AvailabilityException.objects.filter(
        therapist_id__in=therapist_ids, date__gte=first_day, date__lte=last_day
    ):
        exceptions[exception.therapist_id].append(exception)
    return {pk: Schedule(weekly[pk], _overrides(exceptions[pk])) for pk in therapist_ids}


def working_windows(therapist: TherapistProfile, day: date) -> list[Window]:
    """The therapist's hours on one local date, in their own zone. Reads through .all(), so a
    caller that prefetched weekly_availability and availability_exceptions pays no query
    here."""
    weekly = [
        (w.start_time, w.end_time)
        for w in therapist.weekly_availability.all()
        if w.weekday == day.weekday()
    ]
    overrides = _overrides(e for e in therapist.availability_exceptions.all() if e.date == day)
    return Schedule({day.weekday(): weekly}, overrides).windows_on(day)


def booked_ranges(
    therapist_ids: Sequence[int], after: datetime, before: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each therapist's booked sessions between two moments, in one query."""
    booked: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for therapist_id, starts_at, ends_at in Appointment.objects.filter(
        therapist_id__in=therapist_ids,
        status=Appointment.Status.BOOKED,
        ends_at__gt=after,
        starts_at__lt=before,
    ).values_list("therapist_id", "starts_at", "ends_at"):
        booked[therapist_id].append((starts_at, ends_at))
    return booked


def free_slots(
    therapist: TherapistProfile, *, days: int = 14, now: datetime | None = None
) -> list[Slot]:
    """Bookable slots from now (plus the notice period) for `days` more local days, in UTC."""
    now = now or timezone.now()
    grid = grid_of(therapist)
    first_day = now.astimezone(grid.zone).date()
    schedule = load_schedules([therapist.pk], first_day, first_day + timedelta(days=days))
    booked = booked_ranges([therapist.pk], now, now + timedelta(days=days + 2))
    return bookable_slots(
        grid, schedule[therapist.pk], booked[therapist.pk], now=now, notice=min_notice(), days=days
    )


def next_free_slot(therapist: TherapistProfile, now: datetime | None = None) -> Slot | None:
    slots = free_slots(therapist, days=horizon_days(), now=now)
    return slots[0] if slots else None


def next_free_slots(
    therapists: Sequence[TherapistProfile], *, now: datetime | None = None
) -> dict[int, Slot | None]:
    """Each therapist's next free slot, as next_free_slot finds it, for a whole page (the
    directory) in three queries (weekly hours, exceptions, booked sessions) instead of three per
    therapist. The same loaders and slot rules as free_slots; tests keep the two in agreement."""
    now = now or timezone.now()
    if not therapists:
        return {}
    days = horizon_days()
    ids = [therapist.pk for therapist in therapists]
    # Local dates can be a day either side of the UTC date.
    utc_today = now.astimezone(UTC).date()
    schedules = load_schedules(
        ids, utc_today - timedelta(days=1), utc_today + timedelta(days=days + 1)
    )
    booked = booked_ranges(ids, now, now + timedelta(days=days + 2))
    return {
        therapist.pk: next(
            iter(
                bookable_slots(
                    grid_of(therapist),
                    schedules[therapist.pk],
                    booked[therapist.pk],
                    now=now,
                    notice=min_notice(),
                    days=days,
                    first_only=True,
                )
            ),
            None,
        )
        for therapist in therapists
    }


# --- A person's appointments


def appointment_link(appointment: Appointment) -> str:
    return reverse("care:appointment", args=[appointment.pk])


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
