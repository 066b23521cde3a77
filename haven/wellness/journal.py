"""The private journal. Entries are encrypted at rest, so the owner's search decrypts their own
entries in memory: the text never enters the site-wide search index."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.core.search_index import request_resource_suggestions
from haven.safety.pipeline import Verdict
from haven.safety.screening import screen_member_text
from haven.wellness.models import JournalEntry


@dataclass(frozen=True)
class SavedEntry:
    entry: JournalEntry
    # Only ever used to show the writer the private support panel; never stored.
    crisis: bool


def normalise_tags(tags: list[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        tag = tag.strip().lower()[:30]
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def _screen(title: str, body: str, author: User) -> Verdict:
    # The journal surface: no queue, no audit row, no label; only the private support panel.
    return screen_member_text(f"{title}\n{body}".strip(), surface="journal", author=author)


@transaction.atomic
def do_create_journal_entry(
    *, title: str, body: str, tags: list[str], mood: int | None, acting_user: User
) -> SavedEntry:
    verdict = _screen(title, body, acting_user)
    now = timezone.now()
    entry = JournalEntry.objects.create(
        author=acting_user, title=title, body=body, tags=normalise_tags(tags), mood=mood,
        created_at=now, updated_at=now,
    )  # fmt: skip
    request_resource_suggestions("journal", entry.pk)
    return SavedEntry(entry, crisis=verdict.decision.support_panel)


@transaction.atomic
def do_edit_journal_entry(
    entry: JournalEntry, *, title: str, body: str, tags: list[str], mood: int | None,
    acting_user: User,
) -> SavedEntry:  # fmt: skip
    verdict = _screen(title, body, acting_user)
    entry.title, entry.body, entry.tags, entry.mood = title, body, normalise_tags(tags), mood
    entry.updated_at = timezone.now()
    entry.save()
    request_resource_suggestions("journal", entry.pk)
    return SavedEntry(entry, crisis=verdict.decision.support_panel)


def do_delete_journal_entry(entry: JournalEntry, *, acting_user: User) -> None:
    entry.delete()


def journal_entries_of(member: User, *, query: str = "", tag: str = "") -> list[JournalEntry]:
    """The member's own entries, newest first, optionally those matching every word of the
    query (in title, body or tags) and a tag."""
    entries = list(JournalEntry.objects.filter(author=member))
    words = query.lower().split()
    tag = tag.strip().lower()

    def matches(entry: JournalEntry) -> bool:
        if tag and tag not in entry.tags:
            return False
        haystack = f"{entry.title}\n{entry.body}\n{' '.join(entry.tags)}".lower()
        return all(word in haystack for word in words)

    return [entry for entry in entries if matches(entry)] if words or tag else entries


def journal_tags_of(member: User) -> list[str]:
    tags: set[str] = set()
    for entry_tags in JournalEntry.objects.filter(author=member).values_list("tags", flat=True):
        tags.update(entry_tags)
    return sorted(tags)
