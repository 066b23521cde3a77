"""What content apps tell the search index, without importing it.

Posts, communities, resources, listener and therapist profiles are embedded for suggestions
and search by `haven.matching`, which sits above them all. Their actions call these functions;
matching registers the index that does the work in its AppConfig.ready (the way Zulip's
actions queue events for a consumer they never import). Without matching installed, nothing is
indexed and nothing fails.

`forget` runs in the caller's transaction: content deleted or hidden loses its vector in the
same commit. `request_embedding` and `request_resource_suggestions` enqueue jobs that exist
exactly when the caller's writes do.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Namespace(models.TextChoices):
    """Kinds of item that have vectors."""

    POST = "post", _("Thread or reply")
    COMMUNITY = "community", _("Community")
    RESOURCE = "resource", _("Resource")
    # A member who chose to be found by peers: their profile and their non-anonymous posts.
    PERSON = "person", _("Person")
    LISTENER = "listener", _("Listener")
    THERAPIST = "therapist", _("Therapist")


@dataclass(frozen=True)
class SearchSource:
    """What one namespace embeds, declared by the app that owns its items in its
    `search_sources.py` (found by matching like the admin's modules, at start-up).

    `texts(ids)` gives the text of the items that may have a vector now; an item it leaves out
    (deleted, held, unpublished, no longer practising) loses its vector when its job runs.
    `all_ids()` lists every item that may have a vector (for `haven reembed`). `model` and
    `id_field` say which rows to lock while vectors are stored, so content deleted while the
    model ran never gets a vector back.
    """

    namespace: str
    model: type[models.Model]
    texts: Callable[[list[int]], dict[int, str]]
    all_ids: Callable[[], list[int]]
    id_field: str = "pk"


SEARCH_SOURCES: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> SearchSource:
    SEARCH_SOURCES[str(source.namespace)] = source
    return source


def search_source(namespace: str) -> SearchSource:
    try:
        return SEARCH_SOURCES[str(namespace)]
    except KeyError:
        raise LookupError(f"No app registers the search source {namespace!r}") from None


class SearchIndex(Protocol):
    def request_embedding(self, namespace: str, object_ids: Iterable[int]) -> None: ...
    def forget(self, namespace: str, object_ids: Iterable[int]) -> int: ...
    def person_changed(self, member) -> None: ...
    def request_resource_suggestions(self, kind: str, object_id: int) -> None: ...
    def similarities_to_text(
        self, namespace: str, object_ids: Iterable[int], text: str
    ) -> dict[int, float]: ...
    def relevance_floor(self) -> float: ...


_index: SearchIndex | None = None


def register_search_index(index: SearchIndex) -> None:
    global _index
    _index = index


def request_embedding(namespace: str, object_ids: Iterable[int]) -> None:
    """(Re)embed these items once the caller's transaction commits."""
    if _index is not None:
        _index.request_embedding(namespace, object_ids)


def forget(namespace: str, object_ids: Iterable[int]) -> int:
    """Delete the items' vectors now, in the caller's transaction."""
    return _index.forget(namespace, object_ids) if _index is not None else 0


def person_changed(member) -> None:
    """A member's bio, topics or public posts changed: if they are findable, embed them again."""
    if _index is not None:
        _index.person_changed(member)


def request_resource_suggestions(kind: str, object_id: int) -> None:
    """For a journal entry or a chat request: resources worked out in a job, ids kept only."""
    if _index is not None:
        _index.request_resource_suggestions(kind, object_id)


def similarities_to_text(namespace: str, object_ids: Iterable[int], text: str) -> dict[int, float]:
    """Cosine similarity of a private text to each item's stored vector (the text is embedded in
    memory, never stored); empty without an index, so callers fall back to their own order."""
    if _index is None:
        return {}
    return _index.similarities_to_text(namespace, object_ids, text)


def relevance_floor() -> float:
    """The similarity below which the configured embedder's matches are noise."""
    return _index.relevance_floor() if _index is not None else 1.0
