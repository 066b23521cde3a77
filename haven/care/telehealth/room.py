"""When a video room is open, and what a browser needs to connect to it.

A room belongs to one booked video appointment. It opens HAVEN_ROOM_OPENS_MINUTES before the
session starts and closes HAVEN_ROOM_CLOSES_MINUTES after it ends.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from haven.care.models import Appointment, SessionFormat


class RoomStatus(StrEnum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


def has_video_room(appointment: Appointment) -> bool:
    return appointment.format == SessionFormat.VIDEO


def room_opens_at(appointment: Appointment) -> datetime:
    return appointment.starts_at - timedelta(minutes=settings.HAVEN_ROOM_OPENS_MINUTES)


def room_closes_at(appointment: Appointment) -> datetime:
    return appointment.ends_at + timedelta(minutes=settings.HAVEN_ROOM_CLOSES_MINUTES)


def room_status(appointment: Appointment, now: datetime | None = None) -> RoomStatus:
    """Cancelled and completed appointments have no open room; a booked one is open from
    shortly before it starts until a while after it ends (so a late start can finish)."""
    if appointment.status != Appointment.Status.BOOKED:
        return RoomStatus.CLOSED
    now = now or timezone.now()
    if now < room_opens_at(appointment):
        return RoomStatus.NOT_YET_OPEN
    if now >= room_closes_at(appointment):
        return RoomStatus.CLOSED
    return RoomStatus.OPEN


def ice_servers() -> list[dict]:
    """RTCPeerConnection's iceServers from settings. Without any, two browsers still connect
    on the same network; members behind NAT need STUN, and TURN (e.g. coturn) when even that
    fails."""
    servers: list[dict] = []
    if settings.HAVEN_STUN_URLS:
        servers.append({"urls": list(settings.HAVEN_STUN_URLS)})
    if settings.HAVEN_TURN_URLS:
        servers.append(
            {
                "urls": list(settings.HAVEN_TURN_URLS),
                "username": settings.HAVEN_TURN_USERNAME,
                "credential": settings.HAVEN_TURN_PASSWORD,
            }
        )
    return servers


def room_socket_path(appointment: Appointment) -> str:
    return f"/ws/care/rooms/{appointment.pk}/"
