"""The moderator queue: who sees what, every decision audited, reports, appeals, sanctions."""

import pytest

from haven.communities.actions import do_set_community_moderator
from haven.forums.actions import do_create_reply, do_create_thread
from haven.moderation.actions import do_report
from haven.moderation.models import Appeal, AuditEntry, QueueItem, Sanction
from haven.notifications.models import Notification
from tests.conftest import PASSWORD, client_for, make_member
from tests.moderation.conftest import TOXIC


@pytest.fixture
def bobs_reply(thread, bob):
    return do_create_reply(thread, body="Have you thought about a quiet walk?", acting_user=bob)


@pytest.fixture
def reported(bobs_reply, carol):
    return do_report(carol, reason="harassment", details="unkind", post=bobs_reply).item


@pytest.fixture
def held_toxic(thread, bob):
    post = do_create_reply(thread, body=TOXIC, send_for_review=True, acting_user=bob)
    return QueueItem.objects.get(post=post)


@pytest.fixture
def grief_mod(guidelines, grief):
    member = make_member("grief_mod", guidelines)
    do_set_community_moderator(member, grief, is_moderator=True, acting_user=None)
    return member


def decide(client, item, **data):
    return client.post(
        f"/api/moderation/items/{item.pk}/decision", data, content_type="application/json"
    )


def test_the_reported_member_never_learns_who_reported(reported, bob, carol, moderator_kim):
    bob_sees = client_for(bob).get("/api/notifications").content.decode()
    assert "carol" not in bob_sees
    item = client_for(moderator_kim).get(f"/api/moderation/items/{reported.pk}").json()
    assert item["report_reasons"] == ["harassment"]
    assert "carol" not in str(item)


def test_members_cannot_see_the_queue(reported, alice_client):
    assert alice_client.get("/moderation/").status_code == 403
    assert alice_client.get("/api/moderation/queue").status_code == 403
    assert alice_client.get(f"/api/moderation/items/{reported.pk}").status_code == 404


def test_a_community_moderator_acts_only_in_their_own_community(
    reported, grief_mod, community_mod_maya
):
    grief = client_for(grief_mod)
    assert grief.get("/api/moderation/queue").json()["count"] == 0
    assert grief.get(f"/moderation/items/{reported.pk}/").status_code == 404
    assert decide(grief, reported, decision="remove", reason="no").status_code == 404
    reported.refresh_from_db()
    assert reported.status == "open"
    maya = client_for(community_mod_maya)
    assert maya.get("/api/moderation/queue").json()["count"] == 1
    assert decide(maya, reported, decision="approve").status_code == 200


def test_community_moderators_cannot_see_updates_or_profiles_in_the_queue(
    community_mod_maya, alice, carol, moderator_kim
):
    do_report(carol, reason="spam", member=alice)
    assert client_for(community_mod_maya).get("/api/moderation/queue").json()["count"] == 0
    assert client_for(moderator_kim).get("/api/moderation/queue").json()["count"] == 1


def test_approving_a_held_reply_publishes_it_and_notifies(held_toxic, alice, moderator_kim):
    response = decide(client_for(moderator_kim), held_toxic, decision="approve")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    post = held_toxic.post
    post.refresh_from_db()
    assert post.moderation_state == "visible"
    post.thread.refresh_from_db()
    assert post.thread.reply_count == 1
    assert Notification.objects.filter(recipient=alice, kind="reply").exists()
    assert client_for(alice).get("/api/search?q=pathetic").json()["count"] == 1


@pytest.mark.parametrize(
    ("decision", "extra"),
    [
        ("approve", {}),
        ("remove", {"reason": "Unkind to another member."}),
        ("relabel", {"labels": ["toxic", "spam"], "reason": "it's spam too"}),
        ("lock", {"reason": "cooling down"}),
        ("warn", {"reason": "Please be gentle."}),
        ("mute", {"reason": "A pause.", "hours": 12}),
        ("suspend", {"reason": "Repeated harassment.", "days": 3}),
        ("ban", {"reason": "Threats."}),
    ],
)
def test_every_moderation_decision_writes_an_audit_entry(
    held_toxic, moderator_kim, decision, extra
):
    before = AuditEntry.objects.exclude(action="auto_flag").count()
    response = decide(client_for(moderator_kim), held_toxic, decision=decision, **extra)
    assert response.status_code == 200, response.content
    entries = AuditEntry.objects.exclude(action="auto_flag")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.actor == moderator_kim and entry.action == decision
    assert entry.reason == extra.get("reason", "")


def test_decisions_that_reach_a_member_need_a_reason(held_toxic, moderator_kim):
    response = decide(client_for(moderator_kim), held_toxic, decision="remove", reason="  ")
    assert response.status_code == 422
    assert "Please give a reason" in response.json()["detail"]


def test_community_moderators_can_warn_but_not_mute_suspend_or_ban(held_toxic, community_mod_maya):
    maya = client_for(community_mod_maya)
    assert decide(maya, held_toxic, decision="mute", reason="x").status_code == 403
    assert decide(maya, held_toxic, decision="ban", reason="x").status_code == 403
    assert decide(maya, held_toxic, decision="warn", reason="Be kind").status_code == 200


def test_a_muted_member_cannot_post_until_the_mute_ends(
    held_toxic, bob, bob_client, moderator_kim, thread
):
    decide(client_for(moderator_kim), held_toxic, decision="mute", reason="A pause.", hours=2)
    response = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": "hello"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "paused your posting" in response.json()["detail"]
    assert bob_client.post("/updates/", {"body": "hi", "visibility": "public"}).status_code == 403
    note = Notification.objects.filter(recipient=bob, kind="moderation").first()
    assert "paused your posting" in note.message


def test_suspension_signs_the_member_out_everywhere_and_blocks_login(
    held_toxic, bob, bob_client, moderator_kim, client
):
    from haven.accounts.actions import do_create_api_token

    token = do_create_api_token(bob)
    decide(client_for(moderator_kim), held_toxic, decision="suspend", reason="Harassment.", days=3)
    assert bob_client.get("/home/").status_code == 302  # the session no longer holds
    from django.test import Client

    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me").status_code == 401
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert "Your account is suspended until" in response.content.decode()
    api = client.post(
        "/api/auth/token",
        {"pseudonym": "bob", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_a_ban_closes_the_account(held_toxic, bob, moderator_kim):
    decide(client_for(moderator_kim), held_toxic, decision="ban", reason="Threats.")
    bob.refresh_from_db()
    assert not bob.is_active
    assert Sanction.objects.get(member=bob).kind == "ban"


def test_removal_tells_the_author_the_reason_and_the_appeal_goes_to_another_moderator(
    reported, bob, bob_client, moderator_kim, guidelines, alice_client
):
    decide(
        client_for(moderator_kim), reported, decision="remove", reason="Unkind to another member."
    )
    post = reported.post
    post.refresh_from_db()
    assert post.moderation_state == "removed"
    assert "quiet walk" not in alice_client.get(post.thread.get_absolute_url()).content.decode()
    own_view = bob_client.get(post.thread.get_absolute_url()).content.decode()
    assert "A moderator removed this. Reason: Unkind to another member." in own_view
    note = bob_client.get("/api/notifications").json()["items"][0]
    assert "Reason: Unkind to another member." in note["text"]
    assert note["url"] == f"/appeal/post/{post.public_id}/"
    # The author appeals.
    response = bob_client.post(f"/appeal/post/{post.public_id}/", {"text": "I was trying to help."})
    assert response.status_code == 302
    appeal_item = QueueItem.objects.get(kind="appeal")
    # The moderator who removed it may not judge the appeal; another one may.
    assert (
        decide(client_for(moderator_kim), appeal_item, decision="grant_appeal").status_code == 403
    )
    second = make_member("moderator_lee", guidelines, role="moderator")
    response = decide(
        client_for(second), appeal_item, decision="grant_appeal", reason="Fair point."
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.moderation_state == "visible"
    assert "quiet walk" in alice_client.get(post.thread.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(action="appeal_granted", actor=second).exists()


def test_an_author_appeals_a_removal_through_the_api(reported, bob, moderator_kim):
    decide(
        client_for(moderator_kim), reported, decision="remove", reason="Unkind to another member."
    )
    post = reported.post
    appeal = {"target_kind": "post", "target_id": post.public_id, "text": "I was trying to help."}
    filed = client_for(bob).post("/api/appeals", appeal, content_type="application/json")
    assert filed.status_code == 201, filed.content
    stored = Appeal.objects.get()
    assert filed.json() == {"id": stored.pk, "status": "open"}
    assert (stored.author, stored.post, stored.text) == (bob, post, "I was trying to help.")
    queue = client_for(moderator_kim).get("/api/moderation/queue?kind=appeal").json()["items"]
    assert [(item["kind"], item["target_id"]) for item in queue] == [("appeal", post.pk)]
    # One open appeal at a time.
    again = client_for(bob).post("/api/appeals", appeal, content_type="application/json")
    assert again.status_code == 403 and "already waiting" in again.json()["detail"]
    assert Appeal.objects.count() == 1


def test_only_the_author_of_removed_content_can_appeal(reported, alice_client, bob_client):
    post = reported.post
    assert bob_client.post(f"/appeal/post/{post.public_id}/", {"text": "x"}).status_code == 403
    assert alice_client.get(f"/appeal/post/{post.public_id}/").status_code == 404


def test_reporting_through_pages_and_api(thread, bob, carol_client, bob_client):
    post = thread.first_post
    page = carol_client.post(f"/report/post/{post.public_id}/", {"reason": "danger", "details": ""})
    assert page.status_code == 302
    item = QueueItem.objects.get()
    assert item.kind == "urgent"
    api = bob_client.post(
        "/api/reports",
        {"target_kind": "post", "target_id": post.public_id, "reason": "danger"},
        content_type="application/json",
    )
    assert api.status_code == 201
    item.refresh_from_db()
    assert item.report_count == 2 and QueueItem.objects.count() == 1
    own = client_for(thread.first_post.author).post(
        "/api/reports",
        {"target_kind": "post", "target_id": post.public_id, "reason": "spam"},
        content_type="application/json",
    )
    assert own.status_code == 403


def test_viewing_the_author_of_an_anonymous_post_is_audited(
    members_of_anxiety, alice, carol, moderator_kim
):
    thread = do_create_thread(
        members_of_anxiety, title="anon", body="Quiet words.", is_anonymous=True, acting_user=alice
    )
    item = do_report(carol, reason="other", post=thread.first_post).item
    data = client_for(moderator_kim).get(f"/api/moderation/items/{item.pk}").json()
    assert data["author"] == "alice"
    assert AuditEntry.objects.filter(action="view_anonymous_author", actor=moderator_kim).exists()


def test_the_audit_log_is_for_admins(reported, moderator_kim, guidelines):
    kim = client_for(moderator_kim)
    assert kim.get("/moderation/audit/").status_code == 403
    assert kim.get("/api/moderation/audit").status_code == 403
    decide(kim, reported, decision="remove", reason="Unkind to another member.")
    admin = make_member("site_admin", guidelines, role="admin")
    response = client_for(admin).get("/moderation/audit/")
    assert response.status_code == 200
    assert "Unkind to another member." in response.content.decode()
    log = client_for(admin).get("/api/moderation/audit").json()
    assert log["count"] == AuditEntry.objects.count() == 1
    [entry] = log["items"]
    assert {k: v for k, v in entry.items() if k not in ("id", "created_at", "details")} == {
        "actor": "moderator_kim",
        "action": "remove",
        "target_kind": "post",
        "target_id": reported.post.pk,
        "community": "anxiety",
        "reason": "Unkind to another member.",
    }
    # The removal holds the writer's trust level where it is for a while (haven.moderation.trust).
    hold = entry["details"]["trust_hold"]
    assert (hold["member_id"], hold["to"]) == (reported.post.author_id, 0) and hold["until"]


def test_moderators_go_on_and_off_duty(moderator_kim):
    client = client_for(moderator_kim)
    client.post("/moderation/duty/", {"on_duty": "yes"})
    assert "You are <strong>on duty</strong>" in client.get("/moderation/").content.decode()
    client.post("/moderation/duty/", {"on_duty": "no"})
    assert "You are off duty." in client.get("/moderation/").content.decode()
    assert AuditEntry.objects.filter(action="on_duty").exists()


def test_the_queue_page_lists_urgent_items_first(thread, bob, carol, moderator_kim):
    post = do_create_reply(thread, body="ordinary reply", acting_user=bob)
    do_report(carol, reason="spam", post=post)
    do_report(carol, reason="danger", post=thread.first_post)
    page = client_for(moderator_kim).get("/moderation/").content.decode()
    assert page.index("queue-item--urgent") < page.index("queue-item--reported")
