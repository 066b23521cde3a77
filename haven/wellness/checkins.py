"""Mood check-ins: quick to make, charted and summarised from the member's own data only."""

import csv
import io
import zoneinfo
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.zones import member_today
from haven.wellness.insights import CheckInPoint
from haven.wellness.models import MoodCheckIn, WellnessSettings


def wellness_settings_of(member: User) -> WellnessSettings:
    settings_row, _ = WellnessSettings.objects.get_or_create(member=member)
    return settings_row


def stored_zone(member: User) -> zoneinfo.ZoneInfo | None:
    """The zone the member chose in their wellness settings (registered with accounts.zones),
    without creating their settings on a read."""
    row = WellnessSettings.objects.filter(member=member).only("time_zone").first()
    return row.zone if row is not None else None


@transaction.atomic
def do_check_in(
    *, mood: int, feelings: list[str], sleep_hours: Decimal | None, note: str, acting_user: User
) -> MoodCheckIn:
    now = timezone.now()
    return MoodCheckIn.objects.create(
        member=acting_user,
        mood=mood,
        feelings=sorted(set(feelings)),
        sleep_hours=sleep_hours,
        note=note,
        created_at=now,
        local_date=member_today(acting_user, now),
    )


def do_delete_checkin(checkin: MoodCheckIn, *, acting_user: User) -> None:
    checkin.delete()


def checkin_points(member: User, since: date | None = None) -> list[CheckInPoint]:
    queryset = MoodCheckIn.objects.filter(member=member)
    if since is not None:
        queryset = queryset.filter(local_date__gte=since)
    # Notes are not needed for charts: deferring them skips decrypting each one.
    rows = queryset.order_by("local_date").values_list(
        "local_date", "mood", "feelings", "sleep_hours"
    )
    return [
        CheckInPoint(
            day=day,
            mood=mood,
            feelings=tuple(feelings),
            sleep_hours=float(sleep) if sleep is not None else None,
        )
        for day, mood, feelings, sleep in rows
    ]


CSV_COLUMNS = ["date", "time_utc", "mood", "feelings", "sleep_hours", "note"]


def checkin_rows(member: User) -> list[dict]:
    return [
        {
            "date": checkin.local_date.isoformat(),
            "time_utc": checkin.created_at.astimezone(timezone.UTC).isoformat(timespec="seconds"),
            "mood": checkin.mood,
            "feelings": list(checkin.feelings),
            "sleep_hours": float(checkin.sleep_hours) if checkin.sleep_hours is not None else None,
            "note": checkin.note,
        }
        for checkin in MoodCheckIn.objects.filter(member=member).order_by("created_at", "id")
    ]


def _spreadsheet_safe(value: str) -> str:
    # A note starting with = + - @ would run as a formula when the file is opened in a
    # spreadsheet (CSV injection); a leading apostrophe keeps it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def checkins_csv(member: User) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in checkin_rows(member):
        writer.writerow(
            [
                row["date"],
                row["time_utc"],
                row["mood"],
                ";".join(row["feelings"]),
                "" if row["sleep_hours"] is None else row["sleep_hours"],
                _spreadsheet_safe(row["note"]),
            ]
        )
    return buffer.getvalue()


def do_update_wellness_settings(settings_row: WellnessSettings, **fields) -> WellnessSettings:
    for name, value in fields.items():
        setattr(settings_row, name, value)
    settings_row.save()
    return settings_row
