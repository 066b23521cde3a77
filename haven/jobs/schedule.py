"""Periodic jobs and recovery of jobs cut off by a dead worker.

Django's tasks framework runs jobs; it does not repeat them or notice a worker that died with a
job in hand. `haven worker` runs `tick()` every settings.HAVEN_SCHEDULE_SECONDS beside the
database worker: it records a heartbeat, puts orphaned jobs back in the queue and enqueues each
periodic job that is not already waiting. Every job is idempotent, so running one twice is safe.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from haven.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def dead_after_seconds() -> int:
    """A worker that has not beaten for this long is dead."""
    return settings.HAVEN_WORKER_DEAD_SECONDS


def heartbeat_seconds() -> float:
    return max(0.5, min(5.0, dead_after_seconds() / 4))


@dataclass(frozen=True)
class PeriodicJob:
    task_path: str  # dotted path to a @task
    # At most once per this many seconds (0: on every tick of the schedule).
    every_seconds: int = 0

    @property
    def task(self) -> Task:
        return import_string(self.task_path)


PERIODIC_JOBS = (
    PeriodicJob("haven.wellness.tasks.send_due_reminders"),
    PeriodicJob("haven.chat.tasks.match_chat_requests"),
    PeriodicJob("haven.care.booking.tasks.send_appointment_reminders"),
    PeriodicJob("haven.care.therapists.tasks.notify_expired_licences", every_seconds=60 * 60),
    PeriodicJob("haven.jobs.tasks.prune_finished_jobs", every_seconds=6 * 60 * 60),
    PeriodicJob("haven.matching.tasks.prune_vector_tombstones", every_seconds=6 * 60 * 60),
    PeriodicJob("haven.matching.tasks.offer_unanswered_threads", every_seconds=60),
    PeriodicJob("haven.accounts.tasks.prune_expired_api_tokens", every_seconds=6 * 60 * 60),
    PeriodicJob("haven.moderation.tasks.recompute_trust_levels", every_seconds=10 * 60),
    PeriodicJob("haven.accounts.tasks.prune_device_signals", every_seconds=6 * 60 * 60),
    PeriodicJob("haven.rooms.tasks.delete_old_room_transcripts", every_seconds=60 * 60),
    # Retention (settings, "Retention"): daily is soon enough for limits counted in days.
    PeriodicJob("haven.chat.tasks.delete_old_chat_transcripts", every_seconds=24 * 60 * 60),
    PeriodicJob("haven.moderation.tasks.prune_old_audit_entries", every_seconds=24 * 60 * 60),
    PeriodicJob("haven.accounts.tasks.prune_login_records", every_seconds=24 * 60 * 60),
    PeriodicJob("haven.rooms.circle_tasks.send_circle_reminders"),
    PeriodicJob("haven.rooms.circle_tasks.open_and_close_circle_rooms"),
)

# Tasks that moved, by their old path: jobs the database queue stored under it before the move
# still run (the queue imports a job's task by the path it was enqueued with).
MOVED_TASKS = {
    "haven.care.tasks.send_appointment_reminders": (
        "haven.care.booking.tasks.send_appointment_reminders"
    ),
    "haven.care.tasks.send_appointment_reminder_email": (
        "haven.care.booking.tasks.send_appointment_reminder_email"
    ),
    "haven.care.therapists.notify_expired_licences": (
        "haven.care.therapists.tasks.notify_expired_licences"
    ),
}


def _uses_database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen_at": timezone.now()}
    )


def forget_worker(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_orphaned_jobs(now=None) -> int:
    """Put back in the queue every job marked running whose worker is dead (no heartbeat for
    HAVEN_WORKER_DEAD_SECONDS), or that has run longer than HAVEN_JOB_STALE_MINUTES."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(
            last_seen_at__gte=now - timedelta(seconds=dead_after_seconds())
        ).values_list("worker_id", flat=True)
    )
    stale_before = now - timedelta(minutes=settings.HAVEN_JOB_STALE_MINUTES)
    recovered = 0
    with transaction.atomic():
        for job in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
            worker = job.worker_ids[-1] if job.worker_ids else ""
            if worker in alive and job.started_at and job.started_at > stale_before:
                continue
            job.status = TaskResultStatus.READY
            job.save(update_fields=["status"])
            recovered += 1
            logger.warning("Re-queued job %s (%s) left by worker %s", job.pk, job.task_path, worker)
    WorkerHeartbeat.objects.filter(
        last_seen_at__lt=now - timedelta(seconds=dead_after_seconds())
    ).delete()
    return recovered


def forward_moved_jobs() -> int:
    """Point jobs waiting under a moved task's old path at its new one."""
    return sum(
        DBTaskResult.objects.filter(task_path=old, status=TaskResultStatus.READY).update(
            task_path=new
        )
        for old, new in MOVED_TASKS.items()
    )


def enqueue_periodic_jobs() -> int:
    """Enqueue each periodic job unless one is already waiting or running."""
    enqueued = 0
    for job in PERIODIC_JOBS:
        if _uses_database_queue():
            pending = DBTaskResult.objects.filter(
                task_path=job.task_path,
                status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            ).exists()
            recent = (
                job.every_seconds
                and DBTaskResult.objects.filter(
                    task_path=job.task_path,
                    enqueued_at__gte=timezone.now() - timedelta(seconds=job.every_seconds),
                ).exists()
            )
            if pending or recent:
                continue
        job.task.enqueue()
        enqueued += 1
    return enqueued


def tick(worker_id: str) -> None:
    beat(worker_id)
    if _uses_database_queue():
        recover_orphaned_jobs()
        forward_moved_jobs()
    enqueue_periodic_jobs()
