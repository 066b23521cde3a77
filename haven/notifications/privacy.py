"""A member's notifications in their data export (haven.accounts.personal_data), in the words they
were shown: anonymous actors stay anonymous."""

from typing import Any

from haven.accounts.models import User
from haven.notifications.display import notification_text
from haven.notifications.models import Notification


def notifications_export(user: User) -> list[dict[str, Any]]:
    notifications = (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "thread")
        .order_by("created_at", "id")
    )
    return [
        {
            "kind": notification.kind,
            "text": notification_text(notification),
            "created_at": notification.created_at.isoformat(),
            "read_at": notification.read_at.isoformat() if notification.read_at else None,
        }
        for notification in notifications
    ]


PERSONAL_DATA = {
    "notifications.Notification.recipient": "exported as notifications; deleted",
    "notifications.Notification.actor": "someone else's notification: not exported; set empty",
}


def export(user: User) -> dict[str, Any]:
    return {"notifications": notifications_export(user)}


def erase(user: User, *, erase_content: bool) -> None:
    """Notifications go with the account."""
