"""Sharing circles: a host schedules one; members sign up, or wait for a place; a reminder goes
out before it starts; its room opens shortly before and closes after its end.

Checks (`check_*`) come first, in the caller (page, API); the `do_*` actions trust them. The jobs
in haven.rooms.circle_tasks call the `do_*_due` functions here; each is idempotent.
"""

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import override

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.accounts.trust import check_capability
from haven.accounts.zones import member_zone
from haven.notifications.models import Notification
from haven.notifications.realtime import send_user_event_on_commit
from haven.rooms.actions import do_close_room, do_create_room, do_join_room
from haven.rooms.forms import DEFAULT_RULES
from haven.rooms.models import Circle, CircleSignup, Room, RoomMember
from haven.rooms.permissions import (
    HOST_TRAINING_MESSAGE,
    REMOVED_MESSAGE,
    active_places,
    can_host,
    check_join_room,
    is_trained_listener,
    place_of,
)
from haven.safety.screening import screen_member_text

logger = logging.getLogger(__name__)

SIZE_LIMITS = (2, 30)
DURATIONS = (30, 45, 60, 75, 90, 120)
# A circle starts at least this long after it is scheduled (people need time to sign up) and
# at most this far ahead (plans further out rarely hold).
SOONEST = timedelta(minutes=15)
LATEST = timedelta(days=90)
LONGEST = timedelta(minutes=max(DURATIONS))

Going, Waiting, Cancelled = (
    CircleSignup.Status.GOING,
    CircleSignup.Status.WAITING,
    CircleSignup.Status.CANCELLED,
)


# --- Reading


def ends_at(circle: Circle) -> datetime:
    return circle.starts_at + timedelta(minutes=circle.duration_minutes)


def opens_at(circle: Circle) -> datetime:
    return circle.starts_at - timedelta(minutes=settings.HAVEN_CIRCLE_OPENS_MINUTES_BEFORE)


def describe_when(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "Tuesday 3 November at 18:00 (Europe/London)", in the reader's own time zone."""
    local = moment.astimezone(zone)
    return _("%(weekday)s %(day)s %(month)s at %(time)s (%(zone)s)") % {
        "weekday": WEEKDAYS[local.weekday()],
        "day": local.day,
        "month": MONTHS[local.month],
        "time": f"{local:%H:%M}",
        "zone": zone.key,
    }


def _stored_when(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """describe_when for a notification's stored words, which are in English (whoever's
    request happens to send it)."""
    with override(None):
        return describe_when(moment, zone)


def with_counts(queryset: QuerySet[Circle]) -> QuerySet[Circle]:
    return queryset.select_related("host", "room").annotate(
        going=Count("signups", filter=Q(signups__status=Going)),
        waiting=Count("signups", filter=Q(signups__status=Waiting)),
    )


def upcoming_circles(now: datetime | None = None, limit: int = 50) -> list[Circle]:
    """Circles not cancelled and not yet over, soonest first, each with `going`/`waiting`."""
    now = now or timezone.now()
    # No portable "starts_at + minutes" in SQL: fetch from the longest length back, then trim.
    circles = with_counts(
        Circle.objects.filter(cancelled_at__isnull=True, starts_at__gt=now - LONGEST)
    ).order_by("starts_at", "id")[: limit * 2]
    return [c for c in circles if ends_at(c) > now][:limit]


def access_circle_by_id(user: User, circle_id: int) -> Circle:
    """Any signed-in member may see a circle that is not cancelled (its host always may)."""
    circle = with_counts(Circle.objects.filter(pk=circle_id)).first()
    if circle is None or not user.is_authenticated:
        raise Http404("No such circle.")
    if circle.cancelled_at is not None and circle.host_id != user.pk:
        raise Http404("No such circle.")
    return circle


def signup_of(circle: Circle, user: User) -> CircleSignup | None:
    return CircleSignup.objects.filter(circle=circle, user_id=user.pk).first()


def waiting_position(signup: CircleSignup) -> int | None:
    """1 for the next to get a place; None when not waiting."""
    if signup.status != Waiting:
        return None
    ahead = CircleSignup.objects.filter(circle_id=signup.circle_id, status=Waiting).filter(
        Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lt=signup.pk)
    )
    return ahead.count() + 1


def signups_of(user: User, now: datetime | None = None) -> list[CircleSignup]:
    """The member's sign-ups (going or waiting) to circles not yet over."""
    now = now or timezone.now()
    rows = (
        CircleSignup.objects.filter(user_id=user.pk, status__in=[Going, Waiting])
        .filter(circle__cancelled_at__isnull=True, circle__starts_at__gt=now - LONGEST)
        .select_related("circle")
        .order_by("circle__starts_at")
    )
    return [s for s in rows if ends_at(s.circle) > now]


def room_is_open(circle: Circle) -> bool:
    return circle.room is not None and circle.room.status == Room.Status.OPEN


# --- Checks


def can_schedule_circles(user: User) -> bool:
    return can_host(user)


def check_schedule_circle(actor: Actor) -> None:
    """Hosts only: site moderators, or trained listeners with the trust level for hosting."""
    check_can_write(actor, "circle")
    user = actor.user
    if user.is_site_moderator:
        return
    if not is_trained_listener(user):
        raise PermissionDenied(str(HOST_TRAINING_MESSAGE))
    check_capability(user, "host_rooms")


def check_circle_fields(
    starts_at: datetime, duration_minutes: int, size_limit: int, now: datetime | None = None
) -> None:
    """Raises ValidationError with words for the host (pages and API show them as they are)."""
    now = now or timezone.now()
    if starts_at < now + SOONEST:
        raise ValidationError(
            _("Please choose a start at least 15 minutes from now, so people can sign up.")
        )
    if starts_at > now + LATEST:
        raise ValidationError(_("Please choose a start within the next 90 days."))
    if duration_minutes not in DURATIONS:
        raise ValidationError(
            _("A circle lasts one of %(durations)s minutes.")
            % {"durations": ", ".join(map(str, DURATIONS))}
        )
    if not SIZE_LIMITS[0] <= size_limit <= SIZE_LIMITS[1]:
        raise ValidationError(
            _("A circle holds between %(least)s and %(most)s people.")
            % {"least": SIZE_LIMITS[0], "most": SIZE_LIMITS[1]}
        )


def _check_open_for_signups(circle: Circle, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if circle.cancelled_at is not None:
        raise PermissionDenied(_("This circle was cancelled."))
    if ends_at(circle) <= now:
        raise PermissionDenied(_("This circle is over. Other circles are listed at /circles/."))


def check_sign_up(actor: Actor, circle: Circle) -> None:
    check_can_write(actor, "room")
    _check_open_for_signups(circle)
    if circle.host_id == actor.user.pk:
        raise PermissionDenied(_("You're hosting this circle, so your place is kept already."))


def check_cancel_signup(actor: Actor, circle: Circle, signup: CircleSignup | None) -> None:
    check_can_write(actor, "room")
    if signup is None or signup.status == Cancelled:
        raise PermissionDenied(_("You're not signed up for this circle."))


def check_join_circle_room(actor: Actor, circle: Circle) -> Room:
    """The circle's room, once open. Its places are kept for those who signed up: they (and
    the host, and site moderators) always get in; anyone else only while a place is free."""
    check_can_write(actor, "room")
    user = actor.user
    room = circle.room
    if room is None or room.status == Room.Status.SCHEDULED:
        raise PermissionDenied(
            _("The room opens %(minutes)s minutes before the circle starts. Come back then.")
            % {"minutes": settings.HAVEN_CIRCLE_OPENS_MINUTES_BEFORE}
        )
    if room.status != Room.Status.OPEN:
        raise PermissionDenied(_("This circle has ended, and its room is closed."))
    place = place_of(room, user)
    if place is not None and place.removed_at is not None:
        raise PermissionDenied(str(REMOVED_MESSAGE))
    if place is not None and place.left_at is None:
        return room
    if user.pk == circle.host_id or user.is_site_moderator:
        return room
    if CircleSignup.objects.filter(circle=circle, user_id=user.pk, status=Going).exists():
        return room
    if not has_free_place(circle, room):
        raise PermissionDenied(
            _(
                "Every place in this circle is taken by people who signed up. You can join the "
                "waiting list, or find another room at /rooms/."
            )
        )
    return room


def has_free_place(circle: Circle, room: Room) -> bool:
    """A place neither taken in the room nor kept for someone signed up who has not come yet."""
    inside = set(active_places(room).values_list("user_id", flat=True))
    kept = CircleSignup.objects.filter(circle=circle, status=Going).exclude(user_id__in=inside)
    return len(inside) + kept.count() < room.capacity


# --- Actions


def _notify(recipient_id: int, message: str, link: str) -> Notification:
    """A ROOM notification (rooms' wiring says it reads as its message and leads to its link)."""
    notification = Notification.objects.create(
        recipient_id=recipient_id, kind=Notification.Kind.ROOM, message=message[:600], link=link
    )
    send_user_event_on_commit(recipient_id, {"event": "notification"})
    return notification


def circle_link(circle: Circle) -> str:
    return reverse("rooms:circle", args=[circle.pk])


@transaction.atomic
def do_schedule_circle(
    host: User, *, title: str, topic: str, starts_at: datetime, duration_minutes: int = 60,
    size_limit: int = 12, is_anonymous: bool = False,
) -> Circle:  # fmt: skip
    """Its words pass the screening like a room's (personal data is refused)."""
    screen_member_text(f"{title}\n{topic}", surface="thread", author=host, send_for_review=True)
    return Circle.objects.create(
        host=host, title=title, topic=topic, starts_at=starts_at,
        duration_minutes=duration_minutes, size_limit=size_limit, is_anonymous=is_anonymous,
    )  # fmt: skip


def _locked(circle: Circle) -> Circle:
    """The circle's row, locked: sign-ups and cancellations count places one at a time."""
    return Circle.objects.select_for_update().get(pk=circle.pk)


@transaction.atomic
def do_sign_up(circle: Circle, user: User) -> CircleSignup:
    """A place while there is one, else the end of the waiting list. Signing up again after
    cancelling starts afresh (at the end of the list)."""
    circle = _locked(circle)
    signup = CircleSignup.objects.filter(circle=circle, user=user).first()
    if signup is not None and signup.status != Cancelled:
        return signup
    going = CircleSignup.objects.filter(circle=circle, status=Going).count()
    status = Going if going < circle.size_limit else Waiting
    if signup is None:
        return CircleSignup.objects.create(circle=circle, user=user, status=status)
    signup.status, signup.created_at, signup.reminded_at = status, timezone.now(), None
    signup.save(update_fields=["status", "created_at", "reminded_at"])
    return signup


@transaction.atomic
def do_cancel_signup(signup: CircleSignup) -> CircleSignup | None:
    """Gives up the place (or the spot in line). A place freed goes to the first one waiting,
    who is told; returns their sign-up."""
    circle = _locked(signup.circle)
    was = signup.status
    CircleSignup.objects.filter(pk=signup.pk).update(status=Cancelled)
    signup.status = Cancelled
    if was != Going:
        return None
    return _promote_next(circle)


def _promote_next(circle: Circle) -> CircleSignup | None:
    if CircleSignup.objects.filter(circle=circle, status=Going).count() >= circle.size_limit:
        return None
    nxt = circle.signups.filter(status=Waiting).order_by("created_at", "id").first()
    if nxt is None:
        return None
    CircleSignup.objects.filter(pk=nxt.pk).update(status=Going)
    nxt.status = Going
    when = _stored_when(circle.starts_at, member_zone(nxt.user))
    _notify(
        nxt.user_id,
        f"A place opened up in the sharing circle “{circle.title}” ({when}): "
        "it's yours. If you can't come after all, please cancel so someone else can.",
        circle_link(circle),
    )
    return nxt


@transaction.atomic
def do_join_circle_room(circle: Circle, user: User) -> RoomMember:
    """Joining after check_join_circle_room; the circle's host takes the host's place."""
    return do_join_room(circle.room, user, as_host=user.pk == circle.host_id)


def check_and_join_room(actor: Actor, room: Room) -> RoomMember:
    """Joining any room from its page or the API. A circle's room goes through the circle's
    rules (places kept for those who signed up, its own host), so the room's generic join
    cannot be used to skip the waiting list."""
    circle = Circle.objects.filter(room=room).first()
    if circle is not None:
        check_join_circle_room(actor, circle)
        return do_join_circle_room(circle, actor.user)
    check_join_room(actor, room, place_of(room, actor.user))
    return do_join_room(room, actor.user, as_host=can_host(actor.user))


# --- Jobs (haven.rooms.circle_tasks): each safe to run twice, or at once in two workers


def do_send_circle_reminders(now: datetime | None = None) -> int:
    """Remind each member with a place HAVEN_CIRCLE_REMINDER_MINUTES_BEFORE before the start.
    A conditional UPDATE sets reminded_at only while it is empty, in the same transaction as
    the notification: a second run, or a second worker, finds it set and sends nothing."""
    now = now or timezone.now()
    soon = now + timedelta(minutes=settings.HAVEN_CIRCLE_REMINDER_MINUTES_BEFORE)
    due = CircleSignup.objects.filter(
        status=Going, reminded_at__isnull=True, circle__cancelled_at__isnull=True,
        circle__starts_at__gt=now, circle__starts_at__lte=soon,
    ).select_related("circle", "user")  # fmt: skip
    sent = 0
    for signup in due:
        with transaction.atomic():
            claimed = CircleSignup.objects.filter(
                pk=signup.pk, status=Going, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            circle = signup.circle
            minutes = max(1, round((circle.starts_at - now).total_seconds() / 60))
            _notify(
                signup.user_id,
                f"A reminder: the sharing circle “{circle.title}” starts in "
                f"{minutes} minutes ({_stored_when(circle.starts_at, member_zone(signup.user))}"
                f"). Its room opens {settings.HAVEN_CIRCLE_OPENS_MINUTES_BEFORE} minutes "
                "before.",
                circle_link(circle),
            )
            sent += 1
    return sent


def do_open_due_circles(now: datetime | None = None) -> int:
    """Opens the room of each circle whose opening time has come (the host as its host,
    capacity = the circle's size) and tells those with a place."""
    now = now or timezone.now()
    window = now + timedelta(minutes=settings.HAVEN_CIRCLE_OPENS_MINUTES_BEFORE)
    due = Circle.objects.filter(
        cancelled_at__isnull=True, room__isnull=True, host__isnull=False,
        starts_at__lte=window, starts_at__gt=now - LONGEST,
    ).values_list("pk", flat=True)  # fmt: skip
    opened = 0
    for circle_id in list(due):
        with transaction.atomic():
            circle = (
                Circle.objects.select_for_update(of=("self",))
                .select_related("host")
                .get(pk=circle_id)
            )
            if circle.room_id is not None or ends_at(circle) <= now:
                continue
            room = do_create_room(
                circle.host, title=circle.title, topic=circle.topic, rules=str(DEFAULT_RULES),
                is_anonymous=circle.is_anonymous, capacity=circle.size_limit,
            )  # fmt: skip
            circle.room = room
            circle.save(update_fields=["room"])
            for user_id in circle.signups.filter(status=Going).values_list("user_id", flat=True):
                _notify(
                    user_id,
                    f"The room of the sharing circle “{circle.title}” is open. "
                    "Come in whenever you're ready.",
                    circle_link(circle),
                )
            opened += 1
    return opened


def do_close_finished_circles(now: datetime | None = None) -> int:
    """Closes the room of each circle that has ended."""
    now = now or timezone.now()
    rooms = Circle.objects.filter(room__status=Room.Status.OPEN, starts_at__lte=now).select_related(
        "room", "host"
    )
    closed = 0
    for circle in rooms:
        if ends_at(circle) > now:
            continue
        with transaction.atomic():
            do_close_room(circle.room, acting_user=circle.host)
        closed += 1
    return closed


@dataclass(frozen=True)
class CircleView:
    """What the circle's page and the API say to one viewer."""

    circle: Circle
    when: str
    signup: CircleSignup | None
    position: int | None
    is_host: bool
    room_open: bool
    is_full: bool


def circle_view(circle: Circle, viewer: User) -> CircleView:
    signup = signup_of(circle, viewer)
    going = getattr(circle, "going", None)
    if going is None:
        going = circle.signups.filter(status=Going).count()
    return CircleView(
        circle=circle,
        when=describe_when(circle.starts_at, member_zone(viewer)),
        signup=signup if signup is not None and signup.status != Cancelled else None,
        position=waiting_position(signup) if signup is not None else None,
        is_host=circle.host_id == viewer.pk,
        room_open=room_is_open(circle),
        is_full=going >= circle.size_limit,
    )
