"""HAVEN_TASKS_BACKEND=rq: the same jobs on Redis through django-tasks-rq and RQ's worker."""

import os
import sys

import pytest

from tests.support.devservers import haven, separate_database, server_environment

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"

SEED_AND_ENQUEUE = """
import django_rq
django_rq.get_queue("default").empty()  # nothing left from another run
from haven.accounts.models import User
from haven.wellness.models import WellnessSettings
member = User.objects.create(pseudonym="rq_member")
WellnessSettings.objects.create(member=member, reminder_enabled=True, reminder_time="00:00")
"""
COUNT = """
from haven.notifications.models import Notification
print("reminders:", Notification.objects.filter(kind="reminder").count())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="needs this machine's Redis")
def test_reminders_run_on_redis_with_the_rq_worker():
    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_TASKS_BACKEND"] = "rq"
        haven(["migrate", "--noinput", "-v0"], env)
        haven(["shell", "-c", SEED_AND_ENQUEUE], env)
        # The schedule enqueues the reminder job on Redis; RQ's worker runs it, in burst mode.
        haven(["worker", "--batch"], env)
        haven(["worker", "--batch"], env)
        assert "reminders: 1" in haven(["shell", "-c", COUNT], env).stdout
