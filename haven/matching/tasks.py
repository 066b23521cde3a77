"""Background jobs of matching (Django's tasks framework; see haven.jobs)."""

from django.tasks import task

from haven.matching import indexing, vectors


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
