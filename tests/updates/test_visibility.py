"""Followers-only and private updates never leak through any page, feed, search or API."""

import pytest

from haven.updates.actions import do_approve_follower, do_create_update, do_follow
from tests.conftest import client_for

PUBLIC = "publicmarigold sunshine after a long week"
FOLLOWERS = "followersjuniper quiet evening walk"
PRIVATE = "privatehollyhock scared about tomorrow"


@pytest.fixture
def alice_updates(alice, bob):
    """Bob follows Alice, who approved him; Carol does not."""
    do_approve_follower(do_follow(alice, acting_user=bob), acting_user=alice)
    return {
        "public": do_create_update(body=PUBLIC, visibility="public", acting_user=alice),
        "followers": do_create_update(body=FOLLOWERS, visibility="followers", acting_user=alice),
        "private": do_create_update(body=PRIVATE, visibility="private", acting_user=alice),
    }


def page_urls(update_ids):
    return [
        "/updates/",
        "/members/alice/",
        "/search/?q=publicmarigold",
        "/search/?q=followersjuniper",
        "/search/?q=privatehollyhock",
        "/search/?q=quiet&in=updates",
        "/home/",
        "/notifications/",
    ]


def api_urls(update_ids):
    return [
        "/api/updates/timeline",
        "/api/members/alice/updates",
        "/api/search?q=publicmarigold",
        "/api/search?q=followersjuniper",
        "/api/search?q=privatehollyhock",
        "/api/search?q=scared&in=updates",
        "/api/feed",
        "/api/notifications",
        "/api/me/export",
    ] + [f"/api/updates/{update_id}" for update_id in update_ids]


def visible_texts(client, urls) -> str:
    return "\n".join(client.get(url).content.decode() for url in urls)


def test_a_stranger_sees_only_public_updates_anywhere(alice_updates, carol):
    client = client_for(carol)
    ids = [u.public_id for u in alice_updates.values()]
    everything = visible_texts(client, page_urls(ids) + api_urls(ids))
    assert PUBLIC in everything
    assert FOLLOWERS not in everything
    assert PRIVATE not in everything


def test_a_follower_sees_public_and_followers_only_updates_but_never_private_ones(
    alice_updates, bob
):
    client = client_for(bob)
    ids = [u.public_id for u in alice_updates.values()]
    everything = visible_texts(client, page_urls(ids) + api_urls(ids))
    assert PUBLIC in everything
    assert FOLLOWERS in everything
    assert PRIVATE not in everything


def test_the_author_sees_all_of_their_own_updates(alice_updates, alice):
    client = client_for(alice)
    timeline = client.get("/updates/").content.decode()
    assert PUBLIC in timeline and FOLLOWERS in timeline and PRIVATE in timeline
    found = client.get("/api/search?q=privatehollyhock").json()
    assert [item["update"]["body"] for item in found["items"]] == [PRIVATE]


def test_hidden_updates_answer_404_by_id_exactly_like_missing_ones(alice_updates, carol):
    client = client_for(carol)
    private = client.get(f"/api/updates/{alice_updates['private'].public_id}")
    missing = client.get("/api/updates/999999")
    assert private.status_code == missing.status_code == 404
    assert private.json() == missing.json()


def test_unfollowing_hides_followers_only_updates_again(alice_updates, alice, bob):
    client = client_for(bob)
    assert FOLLOWERS in client.get("/members/alice/").content.decode()
    client.delete("/api/members/alice/follow")
    assert FOLLOWERS not in client.get("/members/alice/").content.decode()
    assert FOLLOWERS not in client.get("/api/updates/timeline").content.decode()


def test_only_the_author_can_delete_an_update(alice_updates, alice, bob):
    public = alice_updates["public"]
    assert client_for(bob).delete(f"/api/updates/{public.public_id}").status_code == 403
    assert client_for(bob).post(f"/updates/{public.public_id}/delete/").status_code == 403
    assert client_for(alice).delete(f"/api/updates/{public.public_id}").status_code == 204
    assert PUBLIC not in client_for(bob).get("/search/?q=publicmarigold").content.decode()


def test_posting_an_update_through_the_page_and_the_api(alice_client):
    response = alice_client.post(
        "/updates/", {"body": "Made tea and sat outside.", "mood": "calm", "visibility": "public"}
    )
    # "calm" is not one of the moods, so nothing is saved and the form explains why.
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = alice_client.post(
        "/updates/", {"body": "Made tea and sat outside.", "mood": "good", "visibility": "public"}
    )
    assert response.status_code == 302
    created = alice_client.post(
        "/api/updates",
        {"body": "Second one", "mood": "okay", "visibility": "followers"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["visibility"] == "followers"
    bodies = [u["body"] for u in alice_client.get("/api/updates/timeline").json()["items"]]
    assert bodies == ["Second one", "Made tea and sat outside."]


def test_an_update_is_at_most_500_characters(alice_client):
    response = alice_client.post(
        "/api/updates", {"body": "x" * 501}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "500" in response.json()["detail"]


def test_following_notifies_the_followed_member_and_self_follow_is_refused(alice, bob):
    client = client_for(bob)
    assert client.put("/api/members/alice/follow").json() == {
        "pseudonym": "alice",
        "following": True,
        "status": "pending",
    }
    texts = [n["text"] for n in client_for(alice).get("/api/notifications").json()["items"]]
    assert texts == ["bob asked to follow you: approve or decline on your followers page"]
    assert client.put("/api/members/bob/follow").status_code == 403
