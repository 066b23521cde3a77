"""A job's log lines in the worker carry the request id of the request that enqueued it, and
the job's own id (haven/jobs/logs.py)."""

import json
import logging
import os
import sys

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from haven.core.logs import RequestLogMiddleware
from tests.core.test_logs import captured_log, lines_of
from tests.support.devservers import haven, separate_database, server_environment

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"


@task()
def write_a_line(words: str = "") -> None:
    logging.getLogger("haven.tests").warning("Working on it")


def enqueue_in_a_request(request_id: str, rf) -> str:
    enqueued = []

    def view(request):
        enqueued.append(write_a_line.enqueue().id)
        return HttpResponse()

    RequestLogMiddleware(view)(rf.post("/journal/new/", headers={"X-Request-ID": request_id}))
    return str(enqueued[0])


def lines_of_job(job_id: str, stream) -> list[dict]:
    return [line for line in lines_of(stream) if line.get("job_id") == job_id]


def test_the_worker_s_lines_for_a_job_carry_the_id_of_the_request_that_enqueued_it(
    transactional_db, rf
):
    job_id = enqueue_in_a_request("journal-post-0001", rf)
    assert DBTaskResult.objects.get(pk=job_id).args_kwargs["request_id"] == "journal-post-0001"
    with captured_log() as stream:
        call_command("worker", batch=True, interval=0)
    lines = lines_of_job(job_id, stream)
    assert "Working on it" in [line["message"] for line in lines]
    # The tasks framework's own lines too: the job started, and how it ended.
    assert [line["logger"] for line in lines].count("django.tasks") == 2
    assert {line["request_id"] for line in lines} == {"journal-post-0001"}
    # Between jobs, the worker's own lines belong to no request.
    assert lines_of(stream)[-1]["request_id"] == "-"
    assert DBTaskResult.objects.get(pk=job_id).status == "SUCCESSFUL"


def test_a_job_enqueued_outside_any_request_runs_under_its_own_id(transactional_db):
    job_id = str(write_a_line.enqueue().id)
    assert "request_id" not in DBTaskResult.objects.get(pk=job_id).args_kwargs
    with captured_log() as stream:
        call_command("worker", batch=True, interval=0)
    lines = lines_of_job(job_id, stream)
    assert "Working on it" in [line["message"] for line in lines]
    assert {line["request_id"] for line in lines} == {f"job-{job_id}"}


ENQUEUE_IN_A_REQUEST = """
import django_rq
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from haven.core.logs import RequestLogMiddleware
from tests.jobs.test_logs import write_a_line
call_command("migrate", interactive=False, verbosity=0)
django_rq.get_queue("default").empty()  # nothing left from another run
def view(request):
    print(write_a_line.enqueue("PRIVATE-MARKER-rq").id)
    return HttpResponse()
RequestLogMiddleware(view)(RequestFactory().post("/", headers={"X-Request-ID": "rq-request-01"}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="needs this machine's Redis")
def test_on_redis_the_job_carries_the_request_id_to_rq_s_worker():
    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env |= {"HAVEN_TASKS_BACKEND": "rq", "HAVEN_LOG_FORMAT": "json", "HAVEN_LOG_LEVEL": "INFO"}
        job_id = haven(["shell", "-v0", "-c", ENQUEUE_IN_A_REQUEST], env).stdout.strip()
        log = haven(["worker", "--batch"], env).stderr
    lines = [json.loads(line) for line in log.splitlines()]
    [working] = [line for line in lines if line["message"] == "Working on it"]
    assert (working["request_id"], working["job_id"]) == ("rq-request-01", job_id)
    assert "PRIVATE-MARKER" not in log  # RQ logs a job's arguments unless told not to
