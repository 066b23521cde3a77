"""Helpers for account tests: run queued jobs as the worker would; sign in through the API."""

from unittest import mock

from django.core.management import call_command
from django.test import Client

from tests.conftest import PASSWORD


def run_jobs() -> None:
    """Run every queued job in a real `haven worker --batch`. The worker closes old database
    connections between jobs; inside a test's transaction on PostgreSQL that would close the
    test's own connection, so here it is left open."""
    with (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch("haven.jobs.management.commands.worker.close_old_connections"),
    ):
        call_command("worker", batch=True, interval=0)


def queued_jobs() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.values_list("task_path", flat=True))


def api_token_for(pseudonym: str, password: str = PASSWORD, **extra) -> str:
    response = Client().post(
        "/api/auth/token",
        {"pseudonym": pseudonym, "password": password, **extra},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})
