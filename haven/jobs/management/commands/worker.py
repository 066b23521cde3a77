"""`haven worker`: runs background jobs, and the schedule that enqueues periodic ones."""

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from haven.jobs import schedule
from haven.jobs.logs import REQUEST_ID_KEY, job_logs


class Command(BaseCommand):
    help = "Run background jobs (reminders, e-mails) until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the schedule once, then every waiting job, then exit (for cron and tests).",
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, batch: bool, interval: float, **options) -> None:
        uid = uuid.uuid4().hex[:6]
        worker_id = f"{socket.gethostname()}-{os.getpid()}-{uid}"[:64]
        with scheduled(worker_id, batch):
            self.stdout.write(f"Haven worker {worker_id} is running jobs.")
            if schedule._uses_database_queue():
                run_database_worker(worker_id, batch=batch, interval=interval)
            else:
                # HAVEN_TASKS_BACKEND=rq: RQ's own worker, with django-tasks-rq's Job class,
                # which runs each job through the tasks framework (haven/jobs/rq_jobs.py: under
                # its request id, and no job's arguments in the log).
                call_command(
                    "rqworker",
                    "default",
                    worker_class="haven.jobs.rq_jobs.Worker",
                    job_class="haven.jobs.rq_jobs.Job",
                    burst=batch,
                )


@contextmanager
def scheduled(worker_id: str, batch: bool) -> Iterator[None]:
    """Run the schedule once now and, unless in batch mode, beside the worker until it stops."""
    schedule.tick(worker_id)
    stop = threading.Event()
    if not batch:
        threading.Thread(
            target=_schedule_loop, args=(worker_id, stop), daemon=True, name="schedule"
        ).start()
    try:
        yield
    finally:
        stop.set()
        schedule.forget_worker(worker_id)


class DatabaseWorker(Worker):
    """django-tasks-db's worker, each job's log lines under the id of the request that
    enqueued it (haven/jobs/logs.py)."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        request_id = db_task_result.args_kwargs.get(REQUEST_ID_KEY)
        with job_logs(str(db_task_result.id), request_id):
            super().run_task(db_task_result)


def run_database_worker(worker_id: str, *, batch: bool, interval: float) -> None:
    worker = DatabaseWorker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def _schedule_loop(worker_id: str, stop: threading.Event) -> None:
    next_tick = time.monotonic() + settings.HAVEN_SCHEDULE_SECONDS
    while not stop.wait(schedule.heartbeat_seconds()):
        close_old_connections()
        try:
            if time.monotonic() >= next_tick:
                schedule.tick(worker_id)
                next_tick = time.monotonic() + settings.HAVEN_SCHEDULE_SECONDS
            else:
                schedule.beat(worker_id)
        except Exception:  # a database hiccup must not stop the schedule for good
            schedule.logger.exception("The job schedule failed; trying again shortly")
