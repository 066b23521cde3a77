"""Housekeeping jobs of the job system itself."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# Finished jobs are kept this long for looking into problems, then deleted.
KEEP_FINISHED_DAYS = 7


@task()
def prune_finished_jobs() -> int:
    cutoff = timezone.now() - timedelta(days=KEEP_FINISHED_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
