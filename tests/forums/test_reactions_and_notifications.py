"""Support reactions, subscriptions, and the notifications they bring."""

import pytest

from haven.forums.actions import do_create_reply, do_create_thread
from haven.forums.models import Reaction
from tests.conftest import client_for


@pytest.fixture
def thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="Hard day", body="So tired.", acting_user=alice
    )


def test_reactions_toggle_and_count(thread, bob_client, carol_client):
    url = f"/api/posts/{thread.first_post.public_id}/reactions"
    first = bob_client.post(url, {"kind": "hug"}, content_type="application/json").json()
    assert first == {
        "kind": "hug",
        "reacted": True,
        "reactions": {"hug": 1, "metoo": 0, "thanks": 0},
    }
    carol_client.post(url, {"kind": "hug"}, content_type="application/json")
    carol_client.post(url, {"kind": "metoo"}, content_type="application/json")
    again = bob_client.post(url, {"kind": "hug"}, content_type="application/json").json()
    assert again["reacted"] is False
    assert again["reactions"] == {"hug": 1, "metoo": 1, "thanks": 0}
    thread_data = carol_client.get(f"/api/threads/{thread.public_id}").json()["opening_post"]
    assert thread_data["my_reactions"] == ["hug", "metoo"]


def test_reacting_through_the_page_with_htmx_returns_the_updated_buttons(thread, bob_client):
    response = bob_client.post(
        f"/posts/{thread.first_post.public_id}/react/thanks/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Thank you · 1" in response.content.decode()
    assert 'aria-pressed="true"' in response.content.decode()


def test_reactions_refuse_unknown_kinds_and_your_own_posts(thread, alice_client, bob_client):
    assert bob_client.post(f"/posts/{thread.first_post.public_id}/react/angry/").status_code == 404
    bad = bob_client.post(
        f"/api/posts/{thread.first_post.public_id}/reactions",
        {"kind": "angry"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    own = alice_client.post(
        f"/api/posts/{thread.first_post.public_id}/reactions",
        {"kind": "hug"},
        content_type="application/json",
    )
    assert own.status_code == 403
    assert Reaction.objects.count() == 0


def test_replies_notify_subscribers_and_the_parent_author_once(thread, alice, bob, carol):
    bob_reply = do_create_reply(thread, body="Here for you", acting_user=bob)
    do_create_reply(thread, body="Me too", parent=bob_reply, acting_user=carol)
    alice_texts = [n["text"] for n in client_for(alice).get("/api/notifications").json()["items"]]
    assert alice_texts == ["carol replied in “Hard day”", "bob replied in “Hard day”"]
    # Bob is subscribed (he replied) and is the parent's author: one notification, not two.
    bob_items = client_for(bob).get("/api/notifications").json()["items"]
    assert [n["text"] for n in bob_items] == ["carol replied in “Hard day”"]
    assert client_for(carol).get("/api/notifications").json()["items"] == []


def test_unsubscribing_stops_reply_notifications(thread, alice, alice_client, bob):
    assert alice_client.delete(f"/api/threads/{thread.public_id}/subscription").json() == {
        "subscribed": False
    }
    do_create_reply(thread, body="hello", acting_user=bob)
    assert alice_client.get("/api/notifications").json()["count"] == 0
    alice_client.post(f"/threads/{thread.public_id}/subscription/", {"subscribed": "yes"})
    do_create_reply(thread, body="hello again", acting_user=bob)
    assert alice_client.get("/api/notifications").json()["count"] == 1


def test_subscribing_through_the_api_brings_reply_notifications(thread, carol, carol_client, bob):
    url = f"/api/threads/{thread.public_id}/subscription"
    assert carol_client.get(f"/api/threads/{thread.public_id}").json()["is_subscribed"] is False
    assert carol_client.put(url).json() == {"subscribed": True}
    assert thread.subscriptions.filter(user=carol).exists()
    assert carol_client.get(f"/api/threads/{thread.public_id}").json()["is_subscribed"] is True
    # Subscribing twice is still one subscription.
    assert carol_client.put(url).json() == {"subscribed": True}
    assert thread.subscriptions.filter(user=carol).count() == 1
    do_create_reply(thread, body="Thinking of you", acting_user=bob)
    texts = [n["text"] for n in carol_client.get("/api/notifications").json()["items"]]
    assert texts == ["bob replied in “Hard day”"]


def test_reactions_notify_the_author_and_marking_read_clears_the_badge(
    thread, alice_client, bob_client
):
    bob_client.post(
        f"/api/posts/{thread.first_post.public_id}/reactions",
        {"kind": "hug"},
        content_type="application/json",
    )
    data = alice_client.get("/api/notifications").json()
    assert data["unread"] == 1
    assert data["items"][0]["text"] == "bob sent you a “hug” on “Hard day”"
    page = alice_client.get("/notifications/").content.decode()
    assert "bob sent you a “hug”" in page
    assert alice_client.post(
        "/api/notifications/read", {}, content_type="application/json"
    ).json() == {"marked": 1, "unread": 0}
    assert alice_client.get("/api/notifications").json()["unread"] == 0


def test_nobody_reads_another_members_notifications(thread, alice_client, bob_client):
    bob_client.post(
        f"/api/posts/{thread.first_post.public_id}/reactions",
        {"kind": "hug"},
        content_type="application/json",
    )
    notification_id = alice_client.get("/api/notifications").json()["items"][0]["id"]
    marked = bob_client.post(
        "/api/notifications/read", {"ids": [notification_id]}, content_type="application/json"
    ).json()
    assert marked["marked"] == 0
    assert alice_client.get("/api/notifications").json()["unread"] == 1
