"""What a reader chose not to see, applied to forum querysets (haven.accounts.preferences).

Blocked members' threads and posts leave feeds, search and suggestions; only what they wrote
under their name, never anonymous posts (see haven.accounts.preferences for why). Each filter
is a subquery on the reader's blocks, so it adds no query to a page.
"""

from django.db.models import Q, QuerySet

from haven.accounts.models import User
from haven.accounts.preferences import blocked_ids_subquery
from haven.forums.models import Post, Thread


def without_blocked_threads(queryset: QuerySet[Thread], viewer: User) -> QuerySet[Thread]:
    """Threads not started, under their name, by someone the viewer blocked."""
    if not viewer.is_authenticated:
        return queryset
    return queryset.exclude(
        Q(first_post__is_anonymous=False)
        & Q(first_post__author_id__in=blocked_ids_subquery(viewer))
    )


def without_blocked_posts(queryset: QuerySet[Post], viewer: User) -> QuerySet[Post]:
    """Posts neither written by someone the viewer blocked nor in a thread one of them
    started (the thread itself is gone from the viewer's feeds)."""
    if not viewer.is_authenticated:
        return queryset
    blocked = blocked_ids_subquery(viewer)
    return queryset.exclude(Q(is_anonymous=False) & Q(author_id__in=blocked)).exclude(
        Q(thread__first_post__is_anonymous=False) & Q(thread__first_post__author_id__in=blocked)
    )
