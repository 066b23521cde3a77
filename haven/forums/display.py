"""How forums' notifications read (registered with haven.notifications.display)."""

from haven.forums.models import Reaction
from haven.notifications.models import Notification


def reaction_text(notification: Notification, actor: str) -> str:
    label = Reaction.Kind(notification.detail).label.lower() if notification.detail else ""
    return f"{actor} sent you a “{label}” on “{notification.thread.title}”"
