"""Following asks first: followers-only updates open only to followers the member approved."""

import pytest

from haven.updates.actions import do_create_update
from haven.updates.models import Follow
from tests.conftest import client_for

FOLLOWERS = "followersbluebell rough night, better now"


@pytest.fixture
def followers_update(alice):
    return do_create_update(body=FOLLOWERS, visibility="followers", acting_user=alice)


def everything_bob_can_read(client, update) -> str:
    urls = [
        "/updates/",
        "/members/alice/",
        "/search/?q=followersbluebell",
        "/api/updates/timeline",
        "/api/members/alice/updates",
        "/api/search?q=followersbluebell",
        f"/api/updates/{update.public_id}",
    ]
    return "\n".join(client.get(url).content.decode() for url in urls)


def test_a_follow_waits_for_approval_and_sees_nothing_followers_only_until_then(
    followers_update, alice, bob
):
    bob_client = client_for(bob)
    response = bob_client.post("/members/alice/follow/", follow=True)
    assert "Once they approve" in response.content.decode()
    assert Follow.objects.get(follower=bob, followed=alice).status == "pending"
    assert FOLLOWERS not in everything_bob_can_read(bob_client, followers_update)
    assert bob_client.get(f"/api/updates/{followers_update.public_id}").status_code == 404

    # Alice is told, and the notification leads to where she answers.
    alice_client = client_for(alice)
    note = alice_client.get("/api/notifications").json()["items"][0]
    assert note["text"].startswith("bob asked to follow you")
    assert note["url"] == "/updates/followers/"
    requests = alice_client.get("/api/me/follow-requests").json()["items"]
    assert [r["pseudonym"] for r in requests] == ["bob"]
    assert requests[0]["status"] == "pending"
    assert "bob" in alice_client.get("/updates/followers/").content.decode()

    approved = alice_client.post("/api/me/follow-requests/bob/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "accepted"
    assert alice_client.get("/api/me/follow-requests").json()["items"] == []
    assert [f["pseudonym"] for f in alice_client.get("/api/me/followers").json()["items"]] == [
        "bob"
    ]
    assert FOLLOWERS in everything_bob_can_read(bob_client, followers_update)


def test_a_declined_request_sees_nothing_followers_only(followers_update, alice, bob):
    bob_client = client_for(bob)
    assert bob_client.put("/api/members/alice/follow").json()["status"] == "pending"
    response = client_for(alice).post("/updates/followers/bob/decline/")
    assert response.status_code == 302
    assert not Follow.objects.filter(follower=bob, followed=alice).exists()
    assert FOLLOWERS not in everything_bob_can_read(bob_client, followers_update)
    # Declining through the API answers the same way; nothing is left to decline.
    assert client_for(alice).post("/api/me/follow-requests/bob/decline").status_code == 404


def test_declining_through_the_api_removes_only_that_request(followers_update, alice, bob, carol):
    bob_client = client_for(bob)
    assert bob_client.put("/api/members/alice/follow").json()["status"] == "pending"
    assert client_for(carol).put("/api/members/alice/follow").json()["status"] == "pending"
    alice_client = client_for(alice)
    declined = alice_client.post("/api/me/follow-requests/bob/decline")
    assert (declined.status_code, declined.content) == (204, b"")
    assert not Follow.objects.filter(follower=bob, followed=alice).exists()
    assert Follow.objects.get(follower=carol, followed=alice).status == "pending"
    requests = alice_client.get("/api/me/follow-requests").json()["items"]
    assert [r["pseudonym"] for r in requests] == ["carol"]
    assert FOLLOWERS not in everything_bob_can_read(bob_client, followers_update)
    assert alice_client.post("/api/me/follow-requests/bob/decline").status_code == 404


def test_a_removed_follower_sees_nothing_followers_only_again(followers_update, alice, bob):
    bob_client = client_for(bob)
    bob_client.put("/api/members/alice/follow")
    alice_client = client_for(alice)
    assert alice_client.post("/updates/followers/bob/approve/").status_code == 302
    assert FOLLOWERS in everything_bob_can_read(bob_client, followers_update)

    assert alice_client.delete("/api/me/followers/bob").status_code == 204
    assert FOLLOWERS not in everything_bob_can_read(bob_client, followers_update)

    # Removing through the page works the same after a new approval.
    bob_client.put("/api/members/alice/follow")
    alice_client.post("/api/me/follow-requests/bob/approve")
    assert alice_client.post("/updates/followers/bob/remove/").status_code == 302
    assert FOLLOWERS not in everything_bob_can_read(bob_client, followers_update)


def test_nobody_answers_requests_made_to_someone_else(followers_update, alice, bob, carol):
    client_for(bob).put("/api/members/alice/follow")
    carol_client = client_for(carol)
    assert carol_client.post("/api/me/follow-requests/bob/approve").status_code == 404
    assert carol_client.post("/updates/followers/bob/approve/").status_code == 404
    assert Follow.objects.get(follower=bob, followed=alice).status == "pending"


def test_a_member_who_turns_approval_off_takes_followers_at_once(followers_update, alice, bob):
    alice_client = client_for(alice)
    assert alice_client.get("/api/me/follower-setting").json() == {"approve_new_followers": True}
    response = alice_client.post("/updates/followers/", {})  # the box left unticked
    assert response.status_code == 302
    assert alice_client.get("/api/me/follower-setting").json() == {"approve_new_followers": False}
    bob_client = client_for(bob)
    assert bob_client.put("/api/members/alice/follow").json()["status"] == "accepted"
    assert FOLLOWERS in everything_bob_can_read(bob_client, followers_update)
    turned_on = alice_client.put(
        "/api/me/follower-setting", {"approve_new_followers": True}, content_type="application/json"
    )
    assert turned_on.json() == {"approve_new_followers": True}


def test_where_visibility_is_chosen_followers_are_explained(alice):
    page = client_for(alice).get("/updates/").content.decode()
    assert "people you approved to follow you" in page
    assert "/updates/followers/" in page


def test_a_request_is_not_counted_as_a_follower_and_can_be_withdrawn(alice, bob):
    bob_client = client_for(bob)
    bob_client.post("/members/alice/follow/")
    profile = bob_client.get("/members/alice/").content.decode()
    assert "0 followers" in profile
    assert "they haven't approved it yet" in profile and "Withdraw request" in profile
    assert bob_client.get("/api/members/alice").json()["follower_count"] == 0

    bob_client.post("/members/alice/unfollow/")
    assert not Follow.objects.filter(follower=bob, followed=alice).exists()
    bob_client.post("/members/alice/follow/")
    client_for(alice).post("/api/me/follow-requests/bob/approve")
    assert bob_client.get("/api/members/alice").json()["follower_count"] == 1
    assert "Unfollow" in bob_client.get("/members/alice/").content.decode()
