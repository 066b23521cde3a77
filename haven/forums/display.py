"""How forums' notifications read (registered with haven.notifications.display)."""

from django.utils.translation import gettext

from haven.forums.models import Reaction
from haven.notifications.models import Notification


def reaction_text(notification: Notification, actor: str) -> str:
    label = str(Reaction.Kind(notification.detail).label).lower() if notification.detail else ""
    return gettext("%(actor)s sent you a “%(reaction)s” on “%(title)s”") % {
        "actor": actor,
        "reaction": label,
        "title": notification.thread.title,
    }
