"""`haven worker_schedule`: only the schedule, for deployments whose jobs run on RQ."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from haven.jobs import schedule


class Command(BaseCommand):
    help = "Enqueue periodic jobs every HAVEN_SCHEDULE_SECONDS (for HAVEN_TASKS_BACKEND=rq)."

    def handle(self, *args, **options) -> None:
        while True:
            close_old_connections()
            schedule.enqueue_periodic_jobs()
            time.sleep(settings.HAVEN_SCHEDULE_SECONDS)
