"""What a member reads about their trust level (/trust/, GET /api/me/trust), a site moderator's
page for a member's level, and the reading record levels count (ThreadVisit)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.models import TrustLevel, User
from haven.accounts.trust import effective_level
from haven.forums.actions import do_create_reply, do_create_thread
from haven.forums.models import ThreadVisit
from haven.moderation.actions import do_report
from haven.moderation.models import AuditEntry
from tests.conftest import client_for

REQUIREMENTS = {
    1: {"days": 1, "threads_read": 5, "helpful_reactions": 0, "clean_days": 0},
    2: {"days": 7, "threads_read": 20, "helpful_reactions": 3, "clean_days": 7},
    3: {"days": 30, "threads_read": 100, "helpful_reactions": 20, "clean_days": 30},
    4: {"days": 90, "threads_read": 300, "helpful_reactions": 60, "clean_days": 90},
}


@pytest.fixture(autouse=True)
def _known_levels(settings):
    settings.HAVEN_TRUST_REQUIREMENTS = REQUIREMENTS
    settings.HAVEN_TRUST_UNLOCKS = {
        **settings.HAVEN_TRUST_UNLOCKS,
        "post_links": 1,
        "post_images": 2,
        "sensitive_threads": 1,
    }


@pytest.fixture
def two_threads(members_of_anxiety, alice):
    return [
        do_create_thread(members_of_anxiety, title=f"T{n}", body="Words.", acting_user=alice)
        for n in range(2)
    ]


# --- Reading is recorded once per thread


def test_opening_a_thread_page_records_one_visit_that_keeps_its_first_time(two_threads, bob):
    client = client_for(bob)
    thread = two_threads[0]
    client.get(f"/c/anxiety/t/{thread.public_id}/")
    first = ThreadVisit.objects.get(user=bob, thread=thread).first_read_at
    client.get(f"/c/anxiety/t/{thread.public_id}/")
    client.get(f"/c/anxiety/t/{thread.public_id}/?page=2")
    visit = ThreadVisit.objects.get(user=bob, thread=thread)
    assert visit.first_read_at == first
    assert ThreadVisit.objects.count() == 1


def test_reading_a_thread_through_the_api_records_a_visit(two_threads, bob):
    client = client_for(bob)
    thread = two_threads[1]
    assert client.get(f"/api/threads/{thread.public_id}").status_code == 200
    assert client.get(f"/api/threads/{thread.public_id}").status_code == 200
    assert ThreadVisit.objects.filter(user=bob, thread=thread).count() == 1


def test_posting_a_thread_is_not_reading_it(members_of_anxiety, alice_client):
    response = alice_client.post(
        "/api/communities/anxiety/threads",
        {"title": "Mine", "body": "Words."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert not ThreadVisit.objects.exists()


def test_the_data_export_lists_threads_read(two_threads, bob):
    client = client_for(bob)
    client.get(f"/c/anxiety/t/{two_threads[0].public_id}/")
    export = json.loads(client.post("/accounts/export/").content)
    assert [row["thread_id"] for row in export["threads_read"]] == [two_threads[0].pk]


# --- The member's trust page and API


def test_the_trust_page_shows_the_level_what_it_opens_and_progress(two_threads, bob):
    client = client_for(bob)
    for thread in two_threads:
        client.get(f"/c/anxiety/t/{thread.public_id}/")
    page = client.get("/trust/").content.decode()
    assert "You are at “New here”" in page
    assert "On the way to “Settling in”" in page
    assert "2 of 5 threads read" in page
    assert "0 of 1 day since you joined" in page
    assert "From “Settling in”:</span> Put links in posts" in page
    assert "never about your worth" in page


def test_the_trust_page_shows_what_is_open_at_a_level(bob):
    User.objects.filter(pk=bob.pk).update(trust_level=TrustLevel.MEMBER)
    page = client_for(bob).get("/trust/").content.decode()
    assert "Open to you:</span> Put images in posts" in page
    assert "On the way to “Regular”" in page


def test_the_trust_page_explains_a_hold_and_when_it_ends(bob):
    until = timezone.now() + timedelta(days=12)
    User.objects.filter(pk=bob.pk).update(
        trust_level=TrustLevel.MEMBER, trust_level_cap=TrustLevel.SETTLING,
        trust_level_cap_until=until,
    )  # fmt: skip
    page = client_for(bob).get("/trust/").content.decode()
    assert "your level is held at “Settling in” until" in page
    assert until.strftime("%-d %B %Y") in page
    assert "comes back by itself" in page


def test_the_settings_page_links_to_the_trust_page(bob):
    assert 'href="/trust/"' in client_for(bob).get("/accounts/settings/").content.decode()


def test_the_trust_api_gives_the_same_summary(two_threads, bob):
    client = client_for(bob)
    client.get(f"/api/threads/{two_threads[0].public_id}")
    response = client.get("/api/me/trust")
    assert response.status_code == 200
    body = response.json()
    assert (body["level"], body["level_name"], body["next_level"]) == (0, "New here", 1)
    assert body["is_capped"] is False and body["cap_until"] is None
    reading = next(step for step in body["progress"] if step["name"] == "threads_read")
    assert (reading["have"], reading["need"], reading["met"]) == (1, 5, False)
    assert reading["text"] == "1 of 5 threads read"
    links = next(c for c in body["capabilities"] if c["name"] == "post_links")
    assert (links["level"], links["unlocked"]) == (1, False)


def test_at_the_top_level_nothing_is_left_to_reach(bob):
    User.objects.filter(pk=bob.pk).update(trust_level=TrustLevel.PILLAR)
    body = client_for(bob).get("/api/me/trust").json()
    assert body["next_level"] is None and body["progress"] == []
    assert "You have reached every level" in client_for(bob).get("/trust/").content.decode()


# --- A site moderator's page for a member's level


def test_a_moderator_holds_a_members_level_lower_with_a_reason(bob, moderator_kim):
    User.objects.filter(pk=bob.pk).update(trust_level=TrustLevel.REGULAR)
    client = client_for(moderator_kim)
    page = client.get("/moderation/members/bob/trust/")
    assert page.status_code == 200
    assert "days since joining" in page.content.decode()
    response = client.post(
        "/moderation/members/bob/trust/",
        {"level": TrustLevel.SETTLING, "days": 7, "reason": "Links to a shop in every reply."},
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.trust_level == TrustLevel.REGULAR
    assert effective_level(bob) == TrustLevel.SETTLING
    assert (
        abs((bob.trust_level_cap_until - timezone.now() - timedelta(days=7)).total_seconds()) < 60
    )
    entry = AuditEntry.objects.get(action="trust_cap", target_id=bob.pk)
    assert entry.reason == "Links to a shop in every reply."
    assert entry.details["cause"] == "moderator"
    assert (entry.details["from"], entry.details["to"]) == (3, 1)
    assert "held at level 1" in client.get("/moderation/members/bob/trust/").content.decode()


def test_a_hold_until_lifted_has_no_end_and_lifting_it_is_audited(bob, moderator_kim):
    User.objects.filter(pk=bob.pk).update(trust_level=TrustLevel.MEMBER)
    client = client_for(moderator_kim)
    client.post(
        "/moderation/members/bob/trust/",
        {"level": TrustLevel.NEW, "days": 0, "reason": "Until we talk."},
    )
    bob.refresh_from_db()
    assert (bob.trust_level_cap, bob.trust_level_cap_until) == (TrustLevel.NEW, None)
    assert effective_level(bob) == TrustLevel.NEW
    response = client.post("/moderation/members/bob/trust/lift/", {"reason": "We talked."})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.trust_level_cap is None
    lifted = AuditEntry.objects.get(action="trust_cap_lifted")
    assert (lifted.reason, lifted.details["to"]) == ("We talked.", TrustLevel.MEMBER)


def test_holding_a_level_needs_a_reason(bob, moderator_kim):
    response = client_for(moderator_kim).post(
        "/moderation/members/bob/trust/", {"level": 0, "days": 30, "reason": ""}
    )
    assert response.status_code == 422
    bob.refresh_from_db()
    assert bob.trust_level_cap is None


def test_members_and_community_moderators_cannot_change_levels(
    bob, alice_client, community_mod_maya
):
    assert alice_client.get("/moderation/members/bob/trust/").status_code == 403
    data = {"level": 0, "days": 30, "reason": "No."}
    assert alice_client.post("/moderation/members/bob/trust/", data).status_code == 403
    maya = client_for(community_mod_maya)
    assert maya.post("/moderation/members/bob/trust/", data).status_code == 403
    assert maya.post("/moderation/members/bob/trust/lift/", {"reason": "x"}).status_code == 403
    bob.refresh_from_db()
    assert bob.trust_level_cap is None
    assert not AuditEntry.objects.filter(action__startswith="trust_cap").exists()


def test_a_moderator_cannot_change_their_own_level(moderator_kim):
    response = client_for(moderator_kim).post(
        "/moderation/members/moderator_kim/trust/", {"level": 0, "days": 30, "reason": "Test."}
    )
    assert response.status_code == 403


def test_the_queue_item_links_site_moderators_to_the_authors_trust_page(
    two_threads, bob, carol, moderator_kim
):
    reply = do_create_reply(two_threads[0], body="Hello.", acting_user=bob)
    item = do_report(carol, reason="spam", post=reply).item
    page = client_for(moderator_kim).get(f"/moderation/items/{item.pk}/").content.decode()
    assert 'href="/moderation/members/bob/trust/"' in page


def test_the_member_page_lists_holds_that_came_with_a_sanction_or_a_removal(
    two_threads, bob, carol, moderator_kim
):
    User.objects.filter(pk=bob.pk).update(trust_level=TrustLevel.MEMBER)
    reply = do_create_reply(two_threads[0], body="Hello.", acting_user=bob)
    item = do_report(carol, reason="spam", post=reply).item
    kim = client_for(moderator_kim)
    response = kim.post(
        f"/api/moderation/items/{item.pk}/decision",
        {"decision": "remove", "reason": "Advertising."},
        content_type="application/json",
    )
    assert response.status_code == 200
    page = kim.get("/moderation/members/bob/trust/").content.decode()
    assert "held at level 1 with a remove" in page
    assert "Advertising." in page
