"""Health checks for load balancers and process managers, answered before any other middleware
(no session, no host check, no HTTPS redirect: a probe on the loopback address must get in),
and Prometheus's /metrics the same way (haven/metrics.py).

- `/healthz`: the process is up and answering. Touches nothing else, so a slow database never
  makes a process manager restart healthy processes.
- `/readyz`: this process can serve members: the database answers, the shared cache (Redis)
  answers when one is configured, a `haven worker` beat within twice
  HAVEN_WORKER_DEAD_SECONDS, and every migration is applied. 200 when all hold, else 503.

The public sees only `{"status": ...}`: what failed is for the host, who sends
`Authorization: Bearer <HAVEN_HEALTH_TOKEN>` to read each check.
"""

import hmac
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from haven.jobs.models import WorkerHeartbeat
from haven.metrics import metrics

logger = logging.getLogger(__name__)

# Migrations never come undone under a running process: once all are applied, say so for good.
_all_migrated = False


def database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers() -> bool:
    key = "haven:readyz"
    cache.set(key, "1", 30)
    return cache.get(key) == "1"


def worker_beats() -> bool:
    since = timezone.now() - timedelta(seconds=2 * settings.HAVEN_WORKER_DEAD_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen_at__gte=since).exists()


def migrations_applied() -> bool:
    global _all_migrated
    if not _all_migrated:
        executor = MigrationExecutor(connection)
        _all_migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _all_migrated


def readiness_checks() -> dict[str, Callable[[], bool]]:
    checks = {"database": database_answers}
    if settings.REDIS_URL:
        checks["cache"] = cache_answers
    checks["worker"] = worker_beats
    checks["migrations"] = migrations_applied
    return checks


def run_checks() -> dict[str, bool]:
    results: dict[str, bool] = {}
    for name, check in readiness_checks().items():
        try:
            results[name] = bool(check())
        except Exception:  # a probe answers; what broke goes to the log, never to the public
            logger.exception("Readiness check %s failed", name)
            results[name] = False
        if name == "database" and not results[name]:
            break  # the rest read the database too
    return results


def shows_details(request: HttpRequest) -> bool:
    token = settings.HAVEN_HEALTH_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "up"}, headers={"Cache-Control": "no-store"})


def readiness(request: HttpRequest) -> HttpResponse:
    results = run_checks()
    ready = bool(results) and all(results.values()) and "migrations" in results
    body: dict = {"status": "ready" if ready else "unavailable"}
    if shows_details(request):
        body["checks"] = results
    return JsonResponse(body, status=200 if ready else 503, headers={"Cache-Control": "no-store"})


PROBES = {"/healthz": health, "/readyz": readiness, "/metrics": metrics}


class ProbeMiddleware:
    """First in MIDDLEWARE: a probe (or Prometheus's scrape) is answered here and goes no
    further."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
