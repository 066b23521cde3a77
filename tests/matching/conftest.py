"""Helpers for matching tests: run the embedding jobs as the worker would, and build a small
forum whose threads are about clearly different things."""

import os
import uuid
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.management import call_command

from haven.forums.actions import do_create_thread
from haven.matching.vectors import reset_index
from haven.wellness.library import do_grant_library_role, load_demo_resources
from tests.conftest import make_member
from tests.support.pgvector_server import pgserver_install_dir, running_pgvector_server


def run_jobs() -> None:
    """Run every queued job in a real `haven worker --batch`, then let this process's index
    reload from the database (inside a test's transaction nothing commits, so the index
    never hears of the writes by itself).

    The worker closes old database connections between jobs, as a request would; inside a
    test's transaction on PostgreSQL that would close the test's own connection, so here it
    is left open."""
    with (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch("haven.jobs.management.commands.worker.close_old_connections"),
    ):
        call_command("worker", batch=True, interval=0)
    reset_index()


TOPICS = {
    "sleep": (
        "Lying awake at 3am every night",
        "My mind races as soon as my head hits the pillow. I have tried warm milk, no screens "
        "and counting breaths, but I still stare at the ceiling until dawn.",
    ),
    "grief": (
        "My grandmother died and I can't stop crying",
        "She raised me. The funeral was last week and everyone has gone back to normal, but "
        "I keep picking up the phone to call her.",
    ),
    "work": (
        "Burnt out at my job",
        "Twelve hour shifts, a manager who shouts, and I dread every Monday. I feel exhausted "
        "before the day has even started.",
    ),
}


@pytest.fixture
def forum(alice, anxiety, grief):
    """Three threads by alice: sleep and work in anxiety, grief in grief."""
    threads = {}
    for key, (title, body) in TOPICS.items():
        community = grief if key == "grief" else anxiety
        threads[key] = do_create_thread(community, title=title, body=body, acting_user=alice)
    run_jobs()
    return threads


@pytest.fixture
def library(guidelines):
    """The demo library: 18 published resources, each embedded."""
    editor = make_member("editor_eve", guidelines)
    reviewer = make_member("reviewer_rosa", guidelines)
    do_grant_library_role(editor, "editor", acting_user=None)
    do_grant_library_role(
        reviewer, "reviewer", credential="Licensed clinical social worker", acting_user=None
    )
    load_demo_resources(editor=editor, reviewer_for=lambda credential: reviewer)
    run_jobs()


@pytest.fixture(scope="module")
def pgvector_url() -> Iterator[str]:
    configured = os.environ.get("HAVEN_PGVECTOR_URL")
    if configured:
        yield configured
        return
    if pgserver_install_dir() is None:
        message = "PostgreSQL with pgvector is missing: run scripts/fetch_pgserver"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI must run the pgvector tests)")
        pytest.skip(message)
    with running_pgvector_server() as dsn:
        yield dsn


@pytest.fixture
def pgvector_dsn(pgvector_url: str) -> Iterator[str]:
    """A schema of its own for one test, dropped afterwards (safe on a shared server too)."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    schema = f"haven_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pgvector_url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public")
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield make_conninfo(pgvector_url, options=f"-c search_path={schema},public")
    finally:
        with psycopg.connect(pgvector_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
