"""Words for a notification, with the actor shown only as the viewer may see them."""

from haven.forums.authorship import ANONYMOUS_LABEL, DELETED_LABEL, MODERATOR_LABEL
from haven.forums.models import Reaction
from haven.notifications.models import Notification


def actor_label(notification: Notification) -> str:
    if notification.actor_is_anonymous:
        return ANONYMOUS_LABEL
    if notification.post_id and notification.post.posted_as_moderator:
        return MODERATOR_LABEL  # a reply as Haven moderator never names the moderator
    if notification.actor is None:
        return DELETED_LABEL
    return notification.actor.pseudonym


def notification_text(notification: Notification) -> str:
    actor = actor_label(notification)
    if notification.kind == Notification.Kind.REPLY:
        return f"{actor} replied in “{notification.thread.title}”"
    if notification.kind == Notification.Kind.REACTION:
        label = Reaction.Kind(notification.detail).label.lower() if notification.detail else ""
        return f"{actor} sent you a “{label}” on “{notification.thread.title}”"
    if notification.kind == Notification.Kind.URGENT:
        return f"Urgent: {notification.message}"
    if notification.kind in (
        Notification.Kind.MODERATION,
        Notification.Kind.CHAT,
        Notification.Kind.REMINDER,
        Notification.Kind.CARE,
    ):
        return notification.message
    if _is_follow_request(notification):
        return f"{actor} asked to follow you: approve or decline on your followers page"
    return f"{actor} started following you"


def _is_follow_request(notification: Notification) -> bool:
    from haven.updates.models import Follow, FollowStatus

    return (
        notification.kind == Notification.Kind.FOLLOW
        and notification.actor_id is not None
        and Follow.objects.filter(
            follower_id=notification.actor_id,
            followed_id=notification.recipient_id,
            status=FollowStatus.PENDING,
        ).exists()
    )


def notification_url(notification: Notification) -> str:
    from django.urls import reverse

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
    if _is_follow_request(notification):
        return reverse("updates:followers")
    if notification.actor is not None and notification.kind == Notification.Kind.FOLLOW:
        return reverse("accounts:profile", args=[notification.actor.pseudonym])
    return ""
