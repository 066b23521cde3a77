"""Safety pipeline speed on one core: messages per second and p50/p99 latency per message,
for the fast path and with embeddings, in English and in Spanish (each language's evaluation
texts), beside a baseline measured in the same run (the personal-data rules alone, the cheapest
complete detector).

Run: .venv/bin/python bench/safety.py [--messages 2000]
The last line is JSON.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

# One core, and one thread in every numeric library, before numpy loads.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
os.environ.setdefault("HAVEN_DATA_DIR", str(ROOT / "var"))

import django  # noqa: E402

django.setup()

from haven.safety.detectors.personal_data import find_personal_data  # noqa: E402
from haven.safety.evaluation import EVALUATION_DATA_BY_LANGUAGE, read_evaluation_set  # noqa: E402
from haven.safety.pipeline import ScreenContext, screen  # noqa: E402
from haven.safety.scorers import embeddings_enabled, profanity, semantic_index  # noqa: E402


def run(texts: list[str], fn) -> dict:
    timings = []
    started = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter()
        fn(text)
        timings.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - started
    timings.sort()
    return {
        "messages_per_s": round(len(texts) / total, 1),
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[max(0, int(len(timings) * 0.99) - 1)], 3),
        "max_ms": round(timings[-1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()

    def repeated(language: str) -> list[str]:
        corpus = [e["text"] for e in read_evaluation_set(EVALUATION_DATA_BY_LANGUAGE[language])]
        return (corpus * (args.messages // len(corpus) + 1))[: args.messages]

    texts = repeated("en")
    fast = ScreenContext(surface="reply", use_embeddings=False)
    full = ScreenContext(surface="reply", use_embeddings=True)
    # Trains or loads the cached models (and the language detector) once.
    screen("warm up the models", fast)
    screen("calentar los modelos en español", fast)
    profanity("warm up the profanity model")
    results = {"baseline_personal_data_rules": run(texts, find_personal_data)}
    results["fast_path"] = run(texts, lambda text: screen(text, fast))
    results["fast_path_spanish"] = run(repeated("es"), lambda text: screen(text, fast))
    if embeddings_enabled():
        started = time.perf_counter()
        semantic_index()
        load_seconds = time.perf_counter() - started
        results["with_embeddings"] = run(texts, lambda text: screen(text, full))
        results["with_embeddings"]["index_load_s"] = round(load_seconds, 2)
    else:
        results["with_embeddings"] = None

    print(f"{'path':32} {'msg/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, figures in results.items():
        if figures is None:
            print(f"{name:32} (embeddings not installed)")
            continue
        print(
            f"{name:32} {figures['messages_per_s']:>9} {figures['p50_ms']:>8} "
            f"{figures['p99_ms']:>8} {figures['max_ms']:>8}"
        )
    for name, language in (("fast_path", "English"), ("fast_path_spanish", "Spanish")):
        p99 = results[name]["p99_ms"]
        verdict = "met" if p99 < 10 else "NOT met"
        print(f"fast path p99, {language}: {p99} ms (target < 10 ms): {verdict}")
    print(json.dumps({"bench": "safety", "messages": len(texts), "cores": 1, "results": results}))


if __name__ == "__main__":
    main()
