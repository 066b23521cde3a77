"""/healthz and /readyz as a load balancer sees them: answered before the host check and the
HTTPS redirect, nothing private in the public answer, each check readable with the host's token.
On the PostgreSQL + Redis run the cache check talks to the real Redis."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from haven import health
from haven.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
TOKEN = "a-long-random-token-for-the-host"


@pytest.fixture
def probe(settings):
    settings.HAVEN_HEALTH_TOKEN = TOKEN
    # A load balancer probes by address, over plain HTTP, on a site that redirects to HTTPS.
    settings.SECURE_SSL_REDIRECT = True
    return Client(HTTP_HOST="10.0.0.7")


@pytest.fixture
def worker_beating():
    return WorkerHeartbeat.objects.create(worker_id="worker-1", last_seen_at=timezone.now())


def details(client: Client):
    return client.get("/readyz", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def test_healthz_answers_without_touching_the_database(probe, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = probe.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "up"}
    assert response["Cache-Control"] == "no-store"
    assert probe.head("/healthz").status_code == 200


def test_readyz_is_ready_when_every_check_holds(probe, worker_beating):
    response = probe.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ready"}
    checks = details(probe).json()["checks"]
    expected = {"database", "worker", "migrations"} | (
        {"cache"} if django_settings.REDIS_URL else set()
    )
    assert set(checks) == expected and all(checks.values())


def test_a_silent_worker_makes_the_process_unready_and_only_the_host_reads_why(probe):
    WorkerHeartbeat.objects.create(
        worker_id="worker-1", last_seen_at=timezone.now() - timedelta(minutes=10)
    )
    public = probe.get("/readyz")
    assert public.status_code == 503 and public.json() == {"status": "unavailable"}
    wrong = probe.get("/readyz", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.json() == {"status": "unavailable"}
    told = details(probe)
    assert told.status_code == 503 and told.json()["checks"]["worker"] is False
    assert told.json()["checks"]["database"] is True


def test_without_a_token_configured_no_one_reads_the_checks(probe, settings, worker_beating):
    settings.HAVEN_HEALTH_TOKEN = ""
    assert probe.get("/readyz", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ready"}


def test_a_database_that_fails_is_unready_and_the_error_stays_in_the_log(
    probe, worker_beating, monkeypatch, caplog
):
    def broken() -> bool:
        raise RuntimeError("connection to server at 10.0.0.5 refused")

    monkeypatch.setattr(health, "database_answers", broken)
    public = probe.get("/readyz")
    assert public.status_code == 503 and "10.0.0.5" not in public.content.decode()
    assert details(probe).json()["checks"] == {"database": False}
    assert "Readiness check database failed" in caplog.text


def test_unapplied_migrations_make_the_process_unready(probe, worker_beating, monkeypatch):
    monkeypatch.setattr(health, "_all_migrated", False)
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("forums", False)]
    )
    response = details(probe)
    assert response.status_code == 503 and response.json()["checks"]["migrations"] is False


def test_other_methods_and_paths_go_on_to_the_site(probe):
    # Only GET and HEAD are probes; anything else is the site's to answer (and the HTTPS
    # redirect applies as usual).
    assert probe.post("/healthz").status_code != 200
    assert probe.get("/healthz/").status_code != 200
