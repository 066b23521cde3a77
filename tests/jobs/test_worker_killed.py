"""A worker killed in the middle of the reminder job loses nothing and repeats nothing: after a
restart, every member has exactly one reminder. Real processes, a real queue, SIGKILL."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from tests.support.devservers import ROOT, haven, separate_database, server_environment

MEMBERS = 1500

CREATE_MEMBERS = f"""
from datetime import time
from haven.accounts.models import User
from haven.wellness.models import WellnessSettings
users = User.objects.bulk_create([User(pseudonym=f"sleepy{{i}}") for i in range({MEMBERS})])
WellnessSettings.objects.bulk_create([
    WellnessSettings(member=u, reminder_enabled=True, reminder_time=time(0, 0)) for u in users
])
"""


def count(database_url: str, sql: str) -> int:
    if database_url.startswith("sqlite"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=20)) as db:
            return db.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchone()[0]


def start_worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "haven.cli", "worker", "--interval", "0.1", *args],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.skipif(sys.platform != "linux", reason="needs POSIX signals")
def test_a_worker_killed_mid_job_loses_nothing_and_sends_no_reminder_twice():
    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, "", data_dir)
        env["HAVEN_WORKER_DEAD_SECONDS"] = "2"
        haven(["migrate", "--noinput", "-v0"], env)
        haven(["shell", "-c", CREATE_MEMBERS], env)

        worker = start_worker(env)
        deadline = time.monotonic() + 120
        sent = 0
        while time.monotonic() < deadline:
            sent = count(database_url, "SELECT COUNT(*) FROM wellness_reminderdelivery")
            if sent >= 50:
                break
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        cut_at = count(database_url, "SELECT COUNT(*) FROM wellness_reminderdelivery")
        assert 0 < cut_at < MEMBERS, "the worker must be killed in the middle of the job"
        running = count(
            database_url,
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
        )
        assert running == 1  # the job its dead worker held

        time.sleep(2.5)  # the dead worker's heartbeat goes stale
        restarted = start_worker(env, "--batch")
        _, errors = restarted.communicate(timeout=180)
        assert restarted.returncode == 0, errors.decode()

        assert count(database_url, "SELECT COUNT(*) FROM wellness_reminderdelivery") == MEMBERS
        notified = count(
            database_url,
            "SELECT COUNT(DISTINCT recipient_id) FROM notifications_notification "
            "WHERE kind = 'reminder'",
        )
        total = count(
            database_url, "SELECT COUNT(*) FROM notifications_notification WHERE kind = 'reminder'"
        )
        assert notified == total == MEMBERS
        assert (
            count(
                database_url,
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
            )
            == 0
        )
