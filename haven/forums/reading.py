"""What a member has read: the first time they opened each thread (for trust levels)."""

from collections.abc import Iterable

from django.db.models import Count

from haven.accounts.models import User
from haven.forums.models import Thread, ThreadVisit


def do_record_thread_read(thread: Thread, *, acting_user: User) -> None:
    """Remember that the member opened this thread. One INSERT that ignores a repeat (no read
    first, no savepoint), so a thread page costs one query more, the first time or the tenth,
    however many replies it has; `first_read_at` keeps the first visit."""
    if not acting_user.is_authenticated:
        return
    ThreadVisit.objects.bulk_create(
        [ThreadVisit(thread=thread, user=acting_user)], ignore_conflicts=True
    )


def threads_read_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """How many threads each member has opened, for many members in one query."""
    rows = (
        ThreadVisit.objects.filter(user_id__in=list(user_ids))
        .values("user_id")
        .annotate(count=Count("id"))
        .values_list("user_id", "count")
    )
    return dict(rows)
