"""Search results grouped by thread, and a relevance threshold: one card per thread with its
best-matching post quoted and a count of the others; updates keep their own cards; meaning-only
matches below the similarity threshold are left out, and an empty answer says so kindly."""

import re

import pytest
from django.utils.html import escape

from haven.core import embeddings
from haven.forums.actions import do_create_reply, do_create_thread
from haven.matching.search import excerpt, group_by_thread, load_results, search
from haven.matching.vectors import reset_index
from haven.updates.actions import do_create_update
from tests.conftest import client_for
from tests.matching.conftest import run_jobs

# Nothing in any test forum is about this, in words or in meaning.
NONSENSE = "xqzv blorp"

LIGHTHOUSE_REPLIES = [
    "We walked out to the lighthouse at dawn and the sea was calm for once.",
    "The lighthouse keeper's cottage is a café now; I sat there for an hour and breathed.",
    "Counting the lighthouse flashes helped me slow my breathing at night.",
    "I keep a photo of that lighthouse on my phone for the bad days.",
]


@pytest.fixture
def lighthouse(members_of_anxiety, alice, bob, carol):
    """A thread whose opening post does not say "lighthouse" but four replies do, and another
    thread whose opening post says it once."""
    walks = do_create_thread(
        members_of_anxiety, title="Places that calm you down",
        body="Where do you go, or picture, when everything gets too loud?", acting_user=alice,
    )  # fmt: skip
    replies = [
        do_create_reply(walks, body=body, acting_user=(bob, carol)[i % 2])
        for i, body in enumerate(LIGHTHOUSE_REPLIES)
    ]
    other = do_create_thread(
        members_of_anxiety, title="Holiday by the coast",
        body="Booked a week near an old lighthouse. Nervous about the trip itself.",
        acting_user=carol,
    )  # fmt: skip
    return {"walks": walks, "replies": replies, "other": other}


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">(.*?)</li>\s*(?=<li class="card">|</ol>)', html, re.S)


# --- one card per thread ----------------------------------------------------------------------


def test_matching_replies_in_one_thread_make_one_card_with_a_count(lighthouse, bob):
    html = client_for(bob).get("/search/", {"q": "lighthouse"}).content.decode()
    found = cards(html)
    assert len(found) == 2
    walks = [card for card in found if "Places that calm you down" in card]
    assert len(walks) == 1
    assert "and 3 more replies match" in walks[0]
    assert "a reply by" in walks[0]
    assert 'In <a href="/c/anxiety/">Anxiety</a>' in walks[0]
    [other] = [card for card in found if "Holiday by the coast" in card]
    assert "more" not in other  # its one matching post, nothing to add
    assert '<p role="status">2 results for “lighthouse”' in html


def test_a_card_quotes_its_best_post_with_the_match_marked_and_links_to_it(lighthouse, bob):
    html = client_for(bob).get("/search/", {"q": "lighthouse", "mode": "fulltext"}).content
    [walks] = [card for card in cards(html.decode()) if "Places that calm you down" in card]
    anchor = re.search(r'href="/c/anxiety/t/[^"#]+#post-([^"]+)"', walks).group(1)
    best = next(reply for reply in lighthouse["replies"] if reply.public_id == anchor)
    assert "<blockquote" in walks and "<mark>lighthouse</mark>" in walks
    # The quote is the linked post's own words.
    assert "<mark>lighthouse</mark>" + escape(best.body.split("lighthouse", 1)[1][:12]) in walks


def test_the_opening_post_among_the_others_is_counted_as_a_post(members_of_anxiety, alice, bob):
    thread = do_create_thread(
        members_of_anxiety, title="Tidepools", body="The tidepools at low tide are my calm place.",
        acting_user=alice,
    )  # fmt: skip
    do_create_reply(
        thread, body="Tidepools tidepools tidepools: I love tidepools.", acting_user=bob
    )
    do_create_reply(thread, body="Never seen tidepools up close.", acting_user=bob)
    html = client_for(bob).get("/search/", {"q": "tidepools", "mode": "fulltext"}).content.decode()
    [card] = cards(html)
    assert "and 2 more posts in this thread match" in card


def test_updates_keep_their_own_cards_beside_threads(lighthouse, alice, bob):
    do_create_update(
        body="Drew the lighthouse again today.", visibility="public", acting_user=alice
    )
    do_create_update(body="Lighthouse postcard arrived!", visibility="public", acting_user=alice)
    html = client_for(bob).get("/search/", {"q": "lighthouse"}).content.decode()
    found = cards(html)
    assert len(found) == 4
    assert sum('class="update"' in card for card in found) == 2


def test_grouping_keeps_the_order_of_each_threads_best_post(lighthouse, bob):
    results = search("lighthouse", bob, mode="fulltext")
    assert len(results) == 5
    grouped = group_by_thread(results)
    assert [r.thread_id for r in grouped] == list(dict.fromkeys(r.thread_id for r in results))
    walks = lighthouse["walks"].pk
    best = grouped[[r.thread_id for r in grouped].index(walks)]
    assert best.object_id == next(r.object_id for r in results if r.thread_id == walks)
    # Ranked and grouped without loading a post; loading fills in the page's posts.
    assert all(r.post is None for r in grouped)
    assert load_results([best])[0].post.thread_id == walks


def test_a_content_warned_threads_quote_stays_behind_its_warning(members_of_anxiety, alice, bob):
    thread = do_create_thread(
        members_of_anxiety, title="A hard night", content_warning="self-harm mention",
        body="I want to talk about the urges I had last night.", acting_user=alice,
    )  # fmt: skip
    do_create_reply(thread, body="The urges pass. Ring someone when they come.", acting_user=bob)
    html = client_for(bob).get("/search/", {"q": "urges", "mode": "fulltext"}).content.decode()
    [card] = cards(html)
    details = card.index('<details class="cw-excerpt">')
    assert "Content warning: self-harm mention" in card[details:]
    assert card.index("<mark>urges</mark>") > card.index("</summary>") > details
    assert "<mark>" not in card[:details]  # no words of it before the reader opens it


def test_quoted_text_is_escaped_once(members_of_anxiety, alice, bob):
    do_create_thread(
        members_of_anxiety, title="Small things", body='Tea & biscuits < 5 minutes "lifeboat".',
        acting_user=alice,
    )  # fmt: skip
    html = client_for(bob).get("/search/", {"q": "lifeboat", "mode": "fulltext"}).content.decode()
    assert "Tea &amp; biscuits &lt; 5 minutes" in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html


def test_the_excerpt_starts_near_the_match_and_marks_word_forms():
    text = "Nothing to do with it here. " * 20 + "Slow breathing got me through. The end."
    parts = excerpt(text, "breathe", length=120)
    assert parts[0].text == "…"
    assert [p.text for p in parts if p.match] == ["breathing"]
    assert len("".join(p.text for p in parts)) <= 125
    # Found by meaning alone: the opening of the post, nothing marked.
    opening = excerpt(text, "insomnia", length=60)
    assert "".join(p.text for p in opening).startswith("Nothing to do with it here.")
    assert not any(p.match for p in opening)


# --- the relevance threshold ------------------------------------------------------------------


def test_a_query_about_nothing_here_finds_nothing_and_says_so_kindly(forum, bob):
    assert search(NONSENSE, bob, mode="semantic") == []
    assert search(NONSENSE, bob) == []
    html = client_for(bob).get("/search/", {"q": NONSENSE}).content.decode()
    assert "Nothing here matches that closely" in html
    assert "Try other words" in html
    assert 'href="/communities/"' in html and "Browse communities" in html
    assert 'href="/talk/"' in html and "Talk to someone now" in html
    assert '<ol class="results">' not in html


def test_without_the_threshold_the_nearest_random_posts_would_show(forum, bob, settings):
    settings.HAVEN_SEARCH_MIN_SIMILARITY = 0.0
    assert search(NONSENSE, bob, mode="semantic")  # the least unrelated posts


def test_meaning_still_finds_what_the_words_miss(forum, bob):
    html = client_for(bob).get("/search/", {"q": "insomnia"}).content.decode()
    assert forum["sleep"].title in html
    assert forum["grief"].title not in html  # about something else: under the threshold


def test_the_api_leaves_weak_matches_out_too(forum, bob):
    assert client_for(bob).get("/api/search", {"q": NONSENSE}).json()["items"] == []


@pytest.fixture
def hashing_only(monkeypatch, db):
    """As if the `ai` extra were missing: everything is embedded with hashed n-grams."""
    monkeypatch.setattr(embeddings, "minilm_available", lambda: False)
    reset_index()


def test_the_threshold_holds_on_the_hashing_fallback(hashing_only, forum, bob):
    assert search(NONSENSE, bob, mode="semantic") == []
    assert load_results(search("lying awake every night", bob, mode="semantic"))[0].post == (
        forum["sleep"].first_post
    )


# --- the API ----------------------------------------------------------------------------------


def test_the_api_lists_each_post_unless_asked_to_group(lighthouse, bob):
    client = client_for(bob)
    flat = client.get("/api/search", {"q": "lighthouse", "mode": "fulltext"}).json()
    assert flat["count"] == 5
    assert {item["more_in_thread"] for item in flat["items"]} == {0}
    grouped = client.get(
        "/api/search", {"q": "lighthouse", "mode": "fulltext", "group": "thread"}
    ).json()
    assert grouped["count"] == 2
    counts = {item["thread"]["title"]: item["more_in_thread"] for item in grouped["items"]}
    assert counts == {"Places that calm you down": 3, "Holiday by the coast": 0}
    assert client.get("/api/search", {"q": "x", "group": "community"}).status_code == 422


# --- query counts -----------------------------------------------------------------------------


def seed_threads(community, authors, count: int) -> None:
    for n in range(count):
        thread = do_create_thread(
            community, title=f"Harbour walk number {n}",
            body=f"Walk {n}: the harbour at dusk settles me.", acting_user=authors[n % 3],
        )  # fmt: skip
        for r in range(3):
            do_create_reply(
                thread, body=f"Reply {r} on walk {n}: harbour lights help.",
                acting_user=authors[(n + r + 1) % 3],
            )  # fmt: skip
        do_create_update(
            body=f"Harbour update {n}", visibility="public", acting_user=authors[n % 3]
        )


# 8 and 6 when written (session, member, search index, posts, updates, the page's own), two more
# since the ranking reads only ids and the page's posts and updates are loaded after it; the
# same bound must hold for 4 results and for 60, so a query per result would fail the larger run.
PAGE_QUERIES = 12
API_QUERIES = 10


@pytest.mark.parametrize("threads", [2, 30], ids=["few", "many"])
def test_query_counts_stay_flat_as_results_grow(
    members_of_anxiety, alice, bob, carol, threads, django_assert_max_num_queries
):
    seed_threads(members_of_anxiety, [alice, bob, carol], threads)
    run_jobs()
    client = client_for(bob)
    client.get("/search/", {"q": "harbour"})  # warm the session and the vector index
    with django_assert_max_num_queries(PAGE_QUERIES):
        page = client.get("/search/", {"q": "harbour"})
    assert page.status_code == 200
    assert len(cards(page.content.decode())) == min(2 * threads, 20)
    with django_assert_max_num_queries(API_QUERIES):
        assert client.get("/api/search", {"q": "harbour", "group": "thread"}).status_code == 200


def test_a_capped_ranking_says_the_best_n_rather_than_a_count(
    members_of_anxiety, alice, bob, monkeypatch
):
    """More matches than the ranking keeps: the page does not claim a total it never counted."""
    from haven.core import fulltext

    for n in range(4):
        do_create_thread(
            members_of_anxiety, title=f"Harbour walk {n}", body="A walk by the harbour.",
            acting_user=alice,
        )  # fmt: skip
    client = client_for(bob)
    html = client.get("/search/", {"q": "harbour", "mode": "fulltext"}).content.decode()
    assert "4 results for “harbour”, best matches first" in html
    monkeypatch.setattr(fulltext, "MAX_RESULTS", 3)
    html = client.get("/search/", {"q": "harbour", "mode": "fulltext"}).content.decode()
    assert "The best 3 results for “harbour”" in html
    assert "4 results" not in html
    capped = client.get("/api/search", {"q": "harbour", "mode": "fulltext"}).json()
    assert (capped["count"], capped["capped"]) == (3, True)
    monkeypatch.setattr(fulltext, "MAX_RESULTS", 300)
    whole = client.get("/api/search", {"q": "harbour", "mode": "fulltext"}).json()
    assert (whole["count"], whole["capped"]) == (4, False)


def test_in_hybrid_mode_only_the_words_say_the_ranking_stopped(
    members_of_anxiety, alice, bob, monkeypatch
):
    """A search by meaning always stops at its nearest few: posts it adds to the fused
    ranking never make the page claim "the best N" while every word match is shown."""
    from haven.core import fulltext
    from haven.matching import search as search_module
    from haven.matching.hybrid import SemanticHit

    def start(title: str, body: str):
        return do_create_thread(members_of_anxiety, title=title, body=body, acting_user=alice)

    harbour = [start(f"Harbour walk {n}", "A walk by the harbour.") for n in range(3)]
    nearby = [start(f"Seaside {n}", "Waves and boats at dusk.") for n in range(3)]
    # The meaning half, as the index would answer: the seaside posts are near the query.
    monkeypatch.setattr(
        search_module,
        "semantic_post_hits",
        lambda query, cache_for=None: [SemanticHit(t.first_post_id, 0.9) for t in nearby],
    )
    monkeypatch.setattr(fulltext, "MAX_RESULTS", 4)  # more than the 3 word matches
    found = search("harbour", bob)
    assert len(found) == 6 and not found.capped
    client = client_for(bob)
    assert client.get("/api/search", {"q": "harbour"}).json()["capped"] is False

    monkeypatch.setattr(fulltext, "MAX_RESULTS", 3)  # the words stop at the cap
    found = search("harbour", bob)
    assert found.capped
    assert {r.object_id for r in found} >= {t.first_post_id for t in harbour[:1]}
    assert client.get("/api/search", {"q": "harbour"}).json()["capped"] is True
