"""Words for a notification, with the actor shown only as the viewer may see them.

Kinds whose words depend on the app that sends them (a reaction's name, a follow that waits
for approval) are described by that app, registered in its wiring.py with
`register_notification_kind`: notifications sit below forums and updates and import neither.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext

from haven.core.content import ANONYMOUS_LABEL, DELETED_LABEL, MODERATOR_LABEL
from haven.notifications.models import Notification

# (notification, actor label) -> words; notification -> address, or "" for the default.
KindText = Callable[[Notification, str], str]
KindUrl = Callable[[Notification], str]
_kind_texts: dict[str, KindText] = {}
_kind_urls: dict[str, KindUrl] = {}


def register_notification_kind(
    kind: str, *, text: KindText | None = None, url: KindUrl | None = None
) -> None:
    if text is not None:
        _kind_texts[kind] = text
    if url is not None:
        _kind_urls[kind] = url


def actor_label(notification: Notification) -> str:
    if notification.actor_is_anonymous:
        return gettext(ANONYMOUS_LABEL)
    if notification.post_id and notification.post.posted_as_moderator:
        return gettext(MODERATOR_LABEL)  # a reply as Haven moderator never names the moderator
    if notification.actor is None:
        return gettext(DELETED_LABEL)
    return notification.actor.pseudonym


def notification_text(notification: Notification) -> str:
    actor = actor_label(notification)
    if notification.kind in _kind_texts:
        return _kind_texts[notification.kind](notification, actor)
    if notification.kind == Notification.Kind.REPLY:
        return gettext("%(actor)s replied in “%(title)s”") % {
            "actor": actor,
            "title": notification.thread.title,
        }
    if notification.kind == Notification.Kind.URGENT:
        return gettext("Urgent: %(message)s") % {"message": notification.message}
    if notification.kind == Notification.Kind.MODERATION:
        return notification.message  # a moderator's own words
    if notification.kind in (
        Notification.Kind.CHAT,
        Notification.Kind.REMINDER,
        Notification.Kind.CARE,
    ):
        # Words Haven wrote, stored in English: those marked for translation (gettext_noop
        # where they are made) are read in the viewer's language, any other as stored.
        return gettext(notification.message) if notification.message else ""
    return gettext("%(actor)s started following you") % {"actor": actor}


def notification_url(notification: Notification) -> str:
    if notification.kind == Notification.Kind.URGENT:
        return notification.link or reverse("moderation:queue") + "?kind=urgent"
    if notification.kind == Notification.Kind.CARE:
        return notification.link
    if notification.kind == Notification.Kind.MODERATION and notification.link:
        return notification.link  # a moderator's check-in
    if notification.kind == Notification.Kind.REMINDER:
        return reverse("wellness:check_in")
    if notification.kind == Notification.Kind.CHAT and notification.conversation_id:
        return reverse("chat:conversation", args=[notification.conversation_id])
    if notification.kind == Notification.Kind.MODERATION and notification.detail == "removed":
        if notification.post_id:
            return reverse("moderation:appeal_post", args=[notification.post.public_id])
        if notification.update_id:
            return reverse("moderation:appeal_update", args=[notification.update.public_id])
    if notification.thread_id:
        url = notification.thread.get_absolute_url()
        return f"{url}#post-{notification.post.public_id}" if notification.post_id else url
    if notification.kind in _kind_urls and (url := _kind_urls[notification.kind](notification)):
        return url
    if notification.actor is not None and notification.kind == Notification.Kind.FOLLOW:
        return reverse("accounts:profile", args=[notification.actor.pseudonym])
    return ""
