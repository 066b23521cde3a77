"""`haven backfill_themes`: work out Thread.themes for threads written before themes existed,
or after the vocabulary in haven.core.themes changed. Safe to run again: only threads whose
themes differ are saved. (Updates are backfilled by updates' migration 0008.)"""

from django.core.management.base import BaseCommand
from django.db.models import Prefetch

from haven.core.themes import detect_themes
from haven.forums.models import Tag, Thread

BATCH = 500


def thread_text(thread: Thread) -> list[str]:
    # The same parts forums.actions reads when a thread is written or edited.
    body = thread.first_post.body if thread.first_post is not None else ""
    tags = " ".join(tag.slug for tag in thread.tags.all())
    return [thread.title, thread.content_warning, tags, body]


def backfill_thread_themes() -> int:
    """Returns how many threads changed."""
    changed = 0
    threads = (
        Thread.objects.filter(is_deleted=False)
        .select_related("first_post")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by()))
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(threads.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        stale = []
        for thread in batch:
            themes = detect_themes(*thread_text(thread))
            if themes != thread.themes:
                thread.themes = themes
                stale.append(thread)
        Thread.objects.bulk_update(stale, ["themes"])
        changed += len(stale)


class Command(BaseCommand):
    help = "Work out the themes (haven.core.themes) of every thread; only changes are saved."

    def handle(self, *args, **options) -> None:
        changed = backfill_thread_themes()
        self.stdout.write(self.style.SUCCESS(f"Themes: {changed} thread(s) updated."))
