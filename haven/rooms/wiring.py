"""How support rooms plug into the apps below them, connected once every app's models have
loaded (haven.core.apps.connect_app_wiring)."""

from haven.core.content import register_moderation_target
from haven.moderation.permissions import register_report_target
from haven.notifications.display import register_notification_kind
from haven.notifications.models import Notification
from haven.rooms.actions import set_room_message_state
from haven.rooms.models import RoomMessage
from haven.rooms.permissions import access_room_message_by_id


def connect() -> None:
    # A member of a room can report a message in it (moderation's report targets).
    register_report_target("room_message", access_room_message_by_id)
    # A moderator approving or removing a room message changes it through rooms: an approved
    # held message reaches the room live; a removed one leaves every open page.
    register_moderation_target(RoomMessage, set_room_message_state)
    # Room notifications (a mention, a host's alert) carry their own words and link.
    register_notification_kind(
        Notification.Kind.ROOM,
        text=lambda notification, actor: notification.message,
        url=lambda notification: notification.link,
    )
