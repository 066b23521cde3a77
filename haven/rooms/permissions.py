"""Who may do what in support rooms, whatever the way in (page, API, socket).

A room is found by any signed-in member (they are listed on /rooms/); its messages are read only
by members who confirmed its rules and joined, and never again by someone a host removed.
Hosting is for trained listeners who reached the trust level for it, and for site moderators.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from haven.accounts.actors import Actor
from haven.accounts.gates import WriteRefused, check_can_write
from haven.accounts.models import User
from haven.accounts.trust import check_capability, has_capability
from haven.chat.models import ListenerProfile
from haven.core.content import ModerationState
from haven.moderation.permissions import check_report
from haven.rooms.models import Room, RoomMember, RoomMessage

# Lazy: str() them when raising, so each member reads them in their own language.
HOST_TRAINING_MESSAGE = gettext_lazy(
    "Hosting a support room is for trained listeners. If you'd like to host, the listener "
    "training at /listen/ is the place to start."
)
REMOVED_MESSAGE = gettext_lazy(
    "A host asked you to leave this room, so you can't join it again. Other rooms are open to "
    "you at /rooms/, and “Talk to someone now” is always there."
)
JOIN_FIRST_MESSAGE = gettext_lazy("Please read the room's rules and join it first.")


def _local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


class SlowMode(WriteRefused):
    """A member wrote again sooner than the room's slow mode allows: kindly told when."""

    code = "slow_mode"

    def __init__(self, wait_seconds: int) -> None:
        self.retry_after = max(1, wait_seconds)
        super().__init__(
            ngettext(
                "This room is in slow mode so everyone can keep up. You can send your next "
                "message in %(count)s second; what you wrote is still in the box.",
                "This room is in slow mode so everyone can keep up. You can send your next "
                "message in %(count)s seconds; what you wrote is still in the box.",
                self.retry_after,
            )
            % {"count": self.retry_after}
        )


def is_trained_listener(user: User) -> bool:
    return ListenerProfile.objects.filter(
        user_id=user.pk, status=ListenerProfile.Status.LISTENER
    ).exists()


def can_host(user: User) -> bool:
    """Site moderators; or trained listeners with the trust level for hosting."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_site_moderator:
        return True
    return is_trained_listener(user) and has_capability(user, "host_rooms")


def check_can_host(actor: Actor) -> None:
    """Starting a room: training first, then the trust level. Its title and topic are words
    for others, so a moderator's mute pauses it ("room_start")."""
    check_can_write(actor, "room_start")
    user = actor.user
    if user.is_site_moderator:
        return
    if not is_trained_listener(user):
        raise PermissionDenied(str(HOST_TRAINING_MESSAGE))
    check_capability(user, "host_rooms")


def access_room_by_id(user: User, room_id: int) -> Room:
    """Any signed-in member may find a room (the list shows them all); a room waiting for its
    circle is not open yet, and is not found before then."""
    room = Room.objects.select_related("community").filter(pk=room_id).first()
    if room is None or not user.is_authenticated or room.status == Room.Status.SCHEDULED:
        raise Http404("No such room.")
    return room


def place_of(room: Room, user: User) -> RoomMember | None:
    return RoomMember.objects.filter(room=room, user_id=user.pk).first()


def is_host_place(place: RoomMember | None) -> bool:
    return place is not None and place.role == RoomMember.Role.HOST and place.removed_at is None


def access_room_as_member(user: User, room_id: int) -> tuple[Room, RoomMember]:
    """A room and the member's place in it, for reading it and writing in it (socket, API).
    Someone a host removed is refused, and so is someone who has not confirmed the rules."""
    room = access_room_by_id(user, room_id)
    place = place_of(room, user)
    if place is not None and place.removed_at is not None:
        raise PermissionDenied(str(REMOVED_MESSAGE))
    if place is None or place.left_at is not None:
        raise PermissionDenied(str(JOIN_FIRST_MESSAGE))
    return room, place


def active_places(room: Room):
    return room.members.filter(left_at__isnull=True, removed_at__isnull=True)


def check_join_room(actor: Actor, room: Room, place: RoomMember | None) -> None:
    check_can_write(actor, "room")
    if place is not None and place.removed_at is not None:
        raise PermissionDenied(str(REMOVED_MESSAGE))
    if room.status != Room.Status.OPEN:
        raise PermissionDenied(_("This room is closed. Other rooms are open at /rooms/."))
    already_in = place is not None and place.left_at is None
    full = not already_in and active_places(room).count() >= room.capacity
    if full and not can_host(actor.user):  # a host is let in to a full room to help
        raise PermissionDenied(
            _("This room is full right now. Please try another room, or come back soon.")
        )


def check_leave_room(actor: Actor) -> None:
    check_can_write(actor, "room")


def check_send_room_message(actor: Actor, room: Room, place: RoomMember, now=None) -> None:
    """Writing in a room: the write gate, then the room's own rules (a host's pause, slow
    mode). Hosts set the pace and are never slowed down."""
    check_can_write(actor, "room_message")
    if place.removed_at is not None:
        raise PermissionDenied(str(REMOVED_MESSAGE))
    if room.status != Room.Status.OPEN:
        raise PermissionDenied(_("This room is closed, so nothing more can be written here."))
    now = now or timezone.now()
    if place.muted_until is not None and place.muted_until > now:
        raise WriteRefused(
            _(
                "A host has paused your messages in this room until %(time)s. You can still "
                "read along. If you need someone right now, “Talk to someone now” is "
                "always there."
            )
            % {"time": _local_time(place.muted_until)},
            code="muted",
        )
    if is_host_place(place) or not room.slow_mode_seconds or place.last_message_at is None:
        return
    waited = (now - place.last_message_at).total_seconds()
    if waited < room.slow_mode_seconds:
        raise SlowMode(int(room.slow_mode_seconds - waited + 0.999))


def check_host_action(actor: Actor, room: Room, place: RoomMember | None) -> None:
    """Host tools: the room's hosts (still able to host) and site moderators."""
    check_can_write(actor, "room")
    user = actor.user
    if user.is_site_moderator:
        return
    if not is_host_place(place) or not can_host(user):
        raise PermissionDenied(_("Only the room's hosts can do that."))


def check_act_on_member(
    actor: Actor, room: Room, place: RoomMember | None, target: RoomMember
) -> None:
    """Muting or removing: never oneself; another host only by a site moderator."""
    check_host_action(actor, room, place)
    if target.user_id == actor.user.pk:
        raise PermissionDenied(_("You can't do that to yourself."))
    if target.role == RoomMember.Role.HOST and not actor.user.is_site_moderator:
        raise PermissionDenied(_("Hosts can't mute or remove another host; a moderator can."))


def access_place_in_room(room: Room, place_id: int) -> RoomMember:
    target = room.members.select_related("user").filter(pk=place_id).first()
    if target is None:
        raise Http404("No such member in this room.")
    return target


def access_message_in_room(room: Room, message_id: int, viewer: User) -> RoomMessage:
    """A message of this room its members can see (their own even while held)."""
    message = room.messages.filter(pk=message_id).first()
    if message is None:
        raise Http404("No such message.")
    if message.moderation_state != ModerationState.VISIBLE and message.author_id != viewer.pk:
        raise Http404("No such message.")
    return message


def access_room_message_by_id(user: User, message_id: int) -> RoomMessage:
    """For reports (moderation's report targets): only a member of the message's room."""
    message = RoomMessage.objects.select_related("room").filter(pk=message_id).first()
    if message is None or not user.is_authenticated:
        raise Http404("No such message.")
    try:
        access_room_as_member(user, message.room_id)
    except PermissionDenied:
        raise Http404("No such message.") from None
    return access_message_in_room(message.room, message_id, user)


def check_report_room_message(actor: Actor, message: RoomMessage) -> None:
    check_report(actor)
    if message.author_id == actor.user.pk:
        raise PermissionDenied(_("You can't report your own message."))
