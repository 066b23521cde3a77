"""What the job system knows beyond the queue itself: which workers are alive."""

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Each `haven worker` process beats every few seconds. A job still marked running by a
    worker that stopped beating was cut off (killed, crashed, machine lost) and is run again."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.worker_id
