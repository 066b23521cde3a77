"""Posting updates and following members."""

from django.db import transaction
from django.db.models import QuerySet

from haven.accounts.models import User
from haven.core import fulltext
from haven.notifications.actions import do_notify_follow
from haven.updates.models import Follow, Update
from haven.updates.permissions import filter_visible_updates


@transaction.atomic
def do_create_update(*, body: str, mood: str = "", visibility: str, acting_user: User) -> Update:
    update = Update.objects.create(author=acting_user, body=body, mood=mood, visibility=visibility)
    fulltext.index_document("update", update.pk, body)
    return update


@transaction.atomic
def do_delete_update(update: Update, *, acting_user: User) -> None:
    fulltext.remove_document("update", update.pk)
    update.delete()


@transaction.atomic
def do_follow(followed: User, *, acting_user: User) -> Follow:
    follow, created = Follow.objects.get_or_create(follower=acting_user, followed=followed)
    if created:
        do_notify_follow(acting_user, followed)
    return follow


def do_unfollow(followed: User, *, acting_user: User) -> None:
    Follow.objects.filter(follower=acting_user, followed=followed).delete()


def timeline_for(viewer: User) -> QuerySet[Update]:
    """The viewer's own updates and those of the members they follow, newest first."""
    followed_ids = Follow.objects.filter(follower=viewer).values("followed_id")
    queryset = Update.objects.filter(author_id__in=followed_ids) | Update.objects.filter(
        author=viewer
    )
    return filter_visible_updates(queryset, viewer).select_related("author")


def updates_by(author: User, viewer: User) -> QuerySet[Update]:
    return filter_visible_updates(Update.objects.filter(author=author), viewer).select_related(
        "author"
    )
