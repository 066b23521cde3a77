"""How the worker plugs into Django, connected once every app's models have loaded
(haven.core.apps.connect_app_wiring)."""

from django.core.checks import Tags, register

from haven.jobs import logs
from haven.jobs.checks import check_worker_seen


def connect() -> None:
    # `haven check --deploy --database default` warns when no worker beat in the last minute.
    register(check_worker_seen, Tags.database, deploy=True)
    # Jobs carry the request id of the request that enqueued them into the worker's log lines.
    logs.connect()
