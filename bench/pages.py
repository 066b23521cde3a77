"""Page and API latency for Haven's busiest reads, beside Django's own minimal view.

Run: .venv/bin/python bench/pages.py [--requests 300]
Everything runs in one process on a fresh SQLite database in a temporary folder (or on
DATABASE_URL's database when set: it must be a throwaway one). Requests go through the full
middleware stack with Django's test client, so the figures compare Haven's work with the
framework's floor measured in the same run. The last line is JSON.
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
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
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
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        results = {name: measure(client, url, args.requests) for name, url in targets.items()}
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
    print(
        json.dumps(
            {
                "bench": "pages",
                "database": connection.vendor,
                "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
                "requests": args.requests,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
