"""Vector search for matching: build time, top-10 latency p50/p99, recall@10 and memory of each
index backend over 100,000 profile vectors, beside exact brute force measured in the same run.

Run: .venv/bin/python bench/match.py [--n 100000] [--queries 500]
                                     [--backends numpy,sqlite-vec,pgvector]

The vectors follow the real model's distribution rather than uniform noise: a few thousand short
texts built from lists of mental-health topics, situations, feelings and phrasings below are
embedded with all-MiniLM-L6-v2, and each of the n vectors is one of them plus gaussian noise
(cosine about 0.875 to its text), renormalised. Queries are held-out texts, perturbed the same
way. Recall@10 is measured against exact search. pgvector runs on HAVEN_PGVECTOR_URL or on a
PostgreSQL started from scripts/fetch_pgserver's binaries. The last line is JSON.
"""

import argparse
import contextlib
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from haven.core.embeddings import get_embedder, minilm_available  # noqa: E402
from haven.matching.backends import INDEX_KINDS, make_index  # noqa: E402
from haven.matching.backends.pgvector_index import DEFAULT_EF_SEARCH, PgVectorIndex  # noqa: E402
from tests.support.pgvector_server import pgvector_dsn  # noqa: E402

K = 10
NAMESPACE = "person"
WARM_UP_QUERIES = 20
TARGET_P99_MS = 10.0
TARGET_RECALL = 0.95
TARGET_COSINE_TO_TEXT = 0.875
EF_SEARCH_SWEEP = (40, 64, 100, 150, 200, 400)

TOPICS = [
    "anxiety",
    "depression",
    "grief after losing a parent",
    "panic attacks",
    "loneliness",
    "burnout at work",
    "social anxiety",
    "postnatal depression",
    "intrusive thoughts",
    "flashbacks after trauma",
    "an eating disorder",
    "urges to self-harm",
    "insomnia",
    "bipolar mood swings",
    "ADHD and keeping focus",
    "anger I can't control",
    "low self-esteem",
    "a breakup",
    "caring for a sick relative",
    "exam stress",
    "money worries",
    "coming out to my family",
    "chronic pain",
    "drinking too much",
    "health anxiety",
    "a miscarriage",
]
SITUATIONS = [
    "since I moved to a new city",
    "after I lost my job",
    "since my divorce",
    "in my first year at university",
    "since the baby was born",
    "after my dad died",
    "since the pandemic",
    "at night when everyone is asleep",
    "before every shift",
    "whenever I'm with my family",
    "since starting new medication",
    "after a stay in hospital",
    "on weekends",
    "since my best friend stopped talking to me",
    "when I scroll social media",
    "after the car accident",
    "while waiting for a diagnosis",
    "since I retired",
    "when I have to speak in meetings",
    "every time the rent is due",
]
FEELINGS = [
    "exhausted",
    "numb",
    "on edge",
    "hopeless",
    "ashamed",
    "overwhelmed",
    "restless",
    "empty",
    "scared",
    "angry at myself",
    "completely alone",
    "a little better",
    "stuck",
    "guilty",
    "calmer than last week",
]
PHRASINGS = [
    "I've been feeling {feeling} {situation} and I think it's {topic}.",
    "Does anyone else feel {feeling} {situation}? Struggling with {topic}.",
    "Looking for someone who understands {topic}; I feel {feeling} {situation}.",
    "How do you cope with {topic}? I'm {feeling} {situation}.",
    "Peer listener wanted: {topic}, feeling {feeling} {situation}.",
    "Therapist who specialises in {topic}, for a client who feels {feeling} {situation}.",
    "Today was hard. {Situation} I feel {feeling}. {Topic} again.",
    "I volunteer as a listener; I lived through {topic} and remember feeling {feeling} "
    "{situation}.",
    "Practical tips for {topic} when you feel {feeling} {situation}.",
    "Small win: less {feeling} {situation}, even with {topic}.",
]


def make_texts(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` different texts, each one phrasing filled from the lists above."""
    texts: dict[str, None] = {}
    while len(texts) < count:
        topic = TOPICS[rng.integers(len(TOPICS))]
        situation = SITUATIONS[rng.integers(len(SITUATIONS))]
        feeling = FEELINGS[rng.integers(len(FEELINGS))]
        phrasing = PHRASINGS[rng.integers(len(PHRASINGS))]
        text = phrasing.format(
            topic=topic,
            Topic=topic[0].upper() + topic[1:],
            situation=situation,
            Situation=situation[0].upper() + situation[1:] + ",",
            feeling=feeling,
        )
        texts[text] = None
    return list(texts)


def perturb(
    bases: np.ndarray, picks: np.ndarray, sigma: float, rng: np.random.Generator
) -> np.ndarray:
    """``bases[picks]`` plus gaussian noise of ``sigma`` per dimension, renormalised (in blocks)."""
    out = np.empty((picks.size, bases.shape[1]), dtype=np.float32)
    for start in range(0, picks.size, 20000):
        block = bases[picks[start : start + 20000]]
        block = block + rng.standard_normal(block.shape, dtype=np.float32) * np.float32(sigma)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + block.shape[0]] = block
    return out


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[max(0, math.ceil(len(sorted_values) * fraction) - 1)]


def latency(fn: Callable[[np.ndarray], list[int]], queries: np.ndarray) -> tuple[dict, list]:
    """p50/p99 of ``fn`` over ``queries`` after a warm-up; also every answer, for recall."""
    for query in queries[:WARM_UP_QUERIES]:
        fn(query)
    timings, answers = [], []
    for query in queries:
        started = time.perf_counter()
        answers.append(fn(query))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    figures = {
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(percentile(timings, 0.99), 3),
        "max_ms": round(timings[-1], 3),
    }
    return figures, answers


def recall_at_k(answers: list[list[int]], truth: np.ndarray) -> float:
    hits = sum(
        len(set(found) & set(expected.tolist()))
        for found, expected in zip(answers, truth, strict=True)
    )
    return round(hits / (len(answers) * K), 4)


@contextlib.contextmanager
def pgvector_or_none() -> Iterator[str | None]:
    try:
        with pgvector_dsn() as dsn:
            yield dsn
    except RuntimeError as error:  # binaries missing or the server would not start
        print(f"pgvector: skipped ({error})")
        yield None


def measure_backend(
    kind: str,
    vectors: np.ndarray,
    ids: np.ndarray,
    queries: np.ndarray,
    truth: np.ndarray,
    work_dir: str,
    dsn: str | None,
) -> dict:
    path = os.path.join(work_dir, "vectors.sqlite3") if kind == "sqlite-vec" else None
    index = make_index(kind, dimensions=vectors.shape[1], path=path, dsn=dsn)
    try:
        started = time.perf_counter()
        index.add(NAMESPACE, ids, vectors)
        build_s = time.perf_counter() - started
        assert index.count(NAMESPACE) == len(ids), "every vector was stored"

        def search(query: np.ndarray) -> list[int]:
            return [n.object_id for n in index.search(NAMESPACE, query, K)]

        figures, answers = latency(search, queries)
        result = {
            "build_s": round(build_s, 2),
            **figures,
            "recall_at_10": recall_at_k(answers, truth),
            "memory_mb": round(index.memory_bytes() / 2**20, 1),
        }
        if kind == "pgvector":
            result["ef_search"] = DEFAULT_EF_SEARCH
            result["m"] = index.m
            result["ef_construction"] = index.ef_construction
            result["ef_search_sweep"] = sweep_ef_search(dsn, vectors.shape[1], queries, truth)
        return result
    finally:
        index.close()


def sweep_ef_search(dsn: str, dimensions: int, queries: np.ndarray, truth: np.ndarray) -> dict:
    """Latency and recall of the same HNSW index at other ef_search settings."""
    sweep = {}
    for ef_search in EF_SEARCH_SWEEP:
        index = PgVectorIndex(dimensions, dsn, ef_search=ef_search)
        try:

            def search(query: np.ndarray, index: PgVectorIndex = index) -> list[int]:
                return [n.object_id for n in index.search(NAMESPACE, query, K)]

            figures, answers = latency(search, queries)
        finally:
            index.close()
        sweep[str(ef_search)] = {**figures, "recall_at_10": recall_at_k(answers, truth)}
    return sweep


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="profile vectors to index")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--texts", type=int, default=3000, help="texts the vectors grow from")
    parser.add_argument("--backends", default=",".join(INDEX_KINDS))
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = sorted(set(backends) - set(INDEX_KINDS))
    if unknown:
        parser.error(f"unknown backends {unknown}; choose from {', '.join(INDEX_KINDS)}")
    run_started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    # -- data ----------------------------------------------------------------------------------
    if minilm_available():
        embedder = get_embedder("minilm")
    else:
        print(
            "MiniLM is not installed: falling back to the hashing embedder (spelling, not meaning)"
        )
        embedder = get_embedder("hashing")
    held_out = max(50, min(args.queries, 1000))
    texts = make_texts(args.texts + held_out, rng)
    started = time.perf_counter()
    text_vectors = embedder.embed(texts)
    embed_s = time.perf_counter() - started
    bases, query_bases = text_vectors[: args.texts], text_vectors[args.texts :]
    dimensions = text_vectors.shape[1]
    # A unit vector plus N(0, sigma^2) per dimension has cosine ~ 1 / sqrt(1 + d sigma^2) to it.
    sigma = math.sqrt((1 / TARGET_COSINE_TO_TEXT**2 - 1) / dimensions)
    picks = rng.integers(0, len(bases), args.n)
    vectors = perturb(bases, picks, sigma, rng)
    cosine_to_text = float(np.mean(np.sum(vectors * bases[picks], axis=1)))
    queries = perturb(query_bases, rng.integers(0, len(query_bases), args.queries), sigma, rng)
    ids = np.arange(1, args.n + 1, dtype=np.int64)
    pairwise = bases[:500] @ bases[:500].T
    text_cosine = float(pairwise[np.triu_indices(500, 1)].mean())
    print(
        f"{args.n} vectors of {dimensions} from {len(bases)} texts embedded with {embedder.name} "
        f"in {embed_s:.1f} s; noise sigma {sigma:.4f} (mean cosine to its text "
        f"{cosine_to_text:.3f}); mean cosine between texts {text_cosine:.3f}; "
        f"{args.queries} queries from {len(query_bases)} held-out texts; {cores} cores"
    )

    # -- exact answers and the brute-force baseline --------------------------------------------
    truth = np.empty((args.queries, K), dtype=np.int64)
    for start in range(0, args.queries, 100):
        scores = queries[start : start + 100] @ vectors.T
        top = np.argpartition(-scores, K - 1, axis=1)[:, :K]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1)
        truth[start : start + 100] = ids[np.take_along_axis(top, order, axis=1)]

    def brute_force(query: np.ndarray) -> list[int]:
        return ids[np.argsort(-(vectors @ query))[:K]].tolist()

    baseline, answers = latency(brute_force, queries)
    baseline["recall_at_10"] = recall_at_k(answers, truth)
    results: dict[str, dict | None] = {}

    # -- the backends --------------------------------------------------------------------------
    with tempfile.TemporaryDirectory(prefix="haven-bench-match-") as work_dir:
        for kind in backends:
            if kind == "pgvector":
                with pgvector_or_none() as dsn:
                    results[kind] = (
                        measure_backend(kind, vectors, ids, queries, truth, work_dir, dsn)
                        if dsn
                        else None
                    )
            else:
                results[kind] = measure_backend(kind, vectors, ids, queries, truth, work_dir, None)
            print(f"  {kind}: done", file=sys.stderr)

    # -- report --------------------------------------------------------------------------------
    targets = {
        "numpy": f"p99 < {TARGET_P99_MS:g} ms",
        "pgvector": f"p99 < {TARGET_P99_MS:g} ms, recall@10 >= {TARGET_RECALL}",
    }
    verdicts: dict[str, str] = {}
    if results.get("numpy"):
        verdicts["numpy"] = verdict(results["numpy"]["p99_ms"] < TARGET_P99_MS)
    if results.get("pgvector"):
        pg = results["pgvector"]
        verdicts["pgvector"] = verdict(
            pg["p99_ms"] < TARGET_P99_MS and pg["recall_at_10"] >= TARGET_RECALL
        )
    print()
    header = (
        f"{'backend':28} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'recall@10':>9} "
        f"{'memory MB':>9}  target"
    )
    print(header)
    print("-" * len(header))
    raw_mb = args.n * dimensions * 4 / 2**20
    print(
        f"{'baseline: matrix@q + argsort':28} {'-':>8} {baseline['p50_ms']:>8} "
        f"{baseline['p99_ms']:>8} {baseline['recall_at_10']:>9} {raw_mb:>9.1f}"
    )
    for kind in backends:
        figures = results.get(kind)
        if figures is None:
            print(f"{kind:28} (not run: PostgreSQL with pgvector unavailable)")
            continue
        target = f"{targets[kind]}: {verdicts[kind]}" if kind in targets else "(exact; no target)"
        label = f"{kind} (ef_search {figures['ef_search']})" if kind == "pgvector" else kind
        print(
            f"{label:28} {figures['build_s']:>8} {figures['p50_ms']:>8} {figures['p99_ms']:>8} "
            f"{figures['recall_at_10']:>9} {figures['memory_mb']:>9}  {target}"
        )
    pg = results.get("pgvector")
    if pg:
        print()
        print(
            f"pgvector HNSW (m={pg['m']}, ef_construction={pg['ef_construction']}), "
            "ef_search sweep on the same index:"
        )
        for ef_search, figures in pg["ef_search_sweep"].items():
            ok = figures["p99_ms"] < TARGET_P99_MS and figures["recall_at_10"] >= TARGET_RECALL
            print(
                f"  ef_search {ef_search:>4}: p50 {figures['p50_ms']:>7} ms  "
                f"p99 {figures['p99_ms']:>7} ms  recall@10 {figures['recall_at_10']:<7} "
                f"{verdict(ok)}"
            )
    total_s = time.perf_counter() - run_started
    print(f"total run time {total_s:.0f} s")
    print(
        json.dumps(
            {
                "bench": "match",
                "n": args.n,
                "dimensions": dimensions,
                "queries": args.queries,
                "k": K,
                "cores": cores,
                "embedder": embedder.name,
                "texts": len(bases),
                "noise_sigma": round(sigma, 5),
                "mean_cosine_to_text": round(cosine_to_text, 4),
                "baseline_brute_force": baseline,
                "results": results,
                "targets": targets,
                "verdicts": verdicts,
                "total_s": round(total_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
