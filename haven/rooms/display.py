"""How members appear in a room: by pseudonym, or in an anonymous room by the room's own name
for them ("Guest 7"); hosts with a badge. Nothing here ever shows a member's internal id: a
member is referred to by their place in the room (RoomMember id), which means nothing outside it.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from haven.core.content import DELETED_LABEL, ModerationState
from haven.rooms.models import Room, RoomMember, RoomMessage

COLLAPSED_LABEL = gettext_lazy("A message from someone you blocked")


@dataclass(frozen=True)
class Name:
    name: str
    host: bool
    member: int | None  # the place id, for host tools


def _unknown() -> Name:
    """The writer whose account is gone (a real str: names travel in JSON frames)."""
    return Name(str(DELETED_LABEL), False, None)


def place_name(room: Room, place: RoomMember) -> str:
    if room.is_anonymous:
        return place.alias or gettext("Guest")
    return place.user.pseudonym


def names_in(room: Room) -> dict[int, Name]:
    """Every member who ever had a place in the room, by user id (one query)."""
    places = room.members.select_related("user") if not room.is_anonymous else room.members.all()
    return {
        place.user_id: Name(place_name(room, place), place.role == RoomMember.Role.HOST, place.pk)
        for place in places
    }


def message_fields(message: RoomMessage, name: Name) -> dict[str, Any]:
    """A message as the server passes it around (history, acks, channel-layer events).
    `author_id` stays on the server: each consumer turns it into `mine` and `collapsed`."""
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "author_id": message.author_id,
        "author": name.name,
        "host": name.host,
        "member": name.member,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "held": message.moderation_state == ModerationState.HELD,
        "erased": message.body == "",
    }


def frame_for(fields: dict[str, Any], viewer_id: int, blocked_ids: set[int]) -> dict[str, Any]:
    """What one member's client receives of a message: no ids of members, safety labels never
    (a crisis is answered privately, not labelled in front of the room)."""
    frame = {key: value for key, value in fields.items() if key not in ("type", "author_id")}
    frame["mine"] = fields["author_id"] == viewer_id
    frame["collapsed"] = fields["author_id"] in blocked_ids
    return frame


@dataclass
class ShownMessage:
    """A message on the room page: its writer's name, and whether the viewer blocked them."""

    message: RoomMessage
    name: Name
    mine: bool
    collapsed: bool

    @property
    def held(self) -> bool:
        return self.message.moderation_state == ModerationState.HELD


def shown_messages(
    room: Room, messages: list[RoomMessage], names: dict[int, Name], viewer_id: int,
    blocked_ids: set[int],
) -> list[ShownMessage]:  # fmt: skip
    return [
        ShownMessage(
            message=m,
            name=names.get(m.author_id) or _unknown() if m.author_id else _unknown(),
            mine=m.author_id == viewer_id,
            collapsed=m.author_id in blocked_ids,
        )
        for m in messages
    ]


def pinned_fields(room: Room, message: RoomMessage | None) -> dict[str, Any] | None:
    """The pinned message as every member sees it at the top of the room."""
    if message is None or message.moderation_state != ModerationState.VISIBLE:
        return None
    name = names_in(room).get(message.author_id) if message.author_id else None
    name = name or _unknown()
    return {"id": message.pk, "author": name.name, "host": name.host, "body": message.body}
