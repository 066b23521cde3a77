"""Reads for the rooms pages, the API and the socket: the list of open rooms with who is in
them, a room's member list and who has it open now. Members appear only by the names the room
shows (haven.rooms.display), never by id."""

from dataclasses import dataclass

from django.utils import timezone

from haven.rooms import presence
from haven.rooms.display import place_name
from haven.rooms.models import Room, RoomMember


@dataclass(frozen=True)
class ListedRoom:
    room: Room
    members: int  # with a place in the room now
    present: int  # with the room open now
    hosts_present: list[str]


def open_rooms() -> list[ListedRoom]:
    """Open rooms, liveliest first, each with its counts: three queries and one cache read
    whatever the number of rooms."""
    rooms = list(
        Room.objects.filter(status=Room.Status.OPEN)
        .select_related("community")
        .order_by("-last_message_at", "-id")[:100]
    )
    places = list(
        RoomMember.objects.filter(
            room__in=rooms, left_at__isnull=True, removed_at__isnull=True
        ).select_related("user")
    )
    here = presence.present_ids([(p.room_id, p.user_id) for p in places])
    by_room = {room.pk: room for room in rooms}
    listed = []
    for room in rooms:
        mine = [p for p in places if p.room_id == room.pk]
        present = [p for p in mine if (room.pk, p.user_id) in here]
        listed.append(
            ListedRoom(
                room=room,
                members=len(mine),
                present=len(present),
                hosts_present=[
                    place_name(by_room[p.room_id], p)
                    for p in present
                    if p.role == RoomMember.Role.HOST
                ],
            )
        )
    return listed


@dataclass(frozen=True)
class ListedMember:
    member: int  # the place id
    name: str
    host: bool
    present: bool
    muted: bool


def room_members(room: Room, now=None) -> list[ListedMember]:
    """Who has a place in the room, hosts first: names only (aliases in an anonymous room)."""
    now = now or timezone.now()
    places = list(
        room.members.filter(left_at__isnull=True, removed_at__isnull=True)
        .select_related("user")
        .order_by("joined_at", "id")
    )
    here = presence.present_ids([(room.pk, p.user_id) for p in places])
    listed = [
        ListedMember(
            member=p.pk,
            name=place_name(room, p),
            host=p.role == RoomMember.Role.HOST,
            present=(room.pk, p.user_id) in here,
            muted=p.muted_until is not None and p.muted_until > now,
        )
        for p in places
    ]
    return sorted(listed, key=lambda m: (not m.host, not m.present))


def present_members(room: Room) -> list[dict]:
    """For the socket's presence frames: who has the room open now."""
    return [
        {"member": m.member, "name": m.name, "host": m.host}
        for m in room_members(room)
        if m.present
    ]
