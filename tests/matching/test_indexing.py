"""Vectors follow content: made by jobs, remade on edit, gone with the content in its own
transaction, and never brought back by a job that was already running."""

import time

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haven.forums.actions import do_create_reply, do_delete_post, do_edit_post
from haven.matching import vectors
from haven.matching.indexing import do_embed
from haven.matching.models import Namespace, Vector, VectorTombstone
from haven.matching.vectors import current_model, nearest, stored_vectors
from haven.moderation.actions import do_remove
from tests.matching.conftest import run_jobs


def post_vector(post):
    return Vector.objects.filter(namespace=Namespace.POST, object_id=post.pk).first()


def test_a_new_thread_is_embedded_by_a_job_not_in_the_request(forum):
    sleep = forum["sleep"].first_post
    row = post_vector(sleep)
    assert row is not None and row.model == current_model()
    vector = np.frombuffer(bytes(row.vector), dtype="<f4")
    assert vector.shape == (384,) and abs(np.linalg.norm(vector) - 1) < 1e-4
    ran = set(DBTaskResult.objects.values_list("task_path", "status"))
    assert ("haven.matching.tasks.embed_items", "SUCCESSFUL") in ran


def test_writing_a_post_only_queues_the_job(alice, anxiety):
    from haven.forums.actions import do_create_thread

    body = "Heart racing, hands shaking, I had to get off two stops early."
    thread = do_create_thread(anxiety, title="Panic on the bus", body=body, acting_user=alice)
    assert not Vector.objects.exists()
    jobs = DBTaskResult.objects.filter(task_path="haven.matching.tasks.embed_items")
    assert ["post", [thread.first_post.pk]] in [job.args_kwargs["args"] for job in jobs]


def test_an_edit_makes_a_new_vector_and_an_unchanged_text_is_skipped(forum, alice):
    post = forum["work"].first_post
    before = bytes(post_vector(post).vector)
    result = do_embed(Namespace.POST, [post.pk])
    assert (result.embedded, result.unchanged) == (0, 1)
    do_edit_post(post, body="I left that job. Now I worry about money instead.", acting_user=alice)
    run_jobs()
    assert bytes(post_vector(post).vector) != before


def test_deleting_a_post_deletes_its_vector_in_the_same_transaction(forum, alice):
    post = forum["grief"].first_post
    do_delete_post(post, acting_user=alice)
    # No job has run: the delete itself took the vector.
    assert post_vector(post) is None
    assert VectorTombstone.objects.filter(namespace="post", object_id=post.pk).exists()


def test_a_moderator_removing_a_post_removes_its_vector(forum, bob, moderator_kim):
    from haven.moderation.actions import do_report

    post = forum["sleep"].first_post
    report = do_report(bob, post=post, reason="other", details="please check")
    do_remove(report.item, moderator=moderator_kim, reason="Breaks the rules")
    assert post_vector(post) is None


def test_a_job_running_after_a_delete_does_not_bring_the_vector_back(forum, alice):
    post = forum["sleep"].first_post
    do_delete_post(post, acting_user=alice)
    result = do_embed(Namespace.POST, [post.pk])
    assert result.embedded == 0
    assert post_vector(post) is None


def test_a_held_post_gets_no_vector(alice, anxiety, forum):
    thread = forum["sleep"]
    reply = do_create_reply(
        thread, body="Idiots like you should just shut up, nobody cares", send_for_review=True,
        acting_user=alice,
    )  # fmt: skip
    assert not reply.is_visible
    run_jobs()
    assert post_vector(reply) is None


def test_reembed_command_embeds_with_another_model_and_drops_stale_vectors(forum, alice):
    stale = Vector.objects.create(
        namespace="post", object_id=999_999, model=current_model(), vector=b"\0" * 1536, digest="x"
    )
    call_command("reembed", "--model", "hashing", "--namespace", "post", "--namespace", "community")
    assert not Vector.objects.filter(pk=stale.pk).exists()
    hashing = Vector.objects.filter(model="hashing")
    assert set(hashing.filter(namespace="post").values_list("object_id", flat=True)) == {
        t.first_post.pk for t in forum.values()
    }
    assert hashing.filter(namespace="community").count() == 2


def test_the_in_memory_index_catches_up_with_other_processes(forum):
    """Another process stores or deletes a vector: this one sees it through the generation
    number and the tombstones, without a full reload."""
    sleep = forum["sleep"].first_post
    query = stored_vectors(Namespace.POST, [sleep.pk])[sleep.pk]
    assert nearest(Namespace.POST, query, 1)[0].object_id == sleep.pk
    model = current_model()
    # "Another process" deletes the vector and bumps the generation.
    Vector.objects.filter(namespace="post", object_id=sleep.pk).delete()
    VectorTombstone.objects.create(namespace="post", object_id=sleep.pk)
    vectors._bump_generation("post", model)
    assert sleep.pk not in [n.object_id for n in nearest(Namespace.POST, query, 5)]
    # ...and stores a new one, which this process picks up by its timestamp.
    Vector.objects.create(
        namespace="post", object_id=424242, model=model, vector=vectors.to_bytes(query),
        digest="d", updated_at=timezone.now(),
    )  # fmt: skip
    vectors._bump_generation("post", model)
    assert nearest(Namespace.POST, query, 1)[0].object_id == 424242


def test_the_hourly_reload_is_built_beside_the_live_index_and_never_blocks_a_search(
    forum, monkeypatch
):
    """The full reload fills a staged copy and swaps it in: a search during the load sees the
    whole old index, and a search while another thread holds the reload goes on without it."""
    sleep = forum["sleep"].first_post
    query = stored_vectors(Namespace.POST, [sleep.pk])[sleep.pk]
    assert nearest(Namespace.POST, query, 1)[0].object_id == sleep.pk
    indexes = vectors.vector_index()
    name = f"post_{current_model()}"
    loaded = indexes.index.count(name)
    # An hour later: the next search reloads in full.
    indexes.synced[name].loaded_at -= vectors.FULL_RELOAD_SECONDS + 1
    live_during_load = []
    load_rows = vectors._load_rows

    def watching_load(rows, indexes_, target):
        live_during_load.append(indexes_.index.count(name))
        return load_rows(rows, indexes_, target)

    monkeypatch.setattr(vectors, "_load_rows", watching_load)
    # Another thread is reloading: this search does not wait, it reads the loaded index.
    indexes.lock.acquire()
    try:
        assert nearest(Namespace.POST, query, 1)[0].object_id == sleep.pk
    finally:
        indexes.lock.release()
    assert live_during_load == []
    assert nearest(Namespace.POST, query, 1)[0].object_id == sleep.pk  # this one reloads
    assert live_during_load == [loaded]  # the live index stayed whole while the copy filled
    assert indexes.index.count(name) == loaded
    assert indexes.synced[name].loaded_at > time.monotonic() - 60


@pytest.mark.parametrize("kind", ["sqlite-vec", "pgvector"])
def test_a_persistent_backend_follows_writes_and_deletes(
    forum, alice, settings, tmp_path, kind, request, django_capture_on_commit_callbacks
):
    """sqlite-vec in a file of its own, pgvector (HNSW) on a PostgreSQL with the extension:
    filled by `haven reembed --rebuild-index`, then kept current by each write's commit."""
    settings.HAVEN_VECTOR_BACKEND = kind
    settings.HAVEN_VECTOR_PATH = str(tmp_path / "vectors.sqlite3")
    if kind == "pgvector":
        settings.HAVEN_PGVECTOR_URL = request.getfixturevalue("pgvector_dsn")
    vectors.reset_index()
    try:
        sleep = forum["sleep"].first_post
        query = stored_vectors(Namespace.POST, [sleep.pk])[sleep.pk]
        assert nearest(Namespace.POST, query, 1) == []  # a new index knows nothing yet
        call_command("reembed", "--rebuild-index")
        assert nearest(Namespace.POST, query, 1)[0].object_id == sleep.pk
        assert vectors.vector_index().index.count(f"post_{current_model()}") == 3
        # A delete reaches the index when its transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            do_delete_post(sleep, acting_user=alice)
        assert sleep.pk not in [n.object_id for n in nearest(Namespace.POST, query, 3)]
    finally:
        vectors.reset_index()


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"HAVEN_VECTOR_BACKEND": "faiss"}, "must be numpy, sqlite-vec or pgvector"),
        ({"HAVEN_VECTOR_BACKEND": "pgvector"}, "needs HAVEN_PGVECTOR_URL"),
    ],
)
def test_a_vector_backend_set_wrong_stops_the_start_with_a_clear_message(environment, message):
    import os
    import subprocess
    import sys
    from pathlib import Path

    haven = Path(sys.executable).with_name("haven")
    env = {**os.environ, **environment}
    env.pop("HAVEN_PGVECTOR_URL", None)
    result = subprocess.run(
        [str(haven), "check"], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode != 0
    assert message in result.stderr
