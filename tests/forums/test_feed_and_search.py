"""The home feed's three sorts, and full-text search over threads and replies."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.communities.actions import do_join_community
from haven.forums.actions import do_create_reply, do_create_thread, do_delete_post
from haven.forums.models import Thread
from tests.conftest import client_for


def backdate(thread: Thread, hours: int) -> None:
    moment = timezone.now() - timedelta(hours=hours)
    Thread.objects.filter(pk=thread.pk).update(created_at=moment, last_activity_at=moment)


@pytest.fixture
def three_threads(members_of_anxiety, grief, alice, bob):
    old = do_create_thread(members_of_anxiety, title="Old but busy", body="a", acting_user=alice)
    middle = do_create_thread(members_of_anxiety, title="Waiting", body="b", acting_user=alice)
    new = do_create_thread(members_of_anxiety, title="Brand new", body="c", acting_user=alice)
    backdate(old, 30)
    backdate(middle, 20)
    backdate(new, 1)
    do_create_reply(old, body="Fresh reply", acting_user=bob)
    do_join_community(alice, grief)
    elsewhere = do_create_thread(grief, title="In grief", body="d", acting_user=alice)
    backdate(elsewhere, 2)
    return old, middle, new


def titles(client, sort):
    return [t["title"] for t in client.get(f"/api/feed?sort={sort}").json()["items"]]


def test_home_feed_sorts_by_new_active_and_needs_support(three_threads, bob_client):
    # Bob joined only Anxiety, so Grief's thread is not in his feed.
    assert titles(bob_client, "new") == ["Brand new", "Waiting", "Old but busy"]
    assert titles(bob_client, "active") == ["Old but busy", "Brand new", "Waiting"]
    # Unanswered threads, the longest-waiting first.
    assert titles(bob_client, "needs-support") == ["Waiting", "Brand new"]
    page = bob_client.get("/home/?sort=needs-support").content.decode()
    assert page.index("Waiting") < page.index("Brand new")
    assert "Old but busy" not in page


def test_a_member_who_joined_nothing_sees_every_community(three_threads, guidelines):
    from tests.conftest import client_for, make_member

    newcomer = client_for(make_member("newcomer", guidelines))
    assert "In grief" in titles(newcomer, "new")
    assert "Find your communities" in newcomer.get("/home/").content.decode()


def test_feed_and_lists_paginate(members_of_anxiety, alice, bob_client):
    for n in range(25):
        do_create_thread(members_of_anxiety, title=f"Thread {n}", body="x", acting_user=alice)
    first = bob_client.get("/api/feed").json()
    second = bob_client.get("/api/feed?page=2").json()
    assert (first["count"], first["num_pages"], len(first["items"])) == (25, 2, 20)
    assert len(second["items"]) == 5
    assert 'rel="next"' in bob_client.get("/c/anxiety/").content.decode()


def test_search_finds_threads_and_replies_by_words_and_stems(
    members_of_anxiety, alice, bob, bob_client
):
    thread = do_create_thread(
        members_of_anxiety,
        title="Breathing exercises",
        body="Box breathing helps me sleep.",
        acting_user=alice,
    )
    do_create_reply(thread, body="Progressive muscle relaxation worked for me", acting_user=bob)
    found = bob_client.get("/api/search?q=breathe").json()
    assert found["count"] == 1 and found["items"][0]["post"]["id"] == thread.first_post.public_id
    found = bob_client.get("/api/search?q=muscle relaxation&in=posts").json()
    assert found["items"][0]["thread"]["title"] == "Breathing exercises"
    page = bob_client.get("/search/?q=relaxation").content.decode()
    assert "1 result" in page and "Breathing exercises" in page


def test_search_forgets_deleted_posts_and_survives_operator_syntax(
    members_of_anxiety, alice, bob_client
):
    thread = do_create_thread(
        members_of_anxiety, title="Lighthouse", body="lonely lighthouse keeper", acting_user=alice
    )
    assert bob_client.get("/api/search?q=lighthouse").json()["count"] == 1
    do_delete_post(thread.first_post, acting_user=alice)
    assert bob_client.get("/api/search?q=lighthouse").json()["count"] == 0
    for query in ['"unbalanced', "NEAR(a b", "a AND OR NOT", "*", "-", "col:umn", "😀"]:
        assert bob_client.get("/search/", {"q": query}).status_code == 200
        assert bob_client.get("/api/search", {"q": query}).status_code == 200


def test_edits_are_searchable_at_once(members_of_anxiety, alice, bob_client):
    thread = do_create_thread(
        members_of_anxiety, title="Title", body="original words", acting_user=alice
    )
    alice_api = client_for(alice)
    alice_api.patch(
        f"/api/posts/{thread.first_post.public_id}",
        {"body": "rewritten sentence"},
        content_type="application/json",
    )
    assert bob_client.get("/api/search?q=rewritten").json()["count"] == 1
    assert bob_client.get("/api/search?q=original").json()["count"] == 0
