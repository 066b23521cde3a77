"""Hybrid search: full-text and semantic rankings fused by reciprocal rank fusion (RRF).

RRF scores an item by the sum of 1 / (k + rank) over the rankings it appears in. It needs no
score calibration between BM25-like ranks and cosine similarities, and an item both searches
agree on rises to the top. k = 60 is the value of Cormack, Clarke and Büttcher (SIGIR 2009).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from haven.core.embeddings import get_embedder
from haven.matching.models import Namespace
from haven.matching.vectors import MIN_SCORE, current_model, embed_query, nearest

RRF_K = 60
SEMANTIC_DEPTH = 100  # neighbours taken from the vector index for one search


class SearchMode:
    HYBRID = "hybrid"
    FULLTEXT = "fulltext"
    SEMANTIC = "semantic"
    CHOICES = [
        (HYBRID, "Words and meaning"),
        (FULLTEXT, "Exact words only"),
        (SEMANTIC, "Meaning only"),
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


def semantic_ids(
    namespace: str,
    query: str,
    *,
    limit: int = SEMANTIC_DEPTH,
    model: str | None = None,
    cache_for: int | None = None,
) -> list[int]:
    """Items of a namespace ranked by meaning, those below the noise floor left out. The query
    vector is cached only for the member given as ``cache_for`` (see embed_query)."""

    model = model or current_model()
    embedder = get_embedder("minilm" if model == "minilm" else "hashing")
    vector = embed_query(query, embedder, cache_for=cache_for)
    floor = MIN_SCORE[model] * 0.7  # search casts a wider net than suggestions
    return [n.object_id for n in nearest(namespace, vector, limit, model=model)
            if n.score >= floor]  # fmt: skip


def semantic_post_ids(
    query: str, limit: int = SEMANTIC_DEPTH, *, cache_for: int | None = None
) -> list[int]:
    return semantic_ids(Namespace.POST, query, limit=limit, cache_for=cache_for)
