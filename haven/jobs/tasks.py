"""Housekeeping jobs of the job system itself."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


@task()
def prune_finished_jobs() -> int:
    """Finished jobs are kept HAVEN_JOB_RESULT_DAYS for looking into problems, then deleted."""
    cutoff = timezone.now() - timedelta(days=settings.HAVEN_JOB_RESULT_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
