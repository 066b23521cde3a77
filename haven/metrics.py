"""GET /metrics for Prometheus, with the host's token (`Authorization: Bearer
$HAVEN_METRICS_TOKEN`); without a token configured it does not exist (404), so no visitor ever
reads queue depths.

What the processes record (haven.core.metrics), added up over every server process in
multiprocess mode, and what is read from the database at scrape time, so every process
answers the same: open moderation items by kind and the age of the oldest urgent one, waiting
chat requests, jobs waiting for the worker, and the vectors in the search index.
"""

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from haven.chat.models import ChatRequest
from haven.core.search_index import Namespace
from haven.matching.models import Vector
from haven.moderation.models import QueueItem, QueueKind


class DatabaseFigures(Collector):
    """Figures every process reads alike from the database, once per scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        open_items = GaugeMetricFamily(
            "haven_queue_items_open", "Open moderation queue items, by kind.", labels=["kind"]
        )
        counts = dict(
            QueueItem.objects.filter(status=QueueItem.Status.OPEN)
            .values_list("kind")
            .annotate(n=Count("id"))
        )
        for kind in QueueKind.values:
            open_items.add_metric([kind], counts.get(kind, 0))
        yield open_items

        oldest = QueueItem.objects.filter(
            status=QueueItem.Status.OPEN, kind=QueueKind.URGENT
        ).aggregate(oldest=Min("created_at"))["oldest"]
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        yield GaugeMetricFamily(
            "haven_urgent_oldest_age_seconds",
            "How long the oldest open urgent item has waited (0 when there is none).",
            value=max(0.0, age),
        )
        yield GaugeMetricFamily(
            "haven_chat_requests_waiting",
            "Chat requests waiting for a listener (waiting or offered).",
            value=ChatRequest.objects.filter(status__in=ChatRequest.OPEN_STATUSES).count(),
        )
        if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
            yield GaugeMetricFamily(
                "haven_jobs_waiting",
                "Background jobs queued and not yet started.",
                value=DBTaskResult.objects.ready().count(),
            )
        vectors = GaugeMetricFamily(
            "haven_vector_index_vectors", "Vectors stored for search, by kind.", labels=["kind"]
        )
        stored = dict(Vector.objects.values_list("namespace").annotate(n=Count("id")))
        for namespace in Namespace.values:
            vectors.add_metric([namespace], stored.get(namespace, 0))
        yield vectors


def render() -> bytes:
    """The exposition: every process's figures (multiprocess mode) or this one's, then the
    database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        recorded = generate_latest(processes)
    else:
        recorded = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(DatabaseFigures())
    return recorded + generate_latest(database)


def may_read_metrics(request: HttpRequest) -> bool:
    token = settings.HAVEN_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def metrics(request: HttpRequest) -> HttpResponse:
    if not may_read_metrics(request):
        return HttpResponse(status=404)
    return HttpResponse(
        render(), content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"}
    )
