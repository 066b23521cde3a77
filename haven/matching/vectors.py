"""The one place vectors are made, stored, forgotten and searched.

* The database (`Vector`) is the source of truth. `store_vector` and `forget` write it inside the
  caller's transaction, so deleting or hiding content deletes its vector atomically.
* The search index (settings.HAVEN_VECTOR_BACKEND) follows on commit. The default, numpy, keeps
  each namespace in memory per process and catches up with other processes' writes through a
  generation number in the cache plus `Vector.updated_at` and `VectorTombstone` rows, so a
  write costs one small query elsewhere, not a reload. sqlite-vec and pgvector are persistent
  and updated on commit; `haven reembed --rebuild-index` rebuilds them from the database.
* Whatever an index returns, callers load the items through their access helpers, so an index
  lagging behind a deletion can never show hidden or deleted content.

Items are embedded by background jobs (haven.matching.tasks). Only a search query, or a draft
being written, is embedded during a request: one short text, cached.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from haven.core.embeddings import Embedder, FloatArray, MiniLMEmbedder, get_embedder
from haven.core.search_index import Namespace
from haven.matching.backends import Neighbour, VectorIndex, make_index
from haven.matching.models import Vector, VectorTombstone
from haven.safety.language import detect_languages

logger = logging.getLogger(__name__)

QUERY_MAX_CHARS = 2000  # MiniLM reads 256 tokens at most; more text only costs time
QUERY_CACHE_SIZE = 256
# Another process's write is picked up by comparing timestamps; this slack covers a transaction
# that committed a little after a row with a later timestamp was already seen.
SYNC_SLACK = timedelta(seconds=30)
# A numpy index that has not been reloaded for this long is rebuilt from the database.
FULL_RELOAD_SECONDS = 60 * 60
TOMBSTONE_DAYS = 1


def model_key(embedder: Embedder) -> str:
    return "minilm" if isinstance(embedder, MiniLMEmbedder) else "hashing"


def current_embedder() -> Embedder:
    return get_embedder()


def current_model() -> str:
    return model_key(current_embedder())


# Below this cosine similarity a neighbour is not worth showing. The two models spread scores
# differently: hashed n-grams give low scores even for close texts.
MIN_SCORE = {"minilm": 0.3, "hashing": 0.08}

# Only the namespaces searched by a reader's words are split by language; listeners',
# therapists' and people's vectors are compared with the configured model only.
SPLIT_BY_LANGUAGE = frozenset({Namespace.POST, Namespace.COMMUNITY, Namespace.RESOURCE})


def min_score(model: str | None = None) -> float:
    return MIN_SCORE[model or current_model()]


def text_language(text: str) -> str:
    """The likelier language of a text (safety's detector: small, shipped, on the fast path)."""
    return detect_languages(text)[0]


def model_for_text(text: str, namespace: str | None = None) -> str:
    """The model whose index a text (an item's, or a query's) belongs in: the configured one,
    or hashing for a language in HAVEN_HASHING_LANGUAGES. The shipped MiniLM learned from
    English; on Spanish queries it still beats the hashing embedder (see settings), so by
    default every language uses it and no language is detected here."""
    model = current_model()
    hashing_languages = settings.HAVEN_HASHING_LANGUAGES
    if model == "hashing" or not hashing_languages:
        return model
    if namespace is not None and namespace not in SPLIT_BY_LANGUAGE:
        return model
    return "hashing" if text_language(text) in hashing_languages else model


def embedder_for(model: str) -> Embedder:
    return current_embedder() if model == current_model() else get_embedder(model)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def to_bytes(vector: FloatArray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(raw: bytes | memoryview) -> FloatArray:
    return np.frombuffer(bytes(raw), dtype="<f4").astype(np.float32)


# --------------------------------------------------------------------------------------------
# Query vectors (the only embedding done in a request)
# --------------------------------------------------------------------------------------------

# Keyed by (member id, model, text): a shared cache would let anyone time a search to learn
# what someone else just searched for (a hit answers several times faster).
_query_cache: OrderedDict[tuple[int, str, str], FloatArray] = OrderedDict()
_query_cache_lock = threading.Lock()


def embed_query(
    text: str, embedder: Embedder | None = None, *, cache_for: int | None = None
) -> FloatArray:
    """One text's vector with the given model (default: the one for the text's language).

    A member's own search queries are kept in a small LRU cache keyed by their id
    (``cache_for``), so paging through results does not embed again; one member's entry never
    answers another's search. Without ``cache_for`` (no signed-in member, or private text: a
    chat request, a journal entry, a draft, a questionnaire answer) nothing is kept in memory.
    """
    text = " ".join(text.split())[:QUERY_MAX_CHARS]
    embedder = embedder or embedder_for(model_for_text(text))
    if cache_for is None:
        return embedder.embed([text])[0]
    key = (cache_for, model_key(embedder), text)
    with _query_cache_lock:
        cached = _query_cache.get(key)
        if cached is not None:
            _query_cache.move_to_end(key)
            return cached
    vector = embedder.embed([text])[0]
    with _query_cache_lock:
        _query_cache[key] = vector
        while len(_query_cache) > QUERY_CACHE_SIZE:
            _query_cache.popitem(last=False)
    return vector


def forget_query_vectors() -> None:
    """Empty the query cache (tests; a member's deletion needs nothing: entries age out)."""
    with _query_cache_lock:
        _query_cache.clear()


# --------------------------------------------------------------------------------------------
# The index of this process
# --------------------------------------------------------------------------------------------


@dataclass
class _SyncState:
    generation: int | None = None
    watermark: datetime | None = None
    loaded_at: float = 0.0


@dataclass
class _Indexes:
    index: VectorIndex
    persistent: bool
    synced: dict[str, _SyncState] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_indexes: _Indexes | None = None
_indexes_lock = threading.Lock()


def _make_configured_index() -> _Indexes:
    kind = settings.HAVEN_VECTOR_BACKEND
    dimensions = current_embedder().dimensions
    if kind == "numpy":
        return _Indexes(make_index("numpy", dimensions=dimensions), persistent=False)
    if kind == "sqlite-vec":
        index = make_index("sqlite-vec", dimensions=dimensions, path=settings.HAVEN_VECTOR_PATH)
        return _Indexes(index, persistent=True)
    if kind == "pgvector":
        index = make_index("pgvector", dimensions=dimensions, dsn=settings.HAVEN_PGVECTOR_URL)
        return _Indexes(index, persistent=True)
    raise ValueError(f"HAVEN_VECTOR_BACKEND must be numpy, sqlite-vec or pgvector, not {kind!r}")


def vector_index() -> _Indexes:
    global _indexes
    if _indexes is None:
        with _indexes_lock:
            if _indexes is None:
                _indexes = _make_configured_index()
    return _indexes


def reset_index() -> None:
    """Forget this process's index (tests, or after changing the backend setting)."""
    global _indexes
    with _indexes_lock:
        if _indexes is not None and hasattr(_indexes.index, "close"):
            _indexes.index.close()
        _indexes = None


def _index_name(namespace: str, model: str) -> str:
    return f"{namespace}_{model}"


def _generation_key(namespace: str, model: str) -> str:
    return f"matching:generation:{namespace}:{model}"


def _bump_generation(namespace: str, model: str) -> None:
    key = _generation_key(namespace, model)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def _load_rows(rows: Iterable[tuple[int, bytes]], indexes: _Indexes, name: str) -> int:
    ids: list[int] = []
    vectors: list[FloatArray] = []
    count = 0
    for object_id, raw in rows:
        ids.append(object_id)
        vectors.append(from_bytes(raw))
        if len(ids) >= 2000:
            indexes.index.add(name, ids, np.stack(vectors))
            count += len(ids)
            ids, vectors = [], []
    if ids:
        indexes.index.add(name, ids, np.stack(vectors))
        count += len(ids)
    return count


def _sync(indexes: _Indexes, namespace: str, model: str) -> None:
    """Bring this process's in-memory namespace up to date with the database."""
    name = _index_name(namespace, model)
    key = _generation_key(namespace, model)
    generation = cache.get(key)
    if generation is None:
        # No write since the cache started: begin counting, so searches compare one number.
        cache.add(key, 0, timeout=None)
        generation = cache.get(key)
    state = indexes.synced.get(name)
    now = time.monotonic()
    if (
        state is not None
        and state.generation == generation
        and generation is not None
        and now - state.loaded_at < FULL_RELOAD_SECONDS
    ):
        return
    if state is None:
        indexes.lock.acquire()  # nothing loaded yet: this search waits for the load
    elif not indexes.lock.acquire(blocking=False):
        return  # another thread is bringing it up to date: the loaded index serves meanwhile
    try:
        _sync_locked(indexes, namespace, model, name, generation, now)
    finally:
        indexes.lock.release()


def _sync_locked(
    indexes: _Indexes, namespace: str, model: str, name: str, generation: int | None, now: float
) -> None:
    state = indexes.synced.get(name)
    rows = Vector.objects.filter(namespace=namespace, model=model)
    started = timezone.now()
    if (
        state is None
        or state.watermark is None
        or now - state.loaded_at >= FULL_RELOAD_SECONDS
        or state.watermark < started - timedelta(days=TOMBSTONE_DAYS) + SYNC_SLACK
    ):
        # Built beside the live namespace and swapped in whole (the hourly reload took 3-5 s at
        # 220,000 posts, and searches meanwhile saw a part of it or waited).
        staged = f"{name}_next"[:31]
        indexes.index.clear(staged)
        _load_rows(rows.values_list("object_id", "vector").iterator(2000), indexes, staged)
        indexes.index.replace(name, staged)
        indexes.synced[name] = _SyncState(generation, started - SYNC_SLACK, now)
        return
    since = state.watermark
    gone = VectorTombstone.objects.filter(namespace=namespace, deleted_at__gte=since)
    gone_ids = list(gone.values_list("object_id", flat=True))
    # Removals first, then the rows changed since: an item deleted and embedded again has a
    # vector newer than its tombstone, so it comes back.
    if gone_ids:
        indexes.index.remove(name, gone_ids)
    changed = rows.filter(updated_at__gte=since).values_list("object_id", "vector")
    _load_rows(changed.iterator(2000), indexes, name)
    indexes.synced[name] = _SyncState(generation, started - SYNC_SLACK, state.loaded_at)


# Set while a serving process loads its in-memory index at start-up (warm_index_in_background).
_warming = threading.Event()


def warm_index_in_background() -> threading.Thread:
    """Load this process's in-memory index now, in a thread of its own: uvicorn's start-up
    (haven.asgi) calls it, so the first search by meaning does not wait for the load (3-5 s
    at 220,000 posts). Meanwhile a namespace not yet loaded answers with no neighbours: search
    falls back to its words and suggestions wait, rather than a request hanging. The
    persistent backends (sqlite-vec, pgvector) have nothing to load."""
    _warming.set()

    def load() -> None:
        started = time.perf_counter()
        try:
            indexes = vector_index()
            if not indexes.persistent:
                model = current_model()
                # The small namespaces first (resources, communities, listeners: seconds sooner
                # for their suggestions), the posts, by far the largest, last.
                for namespace in sorted(Namespace.values, key=lambda ns: ns == Namespace.POST):
                    _sync(indexes, namespace, model)
                logger.info(
                    "Vector index loaded in %.1f s (%d MB)",
                    time.perf_counter() - started,
                    indexes.index.memory_bytes() // 2**20,
                )
        except Exception:
            logger.exception("Could not load the vector index at start-up")
        finally:
            _warming.clear()
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=load, name="vector-index-warmup", daemon=True)
    thread.start()
    return thread


def nearest(
    namespace: str, query: FloatArray, k: int, *, model: str | None = None
) -> list[Neighbour]:
    """The k stored items of a namespace closest to a query vector, best first."""
    model = model or current_model()
    if not np.any(query):
        return []
    indexes = vector_index()
    if not indexes.persistent:
        if _warming.is_set() and _index_name(namespace, model) not in indexes.synced:
            return []  # still loading at start-up: no waiting (see warm_index_in_background)
        _sync(indexes, namespace, model)
    return indexes.index.search(_index_name(namespace, model), query, k)


# --------------------------------------------------------------------------------------------
# Writing and forgetting
# --------------------------------------------------------------------------------------------


def _after_commit_add(namespace: str, model: str, object_id: int, vector: FloatArray) -> None:
    def apply() -> None:
        indexes = vector_index()
        name = _index_name(namespace, model)
        if indexes.persistent or name in indexes.synced:
            indexes.index.add(name, [object_id], vector[np.newaxis, :])
        _bump_generation(namespace, model)

    # robust: the write is committed whatever happens to the index (the database stays the
    # source of truth; `haven reembed --rebuild-index` refills an index that missed it).
    transaction.on_commit(apply, robust=True)


def _after_commit_remove(namespace: str, object_ids: list[int]) -> None:
    def apply() -> None:
        indexes = vector_index()
        for model in ("minilm", "hashing"):
            name = _index_name(namespace, model)
            if indexes.persistent or name in indexes.synced:
                indexes.index.remove(name, object_ids)
            _bump_generation(namespace, model)

    transaction.on_commit(apply, robust=True)


def store_vector(
    namespace: str, object_id: int, vector: FloatArray, *, digest: str, model: str
) -> None:
    if not np.any(vector):
        raise ValueError("a zero vector has no direction: store nothing for an empty text")
    Vector.objects.update_or_create(
        namespace=namespace,
        model=model,
        object_id=object_id,
        defaults={"vector": to_bytes(vector), "digest": digest, "updated_at": timezone.now()},
    )
    _after_commit_add(namespace, model, object_id, vector)


def forget(namespace: str, object_ids: Sequence[int]) -> int:
    """Delete items' vectors under every model, in the caller's transaction."""
    object_ids = [int(pk) for pk in object_ids]
    if not object_ids:
        return 0
    deleted, _ = Vector.objects.filter(namespace=namespace, object_id__in=object_ids).delete()
    if deleted:
        now = timezone.now()
        VectorTombstone.objects.bulk_create(
            [
                VectorTombstone(namespace=namespace, object_id=pk, deleted_at=now)
                for pk in object_ids
            ]
        )
        _after_commit_remove(namespace, object_ids)
    return deleted


def forget_under_model(namespace: str, object_ids: Sequence[int], model: str) -> int:
    """Delete items' vectors under one model (a text that moved to a language that model does
    not read). The tombstone is for the namespace: another process drops the item from every
    model's index, then reloads the rows written since, so the vector it keeps comes back."""
    object_ids = [int(pk) for pk in object_ids]
    if not object_ids:
        return 0
    deleted, _ = Vector.objects.filter(
        namespace=namespace, model=model, object_id__in=object_ids
    ).delete()
    if deleted:
        now = timezone.now()
        VectorTombstone.objects.bulk_create(
            [
                VectorTombstone(namespace=namespace, object_id=pk, deleted_at=now)
                for pk in object_ids
            ]
        )
        # Newer than the tombstone, so other processes load the kept vectors again.
        Vector.objects.filter(namespace=namespace, object_id__in=object_ids).update(updated_at=now)

        def apply() -> None:
            indexes = vector_index()
            name = _index_name(namespace, model)
            if indexes.persistent or name in indexes.synced:
                indexes.index.remove(name, object_ids)
            _bump_generation(namespace, model)

        transaction.on_commit(apply, robust=True)
    return deleted


def stored_vectors(
    namespace: str, object_ids: Iterable[int], *, model: str | None = None
) -> dict[int, FloatArray]:
    rows = Vector.objects.filter(
        namespace=namespace, model=model or current_model(), object_id__in=list(object_ids)
    ).values_list("object_id", "vector")
    return {object_id: from_bytes(raw) for object_id, raw in rows}


def similarities_to_text(namespace: str, object_ids: Iterable[int], text: str) -> dict[int, float]:
    """Cosine similarity of a private text (a chat request, a questionnaire answer) to each
    item's stored vector. The text is embedded in memory, never cached or stored."""
    vectors = stored_vectors(namespace, object_ids)
    if not text.strip() or not vectors:
        return {}
    query = embed_query(text)
    return {pk: float(vector @ query) for pk, vector in vectors.items()}


def stored_digests(namespace: str, object_ids: Iterable[int], model: str) -> dict[int, str]:
    rows = Vector.objects.filter(
        namespace=namespace, model=model, object_id__in=list(object_ids)
    ).values_list("object_id", "digest")
    return dict(rows)


def prune_tombstones() -> int:
    cutoff = timezone.now() - timedelta(days=TOMBSTONE_DAYS)
    deleted, _ = VectorTombstone.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted


def rebuild_index(namespaces: Iterable[str], model: str | None = None) -> dict[str, int]:
    """Refill the configured index from the database (after a crash or a backend change)."""
    model = model or current_model()
    indexes = vector_index()
    counts = {}
    for namespace in namespaces:
        name = _index_name(namespace, model)
        with indexes.lock:
            indexes.index.clear(name)
            rows = Vector.objects.filter(namespace=namespace, model=model)
            counts[namespace] = _load_rows(
                rows.values_list("object_id", "vector").iterator(2000), indexes, name
            )
            indexes.synced.pop(name, None)
        _bump_generation(namespace, model)
    return counts
