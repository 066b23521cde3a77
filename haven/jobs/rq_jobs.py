"""The job and worker classes `haven worker` gives RQ (HAVEN_TASKS_BACKEND=rq). Only RQ's worker
imports this module, so nothing else needs the rq extra."""

from typing import Any

from django_tasks_rq.backend import Job as TasksJob
from rq.worker import Worker as RQWorker

from haven.jobs.logs import REQUEST_ID_KEY, job_logs


class Job(TasksJob):
    """django-tasks-rq's job, its log lines under the id of the request that enqueued it
    (haven/jobs/logs.py)."""

    def perform(self) -> Any:
        with job_logs(self.id, self.meta.get(REQUEST_ID_KEY)):
            return super().perform()


class Worker(RQWorker):
    """RQ's worker, without each job's description in its log lines: the description is the
    call with its arguments (a password reset's e-mail address, for one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "log_job_description": False})
