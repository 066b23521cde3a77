"""Rate limits per account and per IP, stricter for new accounts; nudges against over-reliance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.models import Role
from haven.forums.actions import do_create_reply
from haven.moderation.models import DailyActivity
from tests.conftest import client_for
from tests.moderation.conftest import CRISIS


@pytest.fixture
def rates(settings):
    settings.HAVEN_RATE_LIMITS = {
        **settings.HAVEN_RATE_LIMITS,
        "reply": {"member": "5/h", "new_member": "2/h", "ip": "100/h"},
        "report": {"member": "3/h", "new_member": "1/h", "ip": "100/h"},
        "signup": {"ip": "2/h"},
    }


def reply(client, thread, n):
    return client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": f"thinking of you, {n}"},
        content_type="application/json",
    )


def test_new_accounts_may_post_less_often_than_established_ones(rates, thread, bob, carol):
    carol.date_joined = timezone.now() - timedelta(days=30)
    carol.save()
    new, established = client_for(bob), client_for(carol)
    assert [reply(new, thread, n).status_code for n in range(3)] == [201, 201, 429]
    assert [reply(established, thread, n).status_code for n in range(6)] == [201] * 5 + [429]
    page = new.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": "one more"})
    assert page.status_code == 429
    assert "take a short break" in page.content.decode()


def test_signups_are_limited_per_ip(rates, client, guidelines):
    def sign_up(name):
        return client.post(
            "/api/auth/signup",
            {"pseudonym": name, "password": "lanterns-over-the-bay-7", "accept_guidelines": True},
            content_type="application/json",
        )

    assert [sign_up(f"member{n}").status_code for n in range(3)] == [201, 201, 429]


def test_reports_are_limited_too(rates, thread, bob):
    client = client_for(bob)
    statuses = [
        client.post(
            "/api/reports",
            {"target_kind": "post", "target_id": thread.first_post.public_id, "reason": "spam"},
            content_type="application/json",
        ).status_code
        for _ in range(2)
    ]
    assert statuses == [201, 429]


def test_several_crisis_posts_bring_a_gentle_nudge_towards_professional_help(thread, bob, settings):
    settings.HAVEN_NUDGE_CRISIS_POSTS = 2
    client = client_for(bob)
    assert "A gentle thought" not in client.get("/home/").content.decode()
    do_create_reply(thread, body=CRISIS, acting_user=bob)
    assert "A gentle thought" not in client.get("/home/").content.decode()
    do_create_reply(thread, body=CRISIS + " Again.", acting_user=bob)
    page = client.get("/home/").content.decode()
    assert "a professional can help in ways we can" in page
    assert 'href="/help/#professional"' in page
    client.post("/nudge/dismiss/")
    assert "A gentle thought" not in client.get("/home/").content.decode()


def test_very_long_daily_use_brings_the_nudge(bob, settings):
    settings.HAVEN_NUDGE_DAILY_MINUTES = 60
    DailyActivity.objects.create(member=bob, day=timezone.now().date(), active_minutes=61)
    page = client_for(bob).get("/home/").content.decode()
    assert "You've spent a long time here today" in page


@pytest.mark.parametrize("role", [Role.LISTENER, Role.THERAPIST, Role.MODERATOR])
def test_people_helping_here_for_hours_are_not_told_to_see_a_professional(bob, settings, role):
    settings.HAVEN_NUDGE_DAILY_MINUTES = 60
    bob.role = role
    bob.save(update_fields=["role"])
    DailyActivity.objects.create(member=bob, day=timezone.now().date(), active_minutes=300)
    page = client_for(bob).get("/home/").content.decode()
    assert "You've spent a long time here today" not in page


def test_active_minutes_are_counted_once_per_minute(bob):
    client = client_for(bob)
    for _ in range(5):
        client.get("/home/")
    assert DailyActivity.objects.get(member=bob).active_minutes == 1
