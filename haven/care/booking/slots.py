"""The arithmetic of free slots: no database and no models, only times, zones and hours.

Therapists publish weekly hours and exceptions in their own time zone; slots are computed in
that zone and stored in UTC, so a daylight-saving change moves nothing a therapist published
(09:00 in London stays 09:00 in London; its UTC hour moves instead). A wall time that does not
exist (the hour skipped when clocks go forward) is read as RFC 5545 reads it, with the offset
from before the change, so that hour simply has no slot. haven.care.booking.queries loads what
these functions read.
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import formats
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from haven.core.places import time_zone_name

# Labels (a form's choices, a heading): "Wednesday". In a sentence a weekday comes from
# Django's own catalogue, which writes it as the language does ("miércoles").
WEEKDAYS = [
    pgettext_lazy("day of the week, as a label", "Monday"),
    pgettext_lazy("day of the week, as a label", "Tuesday"),
    pgettext_lazy("day of the week, as a label", "Wednesday"),
    pgettext_lazy("day of the week, as a label", "Thursday"),
    pgettext_lazy("day of the week, as a label", "Friday"),
    pgettext_lazy("day of the week, as a label", "Saturday"),
    pgettext_lazy("day of the week, as a label", "Sunday"),
]
# "These hours overlap hours you already have on Mondays."
WEEKDAYS_PLURAL = [
    _("Mondays"),
    _("Tuesdays"),
    _("Wednesdays"),
    _("Thursdays"),
    _("Fridays"),
    _("Saturdays"),
    _("Sundays"),
]

# Hours of one day, in the therapist's own zone: (from, until).
Window = tuple[time, time]


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


def parse_slot_value(value: str) -> datetime | None:
    """A slot's form value back to an aware UTC datetime; None when it is not one."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def describe_when_translated(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "Tuesday 3 November at 09:00 (United Kingdom — London)", in the active language: for
    words built for the reader whose language is active (their notifications and e-mails)."""
    local = moment.astimezone(zone)
    # Translators: a date format (Django's letters): weekday, day of the month, month name.
    day_format = pgettext("date in a sentence: weekday, day, month", "l j F")
    return gettext("%(day)s at %(time)s (%(zone)s)") % {
        "day": formats.date_format(local, day_format),
        "time": f"{local:%H:%M}",
        "zone": time_zone_name(zone.key),
    }


@dataclass(frozen=True)
class SessionGrid:
    """Where one therapist's sessions can start: in their zone, `length` long, one every
    `step`."""

    zone: zoneinfo.ZoneInfo
    length: timedelta
    step: timedelta

    @classmethod
    def of(cls, time_zone: str, session_minutes: int) -> "SessionGrid":
        # Sessions start on the hour: a 50-minute session leaves ten minutes between clients.
        return cls(
            zone_of(time_zone),
            timedelta(minutes=session_minutes),
            timedelta(minutes=max(60, session_minutes)),
        )


@dataclass
class Schedule:
    """A therapist's published hours over a range of local dates: the weekly pattern, and the
    dates whose exceptions replace it (with other hours, or with none for a day off)."""

    weekly: dict[int, list[Window]]
    overrides: dict[date, list[Window]]

    def windows_on(self, day: date) -> list[Window]:
        if day in self.overrides:
            return self.overrides[day]
        return self.weekly.get(day.weekday(), [])


def _local(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """`at` on `day` in `zone`. fold=0 (the default) reads a wall time that does not exist (the
    hour skipped when clocks go forward) with the offset from before the change, as RFC 5545
    does, and an ambiguous one (the hour repeated in autumn) as its first occurrence. It never
    returns None: a window whose edge falls in the gap keeps its real hours."""
    return datetime.combine(day, at, tzinfo=zone)


def day_slots(grid: SessionGrid, day: date, windows: list[Window]) -> Iterator[Slot]:
    """Every slot the windows of one local date hold, whether booked or not."""
    for window_start, window_end in windows:
        start = _local(day, window_start, grid.zone).astimezone(UTC)
        end = _local(day, window_end, grid.zone).astimezone(UTC)
        cursor = start
        while cursor + grid.length <= end:
            yield Slot(cursor, cursor + grid.length)
            # Step in UTC so a DST change inside a window keeps real hour-long gaps.
            cursor += grid.step


def bookable_slots(
    grid: SessionGrid,
    schedule: Schedule,
    booked: list[tuple[datetime, datetime]],
    *,
    now: datetime,
    notice: timedelta,
    days: int,
    first_only: bool = False,
) -> list[Slot]:
    """The slot rules, once for every caller: the schedule's slots from now plus the notice
    period, over `days` more local days, that overlap no booked session. With first_only, the
    earliest one alone (a local day's windows all start after those of the day before)."""
    earliest = now + notice
    first_day = now.astimezone(grid.zone).date()
    found: set[Slot] = set()
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        free = [
            slot
            for slot in day_slots(grid, day, schedule.windows_on(day))
            if slot.starts_at >= earliest
            and not any(s < slot.ends_at and slot.starts_at < e for s, e in booked)
        ]
        if free and first_only:
            return [min(free, key=lambda slot: slot.starts_at)]
        found.update(free)
    return sorted(found, key=lambda slot: slot.starts_at)


def slots_by_day(slots: Iterable[Slot], zone: zoneinfo.ZoneInfo) -> list[SlotDay]:
    """Slots grouped by the viewer's local date, each with its local start and end."""
    days: dict[date, list[LocalSlot]] = defaultdict(list)
    for slot in sorted(slots, key=lambda s: s.starts_at):
        starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        days[starts.date()].append(LocalSlot(slot, starts, ends))
    return [SlotDay(day, local) for day, local in sorted(days.items())]


# --- One week of slots, as the booking page shows them


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(value: str | None) -> date | None:
    """A `?week=YYYY-MM-DD` value as the Monday of its week; None when it is not a date."""
    try:
        return monday_of(datetime.strptime((value or "").strip(), "%Y-%m-%d").date())
    except ValueError:
        return None


@dataclass(frozen=True)
class WeekRange:
    """The weeks a member may look at: from this week to the one holding the horizon's last
    day, both as their Mondays in the viewer's zone."""

    first: date
    last: date

    @classmethod
    def of(cls, today: date, horizon_days: int) -> "WeekRange":
        return cls(monday_of(today), monday_of(today + timedelta(days=horizon_days)))

    def clamp(self, monday: date) -> date:
        return min(max(monday, self.first), self.last)


@dataclass(frozen=True)
class GridDay:
    """One column of the week: a cell per row of times, None where this day has no slot."""

    day: date
    cells: list[LocalSlot | None]

    @property
    def has_slots(self) -> bool:
        return any(cell is not None for cell in self.cells)


@dataclass(frozen=True)
class WeekGrid:
    monday: date
    days: list[GridDay]
    previous: date | None  # the Monday of the week before, when it may be shown
    next: date | None
    # When this week has nothing free: the first free slot after it, to offer a jump there.
    later: LocalSlot | None

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def has_slots(self) -> bool:
        return any(day.has_slots for day in self.days)


def choose_week(
    requested: date | None, slots: list[Slot], zone: zoneinfo.ZoneInfo, weeks: WeekRange
) -> date:
    """The Monday to show: the one asked for, kept inside the range; else the week of the first
    free slot, so someone opening the page on a Sunday evening is not met by an empty week."""
    if requested is not None:
        return weeks.clamp(monday_of(requested))
    if slots:
        return weeks.clamp(monday_of(min(s.starts_at for s in slots).astimezone(zone).date()))
    return weeks.first


def _row_key(moment: datetime) -> tuple[int, int, int]:
    # fold tells the two 01:30s of the night the clocks go back apart.
    return (moment.hour, moment.minute, moment.fold)


def week_grid(
    slots: Iterable[Slot], zone: zoneinfo.ZoneInfo, monday: date, weeks: WeekRange
) -> WeekGrid:
    """Seven days from `monday` in `zone`, one row per start time any of them has, so a time
    sits on the same row in every column."""
    sunday = monday + timedelta(days=6)
    local = [
        LocalSlot(slot, slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone))
        for slot in sorted(slots, key=lambda s: s.starts_at)
    ]
    this_week = [s for s in local if monday <= s.starts.date() <= sunday]
    rows = sorted({_row_key(s.starts) for s in this_week})
    by_day: dict[date, dict[tuple[int, int, int], LocalSlot]] = defaultdict(dict)
    for s in this_week:
        by_day[s.starts.date()][_row_key(s.starts)] = s
    days = [
        GridDay(day, [by_day[day].get(row) for row in rows])
        for day in (monday + timedelta(days=n) for n in range(7))
    ]
    later = None if this_week else next((s for s in local if s.starts.date() > sunday), None)
    return WeekGrid(
        monday=monday,
        days=days,
        previous=monday - timedelta(days=7) if monday > weeks.first else None,
        next=monday + timedelta(days=7) if monday < weeks.last else None,
        later=later,
    )
