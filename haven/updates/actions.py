"""Posting updates and following members."""

from django.db import transaction
from django.db.models import QuerySet

from haven.accounts.models import User
from haven.core import fulltext
from haven.moderation.actions import do_file_verdict
from haven.moderation.models import ModerationState
from haven.notifications.actions import do_notify_follow
from haven.safety.screening import screen_member_text
from haven.updates.models import Follow, Update, Visibility
from haven.updates.permissions import filter_visible_updates


@transaction.atomic
def do_create_update(
    *,
    body: str,
    mood: str = "",
    visibility: str,
    send_for_review: bool = False,
    acting_user: User,
) -> Update:
    # Private updates are seen by their writer alone, so like a journal they only ever bring
    # the private support panel; everything else goes through the full policy.
    surface = "journal" if visibility == Visibility.PRIVATE else "update"
    verdict = screen_member_text(
        body, surface=surface, author=acting_user, send_for_review=send_for_review
    )
    update = Update.objects.create(
        author=acting_user,
        body=body,
        mood=mood,
        visibility=visibility,
        moderation_state=(
            ModerationState.HELD if verdict.decision.hold else ModerationState.VISIBLE
        ),
        safety_labels=sorted(verdict.labels - {"personal_data"}),
    )
    if update.moderation_state == ModerationState.VISIBLE:
        fulltext.index_document("update", update.pk, body)
    do_file_verdict(verdict, update=update)
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
