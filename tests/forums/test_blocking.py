"""Blocking: the blocked member's named threads, replies, updates and notifications vanish
from the blocker's pages; anonymous posts are never touched; the blocked member sees nothing
change. Through the profile's Block button, the filters page and the API."""

import pytest

from haven.accounts.blocks import has_blocked
from haven.accounts.preferences import do_block
from haven.forums.actions import do_create_reply, do_create_thread, do_toggle_reaction
from haven.notifications.models import Notification
from haven.updates.actions import do_create_update, do_follow, do_reply_to_update
from haven.updates.models import Follow
from tests.conftest import client_for

BLOCKED_REPLY = "A reply from someone you blocked."


@pytest.fixture
def dans_thread(members_of_anxiety, carol):
    return do_create_thread(
        members_of_anxiety, title="Lighthouse thread by carol",
        body="Watching the lighthouse calms me.", acting_user=carol,
    )  # fmt: skip


@pytest.fixture
def bobs_thread(members_of_anxiety, bob):
    return do_create_thread(
        members_of_anxiety, title="Bob asks about lighthouses",
        body="Does anyone else like lighthouses?", acting_user=bob,
    )  # fmt: skip


def test_a_blocked_members_thread_leaves_the_blockers_feeds_and_search(dans_thread, bob, carol):
    client = client_for(bob)
    assert dans_thread.title in client.get("/home/").content.decode()  # before the block
    assert client.get("/api/search?q=lighthouse").json()["count"] == 1
    do_block(bob, carol)
    for url in ("/home/", "/c/anxiety/", "/c/anxiety/?sort=needs-support"):
        assert dans_thread.title not in client.get(url).content.decode(), url
    assert dans_thread.title not in client.get("/search/?q=lighthouse").content.decode()
    assert client.get("/api/search?q=lighthouse").json()["count"] == 0
    assert [t["title"] for t in client.get("/api/feed").json()["items"]] == []
    assert client.get("/api/communities/anxiety/threads").json()["count"] == 0


def test_the_waiting_aside_leaves_out_a_blocked_members_thread(dans_thread, bob, carol, settings):
    do_create_thread(dans_thread.community, title="Newest", body="x", acting_user=bob)
    settings.HAVEN_PAGE_SIZE = 1
    assert dans_thread.title in client_for(bob).get("/home/").content.decode()  # before
    do_block(bob, carol)
    assert dans_thread.title not in client_for(bob).get("/home/").content.decode()


def test_a_blocked_members_reply_is_folded_and_the_thread_keeps_its_shape(
    bobs_thread, alice, bob, carol
):
    reply = do_create_reply(bobs_thread, body="Reply from carol here", acting_user=carol)
    answer = do_create_reply(bobs_thread, body="Alice answers Carol", parent=reply,
                             acting_user=alice)  # fmt: skip
    do_block(bob, carol)
    client = client_for(bob)
    html = client.get(bobs_thread.get_absolute_url()).content.decode()
    assert BLOCKED_REPLY in html
    folded_at = html.find(BLOCKED_REPLY)
    assert folded_at < html.find("Reply from carol here") < html.find("</details>", folded_at)
    # Alice's answer below it still shows, outside the fold.
    assert html.find("Alice answers Carol") > html.find("</details>", folded_at)
    items = client.get(f"/api/threads/{bobs_thread.public_id}/replies").json()["items"]
    reasons = {item["id"]: item["hidden_reason"] for item in items}
    assert reasons == {reply.public_id: "someone you blocked wrote this", answer.public_id: None}


def test_an_anonymous_reply_is_never_folded_as_that_would_name_its_writer(bobs_thread, bob, carol):
    do_create_reply(bobs_thread, body="Anonymous words", is_anonymous=True, acting_user=carol)
    do_block(bob, carol)
    html = client_for(bob).get(bobs_thread.get_absolute_url()).content.decode()
    assert BLOCKED_REPLY not in html and "Anonymous words" in html


def test_an_anonymous_thread_of_a_blocked_member_stays_in_feeds(members_of_anxiety, bob, carol):
    thread = do_create_thread(members_of_anxiety, title="Quiet anonymous thread", body="x",
                              is_anonymous=True, acting_user=carol)  # fmt: skip
    do_block(bob, carol)
    assert thread.title in client_for(bob).get("/home/").content.decode()


def test_the_blocked_member_sees_nothing_change(bobs_thread, dans_thread, bob, carol):
    do_create_reply(bobs_thread, body="Reply from carol here", acting_user=carol)
    before = client_for(carol).get(bobs_thread.get_absolute_url()).content.decode()
    do_block(bob, carol)
    carol_client = client_for(carol)
    after = carol_client.get(bobs_thread.get_absolute_url()).content.decode()
    assert BLOCKED_REPLY not in after and "Reply from carol here" in after
    assert bobs_thread.title in carol_client.get("/home/").content.decode()
    assert before.count("Reply from carol here") == after.count("Reply from carol here")
    profile = carol_client.get("/members/bob/").content.decode()
    assert "blocked" not in profile.lower().replace("block bob", "")


def test_no_notifications_come_from_a_blocked_member_and_old_ones_are_hidden(bobs_thread, bob,
                                                                               carol):  # fmt: skip
    do_create_reply(bobs_thread, body="Before the block", acting_user=carol)
    client = client_for(bob)
    assert client.get("/api/notifications").json()["unread"] == 1
    do_block(bob, carol)
    assert client.get("/api/notifications").json() | {"items": None} == {
        "count": 0, "page": 1, "num_pages": 1, "items": None, "unread": 0,
    }  # fmt: skip
    assert "Before the block" not in client.get("/notifications/").content.decode()
    stored = Notification.objects.filter(recipient=bob).count()
    do_create_reply(bobs_thread, body="After the block", acting_user=carol)
    do_toggle_reaction(bobs_thread.first_post, "hug", acting_user=carol)
    do_follow(bob, acting_user=carol)
    update = do_create_update(body="A quiet day", visibility="public", acting_user=bob)
    do_reply_to_update(update, body="Hope it stays quiet", acting_user=carol)
    assert Notification.objects.filter(recipient=bob).count() == stored


def test_an_anonymous_reply_still_notifies(bobs_thread, bob, carol):
    do_block(bob, carol)
    do_create_reply(bobs_thread, body="Anonymous support", is_anonymous=True, acting_user=carol)
    assert client_for(bob).get("/api/notifications").json()["unread"] == 1


def test_a_blocked_members_updates_and_replies_leave_the_timeline(alice, bob, carol):
    do_follow(carol, acting_user=bob)
    Follow.objects.filter(follower=bob).update(status="accepted")
    do_create_update(body="Sunny update from carol", visibility="public", acting_user=carol)
    mine = do_create_update(body="Own update of bob", visibility="public", acting_user=bob)
    do_reply_to_update(mine, body="Carol replies to Bob", acting_user=carol)
    do_block(bob, carol)
    client = client_for(bob)
    html = client.get("/updates/").content.decode()
    assert "Sunny update from carol" not in html
    assert "Carol replies to Bob" not in html
    assert "Own update of bob" in html
    bodies = [u["body"] for u in client.get("/api/updates/timeline").json()["items"]]
    assert bodies == ["Own update of bob"]
    assert client.get("/api/search?q=sunny").json()["count"] == 0


def test_the_profile_offers_block_with_a_kind_confirm_step_then_unblock(bob, carol):
    client = client_for(bob)
    profile = client.get("/members/carol/").content.decode()
    assert 'href="/members/carol/block/"' in profile
    confirm = client.get("/members/carol/block/").content.decode()
    assert "They won't be told" in confirm
    assert "can't start chats or direct messages with you" in confirm
    response = client.post("/members/carol/block/")
    assert response.status_code == 302 and response["Location"] == "/members/carol/"
    assert has_blocked(bob, carol.pk)
    profile = client.get("/members/carol/").content.decode()
    assert "You blocked carol." in profile
    filters = client.get("/accounts/filters/").content.decode()
    assert "Unblock carol" in filters
    client.post("/members/carol/unblock/", {"next": "/accounts/filters/"})
    assert not has_blocked(bob, carol.pk)


def test_nobody_can_block_themselves(bob):
    client = client_for(bob)
    response = client.post("/members/bob/block/")
    assert response.status_code == 302 and not has_blocked(bob, bob.pk)
    assert client.post("/api/members/bob/block").status_code == 403


def test_block_and_unblock_through_the_api(bob, carol):
    client = client_for(bob)
    response = client.post("/api/members/carol/block")
    assert response.status_code == 200
    assert response.json() == {"pseudonym": "carol", "blocked": True}
    assert client.get("/api/me/preferences").json()["blocked"] == ["carol"]
    assert client.post("/api/members/carol/block").status_code == 200  # again: no change
    response = client.delete("/api/members/carol/block")
    assert response.json() == {"pseudonym": "carol", "blocked": False}
    assert not has_blocked(bob, carol.pk)
    assert client.post("/api/members/nobody-here/block").status_code == 404
