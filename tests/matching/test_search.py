"""Hybrid search on the search page and in the API: words and meaning fused, either alone on
request, with MiniLM or with the hashing fallback (as without the `ai` extra)."""

import pytest

from haven.core import embeddings
from haven.matching.hybrid import reciprocal_rank_fusion
from haven.matching.search import load_results, search
from haven.matching.vectors import reset_index
from tests.conftest import client_for
from tests.matching.conftest import run_jobs

# Shares no word with the sleep thread ("Lying awake at 3am every night ... mind races").
PARAPHRASE = "insomnia"


def titles(results):
    return [r.post.thread.title for r in load_results(results) if r.kind == "post"]


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert fused[0] == "a"  # first and second beats first and absent
    assert fused.index("c") < fused.index("b")
    assert set(fused) == {"a", "b", "c", "d"}


def test_meaning_finds_what_the_words_miss(forum, bob):
    assert titles(search(PARAPHRASE, bob, mode="fulltext")) == []
    semantic = titles(search(PARAPHRASE, bob, mode="semantic"))
    assert semantic[0] == forum["sleep"].title
    assert titles(search(PARAPHRASE, bob))[0] == forum["sleep"].title  # hybrid by default


def test_exact_words_still_come_first_in_hybrid(forum, bob):
    results = titles(search("shouts", bob))
    assert results[0] == forum["work"].title


def test_the_search_page_has_a_switch(forum, bob):
    client = client_for(bob)
    page = client.get("/search/", {"q": PARAPHRASE})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="mode" value="hybrid" checked' in html
    assert forum["sleep"].title in html
    words_only = client.get("/search/", {"q": PARAPHRASE, "mode": "fulltext"}).content.decode()
    assert forum["sleep"].title not in words_only
    assert "match by meaning too" in words_only
    unknown = client.get("/search/", {"q": PARAPHRASE, "mode": "nonsense"})
    assert 'name="mode" value="hybrid" checked' in unknown.content.decode()


def test_the_api_has_the_same_switch(forum, bob):
    client = client_for(bob)
    hybrid = client.get("/api/search", {"q": PARAPHRASE}).json()
    assert hybrid["items"][0]["thread"]["id"] == forum["sleep"].public_id
    fulltext = client.get("/api/search", {"q": PARAPHRASE, "mode": "fulltext"}).json()
    assert fulltext["items"] == []
    assert client.get("/api/search", {"q": "x", "mode": "magic"}).status_code == 422


def test_semantic_search_never_shows_hidden_posts(forum, alice, bob):
    from haven.forums.actions import do_delete_post

    do_delete_post(forum["sleep"].first_post, acting_user=alice)
    assert forum["sleep"].title not in titles(search(PARAPHRASE, bob, mode="semantic"))


@pytest.fixture
def without_ai_extra(monkeypatch, settings):
    """As if safetensors/tokenizers or the model package were not installed."""
    monkeypatch.setattr(embeddings, "minilm_available", lambda: False)
    reset_index()


def test_everything_works_on_the_hashing_fallback(without_ai_extra, alice, bob, anxiety):
    from haven.forums.actions import do_create_thread
    from haven.matching.models import Vector

    thread = do_create_thread(
        anxiety, title="Panic attacks on the train",
        body="My chest gets tight and I think I'm dying every morning commute.",
        acting_user=alice,
    )  # fmt: skip
    run_jobs()
    assert set(Vector.objects.values_list("model", flat=True)) == {"hashing"}
    assert titles(search("panic attack commute", bob, mode="semantic")) == [thread.title]
    assert titles(search("panic attack commute", bob))[0] == thread.title
    response = client_for(bob).get(f"/connect/threads/{thread.public_id}/")
    assert response.status_code == 200
