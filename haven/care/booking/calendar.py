"""iCalendar (.ics) feeds of a person's sessions, for their own calendar app.

A calendar app cannot log in, so the feed is reached through a secret address: a random token
shown once, of which only the SHA-256 is stored (CalendarFeed.token_hash). Revoking it makes
the address answer 404 at once. One address per person at a time: making a new one revokes the
old. Calendars get synced to phones, shared with partners, shown on lock screens, so an event
says only "Therapy session" (or "Session with a client" to the therapist): no names, no notes.
"""

import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from haven.accounts.models import User, hash_token
from haven.care.models import Appointment, CalendarFeed

MEMBER_SUMMARY = gettext_lazy("Therapy session")
THERAPIST_SUMMARY = gettext_lazy("Session with a client")
DESCRIPTION = gettext_lazy("The details and the way to join are on Haven.")
# Sessions older than this drop out of the feed: calendars keep what they already have.
FEED_PAST_DAYS = 90


def feed_url(token: str) -> str:
    return settings.HAVEN_SITE_URL.rstrip("/") + reverse("care:calendar_feed", args=[token])


def webcal_url(token: str) -> str:
    """The same address for one-click subscribing (calendar apps fetch it over https/http)."""
    return "webcal://" + feed_url(token).split("://", 1)[1]


def active_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def do_create_calendar_feed(user: User) -> str:
    """A new secret address for `user`'s sessions; the token is returned once, never stored."""
    do_revoke_calendar_feeds(user)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=hash_token(token))
    return token


def do_revoke_calendar_feeds(user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_owner(token: str) -> User | None:
    """Whose feed this token opens: None when it is unknown, revoked, or the account closed."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed is not None else None


def _host() -> str:
    return urlsplit(settings.HAVEN_SITE_URL).hostname or "haven.invalid"


def appointment_uid(appointment: Appointment) -> str:
    """Stable for the life of the appointment, so calendar apps update rather than duplicate."""
    return f"appointment-{appointment.pk}@{_host()}"


def _event(appointment: Appointment, user: User, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", stamp)
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", appointment.ends_at.astimezone(UTC))
    as_member = appointment.member_id == user.pk
    event.add("summary", str(MEMBER_SUMMARY if as_member else THERAPIST_SUMMARY))
    event.add("description", str(DESCRIPTION))
    event.add("created", appointment.created_at)
    cancelled = appointment.status == Appointment.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A cancellation is a change calendar apps must notice: a higher sequence number.
    event.add("sequence", 1 if cancelled else 0)
    event.add("last-modified", appointment.cancelled_at or appointment.created_at)
    event.add("transp", "OPAQUE")
    return event


def calendar_for(user: User, now: datetime | None = None) -> bytes:
    """The .ics text of `user`'s sessions, as member and as therapist, in their saved language
    (a calendar app's request carries no choice of its own)."""
    with translation.override(user.language or translation.get_language()):
        return _calendar_for(user, now or timezone.now())


def _calendar_for(user: User, now: datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.HAVEN_SITE_NAME}//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", gettext("%(site)s sessions") % {"site": settings.HAVEN_SITE_NAME})
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    appointments = Appointment.objects.filter(
        Q(member=user) | Q(therapist__user=user),
        starts_at__gte=now - timedelta(days=FEED_PAST_DAYS),
    ).order_by("starts_at", "pk")
    for appointment in appointments:
        calendar.add_component(_event(appointment, user, now))
    return calendar.to_ical()
