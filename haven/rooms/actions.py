"""Every change in support rooms. Pages, the API and the room socket all call these; the
checks (haven.rooms.permissions) come first, in the caller."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from haven.accounts.blocks import ids_blocking_or_blocked
from haven.accounts.models import User
from haven.communities.rules import WatchedWordsRefused, apply_watched_words
from haven.core.content import ModerationState
from haven.core.language import language_of
from haven.core.metrics import count_message
from haven.moderation.actions import (
    do_file_room_message_item,
    do_report_room_message,
    record_audit,
)
from haven.moderation.models import QueueItem, QueueKind, Report
from haven.notifications.models import Notification
from haven.notifications.realtime import send_user_event_on_commit
from haven.rooms import events
from haven.rooms.display import Name, message_fields, names_in, pinned_fields, place_name
from haven.rooms.models import Room, RoomMember, RoomMessage
from haven.safety.screening import screen_member_text

MUTE_MINUTES = (5, 15, 30, 60)
SLOW_MODE_SECONDS = (0, 10, 30, 60, 120)


# --- Rooms and places


@transaction.atomic
def do_create_room(
    host: User, *, title: str, topic: str, rules: str = "", is_anonymous: bool = False,
    community=None, capacity: int = 25, slow_mode_seconds: int = 0,
) -> Room:  # fmt: skip
    """A host opens a room and is its first member (as host). Its words pass the screening
    like any public words (personal data is refused)."""
    screen_member_text(
        "\n".join(filter(None, [title, topic, rules])), surface="thread", author=host,
        send_for_review=True,
    )  # fmt: skip
    room = Room.objects.create(
        title=title, topic=topic, rules=rules, is_anonymous=is_anonymous, community=community,
        created_by=host, capacity=capacity, slow_mode_seconds=slow_mode_seconds,
    )  # fmt: skip
    do_join_room(room, host, as_host=True)
    record_audit(host, "room_open", target_kind="room", target_id=room.pk, community=community)
    return room


def guest_name(room: Room, number: int) -> str:
    """An anonymous room's name for a member ("Guest 7"), in the room's language: its
    community's, else its opener's. Everyone in the room sees the same name, as with a
    pseudonym, so it is written once, not in each reader's language."""
    language = room.community.language if room.community_id else language_of(room.created_by)
    with translation.override(language):
        return gettext("Guest %(number)d") % {"number": number}


@transaction.atomic
def do_join_room(room: Room, user: User, *, as_host: bool = False) -> RoomMember:
    """The member confirmed the room's rules and takes a place (again, after leaving). In an
    anonymous room the place gets the room's next guest name, kept for the room's life."""
    Room.objects.select_for_update().filter(pk=room.pk).first()  # one numbering at a time
    place = RoomMember.objects.filter(room=room, user=user).first()
    role = RoomMember.Role.HOST if as_host else RoomMember.Role.MEMBER
    if place is None:
        number = RoomMember.objects.filter(room=room).count() + 1
        place = RoomMember.objects.create(
            room=room,
            user=user,
            role=role,
            alias=guest_name(room, number) if room.is_anonymous else "",
        )
    else:
        place.left_at = None
        if as_host:
            place.role = RoomMember.Role.HOST
        place.save(update_fields=["left_at", "role"])
    events.send_room_event_on_commit(room.pk, {"type": "room.members_changed"})
    return place


@transaction.atomic
def do_leave_room(place: RoomMember) -> None:
    RoomMember.objects.filter(pk=place.pk, left_at__isnull=True).update(left_at=timezone.now())
    events.send_room_event_on_commit(place.room_id, {"type": "room.members_changed"})


# --- Messages


@dataclass(frozen=True)
class Sent:
    message: RoomMessage
    created: bool
    # The writer's words suggest crisis: they get the support panel, privately.
    crisis: bool
    # Waiting for a moderator (the screening or the community's watched words held it).
    held: bool


def stored_message(room: Room, author: User, client_id: str) -> RoomMessage | None:
    """A message already stored under this client_id: a retry is answered with it (before any
    check, so a retry after slow mode began or a pause is still answered, never refused)."""
    return RoomMessage.objects.filter(room=room, author=author, client_id=client_id).first()


def answer_retry(room: Room, message: RoomMessage, *, announce: bool = True) -> Sent:
    """The first push may never have happened (the sender retries because something failed):
    push again unless it is known to have gone out. Clients de-duplicate by id."""
    visible = message.moderation_state == ModerationState.VISIBLE
    if announce and visible and not events.was_pushed_sync(message.pk):
        _announce(room, message)
    return Sent(
        message, created=False, crisis="crisis" in message.safety_labels,
        held=message.moderation_state == ModerationState.HELD,
    )  # fmt: skip


def message_event(room: Room, message: RoomMessage, name: Name | None = None) -> dict:
    if name is None:
        name = names_in(room).get(message.author_id) or Name("", False, None)
    return {"type": "room.message", **message_fields(message, name)}


def _announce(room: Room, message: RoomMessage) -> None:
    events.send_message_on_commit(room.pk, message.pk, message_event(room, message))


ROOM_ACTIVITY_GRAIN = timedelta(seconds=5)


@transaction.atomic
def do_send_room_message(
    room: Room, place: RoomMember, *, body: str, client_id: str, send_for_review: bool = False,
    announce: bool = True,
) -> Sent:  # fmt: skip
    """Stores the message before anyone is told of it. A retry with the same client_id returns
    the stored message (Sent.created False): nothing is stored or sent twice.

    Crisis words are not labelled in front of the room: the writer is answered privately (the
    caller shows the support panel), the room's hosts get a private alert and a notification,
    and an urgent queue item is filed. announce=False leaves the push of the message itself to
    the caller (the socket, from its own event loop once this has committed)."""
    author = place.user
    verdict = screen_member_text(
        body, surface="room_message", author=author, send_for_review=send_for_review
    )
    # The community's watched words (site-wide ones in a room of no community).
    rules = apply_watched_words(body, community=room.community, surface="room_message")
    if rules.refused:
        raise WatchedWordsRefused(rules.refused)
    held = verdict.decision.hold or rules.hold
    labels = sorted(verdict.labels - {"personal_data"})
    now = timezone.now()
    try:
        with transaction.atomic():
            message = RoomMessage.objects.create(
                room=room, author=author, client_id=client_id,
                body=rules.text, created_at=now,
                moderation_state=ModerationState.HELD if held else ModerationState.VISIBLE,
                safety_labels=labels,
            )  # fmt: skip
    except IntegrityError:  # a retry of a message already stored (two at once)
        return answer_retry(room, stored_message(room, author, client_id), announce=announce)
    transaction.on_commit(lambda: count_message("room"))
    RoomMember.objects.filter(pk=place.pk).update(last_message_at=now)
    # The room's own time orders the room list: to the nearest few seconds is enough, and a
    # busy room's messages then do not all wait on its one row.
    Room.objects.filter(pk=room.pk).filter(
        Q(last_message_at__isnull=True) | Q(last_message_at__lt=now - ROOM_ACTIVITY_GRAIN)
    ).update(last_message_at=now)
    crisis = "crisis" in verdict.labels
    if crisis:
        do_file_room_message_item(
            message, kind=QueueKind.URGENT, labels=labels, scores=verdict.scores,
            community=room.community, notify_moderators=verdict.decision.notify_moderators,
        )  # fmt: skip
        _alert_hosts(room, place, message)
    elif verdict.decision.queue is not None:
        do_file_room_message_item(
            message, kind=QueueKind.FLAGGED, labels=labels, scores=verdict.scores,
            community=room.community,
        )  # fmt: skip
    if rules.flagged or rules.hold:
        do_file_room_message_item(
            message, kind=QueueKind.FLAGGED, labels=sorted({*labels, *rules.flagged}),
            community=room.community,
        )  # fmt: skip
    if not held:
        _notify_mentions(room, place, message)
        if announce:
            _announce(room, message)
    return Sent(message, created=True, crisis=crisis, held=held)


def _alert_hosts(room: Room, writer: RoomMember, message: RoomMessage) -> None:
    """The room's hosts (not the writer) are told privately: a live alert on the room page and
    a notification that leads there. Members see nothing of it."""
    hosts = list(
        RoomMember.objects.filter(room=room, role=RoomMember.Role.HOST, removed_at__isnull=True)
        .exclude(user_id=writer.user_id)
        .values_list("user_id", flat=True)
    )
    name = place_name(room, writer)
    for host_id in hosts:
        _notify_room(
            host_id,
            f"{name} may be struggling in “{room.title}”. The moderators have been told; "
            "a kind word in the room can help.",
            room,
        )
    events.send_room_event_on_commit(
        room.pk,
        {"type": "room.crisis_alert", "message_id": message.pk, "author": name,
         "host_ids": hosts},
    )  # fmt: skip


def _notify_room(recipient_id: int, message: str, room: Room) -> None:
    Notification.objects.create(
        recipient_id=recipient_id, kind=Notification.Kind.ROOM, message=message[:600],
        link=reverse("rooms:room", args=[room.pk]),
    )  # fmt: skip
    send_user_event_on_commit(recipient_id, {"event": "notification"})


def _notify_mentions(room: Room, writer: RoomMember, message: RoomMessage) -> None:
    """ "@name" tells that member, unless either of the two blocked the other (a block stops
    either reaching the other), and never the writer themself."""
    if "@" not in message.body:
        return
    places = room.members.filter(removed_at__isnull=True).exclude(user_id=writer.user_id)
    if not room.is_anonymous:
        places = places.select_related("user")
    unreachable = ids_blocking_or_blocked(writer.user)
    writer_name = place_name(room, writer)
    body = message.body.casefold()
    for place in places:
        name = place_name(room, place)
        mentioned = re.search(rf"@{re.escape(name.casefold())}(?![\w-])", body)
        if mentioned and place.user_id not in unreachable:
            _notify_room(place.user_id, f"{writer_name} mentioned you in “{room.title}”.", room)


def visible_messages(room: Room, viewer: User, after: int = 0):
    """What a member sees: every delivered message, plus their own held ones."""
    return room.messages.filter(id__gt=after).filter(
        Q(moderation_state=ModerationState.VISIBLE) | Q(author_id=viewer.pk)
    )


# --- Host tools: each audited and pushed live to everyone in the room


def _host_event(room: Room, action: str, **fields) -> None:
    events.send_room_event_on_commit(
        room.pk, {"type": "room.host_action", "action": action, **fields}
    )


@transaction.atomic
def do_mute_member(room: Room, target: RoomMember, *, minutes: int, acting_user: User) -> None:
    """A pause on the member's messages in this room (0 minutes lifts it)."""
    until = timezone.now() + timedelta(minutes=minutes) if minutes else None
    RoomMember.objects.filter(pk=target.pk).update(muted_until=until)
    record_audit(
        acting_user, "room_mute" if minutes else "room_unmute", target_kind="room_member",
        target_id=target.pk, community=room.community,
        details={"room": room.pk, "minutes": minutes},
    )  # fmt: skip
    _host_event(
        room, "mute" if minutes else "unmute", member=target.pk, name=place_name(room, target),
        until=until.isoformat() if until else None,
    )  # fmt: skip


@transaction.atomic
def do_remove_member(
    room: Room, target: RoomMember, *, acting_user: User, reason: str = ""
) -> None:
    """The member leaves the room and cannot join it again; their open sockets close."""
    now = timezone.now()
    RoomMember.objects.filter(pk=target.pk).update(removed_at=now, left_at=now)
    record_audit(
        acting_user, "room_remove", target_kind="room_member", target_id=target.pk,
        community=room.community, reason=reason, details={"room": room.pk},
    )  # fmt: skip
    _host_event(room, "remove", member=target.pk, name=place_name(room, target))


@transaction.atomic
def do_set_slow_mode(room: Room, *, seconds: int, acting_user: User) -> None:
    Room.objects.filter(pk=room.pk).update(slow_mode_seconds=seconds)
    room.slow_mode_seconds = seconds
    record_audit(
        acting_user, "room_slow_mode", target_kind="room", target_id=room.pk,
        community=room.community, details={"seconds": seconds},
    )  # fmt: skip
    _host_event(room, "slow_mode", seconds=seconds)


@transaction.atomic
def do_pin_message(room: Room, message: RoomMessage | None, *, acting_user: User) -> None:
    """Pins a message at the top of the room (None takes the pin down)."""
    Room.objects.filter(pk=room.pk).update(pinned_message=message)
    room.pinned_message = message
    record_audit(
        acting_user, "room_pin" if message else "room_unpin", target_kind="room",
        target_id=room.pk, community=room.community,
        details={"message": message.pk if message else None},
    )  # fmt: skip
    _host_event(room, "pin", message=pinned_fields(room, message))


@transaction.atomic
def do_close_room(room: Room, *, acting_user: User) -> None:
    Room.objects.filter(pk=room.pk).update(status=Room.Status.CLOSED)
    room.status = Room.Status.CLOSED
    record_audit(
        acting_user, "room_close", target_kind="room", target_id=room.pk, community=room.community
    )
    _host_event(room, "close")


# --- Reports


@transaction.atomic
def do_report_message(
    reporter: User, message: RoomMessage, *, reason: str, details: str = ""
) -> Report:
    return do_report_room_message(
        reporter, message, reason=reason, details=details, community=message.room.community
    )


# --- Moderators' decisions (moderation calls this through core's moderation targets)


def set_room_message_state(message: RoomMessage, state: str, reason: str = "") -> None:
    """A held message a moderator approves reaches the room now; a removed one leaves it."""
    was = message.moderation_state
    RoomMessage.objects.filter(pk=message.pk).update(moderation_state=state)
    message.moderation_state = state
    room = message.room
    if state == ModerationState.VISIBLE and was != ModerationState.VISIBLE:
        _announce(room, message)
    elif state == ModerationState.REMOVED:
        if room.pinned_message_id == message.pk:
            Room.objects.filter(pk=room.pk).update(pinned_message=None)
        events.send_room_event_on_commit(
            room.pk, {"type": "room.message_removed", "message_id": message.pk}
        )


# --- Keeping transcripts only so long


def delete_old_transcripts(now=None) -> int:
    """Deletes room messages older than HAVEN_ROOM_TRANSCRIPT_DAYS, except those an open
    moderation item still needs. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HAVEN_ROOM_TRANSCRIPT_DAYS)
    still_needed = QueueItem.objects.filter(
        status=QueueItem.Status.OPEN, room_message__isnull=False
    ).values("room_message_id")
    deleted, _ = (
        RoomMessage.objects.filter(created_at__lt=cutoff).exclude(pk__in=still_needed).delete()
    )
    return deleted


# --- When an account goes (haven.accounts.erasure runs this inside do_delete_account)


@transaction.atomic
def do_erase_rooms_of(user: User, erase_content: bool) -> None:
    """The member's places go with the account (cascade); with erase_content, the words they
    wrote in rooms are erased too (the room keeps "erased" in their place)."""
    if erase_content:
        RoomMessage.objects.filter(author=user).update(body="", safety_labels=[])
