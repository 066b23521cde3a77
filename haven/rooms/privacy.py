"""A member's support rooms and sharing circles in their data export and account deletion
(haven.accounts.personal_data).

The export holds the member's own side: the rooms they joined (as the room named them), what
they wrote there, the circles they hosted and signed up for. Other members' words are not
theirs to take, so a room's transcript is not exported.
"""

from typing import Any

from haven.accounts.models import User
from haven.rooms.actions import do_erase_rooms_of
from haven.rooms.models import Circle, CircleSignup, RoomMember, RoomMessage

PERSONAL_DATA = {
    "rooms.Room.created_by": "exported as support_rooms (you opened it); set empty",
    "rooms.RoomMember.user": "exported as support_rooms; deleted with the account",
    "rooms.RoomMessage.author": "exported as support_room_messages; erased when the member asks",
    "rooms.Circle.host": "exported as sharing_circles_hosted; set empty",
    "rooms.CircleSignup.user": "exported as sharing_circle_signups; deleted with the account",
}


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user: User) -> dict[str, Any]:
    places = RoomMember.objects.filter(user=user).select_related("room").order_by("joined_at")
    return {
        "support_rooms": [
            {
                "room": place.room.title,
                "you_opened_it": place.room.created_by_id == user.pk,
                "role": place.role,
                "name_in_room": place.alias or user.pseudonym,
                "joined_at": _when(place.joined_at),
                "left_at": _when(place.left_at),
            }
            for place in places
        ],
        "support_room_messages": [
            {"room": message.room.title, "body": message.body, "sent_at": _when(message.created_at)}
            for message in RoomMessage.objects.filter(author=user)
            .select_related("room")
            .order_by("id")
        ],
        "sharing_circles_hosted": [
            {"title": circle.title, "topic": circle.topic, "starts_at": _when(circle.starts_at)}
            for circle in Circle.objects.filter(host=user).order_by("starts_at")
        ],
        "sharing_circle_signups": [
            {
                "circle": signup.circle.title,
                "status": signup.status,
                "starts_at": _when(signup.circle.starts_at),
            }
            for signup in CircleSignup.objects.filter(user=user).select_related("circle")
        ],
    }


def erase(user: User, *, erase_content: bool) -> None:
    # Places and sign-ups go with the account (cascade); words only when the member asks.
    do_erase_rooms_of(user, erase_content)
