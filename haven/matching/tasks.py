"""Background jobs of matching (Django's tasks framework; see haven.jobs), and the calls that
ask for them: `request_embedding` when an item is written or edited, and
`request_resource_suggestions` for a private text."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.tasks import task

from haven.matching import indexing, unanswered, vectors


@task()
def embed_items(namespace: str, object_ids: list[int]) -> dict[str, int]:
    result = indexing.do_embed(namespace, object_ids)
    return {"embedded": result.embedded, "unchanged": result.unchanged,
            "forgotten": result.forgotten}  # fmt: skip


@task()
def suggest_resources(kind: str, object_id: int) -> int:
    return len(indexing.do_suggest_resources(kind, object_id))


@task()
def prune_vector_tombstones() -> int:
    return vectors.prune_tombstones()


@task()
def offer_unanswered_threads() -> dict[str, int]:
    """Every minute (haven.jobs.schedule): threads waiting for a first reply, offered to a few
    peer responders and listeners on duty (haven.matching.unanswered)."""
    result = unanswered.do_offer_unanswered_threads()
    return {"threads_offered": result.threads_offered, "offers": result.offers,
            "settled": result.settled}  # fmt: skip


def enqueue_with_transaction(job, *args) -> None:
    """Enqueue a job so that it exists exactly when the caller's writes do."""
    if settings.HAVEN_TASKS_BACKEND == "database":
        # The job row is written in the caller's transaction.
        job.enqueue(*args)
    else:
        # A queue outside the database could run the job before the item is committed.
        transaction.on_commit(lambda: job.enqueue(*args))


def request_embedding(namespace: str, object_ids: Iterable[int]) -> None:
    """Ask the worker to (re)embed items once the caller's transaction commits."""
    ids = sorted({int(pk) for pk in object_ids})
    if ids:
        enqueue_with_transaction(embed_items, str(namespace), ids)


def request_resource_suggestions(kind: str, object_id: int) -> None:
    """For a journal entry or a chat request: find resources in a job, keep only their ids."""
    enqueue_with_transaction(suggest_resources, kind, int(object_id))
