"""How updates' notifications read (registered with haven.notifications.display): a follow
that waits for the member's approval says so and leads to their followers page."""

from django.urls import reverse
from django.utils.translation import gettext

from haven.notifications.models import Notification
from haven.updates.models import Follow, FollowStatus


def _is_follow_request(notification: Notification) -> bool:
    return notification.actor_id is not None and (
        Follow.objects.filter(
            follower_id=notification.actor_id,
            followed_id=notification.recipient_id,
            status=FollowStatus.PENDING,
        ).exists()
    )


def follow_text(notification: Notification, actor: str) -> str:
    if _is_follow_request(notification):
        return gettext(
            "%(actor)s asked to follow you: approve or decline on your followers page"
        ) % {"actor": actor}
    return gettext("%(actor)s started following you") % {"actor": actor}


def follow_url(notification: Notification) -> str:
    return reverse("updates:followers") if _is_follow_request(notification) else ""


def update_reply_text(notification: Notification, actor: str) -> str:
    return gettext("%(actor)s replied to your update") % {"actor": actor}


def update_reply_url(notification: Notification) -> str:
    """The author's own update on the feed, at the reply (its public id is the detail)."""
    if notification.detail:
        return f"{reverse('updates:timeline')}#reply-{notification.detail}"
    return reverse("updates:timeline")
