"""Support reactions and short replies on updates: who sees them, the safety pipeline, the
notifications, moderation, limits, export and deletion. Through pages and the API."""

import pytest
from django.utils import timezone

from haven.moderation.models import QueueItem, QueueKind, Sanction
from haven.notifications.models import Notification
from haven.updates.actions import (
    do_approve_follower,
    do_create_update,
    do_follow,
    do_react_to_update,
    do_reply_to_update,
    do_unreact,
)
from haven.updates.models import UpdateReaction, UpdateReply
from tests.conftest import PASSWORD, client_for
from tests.moderation.conftest import CRISIS, TOXIC


@pytest.fixture
def update(alice):
    return do_create_update(
        body="Small win: I went for a walk.", visibility="public", acting_user=alice
    )


@pytest.fixture
def followers_update(alice, bob):
    """Bob is an approved follower of Alice; Carol is not."""
    do_approve_follower(do_follow(alice, acting_user=bob), acting_user=alice)
    return do_create_update(body="Only for friends.", visibility="followers", acting_user=alice)


def api_reply(client, update, body):
    return client.post(
        f"/api/updates/{update.public_id}/replies", {"body": body}, content_type="application/json"
    )


def api_react(client, update, kind):
    return client.post(
        f"/api/updates/{update.public_id}/reactions",
        {"kind": kind},
        content_type="application/json",
    )


# Reactions


def test_reactions_toggle_and_count_through_the_api(update, bob_client, carol_client, alice_client):
    first = api_react(bob_client, update, "hug").json()
    assert first == {
        "kind": "hug",
        "reacted": True,
        "reactions": {"hug": 1, "metoo": 0, "thanks": 0},
    }
    api_react(carol_client, update, "hug")
    api_react(carol_client, update, "metoo")
    again = api_react(bob_client, update, "hug").json()
    assert again["reacted"] is False
    assert again["reactions"] == {"hug": 1, "metoo": 1, "thanks": 0}
    seen = carol_client.get(f"/api/updates/{update.public_id}").json()
    assert seen["reactions"] == {"hug": 1, "metoo": 1, "thanks": 0}
    assert seen["my_reactions"] == ["hug", "metoo"]
    timeline = alice_client.get("/api/updates/timeline").json()["items"][0]
    assert timeline["reactions"]["hug"] == 1 and timeline["my_reactions"] == []


def test_reacting_on_the_page_works_without_javascript_and_with_htmx(update, bob_client):
    plain = bob_client.post(
        f"/updates/{update.public_id}/react/thanks/", {"next": "/members/alice/"}
    )
    assert plain.status_code == 302
    assert plain["Location"] == f"/members/alice/#update-{update.public_id}"
    page = bob_client.get("/members/alice/").content.decode()
    assert "Thank you · 1" in page and 'aria-pressed="true"' in page
    htmx = bob_client.post(
        f"/updates/{update.public_id}/react/hug/", headers={"HX-Request": "true"}
    ).content.decode()
    assert htmx.strip().startswith('<div class="reactions"')
    assert "Hug · 1" in htmx and "Thank you · 1" in htmx


def test_a_reaction_sent_twice_through_the_action_is_kept_once(update, bob):
    assert do_react_to_update(update, "hug", acting_user=bob) is True
    assert do_react_to_update(update, "hug", acting_user=bob) is False
    assert UpdateReaction.objects.count() == 1
    assert do_unreact(update, "hug", acting_user=bob) is True
    assert do_unreact(update, "hug", acting_user=bob) is False


def test_reactions_refuse_unknown_kinds_your_own_updates_and_hidden_ones(
    update, followers_update, alice_client, bob_client, carol_client
):
    assert bob_client.post(f"/updates/{update.public_id}/react/angry/").status_code == 404
    assert api_react(bob_client, update, "angry").status_code == 422
    own = api_react(alice_client, update, "hug")
    assert own.status_code == 403 and "your own update" in own.json()["detail"]
    # Carol does not follow Alice: the followers-only update does not exist for her.
    assert api_react(carol_client, followers_update, "hug").status_code == 404
    assert UpdateReaction.objects.count() == 0


# Replies: who sees them


def test_a_reply_on_the_page_shows_under_the_update_for_everyone_who_sees_it(
    update, alice_client, bob_client, carol_client
):
    response = bob_client.post(
        f"/updates/{update.public_id}/reply/",
        {"body": "So glad you got out!", "next": "/members/alice/"},
    )
    reply = UpdateReply.objects.get()
    assert response["Location"] == f"/members/alice/#reply-{reply.public_id}"
    for client in (alice_client, carol_client):
        page = client.get("/members/alice/").content.decode()
        assert "So glad you got out!" in page and "1 reply" in page
    assert "So glad you got out!" in alice_client.get("/updates/").content.decode()
    listed = carol_client.get(f"/api/updates/{update.public_id}/replies").json()
    assert [r["body"] for r in listed["items"]] == ["So glad you got out!"]
    assert listed["items"][0]["can_delete"] is False


def test_replies_to_a_followers_only_update_stay_with_its_audience(
    followers_update, alice_client, bob_client, carol_client
):
    assert api_reply(bob_client, followers_update, "Thinking of you").status_code == 201
    reply = UpdateReply.objects.get()
    assert "Thinking of you" in alice_client.get("/members/alice/").content.decode()
    assert "Thinking of you" not in carol_client.get("/members/alice/").content.decode()
    assert carol_client.get(f"/api/updates/{followers_update.public_id}/replies").status_code == 404
    assert api_reply(carol_client, followers_update, "hi").status_code == 404
    assert carol_client.post(f"/report/update-reply/{reply.public_id}/").status_code == 404
    assert carol_client.delete(f"/api/update-replies/{reply.public_id}").status_code == 404


def test_private_updates_take_no_replies(alice, alice_client):
    private = do_create_update(body="Just for me.", visibility="private", acting_user=alice)
    response = api_reply(alice_client, private, "note to self")
    assert response.status_code == 403 and "just for you" in response.json()["detail"]


def test_a_reply_longer_than_500_characters_is_refused_with_a_clear_message(update, bob_client):
    page = bob_client.post(f"/updates/{update.public_id}/reply/", {"body": "a" * 501})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Replies are short: up to 500 characters. Yours has 501." in text
    assert "a" * 501 in text  # nothing lost
    assert api_reply(bob_client, update, "a" * 501).status_code == 422
    assert not UpdateReply.objects.exists()


# Replies: notifications


def test_the_update_author_is_notified_of_a_reply_but_not_of_their_own(
    update, alice, bob_client, alice_client
):
    api_reply(bob_client, update, "Proud of you")
    api_reply(alice_client, update, "Thank you both")
    items = alice_client.get("/api/notifications").json()["items"]
    reply = UpdateReply.objects.get(body="Proud of you")
    assert [(n["kind"], n["text"]) for n in items] == [
        ("update_reply", "bob replied to your update")
    ]
    assert items[0]["url"] == f"/updates/#reply-{reply.public_id}"
    assert "bob replied to your update" in alice_client.get("/notifications/").content.decode()


# Replies: the safety pipeline


def test_a_crisis_reply_brings_the_writer_help_and_moderators_an_urgent_item(
    update, bob_client, alice_client, moderator_kim
):
    response = bob_client.post(f"/updates/{update.public_id}/reply/", {"body": CRISIS}, follow=True)
    assert 'class="support-panel card" role="alert"' in response.content.decode()
    reply = UpdateReply.objects.get()
    assert reply.is_visible and "crisis" in reply.safety_labels
    item = QueueItem.objects.get(update_reply=reply)
    assert item.kind == QueueKind.URGENT
    assert Notification.objects.filter(kind="urgent", recipient=moderator_kim).exists()
    # Others read the words with no crisis mark; the API tells only the writer.
    others = alice_client.get("/members/alice/").content.decode()
    assert "saving my pills" in others and "support-panel" not in others
    api = api_reply(bob_client, update, CRISIS + " again")
    assert api.json()["support"]["moderators_told"] is True
    assert "crisis" not in str(alice_client.get(f"/api/updates/{update.public_id}/replies").json())
    # The moderator sees the reply on the item.
    page = client_for(moderator_kim).get(f"/moderation/items/{item.pk}/").content.decode()
    assert "Reply to an update" in page and "saving my pills" in page


def test_hurtful_words_get_a_nudge_then_wait_for_a_moderator_unseen_by_others(
    update, alice, bob_client, alice_client, moderator_kim
):
    nudge = bob_client.post(f"/updates/{update.public_id}/reply/", {"body": TOXIC})
    assert nudge.status_code == 422 and "This may hurt someone" in nudge.content.decode()
    assert not UpdateReply.objects.exists()
    bob_client.post(f"/updates/{update.public_id}/reply/", {"body": TOXIC, "send_for_review": "1"})
    reply = UpdateReply.objects.get()
    assert reply.moderation_state == "held"
    assert "Only you can see this for now" in bob_client.get("/members/alice/").content.decode()
    assert "pathetic" not in alice_client.get("/members/alice/").content.decode()
    assert not Notification.objects.filter(kind="update_reply").exists()
    # A moderator approves it: now it shows, and Alice hears of it.
    item = QueueItem.objects.get(update_reply=reply, kind=QueueKind.FLAGGED)
    decided = client_for(moderator_kim).post(
        f"/api/moderation/items/{item.pk}/decision",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert "pathetic" in alice_client.get("/members/alice/").content.decode()
    assert Notification.objects.filter(kind="update_reply", recipient=alice).count() == 1


def test_a_reported_reply_removed_by_a_moderator_disappears_for_others(
    update, bob, bob_client, carol_client, moderator_kim
):
    do_reply_to_update(update, body="Have you tried just cheering up", acting_user=bob)
    reply = UpdateReply.objects.get()
    report = carol_client.post(
        f"/report/update-reply/{reply.public_id}/", {"reason": "other", "details": "dismissive"}
    )
    assert report.status_code == 302
    item = QueueItem.objects.get(update_reply=reply, kind=QueueKind.REPORTED)
    queue = client_for(moderator_kim).get("/moderation/").content.decode()
    assert "Reply to an update: Have you tried" in queue
    client_for(moderator_kim).post(
        f"/api/moderation/items/{item.pk}/decision",
        {"decision": "remove", "reason": "Dismissive"},
        content_type="application/json",
    )
    assert "just cheering up" not in carol_client.get("/members/alice/").content.decode()
    assert "A moderator removed this reply" in bob_client.get("/members/alice/").content.decode()
    told = Notification.objects.get(recipient=bob, kind="moderation")
    assert "removed your reply to an update" in told.message


def test_you_cannot_report_your_own_reply(update, bob, bob_client):
    reply = do_reply_to_update(update, body="hello", acting_user=bob)
    assert bob_client.get(f"/report/update-reply/{reply.public_id}/").status_code == 403


def test_a_reply_can_be_reported_through_the_api(update, bob, carol_client, moderator_kim):
    reply = do_reply_to_update(update, body="hello", acting_user=bob)
    data = {"target_kind": "update_reply", "target_id": reply.public_id, "reason": "danger"}
    response = carol_client.post("/api/reports", data, content_type="application/json")
    assert response.status_code == 201
    item = QueueItem.objects.get(update_reply=reply)
    assert item.kind == QueueKind.URGENT
    listed = client_for(moderator_kim).get(f"/api/moderation/items/{item.pk}").json()
    assert listed["target_kind"] == "update_reply" and listed["text"] == "hello"


# Replies: deleting


def test_the_writer_and_the_update_author_may_delete_a_reply_nobody_else(
    update, bob, carol, alice_client, bob_client, carol_client
):
    bobs = do_reply_to_update(update, body="from bob", acting_user=bob)
    carols = do_reply_to_update(update, body="from carol", acting_user=carol)
    assert carol_client.post(f"/updates/replies/{bobs.public_id}/delete/").status_code == 403
    assert carol_client.delete(f"/api/update-replies/{bobs.public_id}").status_code == 403
    assert bob_client.delete(f"/api/update-replies/{bobs.public_id}").status_code == 204
    response = alice_client.post(
        f"/updates/replies/{carols.public_id}/delete/", {"next": "/members/alice/"}
    )
    assert response["Location"] == f"/members/alice/#update-{update.public_id}"
    assert not UpdateReply.objects.exists()


# Replies: gates and limits


def test_a_muted_member_cannot_reply_but_may_still_send_support(
    update, bob, bob_client, moderator_kim
):
    Sanction.objects.create(
        member=bob, kind=Sanction.Kind.MUTE, reason="Harsh words",
        until=timezone.now() + timezone.timedelta(hours=2), created_by=moderator_kim,
    )  # fmt: skip
    page = bob_client.post(f"/updates/{update.public_id}/reply/", {"body": "hello"})
    assert page.status_code == 403 and "paused your posting" in page.content.decode()
    assert api_reply(bob_client, update, "hello").json()["code"] == "muted"
    assert not UpdateReply.objects.exists()
    # Like forums' reactions, a reaction is not words others read: a mute leaves it open.
    assert api_react(bob_client, update, "hug").status_code == 200


def test_replies_to_updates_share_the_forum_reply_rate_limit(settings, update, bob_client):
    settings.HAVEN_RATE_LIMITS = {
        **settings.HAVEN_RATE_LIMITS,
        "reply": {"member": "2/h", "new_member": "2/h", "ip": "100/h"},
    }
    statuses = [
        api_reply(bob_client, update, f"thinking of you, {n}").status_code for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    page = bob_client.post(f"/updates/{update.public_id}/reply/", {"body": "one more"})
    assert page.status_code == 429
    assert "one more" in page.content.decode()


# Lists: a fixed number of queries


def test_the_feed_and_a_profile_cost_the_same_queries_for_many_updates(
    alice, bob, carol, alice_client, django_assert_max_num_queries
):
    def write(n):
        for i in range(n):
            update = do_create_update(body=f"update {i}", visibility="public", acting_user=alice)
            do_reply_to_update(update, body=f"reply {i}", acting_user=bob)
            do_reply_to_update(update, body=f"another {i}", acting_user=carol)
            UpdateReaction.objects.create(update=update, user=bob, kind="hug")

    write(2)
    with django_assert_max_num_queries(30) as few:
        alice_client.get("/updates/")
    with django_assert_max_num_queries(40):
        alice_client.get("/members/alice/")
    write(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = alice_client.get("/updates/").content.decode()
    assert page.count("2 replies") == 10


# Export and deletion


def test_export_carries_replies_and_reactions_and_deletion_removes_them(update, bob, bob_client):
    do_reply_to_update(update, body="bobs kind words", acting_user=bob)
    api_react(bob_client, update, "thanks")
    data = bob_client.get("/api/me/export").json()
    assert [r["body"] for r in data["update_replies"]] == ["bobs kind words"]
    assert [r["kind"] for r in data["update_reactions_given"]] == ["thanks"]
    bob_client.post("/accounts/delete/", {"content": "erase", "password": PASSWORD})
    assert not UpdateReply.objects.exists() and not UpdateReaction.objects.exists()
