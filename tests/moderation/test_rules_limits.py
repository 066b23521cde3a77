"""A community's own brakes: a new member's first posts wait for approval, a thread's slow mode,
and threads and replies per member an hour. Through the pages and the API, each change audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.communities.models import CommunityLimits
from haven.communities.rules import FIRST_POSTS_LABEL
from haven.core.content import ModerationState
from haven.forums.actions import do_create_reply, do_create_thread
from haven.forums.models import Post, Thread
from haven.moderation.models import AuditEntry, QueueItem, QueueKind
from haven.moderation.rules_actions import SLOW_MODE_CHOICES
from tests.conftest import client_for, token_client_for


@pytest.fixture
def thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="Rough week", body="It has been a long week.", acting_user=alice
    )


@pytest.fixture
def maya_client(community_mod_maya):
    return client_for(community_mod_maya)


def set_limits(community, **limits) -> CommunityLimits:
    return CommunityLimits.objects.update_or_create(community=community, defaults=limits)[0]


def reply(client, thread, body: str):
    return client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": body})


def reply_api(client, thread, body: str):
    return client.post(
        f"/api/threads/{thread.public_id}/replies", {"body": body}, content_type="application/json"
    )


# --- Approving a new member's first posts --------------------------------------------------


def test_a_new_members_first_posts_wait_until_enough_are_approved(
    thread, bob, bob_client, maya_client
):
    set_limits(thread.community, approve_first_posts=2)
    reply(bob_client, thread, "Hello, I'm new here.")
    first = Post.objects.get(body="Hello, I'm new here.")
    assert first.moderation_state == ModerationState.HELD
    item = QueueItem.objects.get(post=first)
    assert item.kind == QueueKind.FLAGGED and item.labels == [FIRST_POSTS_LABEL]

    approved = maya_client.post(
        f"/moderation/items/{item.pk}/", {"decision": "approve", "hours": 24, "days": 7}
    )
    assert approved.status_code == 302
    first.refresh_from_db()
    assert first.is_visible

    reply(bob_client, thread, "Second one.")
    second = Post.objects.get(body="Second one.")
    assert second.moderation_state == ModerationState.HELD  # one approved of two
    maya_client.post(
        f"/moderation/items/{QueueItem.objects.get(post=second).pk}/",
        {"decision": "approve", "hours": 24, "days": 7},
    )
    reply(bob_client, thread, "Third, and free now.")
    assert Post.objects.get(body="Third, and free now.").is_visible


def test_first_posts_wait_for_threads_too_and_in_the_api(members_of_anxiety, bob):
    set_limits(members_of_anxiety, approve_first_posts=1)
    response = token_client_for(bob).post(
        "/api/communities/anxiety/threads",
        {"title": "Hi all", "body": "First time posting."},
        content_type="application/json",
    )
    assert response.status_code == 201
    post = Thread.objects.get(title="Hi all").first_post
    assert post.moderation_state == ModerationState.HELD
    assert QueueItem.objects.get(post=post).labels == [FIRST_POSTS_LABEL]


def test_members_who_already_posted_here_and_moderators_are_not_held(
    thread, alice, community_mod_maya
):
    set_limits(thread.community, approve_first_posts=1)
    assert do_create_reply(thread, body="I started this thread", acting_user=alice).is_visible
    assert do_create_reply(thread, body="Welcome", acting_user=community_mod_maya).is_visible


def test_first_posts_in_one_community_say_nothing_of_another(thread, grief, bob):
    set_limits(grief, approve_first_posts=3)
    assert do_create_reply(thread, body="Anxiety has no such rule", acting_user=bob).is_visible


# --- Slow mode -----------------------------------------------------------------------------


def test_a_moderator_sets_slow_mode_on_the_thread_page_and_it_is_audited(
    thread, maya_client, community_mod_maya
):
    page = maya_client.get(thread.get_absolute_url()).content.decode()
    assert 'name="seconds"' in page and "Set slow mode" in page
    response = maya_client.post(
        f"/moderation/threads/{thread.public_id}/slow-mode/", {"seconds": "300"}, follow=True
    )
    assert "Slow mode is on: one reply every 5 minutes." in response.content.decode()
    thread.refresh_from_db()
    assert thread.slow_mode_seconds == 300
    entry = AuditEntry.objects.get(action="slow_mode_changed")
    assert entry.actor == community_mod_maya and entry.target_id == thread.pk
    assert entry.details == {
        "before": {"slow_mode_seconds": 0},
        "after": {"slow_mode_seconds": 300},
    }
    assert "slow mode: everyone can reply once every 5 minutes" in response.content.decode()


def test_members_cannot_set_slow_mode_and_do_not_see_the_tool(thread, bob_client):
    assert "Set slow mode" not in bob_client.get(thread.get_absolute_url()).content.decode()
    response = bob_client.post(
        f"/moderation/threads/{thread.public_id}/slow-mode/", {"seconds": "300"}
    )
    assert response.status_code == 403
    api = bob_client.put(
        f"/api/threads/{thread.public_id}/slow-mode",
        {"slow_mode_seconds": 300},
        content_type="application/json",
    )
    assert api.status_code == 403
    thread.refresh_from_db()
    assert thread.slow_mode_seconds == 0


def test_slow_mode_refuses_a_second_reply_too_soon_and_says_when(thread, bob_client):
    Thread.objects.filter(pk=thread.pk).update(slow_mode_seconds=300)
    assert reply(bob_client, thread, "First thought.").status_code == 302
    response = reply(bob_client, thread, "Second thought.")
    assert response.status_code == 429
    page = response.content.decode()
    assert "slow mode for now, so everyone waits 5 minutes between replies" in page
    assert "You can reply again in about 5 minutes" in page
    assert "Second thought." in page  # nothing lost
    assert int(response["Retry-After"]) <= 300
    # After the wait, it goes through.
    Post.objects.filter(body="First thought.").update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    assert reply(bob_client, thread, "Second thought.").status_code == 302


def test_slow_mode_through_the_api(thread, bob, community_mod_maya):
    moderator = token_client_for(community_mod_maya)
    response = moderator.put(
        f"/api/threads/{thread.public_id}/slow-mode",
        {"slow_mode_seconds": 60},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["slow_mode_seconds"] == 60
    member = token_client_for(bob)
    assert reply_api(member, thread, "one").status_code == 201
    refused = reply_api(member, thread, "two")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert "slow mode" in refused.json()["detail"] and refused.json()["retry_after"] <= 60
    # Moderators are exempt.
    assert reply_api(moderator, thread, "mod one").status_code == 201
    assert reply_api(moderator, thread, "mod two").status_code == 201
    bad = moderator.put(
        f"/api/threads/{thread.public_id}/slow-mode",
        {"slow_mode_seconds": 7},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_the_slow_mode_tool_offers_exactly_the_allowed_choices(thread, maya_client):
    page = maya_client.get(thread.get_absolute_url()).content.decode()
    for seconds, label in SLOW_MODE_CHOICES:
        assert f'<option value="{seconds}"' in page and f">{label}</option>" in page


# --- Per-community rate limits -------------------------------------------------------------


def test_a_communitys_reply_limit_refuses_kindly_with_when_to_try_again(thread, bob_client):
    set_limits(thread.community, replies_per_hour=2)
    assert reply(bob_client, thread, "one").status_code == 302
    assert reply(bob_client, thread, "two").status_code == 302
    response = reply(bob_client, thread, "three")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Anxiety asks members to post at most 2 replies an hour" in page
    assert "You can reply here again in about an hour" in page


def test_a_communitys_thread_limit_through_the_page_and_the_api(members_of_anxiety, bob):
    set_limits(members_of_anxiety, threads_per_hour=1)
    client = client_for(bob)
    client.post("/c/anxiety/new/", {"title": "First", "body": "Hello"})
    refused = client.post("/c/anxiety/new/", {"title": "Second", "body": "Hello again"})
    assert refused.status_code == 429 and "at most 1 threads an hour" in refused.content.decode()
    api = token_client_for(bob).post(
        "/api/communities/anxiety/threads",
        {"title": "Third", "body": "Hi"},
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"
    assert list(Thread.objects.values_list("title", flat=True)) == ["First"]


def test_the_limit_counts_an_hour_and_spares_moderators(thread, bob, community_mod_maya):
    set_limits(thread.community, replies_per_hour=1)
    old = do_create_reply(thread, body="yesterday", acting_user=bob)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert reply(client_for(bob), thread, "today").status_code == 302
    maya = client_for(community_mod_maya)
    assert reply(maya, thread, "mod one").status_code == 302
    assert reply(maya, thread, "mod two").status_code == 302


# --- Setting the limits --------------------------------------------------------------------


def test_a_community_moderator_sets_limits_on_the_page_and_it_is_audited(
    anxiety, maya_client, community_mod_maya
):
    page = maya_client.get("/c/anxiety/moderation/rules/").content.decode()
    assert "Approve each new member&#x27;s first posts" in page
    response = maya_client.post(
        "/c/anxiety/moderation/limits/",
        {"approve_first_posts": "2", "threads_per_hour": "", "replies_per_hour": "10"},
        follow=True,
    )
    assert "Anxiety&#x27;s limits are saved." in response.content.decode()
    limits = CommunityLimits.objects.get(community=anxiety)
    assert (limits.approve_first_posts, limits.threads_per_hour, limits.replies_per_hour) == (
        2,
        None,
        10,
    )
    entry = AuditEntry.objects.get(action="community_limits_changed")
    assert entry.actor == community_mod_maya and entry.community == anxiety
    assert entry.details["before"] == {
        "approve_first_posts": 0,
        "threads_per_hour": None,
        "replies_per_hour": None,
    }
    assert entry.details["after"]["replies_per_hour"] == 10


def test_limits_are_checked_and_refused_to_members(anxiety, grief, maya_client, alice_client):
    bad = maya_client.post(
        "/c/anxiety/moderation/limits/",
        {"approve_first_posts": "0", "threads_per_hour": "0", "replies_per_hour": ""},
    )
    assert bad.status_code == 422 and "allow at least 1" in bad.content.decode()
    assert maya_client.post("/c/grief/moderation/limits/", {}).status_code == 403
    assert alice_client.post("/c/anxiety/moderation/limits/", {}).status_code == 403
    assert not CommunityLimits.objects.exists()


def test_limits_through_the_api(anxiety, community_mod_maya, alice):
    response = token_client_for(community_mod_maya).put(
        "/api/communities/anxiety/limits",
        {"approve_first_posts": 1, "threads_per_hour": 3, "replies_per_hour": None},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "community": "anxiety",
        "approve_first_posts": 1,
        "threads_per_hour": 3,
        "replies_per_hour": None,
    }
    assert AuditEntry.objects.filter(action="community_limits_changed").count() == 1
    refused = token_client_for(alice).put(
        "/api/communities/anxiety/limits",
        {"approve_first_posts": 0},
        content_type="application/json",
    )
    assert refused.status_code == 403
