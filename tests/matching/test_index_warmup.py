"""A serving process loads its in-memory vector index at start-up, in the background (uvicorn's
lifespan, haven.asgi): meanwhile a search by meaning answers at once, from its words alone,
rather than waiting seconds for the load; once loaded it finds by meaning as before."""

import asyncio

import pytest

from haven import asgi
from haven.matching import vectors
from haven.matching.search import load_results, search
from tests.matching.conftest import run_jobs

# Shares no word with the sleep thread ("Lying awake at 3am every night ... mind races").
PARAPHRASE = "insomnia"


def titles(results) -> list[str]:
    return [r.post.thread.title for r in load_results(results) if r.kind == "post"]


@pytest.mark.django_db(transaction=True)  # the loading thread reads what the test committed
def test_while_the_index_loads_search_answers_from_its_words(forum, bob):
    run_jobs()
    vectors._warming.set()  # as warm_index_in_background does before its thread starts
    try:
        assert titles(search(PARAPHRASE, bob, mode="semantic")) == []
        assert titles(search("pillow", bob))[0] == forum["sleep"].title  # hybrid: words still
    finally:
        vectors._warming.clear()
    assert titles(search(PARAPHRASE, bob, mode="semantic"))[0] == forum["sleep"].title


@pytest.mark.django_db(transaction=True)
def test_the_background_load_fills_the_index_for_the_first_search(forum, bob):
    run_jobs()  # vectors stored, this process's index forgotten
    model = vectors.current_model()
    assert f"post_{model}" not in vectors.vector_index().synced
    loading = vectors.warm_index_in_background()
    loading.join(timeout=60)
    assert not loading.is_alive() and not vectors._warming.is_set()
    assert f"post_{model}" in vectors.vector_index().synced
    assert vectors.vector_index().index.count(f"post_{model}") == len(forum)
    assert titles(search(PARAPHRASE, bob, mode="semantic"))[0] == forum["sleep"].title


async def test_uvicorn_start_up_begins_the_load(monkeypatch):
    started = []
    monkeypatch.setattr(asgi, "warm_index_in_background", lambda: started.append(True))
    events: asyncio.Queue = asyncio.Queue()
    for kind in ("lifespan.startup", "lifespan.shutdown"):
        events.put_nowait({"type": kind})
    sent = []

    async def send(message) -> None:
        sent.append(message["type"])

    await asgi.application({"type": "lifespan", "asgi": {"version": "3.0"}}, events.get, send)
    assert started == [True]
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
