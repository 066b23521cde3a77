"""`haven check --deploy`: a worker must be running, or reminders, circles, unanswered-thread
offers and every other job silently stop."""

from datetime import timedelta

from django.core.checks import CheckMessage
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError
from django.utils import timezone

from haven.jobs.models import WorkerHeartbeat

SEEN_WITHIN = timedelta(minutes=1)


def check_worker_seen(app_configs=None, databases=None, **kwargs) -> list[CheckMessage]:
    # Only when the command is given a database to look at (`haven check --deploy
    # --database default`), like Django's own database checks.
    if not databases:
        return []
    try:
        seen = WorkerHeartbeat.objects.filter(last_seen_at__gte=timezone.now() - SEEN_WITHIN)
        running = seen.exists()
    except DatabaseError as error:
        return [
            CheckWarning(
                "The database could not be asked whether a worker runs "
                f"({error.__class__.__name__}).",
                hint="Check DATABASE_URL and that the database is up.",
                id="haven.W009",
            )
        ]
    if running:
        return []
    return [
        CheckWarning(
            "No `haven worker` has been seen in the last minute: reminders, sharing circles, "
            "offers of unanswered threads and every other job wait until one runs.",
            hint="Start the worker (deploy/systemd/haven-worker.service, or `haven worker`) and "
            "check its log.",
            id="haven.W007",
        )
    ]
