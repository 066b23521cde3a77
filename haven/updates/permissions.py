"""Who may see an update. Every query for updates goes through filter_visible_updates."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.accounts.trust import check_text_capabilities
from haven.core.content import ModerationState
from haven.updates.models import Follow, FollowStatus, Update, UpdateReply, Visibility


def filter_visible_updates(queryset: QuerySet[Update], viewer: User) -> QuerySet[Update]:
    if not viewer.is_authenticated:
        return queryset.none()
    # Only an approved follow opens followers-only updates; a request waiting for an answer
    # sees what everyone sees.
    followed_ids = Follow.objects.filter(follower=viewer, status=FollowStatus.ACCEPTED).values(
        "followed_id"
    )
    return queryset.filter(
        Q(author=viewer)
        | Q(moderation_state=ModerationState.VISIBLE)
        & (
            Q(visibility=Visibility.PUBLIC)
            | Q(visibility=Visibility.FOLLOWERS, author_id__in=followed_ids)
        )
    )


def access_update_by_id(viewer: User, update_id: str) -> Update:
    """The update with this public id, if the viewer may see it."""
    queryset = filter_visible_updates(Update.objects.select_related("author"), viewer)
    try:
        return queryset.get(public_id=update_id)
    except Update.DoesNotExist:
        raise Http404("No such update.") from None


def check_create_update(actor: Actor, *, body: str = "") -> None:
    """`body`: the update's Markdown, when known (links and images need a trust level)."""
    check_can_write(actor, "update")
    check_text_capabilities(actor.user, body)


def check_delete_update(actor: Actor, update: Update) -> None:
    check_can_write(actor, "delete")
    if update.author_id != actor.user.pk:
        raise PermissionDenied(gettext("You can only delete your own updates."))


def check_follow(actor: Actor, followed: User) -> None:
    check_can_write(actor, "follow")
    if actor.user.pk == followed.pk:
        raise PermissionDenied(gettext("You can't follow yourself."))
    if not followed.is_active:
        raise PermissionDenied(gettext("This member can't be followed."))


def access_follower_by_pseudonym(
    followed: User, pseudonym: str, status: str | None = None
) -> Follow:
    """A follow (or follow request) of the member by the one with this pseudonym; 404 if none."""
    queryset = Follow.objects.select_related("follower").filter(
        followed=followed, follower__pseudonym=pseudonym
    )
    if status is not None:
        queryset = queryset.filter(status=status)
    follow = queryset.first()
    if follow is None:
        raise Http404("No such follower.")
    return follow


def check_unfollow(actor: Actor, followed: User) -> None:
    check_can_write(actor, "follow")


def replies_shown_to(viewer: User) -> Q:
    """Among the replies of an update the viewer sees: held or removed ones only to their
    writer, as forums do with replies."""
    return Q(moderation_state=ModerationState.VISIBLE) | Q(author=viewer)


def filter_visible_replies(queryset: QuerySet[UpdateReply], viewer: User) -> QuerySet[UpdateReply]:
    """Replies are seen by exactly those who can see their update."""
    if not viewer.is_authenticated:
        return queryset.none()
    visible_updates = filter_visible_updates(Update.objects.all(), viewer).values("pk")
    return queryset.filter(update_id__in=visible_updates).filter(replies_shown_to(viewer))


def access_update_reply_by_id(viewer: User, reply_id: str) -> UpdateReply:
    """The reply with this public id, if the viewer may see it (same 404 for missing)."""
    queryset = filter_visible_replies(
        UpdateReply.objects.select_related("author", "update__author"), viewer
    )
    try:
        return queryset.get(public_id=reply_id)
    except UpdateReply.DoesNotExist:
        raise Http404("No such reply.") from None


def check_react_to_update(actor: Actor, update: Update) -> None:
    check_can_write(actor, "reaction")
    if update.author_id == actor.user.pk:
        raise PermissionDenied(gettext("You can't react to your own update."))
    if update.moderation_state != ModerationState.VISIBLE:
        raise PermissionDenied(
            gettext("This update is waiting for a moderator, so it can't take support.")
        )


def check_reply_to_update(actor: Actor, update: Update, *, body: str = "") -> None:
    # The same write kind as forum replies: the same mute and the same rate limit.
    check_can_write(actor, "reply")
    if update.visibility == Visibility.PRIVATE:
        raise PermissionDenied(
            gettext("Private updates are just for you, so they don't take replies.")
        )
    if update.moderation_state != ModerationState.VISIBLE:
        raise PermissionDenied(
            gettext("This update is waiting for a moderator, so it can't take replies.")
        )
    check_text_capabilities(actor.user, body)


def check_delete_update_reply(actor: Actor, reply: UpdateReply) -> None:
    """The reply's writer, or the update's author (it is their space), may take it down."""
    check_can_write(actor, "delete")
    if actor.user.pk not in (reply.author_id, reply.update.author_id):
        raise PermissionDenied(
            gettext("You can only delete your own replies, or replies to your updates.")
        )
