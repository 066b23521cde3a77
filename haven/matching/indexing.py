"""Keeping vectors in step with content: what actions call, and what the embedding job does.

Actions call `request_embedding` (haven.matching.tasks) when an item is written or edited, and
`forget` (haven.matching.vectors) when it is deleted, hidden or opts out, inside their own
transaction.
The job `do_embed` runs in the worker: it re-reads each item through its source, embeds only
texts whose digest changed, and stores the vectors under a row lock on the item, so content
deleted while the model was running never gets a vector back.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import translation

from haven.chat.models import ChatRequest
from haven.core.embeddings import Embedder, l2_normalise
from haven.core.language import in_language_of, is_offered
from haven.core.search_index import request_embedding, search_source
from haven.forums.models import Post
from haven.matching.models import Namespace, Vector
from haven.matching.search_sources import person_post_ids, person_profile_texts
from haven.matching.suggestions import resource_ids_for_private_text
from haven.matching.vectors import (
    current_embedder,
    current_model,
    digest_of,
    embedder_for,
    forget,
    forget_under_model,
    model_for_text,
    model_key,
    store_vector,
    stored_digests,
    stored_vectors,
)
from haven.wellness.models import JournalEntry

logger = logging.getLogger(__name__)

BATCH_SIZE = 64


@dataclass
class EmbedResult:
    embedded: int = 0
    unchanged: int = 0
    forgotten: int = 0

    def __iadd__(self, other: EmbedResult) -> EmbedResult:
        self.embedded += other.embedded
        self.unchanged += other.unchanged
        self.forgotten += other.forgotten
        return self


def do_suggest_resources(kind: str, object_id: int) -> list[int]:
    """Resources for one private text, for its writer alone. The text is read, embedded and
    dropped inside this job; nothing but resource ids is stored."""
    if kind == "journal":
        entry = JournalEntry.objects.filter(pk=object_id).select_related("author").first()
        if entry is None:
            return []
        with in_language_of(entry.author):  # their version of each resource
            ids = resource_ids_for_private_text(f"{entry.title}\n{entry.body}")
        # Only this field: an edit saved while the model ran keeps its words.
        JournalEntry.objects.filter(pk=object_id).update(suggested_resources=ids)
        return ids
    if kind == "chat_request":
        chat_request = ChatRequest.objects.filter(pk=object_id).first()
        if chat_request is None or not chat_request.message:
            return []
        # In the language the seeker asked to talk in.
        language = chat_request.language if is_offered(chat_request.language) else None
        with translation.override(language or settings.LANGUAGE_CODE):
            ids = resource_ids_for_private_text(chat_request.message)
        ChatRequest.objects.filter(pk=object_id).update(suggested_resource_ids=ids)
        return ids
    raise ValueError(f"unknown kind {kind!r}")


def _locked(namespace: str, ids: list[int]) -> None:
    """Lock the items' rows until the vectors are stored (a no-op on SQLite, which has one
    writer at a time anyway)."""
    source = search_source(namespace)
    rows = source.model.objects.select_for_update().filter(**{f"{source.id_field}__in": ids})
    list(rows.values_list("pk"))


def _store_checked(
    namespace: str,
    vectors: dict[int, np.ndarray],
    digests: dict[int, str],
    read_digests,
    model: str,
) -> tuple[int, list[int]]:
    """Store vectors whose item still has the text they were made from; forget vanished ones."""
    ids = sorted(vectors)
    with transaction.atomic():
        _locked(namespace, ids)
        current = read_digests(ids)
        stored = 0
        for pk in ids:
            if current.get(pk) == digests[pk]:
                store_vector(namespace, pk, vectors[pk], digest=digests[pk], model=model)
                stored += 1
        vanished = [pk for pk in ids if pk not in current]
        forget(namespace, vanished)
    return stored, vanished


def _embed_texts(
    namespace: str, ids: list[int], embedder: Embedder | None, force: bool
) -> EmbedResult:
    """No embedder given: each text with the model for its language (model_for_text, see
    HAVEN_HASHING_LANGUAGES), and its vector under the other model dropped. An embedder given
    (match_eval comparing models, a re-embed with one model): every text with it."""
    result = EmbedResult()
    source = search_source(namespace).texts

    def text_of(some: list[int]) -> dict[int, str]:
        # An empty text has no direction to compare by: such an item has no vector.
        return {pk: text for pk, text in source(some).items() if text.strip()}

    texts = text_of(ids)
    absent = [pk for pk in ids if pk not in texts]
    if absent:
        with transaction.atomic():
            result.forgotten += forget(namespace, absent)
    if embedder is not None:
        result += _embed_with(namespace, texts, text_of, embedder, force)
    else:
        by_model: dict[str, dict[int, str]] = {}
        for pk, text in texts.items():
            by_model.setdefault(model_for_text(text, namespace), {})[pk] = text
        for model, some in by_model.items():
            result += _embed_with(namespace, some, text_of, embedder_for(model), force)
        if len({current_model(), "hashing"}) == 2 and settings.HAVEN_HASHING_LANGUAGES:
            # A text edited into (or out of) such a language leaves the other model's index.
            for model, some in by_model.items():
                other = "hashing" if model != "hashing" else current_model()
                with transaction.atomic():
                    forget_under_model(namespace, list(some), other)
    if namespace == Namespace.POST:
        _refresh_people_for_posts(ids)
    return result


def _embed_with(namespace: str, texts: dict[int, str], text_of, embedder: Embedder, force: bool):
    result = EmbedResult()
    model = model_key(embedder)
    digests = {pk: digest_of(text) for pk, text in texts.items()}
    known = {} if force else stored_digests(namespace, texts, model)
    todo = [pk for pk in texts if known.get(pk) != digests[pk]]
    result.unchanged += len(texts) - len(todo)
    for start in range(0, len(todo), BATCH_SIZE):
        chunk = todo[start : start + BATCH_SIZE]
        matrix = embedder.embed([texts[pk] for pk in chunk])
        vectors = dict(zip(chunk, matrix, strict=True))
        stored, _ = _store_checked(
            namespace,
            vectors,
            {pk: digests[pk] for pk in chunk},
            lambda some: {pk: digest_of(t) for pk, t in text_of(some).items()},
            model,
        )
        result.embedded += stored
    return result


def _refresh_people_for_posts(post_ids: Sequence[int]) -> None:
    """A post's vector describes its author when they chose to be found and it is not
    anonymous; their person vector is recomputed (asked through core's facade, as content
    apps ask: the job that does it is defined in haven.matching.tasks, which imports this)."""

    authors = set(
        Post.objects.filter(
            pk__in=post_ids, is_anonymous=False, author__peer_profile__isnull=False
        ).values_list("author_id", flat=True)
    )
    if authors:
        request_embedding(Namespace.PERSON, authors)


def _person_digest(profile_text: str, post_digests: dict[int, str]) -> str:
    parts = [profile_text] + [f"{pk}:{post_digests[pk]}" for pk in sorted(post_digests)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _person_inputs(member_ids: list[int], model: str) -> dict[int, tuple[str, dict[int, str]]]:
    """Per opted-in member: their profile text and the digests of the post vectors used."""
    profiles = person_profile_texts(member_ids)
    posts_of = person_post_ids(list(profiles))
    all_posts = [pk for pks in posts_of.values() for pk in pks]
    post_digests = stored_digests(Namespace.POST, all_posts, model)
    return {
        member: (text, {pk: post_digests[pk] for pk in posts_of[member] if pk in post_digests})
        for member, text in profiles.items()
    }


def _embed_people(ids: list[int], embedder: Embedder, force: bool) -> EmbedResult:
    """A person's vector: their own profile words and the mean of their public posts' vectors."""
    result = EmbedResult()
    model = model_key(embedder)
    inputs = _person_inputs(ids, model)
    absent = [pk for pk in ids if pk not in inputs]
    if absent:
        with transaction.atomic():
            result.forgotten += forget(Namespace.PERSON, absent)
    digests = {pk: _person_digest(text, posts) for pk, (text, posts) in inputs.items()}
    known = {} if force else stored_digests(Namespace.PERSON, inputs, model)
    todo = [pk for pk in inputs if known.get(pk) != digests[pk]]
    result.unchanged += len(inputs) - len(todo)
    if not todo:
        return result
    profile_matrix = embedder.embed([inputs[pk][0] for pk in todo])
    all_posts = [p for pk in todo for p in inputs[pk][1]]
    post_vectors = stored_vectors(Namespace.POST, all_posts, model=model)
    vectors = {}
    for row, pk in enumerate(todo):
        text, posts = inputs[pk]
        parts = []
        if text:
            parts.append(profile_matrix[row])
        known_posts = [post_vectors[p] for p in posts if p in post_vectors]
        if known_posts:
            parts.append(l2_normalise(np.mean(known_posts, axis=0)))
        if not parts:
            continue  # nothing shared yet: no vector, so never suggested
        vectors[pk] = l2_normalise(np.sum(parts, axis=0))
    if vectors:
        stored, _ = _store_checked(
            Namespace.PERSON,
            vectors,
            {pk: digests[pk] for pk in vectors},
            lambda some: {
                pk: _person_digest(text, posts)
                for pk, (text, posts) in _person_inputs(some, model).items()
            },
            model,
        )
        result.embedded += stored
    return result


def do_embed(
    namespace: str,
    object_ids: Sequence[int],
    *,
    embedder: Embedder | None = None,
    force: bool = False,
) -> EmbedResult:
    """Bring the vectors of these items up to date (idempotent; safe to run twice)."""
    namespace = Namespace(namespace)
    ids = sorted({int(pk) for pk in object_ids})
    if namespace == Namespace.PERSON:
        return _embed_people(ids, embedder or current_embedder(), force)
    return _embed_texts(namespace, ids, embedder, force)


def do_reembed_all(
    namespaces: Iterable[str], *, embedder: Embedder | None = None, force: bool = False
) -> dict[str, EmbedResult]:
    """Embed every eligible item and drop vectors of items no longer eligible."""

    results = {}
    # Posts before people: a person's vector is made from their posts' vectors.
    order = [ns for ns in Namespace if ns in set(namespaces)]
    for namespace in order:
        ids = search_source(namespace).all_ids()
        stale = set(
            Vector.objects.filter(namespace=namespace).values_list("object_id", flat=True)
        ) - set(ids)
        result = EmbedResult()
        if stale:
            with transaction.atomic():
                result.forgotten += forget(namespace, sorted(stale))
        for start in range(0, len(ids), 500):
            result += do_embed(namespace, ids[start : start + 500], embedder=embedder, force=force)
        results[namespace] = result
    return results
