"""Hybrid search: full-text and semantic rankings fused by reciprocal rank fusion (RRF).

RRF scores an item by the sum of 1 / (k + rank) over the rankings it appears in. It needs no
score calibration between BM25-like ranks and cosine similarities, and an item both searches
agree on rises to the top. k = 60 is the value of Cormack, Clarke and Büttcher (SIGIR 2009).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.core.embeddings import get_embedder
from haven.matching.models import Namespace
from haven.matching.vectors import MIN_SCORE, embed_query, model_for_text, nearest

RRF_K = 60
SEMANTIC_DEPTH = 100  # neighbours taken from the vector index for one search
# HAVEN_SEARCH_MIN_SIMILARITY is a MiniLM cosine. On the demo data MiniLM gives 0.13-0.28 to
# queries about nothing there (keyboard mash, "recipe for lasagna", "hello") and 0.31-0.62 to
# the best post of real ones. The hashing fallback knows spelling, not meaning: its cosines run
# about half as high (keyboard mash at most 0.12, shared words 0.15-0.27), hence the scale.
SIMILARITY_SCALE = {"minilm": 1.0, "hashing": 0.5}


class SearchMode:
    HYBRID = "hybrid"
    FULLTEXT = "fulltext"
    SEMANTIC = "semantic"
    CHOICES = [
        (HYBRID, _("Words and meaning")),
        (FULLTEXT, _("Exact words only")),
        (SEMANTIC, _("Meaning only")),
    ]
    VALUES = (HYBRID, FULLTEXT, SEMANTIC)


def reciprocal_rank_fusion[K: Hashable](rankings: Sequence[Sequence[K]], k: int = RRF_K) -> list[K]:
    scores: dict[K, float] = {}
    first_seen: dict[K, int] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
            first_seen.setdefault(key, len(first_seen))
    return sorted(scores, key=lambda key: (-scores[key], first_seen[key]))


@dataclass(frozen=True)
class SemanticHit:
    object_id: int
    similarity: float  # cosine similarity to the query


def search_min_similarity(model: str, namespace: str = Namespace.POST) -> float:
    """Below this a post is only the least unrelated one, not a match: a query about nothing
    here should find nothing rather than the closest random posts."""
    if namespace != Namespace.POST:
        # Only posts are searched by meaning on a page; communities and resources are ranked
        # so only by `haven match_eval`, which keeps the wider net they were measured with.
        return MIN_SCORE[model] * 0.7
    return settings.HAVEN_SEARCH_MIN_SIMILARITY * SIMILARITY_SCALE[model]


def semantic_hits(
    namespace: str,
    query: str,
    *,
    limit: int = SEMANTIC_DEPTH,
    model: str | None = None,
    cache_for: int | None = None,
) -> list[SemanticHit]:
    """Items of a namespace ranked by meaning, those below the search threshold left out. The
    query vector is cached only for the member given as ``cache_for`` (see embed_query)."""

    # No model asked for: the one the query's language is matched with (model_for_text).
    model = model or model_for_text(query)
    embedder = get_embedder("minilm" if model == "minilm" else "hashing")
    vector = embed_query(query, embedder, cache_for=cache_for)
    floor = search_min_similarity(model, namespace)
    neighbours = nearest(namespace, vector, limit, model=model)
    return [SemanticHit(n.object_id, n.score) for n in neighbours if n.score >= floor]


def semantic_ids(
    namespace: str,
    query: str,
    *,
    limit: int = SEMANTIC_DEPTH,
    model: str | None = None,
    cache_for: int | None = None,
) -> list[int]:
    found = semantic_hits(namespace, query, limit=limit, model=model, cache_for=cache_for)
    return [hit.object_id for hit in found]


def semantic_post_hits(
    query: str, limit: int = SEMANTIC_DEPTH, *, cache_for: int | None = None
) -> list[SemanticHit]:
    return semantic_hits(Namespace.POST, query, limit=limit, cache_for=cache_for)


def semantic_post_ids(
    query: str, limit: int = SEMANTIC_DEPTH, *, cache_for: int | None = None
) -> list[int]:
    return semantic_ids(Namespace.POST, query, limit=limit, cache_for=cache_for)
