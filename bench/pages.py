"""Page and API latency for Haven's busiest reads, beside Django's own minimal view.

Run: .venv/bin/python bench/pages.py [--requests 300] [--scale]
Everything runs in one process on a fresh SQLite database in a temporary folder (or on
DATABASE_URL's database when set: it must be a throwaway one); the safety models and the
semantic crisis index are made first, once, in var/models/ (as `haven safety_warmup` does at
deploy time), so no background build competes with the requests. Requests go through the full
middleware stack with Django's test client, so the figures compare Haven's work with the
framework's floor measured in the same run. The last line is JSON.

--scale measures the demo data first, then bulk-inserts 20,000 threads, 200,000 replies (one
thread of 1,000), 5,000 members and 2,000 notifications for the viewer (--threads, --replies,
--members; what `haven seed_scale --vectors` does, with each post's vector drawn from the
configured model's distribution), and measures the feeds, a community page, the first and last
page of the long thread, full-text search for a common and a rare word, hybrid search with a new
query each time (its embedding included) and the notifications page again: each ratio beside
its small-data one (target: within 2x), and the searches' p99 beside their own targets (50 ms
full-text, 100 ms hybrid).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HAVEN_DATA_DIR", tempfile.mkdtemp(prefix="haven-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
# The safety models and the semantic crisis index, trained and embedded once for every run:
# built inside the run, they took the CPU from the requests being measured.
os.environ.setdefault("HAVEN_MODEL_DIR", str(ROOT / "var" / "models"))

from haven.local_setup import prepare  # noqa: E402

prepare()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

# At scale, whatever the machine: a search's p99 in milliseconds (issue 18).
SEARCH_P99_TARGETS_MS = {
    "search_common_word": 50,
    "search_rare_word": 50,
    "search_hybrid_new_query": 100,
}


def minimal_view(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal_view), path("", include("haven.urls"))]


def measure(client: Client, url: str, count: int) -> dict:
    """One URL again and again; a URL with {n} gets a new number each time (so a search query
    is never the one just cached)."""
    for n in range(10):
        client.get(url.format(n=-n - 1))  # warm caches and connections
    timings = []
    for n in range(count):
        start = time.perf_counter()
        response = client.get(url.format(n=n))
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url.format(n=count))
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 2),
        "requests_per_s": round(1000 / statistics.mean(timings), 1),
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--scale", action="store_true", help="also measure at scale (see above)")
    parser.add_argument("--threads", type=int, default=20_000)
    parser.add_argument("--replies", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=5_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("safety_warmup", stdout=open(os.devnull, "w"))  # noqa: SIM115 (see above)
    call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from haven.accounts.models import User
    from haven.forums.actions import do_create_reply, do_create_thread
    from haven.forums.models import Thread

    demo = User.objects.get(pseudonym="demo")
    others = list(User.objects.exclude(pk=demo.pk)[:5])
    big = Thread.objects.filter(title="Bench: a thread with 100 replies").first()
    if big is None:
        community = demo.memberships.first().community
        big = do_create_thread(
            community, title="Bench: a thread with 100 replies", body="x", acting_user=demo
        )
        for n in range(100):
            do_create_reply(big, body=f"reply {n}", acting_user=others[n % len(others)])

    # Vectors for the demo, as the worker would have made them.
    call_command("reembed", stdout=open(os.devnull, "w"))  # noqa: SIM115
    own_thread = Thread.objects.filter(first_post__author=demo).first()

    client = Client()
    client.force_login(demo, backend="django.contrib.auth.backends.ModelBackend")
    targets = {
        "baseline_minimal_view": "/bench/minimal/",
        "home_feed": "/home/",
        "thread_100_replies": big.get_absolute_url(),
        "api_feed": "/api/feed",
        "api_replies_100": f"/api/threads/{big.public_id}/replies",
        "search_fulltext": "/search/?q=sleep&mode=fulltext",
        "search_hybrid_cached_query": "/search/?q=sleep",
        "search_hybrid_new_query": "/search/?q=cannot+sleep+at+night+{n}",
        "api_search_hybrid_new_query": "/api/search?q=worried+about+exams+{n}",
        "thread_suggestions_author": f"/connect/threads/{own_thread.public_id}/",
        "thread_suggestions_reader": f"/connect/threads/{big.public_id}/",
    }
    if args.scale:  # the pages measured again at scale, here at the demo's size
        community = demo.memberships.first().community
        targets |= {
            "home_feed_active": "/home/?sort=active",
            "community_page": community.get_absolute_url(),
            "search_rare_word": "/search/?q=lighthouse&mode=fulltext",
            "notifications": "/notifications/",
        }
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        results = {name: measure(client, url, args.requests) for name, url in targets.items()}
    report(results)
    if not args.scale:
        print(json.dumps(summary(results, args.requests)))
        return

    community = demo.memberships.first().community
    from haven.demo.scale import seed_scale

    seeded = seed_scale(demo, args.threads, args.replies, args.members, vectors=True)
    print(f"Seeded in {seeded.seconds:.0f} s ({seeded.vectors} post vectors)")
    long_thread = seeded.long_thread
    page_size = settings.HAVEN_REPLIES_PAGE_SIZE  # top-level replies a thread page shows
    last_page = (long_thread.reply_count + page_size - 1) // page_size
    scale_targets = {
        "baseline_minimal_view": "/bench/minimal/",
        "home_feed": "/home/",
        "home_feed_active": "/home/?sort=active",
        "community_page": community.get_absolute_url(),
        "thread_1000_first_page": long_thread.get_absolute_url(),
        "thread_1000_last_page": f"{long_thread.get_absolute_url()}?page={last_page}",
        "search_common_word": "/search/?q=sleep&mode=fulltext",
        "search_rare_word": "/search/?q=lighthouse&mode=fulltext",
        "search_hybrid_new_query": "/search/?q=cannot+sleep+at+night+{n}",
        "notifications": "/notifications/",
    }
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        large = {name: measure(client, url, args.requests) for name, url in scale_targets.items()}
    print(f"\nAt scale: {args.threads} threads, {args.replies} replies, {args.members} members")
    report(large)
    # Each page beside the same page on the demo data (the long thread beside the 100-reply one).
    same_page = {
        "thread_1000_first_page": "thread_100_replies",
        "thread_1000_last_page": "thread_100_replies",
        "search_common_word": "search_fulltext",
    }
    print(f"{'target':28} {'small x':>8} {'scale x':>8} {'scale/small':>12}")
    for name, figures in large.items():
        if name == "baseline_minimal_view":
            continue
        before = results[same_page.get(name, name)]
        print(
            f"{name:28} {before['p50_vs_baseline']:>8} {figures['p50_vs_baseline']:>8} "
            f"{figures['p50_vs_baseline'] / before['p50_vs_baseline']:>12.2f}"
        )
    for name, target_ms in SEARCH_P99_TARGETS_MS.items():
        print(f"{name:28} p99 {large[name]['p99_ms']} ms (target: at most {target_ms} ms)")
    print(json.dumps({**summary(results, args.requests), "scale": large}))


def report(results: dict) -> None:
    baseline = results["baseline_minimal_view"]["p50_ms"]
    print(
        f"{'target':28} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'queries':>8} {'x baseline':>10}"
    )
    for name, figures in results.items():
        ratio = figures["p50_ms"] / baseline if baseline else 0
        figures["p50_vs_baseline"] = round(ratio, 1)
        print(
            f"{name:28} {figures['p50_ms']:>8} {figures['p99_ms']:>8} "
            f"{figures['requests_per_s']:>8} {figures['queries']:>8} {ratio:>10.1f}"
        )


def summary(results: dict, requests: int) -> dict:
    return {
        "bench": "pages",
        "database": connection.vendor,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "requests": requests,
        "results": results,
    }


if __name__ == "__main__":
    main()
