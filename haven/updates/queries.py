"""Reads of updates that other apps are handed (through registries), not import."""

from datetime import datetime

from django.db.models import QuerySet

from haven.accounts.models import User
from haven.updates.models import Update


def recent_texts_of(author: User, since: datetime) -> QuerySet:
    """The author's update bodies since then, newest first (the screening's spam check)."""
    return (
        Update.objects.filter(author=author, created_at__gte=since)
        .order_by("-created_at")
        .values_list("body", flat=True)
    )
