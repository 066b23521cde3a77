"""Reads of updates that other apps are handed (through registries), not import."""

from datetime import datetime

from django.db.models import QuerySet

from haven.accounts.models import User
from haven.core.pagination import page_of
from haven.updates.actions import updates_by
from haven.updates.models import Follow, Update


def profile_updates(request, member: User) -> dict:
    """A profile's part (haven.accounts.profile_parts): the updates the viewer may see, and
    where the viewer stands with the member."""
    return {
        "updates_page": page_of(request, updates_by(member, request.user)),
        # "pending" (asked, not yet approved), "accepted", or None.
        "follow_status": Follow.objects.filter(follower=request.user, followed=member)
        .values_list("status", flat=True)
        .first(),
        # Only approved follows count: a request is not yet a follower.
        "follower_count": member.followers.filter(status="accepted").count(),
        "following_count": member.following.filter(status="accepted").count(),
    }


def recent_texts_of(author: User, since: datetime) -> QuerySet:
    """The author's update bodies since then, newest first (the screening's spam check)."""
    return (
        Update.objects.filter(author=author, created_at__gte=since)
        .order_by("-created_at")
        .values_list("body", flat=True)
    )
