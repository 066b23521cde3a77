"""A job's log lines carry the request id of the page, API call or socket that enqueued it, and
the job's own id, so a host can follow one request into the worker (haven/core/logs.py).

There is no one place Haven enqueues from (each app calls its task's `enqueue`), so the id is
taken where the queue stores a job: on the database queue it is written into the job's row as
the row is inserted (beside the arguments, under a key the queue does not read); on RQ into the
job's meta just after. The worker binds it around each job (`job_logs`, from `haven worker`'s
database worker and RQ job class). A job enqueued outside any request (the schedule) runs as
`job-<job id>`. The tasks framework logs each job's start and end by id and task path, never
its arguments.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db.models.signals import pre_save
from django_tasks_db.models import DBTaskResult

from haven.core.logs import NO_REQUEST_ID, bind_job, current_request_id, unbind_job

try:  # HAVEN_TASKS_BACKEND=rq: django-tasks-rq sends the signals of the django-tasks package
    import django_rq
    from django_tasks import signals as rq_task_signals
except ImportError:
    django_rq = None
    rq_task_signals = None

REQUEST_ID_KEY = "request_id"


@contextmanager
def job_logs(job_id: str, request_id: str | None) -> Iterator[None]:
    bind_job(request_id or f"job-{job_id}", job_id)
    try:
        yield
    finally:
        unbind_job()


def store_request_id_in_row(sender, instance: DBTaskResult, raw: bool = False, **kwargs) -> None:
    """pre_save of a database job: a new job keeps the request id bound where it is enqueued."""
    request_id = current_request_id()
    if instance._state.adding and not raw and request_id != NO_REQUEST_ID:
        instance.args_kwargs = {**instance.args_kwargs, REQUEST_ID_KEY: request_id}


def store_request_id_in_rq_meta(sender, task_result, **kwargs) -> None:
    """task_enqueued of an RQ job. A worker that takes the job in the moment before this is
    saved runs it as job-<id>."""
    request_id = current_request_id()
    if request_id == NO_REQUEST_ID:
        return
    job = django_rq.get_queue(task_result.task.queue_name).fetch_job(task_result.id)
    if job is not None:
        job.meta[REQUEST_ID_KEY] = request_id
        job.save_meta()


def connect() -> None:
    pre_save.connect(store_request_id_in_row, sender=DBTaskResult)
    if settings.HAVEN_TASKS_BACKEND == "rq" and rq_task_signals is not None:
        rq_task_signals.task_enqueued.connect(store_request_id_in_rq_meta)
