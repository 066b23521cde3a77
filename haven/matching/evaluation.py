"""Retrieval quality on a set of queries written for this project (data/eval_queries.json).

Each query lists the demo threads, communities and resources a person typing it would want.
For every method (full text alone, embeddings alone with each model, hybrid) and every kind of
item, the method ranks items; recall@5 and nDCG@10 (binary relevance) are averaged over the
(query, kind) pairs that have at least one relevant item. The queries are evaluation only:
no model here learns from them, and no threshold was fitted to them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from haven.communities.models import Community
from haven.core import fulltext
from haven.core.embeddings import Embedder
from haven.forums.models import Post, Thread
from haven.matching.hybrid import reciprocal_rank_fusion, semantic_ids
from haven.matching.models import Namespace
from haven.matching.vectors import model_key
from haven.wellness.models import Resource

EVAL_SET = Path(__file__).resolve().parent / "data" / "eval_queries.json"
# Queries in Spanish, for the Spanish demo community, threads and resources (issue 19).
EVAL_SETS = {"en": EVAL_SET, "es": EVAL_SET.with_name("eval_queries_es.json")}
KINDS = ("threads", "communities", "resources")
DEPTH = 100  # items each method ranks per query


class EvalSetError(Exception):
    pass


@dataclass
class EvalQuery:
    id: str
    text: str
    relevant: dict[str, set[int]]


@dataclass
class Scores:
    recall_at_5: float
    ndcg_at_10: float
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "recall@5": round(self.recall_at_5, 4),
            "ndcg@10": round(self.ndcg_at_10, 4),
            "by_kind": {
                kind: {name: round(value, 4) for name, value in values.items()}
                for kind, values in self.by_kind.items()
            },
        }


def recall_at(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant)


def ndcg_at(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    dcg = sum(1 / math.log2(rank + 2) for rank, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return dcg / ideal


def load_queries(path: Path = EVAL_SET) -> list[EvalQuery]:
    """The eval set with titles and slugs resolved to the ids of this database's demo data."""

    data = json.loads(path.read_text())
    threads = dict(Thread.objects.filter(is_deleted=False).values_list("title", "pk"))
    communities = dict(Community.objects.values_list("slug", "pk"))
    resources = dict(
        Resource.objects.filter(status=Resource.Status.PUBLISHED).values_list("slug", "pk")
    )
    lookups = {"threads": threads, "communities": communities, "resources": resources}
    missing = []
    queries = []
    for raw in data["queries"]:
        relevant: dict[str, set[int]] = {}
        for kind in KINDS:
            ids = set()
            for key in raw.get(kind, []):
                if key in lookups[kind]:
                    ids.add(lookups[kind][key])
                else:
                    missing.append(f"{kind}: {key}")
            relevant[kind] = ids
        queries.append(EvalQuery(raw["id"], raw["query"], relevant))
    if missing:
        raise EvalSetError(
            f"{len(missing)} items of the eval set are not in this database (first: "
            f"{missing[0]}). Load the demo data first: haven load_demo_data"
        )
    return queries


def _threads_of_posts(post_ids: Sequence[int]) -> list[int]:

    thread_of = dict(Post.objects.filter(pk__in=list(post_ids)).values_list("pk", "thread_id"))
    seen: dict[int, None] = {}
    for pk in post_ids:
        if pk in thread_of:
            seen.setdefault(thread_of[pk], None)
    return list(seen)


def fulltext_ranking(kind: str, query: str) -> list[int]:
    if kind == "threads":
        hits = fulltext.search(query, ("post",))[:DEPTH]
        return _threads_of_posts([hit.object_id for hit in hits])
    source = {"communities": "community", "resources": "resource"}[kind]
    return [hit.object_id for hit in fulltext.search(query, (source,))[:DEPTH]]


def semantic_ranking(kind: str, query: str, embedder: Embedder) -> list[int]:
    namespace = {
        "threads": Namespace.POST,
        "communities": Namespace.COMMUNITY,
        "resources": Namespace.RESOURCE,
    }[kind]
    # The same path as the search page: the noise floor applies here too.
    found = semantic_ids(namespace, query, limit=DEPTH, model=model_key(embedder))
    return _threads_of_posts(found) if kind == "threads" else found


def evaluate(queries: Sequence[EvalQuery], rank: Callable[[str, str], list[int]]) -> Scores:
    recalls: dict[str, list[float]] = {kind: [] for kind in KINDS}
    ndcgs: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for query in queries:
        for kind in KINDS:
            relevant = query.relevant[kind]
            if not relevant:
                continue
            ranked = rank(kind, query.text)
            recalls[kind].append(recall_at(ranked, relevant, 5))
            ndcgs[kind].append(ndcg_at(ranked, relevant, 10))
    all_recalls = [value for values in recalls.values() for value in values]
    all_ndcgs = [value for values in ndcgs.values() for value in values]
    return Scores(
        recall_at_5=sum(all_recalls) / len(all_recalls),
        ndcg_at_10=sum(all_ndcgs) / len(all_ndcgs),
        by_kind={
            kind: {
                "recall@5": sum(recalls[kind]) / len(recalls[kind]),
                "ndcg@10": sum(ndcgs[kind]) / len(ndcgs[kind]),
                "pairs": len(recalls[kind]),
            }
            for kind in KINDS
            if recalls[kind]
        },
    )


def run_evaluation(
    queries: Sequence[EvalQuery], embedders: Sequence[Embedder]
) -> dict[str, Scores]:
    """Full text, then embeddings and hybrid for each model: {"fulltext": ..., "minilm": ...,
    "hybrid-minilm": ...}. Vectors for each model must exist (see `haven match_eval`)."""
    results = {"fulltext": evaluate(queries, fulltext_ranking)}
    for embedder in embedders:
        key = model_key(embedder)

        def semantic(kind: str, text: str, embedder: Embedder = embedder) -> list[int]:
            return semantic_ranking(kind, text, embedder)

        def hybrid(kind: str, text: str, embedder: Embedder = embedder) -> list[int]:
            return reciprocal_rank_fusion(
                [fulltext_ranking(kind, text), semantic_ranking(kind, text, embedder)]
            )

        results[f"embeddings-{key}"] = evaluate(queries, semantic)
        results[f"hybrid-{key}"] = evaluate(queries, hybrid)
    if len(embedders) > 1:
        # What the site does: each query with the model for its language.
        results["hybrid-by-language"] = evaluate(
            queries,
            lambda kind, text: reciprocal_rank_fusion(
                [fulltext_ranking(kind, text), routed_ranking(kind, text)]
            ),
        )
    return results


def routed_ranking(kind: str, query: str) -> list[int]:
    namespace = {
        "threads": Namespace.POST,
        "communities": Namespace.COMMUNITY,
        "resources": Namespace.RESOURCE,
    }[kind]
    found = semantic_ids(namespace, query, limit=DEPTH)  # no model: the query's language's
    return _threads_of_posts(found) if kind == "threads" else found
