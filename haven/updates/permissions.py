"""Who may see an update. Every query for updates goes through filter_visible_updates."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.moderation.models import ModerationState
from haven.updates.models import Follow, Update, Visibility


def filter_visible_updates(queryset: QuerySet[Update], viewer: User) -> QuerySet[Update]:
    if not viewer.is_authenticated:
        return queryset.none()
    followed_ids = Follow.objects.filter(follower=viewer).values("followed_id")
    return queryset.filter(
        Q(author=viewer)
        | Q(moderation_state=ModerationState.VISIBLE)
        & (
            Q(visibility=Visibility.PUBLIC)
            | Q(visibility=Visibility.FOLLOWERS, author_id__in=followed_ids)
        )
    )


def access_update_by_id(viewer: User, update_id: int) -> Update:
    queryset = filter_visible_updates(Update.objects.select_related("author"), viewer)
    try:
        return queryset.get(pk=update_id)
    except Update.DoesNotExist:
        raise Http404("No such update.") from None


def check_create_update(actor: Actor) -> None:
    check_can_write(actor, "update")


def check_delete_update(actor: Actor, update: Update) -> None:
    check_can_write(actor, "delete")
    if update.author_id != actor.user.pk:
        raise PermissionDenied("You can only delete your own updates.")


def check_follow(actor: Actor, followed: User) -> None:
    check_can_write(actor, "follow")
    if actor.user.pk == followed.pk:
        raise PermissionDenied("You can't follow yourself.")
    if not followed.is_active:
        raise PermissionDenied("This member can't be followed.")


def check_unfollow(actor: Actor, followed: User) -> None:
    check_can_write(actor, "follow")
