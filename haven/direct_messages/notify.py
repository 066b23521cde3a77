"""Direct-message notifications (kind DIRECT). They name who, never the words: a request's
text stays hidden until it is accepted, and a message's text is read in the conversation.

`detail` says which: "request" (someone asks), "accepted" (your request was accepted),
"message" (new words; one unread notice per conversation at a time). Declining is quiet.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.notifications.models import Notification
from haven.notifications.realtime import send_user_event_on_commit

REQUEST = "request"
ACCEPTED = "accepted"
MESSAGE = "message"


def thread_url(thread_id: int) -> str:
    return reverse("direct_messages:thread", args=[thread_id])


def notify_direct(recipient_id: int, actor: User, thread_id: int, detail: str) -> None:
    link = thread_url(thread_id)
    if (
        detail == MESSAGE
        and Notification.objects.filter(
            recipient_id=recipient_id,
            kind=Notification.Kind.DIRECT,
            link=link,
            read_at__isnull=True,
        ).exists()
    ):
        return  # one unread notice per conversation is enough
    Notification.objects.create(
        recipient_id=recipient_id,
        kind=Notification.Kind.DIRECT,
        actor=actor,
        detail=detail,
        link=link,
    )
    send_user_event_on_commit(recipient_id, {"event": "notification"})


def mark_thread_notifications_read(user: User, thread_id: int) -> None:
    count = Notification.objects.filter(
        recipient=user,
        kind=Notification.Kind.DIRECT,
        link=thread_url(thread_id),
        read_at__isnull=True,
    ).update(read_at=timezone.now())
    if count:
        send_user_event_on_commit(user.pk, {"event": "notification"})


def notification_text(notification: Notification, actor: str) -> str:
    """Registered with notifications.display (wiring.py)."""
    if notification.detail == REQUEST:
        return _("%(actor)s would like to send you a message") % {"actor": actor}
    if notification.detail == ACCEPTED:
        return _("%(actor)s accepted your message request") % {"actor": actor}
    return _("New messages from %(actor)s") % {"actor": actor}


def notification_url(notification: Notification) -> str:
    return notification.link
