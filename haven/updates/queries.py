"""Reads of updates that other apps are handed (through registries), not import."""

from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from haven.accounts.models import User
from haven.accounts.preferences import blocked_ids_subquery
from haven.core.pagination import page_of
from haven.updates.actions import updates_by
from haven.updates.models import Follow, Update, UpdateReaction, UpdateReply
from haven.updates.permissions import replies_shown_to

# Replies shown under an update before "Show all".
REPLIES_SHOWN = 3


def with_reactions_and_replies(queryset: QuerySet[Update], viewer: User) -> QuerySet[Update]:
    """Updates carrying what their cards show: a count per reaction kind (subqueries), the
    viewer's own reactions and the replies they may see (one prefetch each), so a page costs
    the same few queries however many updates it holds."""
    counts = {
        f"{kind}_count": Coalesce(
            Subquery(
                UpdateReaction.objects.filter(update_id=OuterRef("pk"), kind=kind)
                .order_by()
                .values("update_id")
                .annotate(n=Count("id"))
                .values("n")
            ),
            0,
        )
        for kind in UpdateReaction.Kind.values
    }
    replies = (
        UpdateReply.objects.filter(replies_shown_to(viewer))
        .exclude(author_id__in=blocked_ids_subquery(viewer))  # the viewer blocked them
        .select_related("author")
        .order_by("created_at", "id")
    )
    mine = UpdateReaction.objects.filter(user_id=viewer.pk)
    return queryset.annotate(**counts, has_social=Value(True)).prefetch_related(
        Prefetch("replies", queryset=replies, to_attr="shown_replies"),
        Prefetch("reactions", queryset=mine, to_attr="my_reactions"),
    )


def profile_updates(request, member: User) -> dict:
    """A profile's part (haven.accounts.profile_parts): the updates the viewer may see, and
    where the viewer stands with the member."""
    return {
        "updates_page": page_of(
            request, with_reactions_and_replies(updates_by(member, request.user), request.user)
        ),
        # "pending" (asked, not yet approved), "accepted", or None.
        "follow_status": Follow.objects.filter(follower=request.user, followed=member)
        .values_list("status", flat=True)
        .first(),
        # Only approved follows count: a request is not yet a follower.
        "follower_count": member.followers.filter(status="accepted").count(),
        "following_count": member.following.filter(status="accepted").count(),
    }


def recent_reply_texts_of(author: User, since: datetime) -> QuerySet:
    """The author's replies to updates since then, newest first (the same spam check)."""
    return (
        UpdateReply.objects.filter(author=author, created_at__gte=since)
        .order_by("-created_at")
        .values_list("body", flat=True)
    )


def recent_texts_of(author: User, since: datetime) -> QuerySet:
    """The author's update bodies since then, newest first (the screening's spam check)."""
    return (
        Update.objects.filter(author=author, created_at__gte=since)
        .order_by("-created_at")
        .values_list("body", flat=True)
    )
