#!/usr/bin/env python3
"""Validate haven/matching/data/eval_queries.json against the demo content and resources.

Run from the repository root (stdlib only):

    python3 tools/check_eval_queries.py

Checks (any failure -> non-zero exit):
  * the file loads, has version/description/queries, every query has the expected fields;
  * ids are unique, query texts are unique, there are at least MIN_QUERIES queries;
  * every thread title / community slug / resource slug exists in the source files;
  * every query has at least one relevant item, and at least MIN_WITH_CONTENT queries
    have a relevant thread or resource;
  * every thread, community and resource is the target of at least one query;
  * no query copies a long run of words from the source text (COPY_NGRAM words in a row).

For information only it also prints the query-type mix and how many queries overlap
heavily in wording with their targets (a rough check on the paraphrase share).

These queries are evaluation data: keep them out of any training or tuning set.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
HAVEN = HERE.parent / "haven"
EVAL_PATH = HERE / "eval_queries.json"
DEMO_PATH = HAVEN / "demo" / "data" / "demo_content.json"
RESOURCES_PATH = HAVEN / "wellness" / "data" / "resources.json"

MIN_QUERIES = 100
MIN_WITH_CONTENT = 100
COPY_NGRAM = 7
HEAVY_JACCARD = 0.3
FIELDS = ("threads", "communities", "resources")

STOPWORDS = set(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "am",
        "an",
        "and",
        "any",
        "anyone",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don't",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "out",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "too",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "#",
        "generic",
        "words",
        "that",
        "carry",
        "no",
        "topic",
        "on",
        "their",
        "own",
        "actually",
        "again",
        "ago",
        "ever",
        "every",
        "everyone",
        "feel",
        "feeling",
        "feels",
        "first",
        "get",
        "getting",
        "go",
        "going",
        "here",
        "like",
        "much",
        "now",
        "one",
        "people",
        "really",
        "since",
        "still",
        "stop",
        "thing",
        "things",
        "through",
        "time",
        "way",
        "went",
    ]
)
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
FIRST_PERSON = {"i", "i'm", "i've", "i'd", "i'll", "my", "me", "myself"}


def words(text):
    return WORD_RE.findall(text.lower().replace("\u2019", "'"))


def jaccard(a, b):
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def query_kind(text):
    w = words(text)
    if text.rstrip().endswith("?"):
        return "question"
    if len(w) >= 10 and FIRST_PERSON & set(w):
        return "first-person"
    return "short"


def main():
    problems = []
    try:
        demo = json.loads(DEMO_PATH.read_text(encoding="utf-8"))
        resources = json.loads(RESOURCES_PATH.read_text(encoding="utf-8"))
        data = json.loads(EVAL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"FAIL: could not load input: {exc}")
        return 1

    threads = {t["title"]: t for t in demo["threads"]}
    communities = {c["slug"]: c for c in demo["communities"]}
    res = {r["slug"]: r for r in resources}

    # Source text for the copy check: n-grams from every thread, reply, community and resource.
    source_texts = [c["name"] + " " + c["description"] for c in demo["communities"]]
    for t in demo["threads"]:
        source_texts += [t["title"], t["body"]]
        source_texts += [
            r if isinstance(r, str) else r.get("body", "") for r in t.get("replies", [])
        ]
    for r in resources:
        source_texts += [r["title"], r["summary"], r["body"]]
    source_ngrams = set()
    for text in source_texts:
        w = words(text)
        source_ngrams.update(tuple(w[i : i + COPY_NGRAM]) for i in range(len(w) - COPY_NGRAM + 1))

    if not isinstance(data, dict) or data.get("version") != 1 or not data.get("description"):
        problems.append("top level must be an object with version 1 and a description")
    queries = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(queries, list):
        print("FAIL: 'queries' must be a list")
        return 1

    ids = Counter(q.get("id") for q in queries if isinstance(q, dict))
    texts = Counter(q.get("query", "").strip().lower() for q in queries if isinstance(q, dict))
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    problems += [f"duplicate query text {t!r}" for t, n in texts.items() if n > 1]
    if len(queries) < MIN_QUERIES:
        problems.append(f"only {len(queries)} queries, need at least {MIN_QUERIES}")

    hit = {f: Counter() for f in FIELDS}
    known = {"threads": threads, "communities": communities, "resources": res}
    sizes = Counter()
    with_content = 0
    kinds = Counter()
    heavy_title = 0
    shares_word = 0

    for q in queries:
        if not isinstance(q, dict):
            problems.append(f"query entry is not an object: {q!r}")
            continue
        qid = q.get("id", "?")
        text = q.get("query")
        if not isinstance(qid, str) or not re.fullmatch(r"q\d{3,}", qid):
            problems.append(f"{qid}: id should look like q001")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{qid}: empty query text")
            continue
        total = 0
        for field in FIELDS:
            items = q.get(field)
            if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
                problems.append(f"{qid}: {field} must be a list of strings")
                continue
            if len(set(items)) != len(items):
                problems.append(f"{qid}: duplicate entries in {field}")
            for item in items:
                if item not in known[field]:
                    problems.append(f"{qid}: unknown {field[:-1]} {item!r}")
                hit[field][item] += 1
            total += len(items)
        sizes[total] += 1
        if total == 0:
            problems.append(f"{qid}: no relevant items")
        if q.get("threads") or q.get("resources"):
            with_content += 1

        qw = words(text)
        kinds[query_kind(text)] += 1
        for i in range(len(qw) - COPY_NGRAM + 1):
            if tuple(qw[i : i + COPY_NGRAM]) in source_ngrams:
                problems.append(
                    f"{qid}: copies {COPY_NGRAM}+ words from the source text: "
                    f"{' '.join(qw[i : i + COPY_NGRAM])!r}"
                )
                break

        # Overlap with relevant thread titles (and resource titles) -- information only.
        titles = [t for t in q.get("threads") or [] if t in threads]
        titles += [res[s]["title"] for s in q.get("resources") or [] if s in res]
        if titles and max(jaccard(qw, words(t)) for t in titles) > HEAVY_JACCARD:
            heavy_title += 1
        content = set(qw) - STOPWORDS
        if any(content & (set(words(t)) - STOPWORDS) for t in titles):
            shares_word += 1

    if with_content < MIN_WITH_CONTENT:
        problems.append(
            f"only {with_content} queries have a relevant thread or resource, "
            f"need at least {MIN_WITH_CONTENT}"
        )
    for field in FIELDS:
        missing = sorted(set(known[field]) - set(hit[field]))
        for item in missing:
            problems.append(f"{field[:-1]} never targeted: {item!r}")

    n = len(queries) or 1
    print(f"queries: {len(queries)}  (with a relevant thread or resource: {with_content})")
    print(
        "query mix (heuristic): "
        + ", ".join(
            f"{k} {kinds[k]} ({kinds[k] / n:.0%})" for k in ("short", "question", "first-person")
        )
    )
    print(
        "relevant items per query: "
        + ", ".join(f"{k}: {sizes[k]}" for k in sorted(sizes))
        + f"  (mean {sum(k * v for k, v in sizes.items()) / n:.2f})"
    )
    for field in FIELDS:
        per_q = sum(hit[field].values()) / n
        covered = len(set(hit[field]) & set(known[field]))
        least = min((hit[field][x] for x in known[field]), default=0)
        print(
            f"{field}: covered {covered}/{len(known[field])}, "
            f"{per_q:.2f} per query, least-targeted item has {least} queries"
        )
    print(
        f"heavy word overlap (Jaccard > {HEAVY_JACCARD} with a relevant thread/resource title): "
        f"{heavy_title}/{n} ({heavy_title / n:.0%})"
    )
    print(
        f"shares at least one content word with a relevant title: {shares_word}/{n} "
        f"({shares_word / n:.0%})"
    )

    if problems:
        print(f"\nFAIL: {len(problems)} problem(s)")
        for p in problems:
            print("  - " + p)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
