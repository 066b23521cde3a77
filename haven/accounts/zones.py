"""A member's time zone: when their reminders ring, how their bookings and charts read.

The concept belongs to the account; the stored choice lives today in the wellness settings
(moving the column would need a data migration), so wellness registers the reader in its
AppConfig.ready and every app asks here. Without a reader, or a choice, the zone is UTC.
"""

import zoneinfo
from collections.abc import Callable
from datetime import date, datetime

from django.utils import timezone

from haven.accounts.models import User

UTC = zoneinfo.ZoneInfo("UTC")
ZoneReader = Callable[[User], zoneinfo.ZoneInfo | None]
_reader: ZoneReader | None = None


def register_zone_reader(reader: ZoneReader) -> None:
    global _reader
    _reader = reader


def member_zone(member: User) -> zoneinfo.ZoneInfo:
    """The member's time zone, without creating anything on a read."""
    zone = _reader(member) if _reader is not None else None
    return zone or UTC


def member_today(member: User, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(member_zone(member)).date()
