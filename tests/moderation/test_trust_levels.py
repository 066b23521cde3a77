"""Trust levels: computed from time, reading, kindness received and a clean record; raised by a
periodic job that never lowers anyone; held lower for a while only by moderators, audited."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import TrustLevel, User
from haven.accounts.trust import effective_level, has_capability
from haven.core.content import ModerationState
from haven.demo.management.commands.load_demo_data import DEMO_CONTENT, DEMO_TRUST_LEVELS
from haven.forums.actions import do_create_reply, do_create_thread, do_toggle_reaction
from haven.forums.models import ThreadVisit
from haven.jobs.schedule import PERIODIC_JOBS
from haven.moderation.actions import do_decide_appeal, do_file_appeal, do_report
from haven.moderation.decisions import Decision, do_decide
from haven.moderation.models import AuditEntry, QueueItem
from haven.moderation.trust import (
    CAP_DAYS,
    TrustRecord,
    do_recompute_trust_levels,
    earned_level,
    trust_record,
)
from haven.updates.actions import do_create_update, do_toggle_update_reaction
from tests.conftest import client_for, make_member

REQUIREMENTS = {
    1: {"days": 1, "threads_read": 5, "helpful_reactions": 0, "clean_days": 0},
    2: {"days": 7, "threads_read": 20, "helpful_reactions": 3, "clean_days": 7},
    3: {"days": 30, "threads_read": 100, "helpful_reactions": 20, "clean_days": 30},
    4: {"days": 90, "threads_read": 300, "helpful_reactions": 60, "clean_days": 90},
}


@pytest.fixture(autouse=True)
def _known_requirements(settings):
    settings.HAVEN_TRUST_REQUIREMENTS = REQUIREMENTS


def backdate(user: User, days: int) -> None:
    user.date_joined = timezone.now() - timedelta(days=days, hours=1)
    User.objects.filter(pk=user.pk).update(date_joined=user.date_joined)


# --- The computation: each requirement, each boundary


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_meeting_every_requirement_of_a_level_exactly_earns_it(level):
    assert earned_level(TrustRecord(**REQUIREMENTS[level])) == level


# Every requirement a level asks for (a requirement of 0 cannot be missed by one).
ASKED = [
    (level, requirement)
    for level in (1, 2, 3, 4)
    for requirement in ("days", "threads_read", "helpful_reactions", "clean_days")
    if REQUIREMENTS[level][requirement] > 0
]


@pytest.mark.parametrize(("level", "requirement"), ASKED)
def test_one_short_on_any_requirement_stays_a_level_below(level, requirement):
    needs = dict(REQUIREMENTS[level])
    needs[requirement] -= 1
    assert earned_level(TrustRecord(**needs)) == level - 1


def test_a_brand_new_member_is_new_here():
    assert earned_level(TrustRecord(0, 0, 0, 0)) == TrustLevel.NEW


def test_days_since_joining_count_whole_days(alice):
    backdate(alice, 6)
    assert trust_record(alice).days == 6
    assert trust_record(alice).clean_days == 6  # nothing ever happened: clean since joining


def test_threads_read_count_each_thread_once(members_of_anxiety, thread, alice, bob):
    client = client_for(bob)
    url = f"/c/anxiety/t/{thread.public_id}/"
    client.get(url)
    client.get(url)
    client.get(f"/api/threads/{thread.public_id}")
    assert trust_record(bob).threads_read == 1
    assert trust_record(alice).threads_read == 0


def test_hugs_me_toos_and_thank_yous_on_posts_and_updates_count_as_kindness(
    thread, alice, bob, carol
):
    reply = do_create_reply(thread, body="Sending you strength.", acting_user=bob)
    for kind in ("hug", "metoo", "thanks"):
        do_toggle_reaction(reply, kind, acting_user=alice)
    update = do_create_update(body="A calmer day today.", visibility="public", acting_user=bob)
    do_toggle_update_reaction(update, "hug", acting_user=carol)
    assert trust_record(bob).helpful_reactions == 4


def test_kindness_on_removed_words_does_not_count(thread, alice, bob, carol, moderator_kim):
    reply = do_create_reply(thread, body="Sending you strength.", acting_user=bob)
    do_toggle_reaction(reply, "hug", acting_user=alice)
    item = do_report(carol, reason="spam", post=reply).item
    do_decide(item, Decision.REMOVE, moderator=moderator_kim, reason="Advertising.")
    assert trust_record(bob).helpful_reactions == 0


def test_a_sanction_restarts_the_clean_record(thread, alice, bob, carol, moderator_kim):
    backdate(bob, 40)
    reply = do_create_reply(thread, body="Hello there.", acting_user=bob)
    item = do_report(carol, reason="harassment", post=reply).item
    do_decide(item, Decision.WARN, moderator=moderator_kim, reason="Please be gentle.")
    record = trust_record(bob)
    assert record.days == 40
    assert record.clean_days == 0


def test_a_removal_restarts_the_clean_record_until_an_appeal_restores_it(
    thread, bob, carol, moderator_kim, site_admin
):
    backdate(bob, 40)
    reply = do_create_reply(thread, body="Hello there.", acting_user=bob)
    item = do_report(carol, reason="spam", post=reply).item
    do_decide(item, Decision.REMOVE, moderator=moderator_kim, reason="Looks like spam.")
    assert trust_record(bob).clean_days == 0
    reply.refresh_from_db()
    appeal = do_file_appeal(bob, text="It was a real question.", post=reply)
    appeal_item = QueueItem.objects.get(appeal=appeal)
    do_decide_appeal(appeal_item, grant=True, moderator=site_admin, reason="You're right.")
    assert trust_record(bob).clean_days == 40


# --- The periodic job


def read_threads(user: User, count: int, thread) -> None:
    """`count` threads opened (visits stored directly: the pages are tested above)."""
    for n in range(count):
        other = do_create_thread(
            thread.community, title=f"Thread {n}", body="A few words.", acting_user=user
        )
        ThreadVisit.objects.create(thread=other, user=user)


def test_the_job_raises_a_member_who_meets_a_level(members_of_anxiety, thread, alice, bob):
    backdate(bob, 2)
    read_threads(bob, 5, thread)
    assert do_recompute_trust_levels() == 1
    bob.refresh_from_db()
    assert bob.trust_level == TrustLevel.SETTLING
    assert has_capability(bob, "post_links")


def test_a_level_once_earned_never_drops_by_itself(alice):
    User.objects.filter(pk=alice.pk).update(trust_level=TrustLevel.REGULAR)
    backdate(alice, 400)  # old enough to be looked at, but has read nothing
    assert do_recompute_trust_levels() == 0
    alice.refresh_from_db()
    assert alice.trust_level == TrustLevel.REGULAR


def test_the_recompute_command_runs_the_job(members_of_anxiety, thread, bob):
    backdate(bob, 2)
    read_threads(bob, 5, thread)
    call_command("recompute_trust")
    bob.refresh_from_db()
    assert bob.trust_level == TrustLevel.SETTLING


def test_the_job_is_scheduled_every_ten_minutes():
    job = next(j for j in PERIODIC_JOBS if j.task_path.endswith("recompute_trust_levels"))
    assert job.every_seconds == 600
    assert job.task is not None


def test_the_job_costs_the_same_queries_for_many_members_in_a_batch(guidelines, anxiety):
    def members(count: int, start: int) -> None:
        for n in range(start, start + count):
            backdate(make_member(f"reader{n}", guidelines), 3)

    def queries(batch_size: int) -> int:
        User.objects.update(trust_level=TrustLevel.NEW)
        with CaptureQueriesContext(connection) as captured:
            do_recompute_trust_levels(batch_size=batch_size)
        return len(captured)

    members(2, 0)
    few = queries(500)
    members(18, 2)
    assert queries(500) == few
    # Batches of 5: four batches, each the same handful of queries, plus one empty read.
    per_batch = few - 2  # the expired-caps update and the final empty read
    assert queries(5) == 2 + 4 * per_batch


def test_new_members_are_skipped_without_computing_anything(guidelines):
    make_member("brand_new", guidelines)  # joined now: too soon for any level
    with CaptureQueriesContext(connection) as captured:
        do_recompute_trust_levels()
    assert len(captured) == 2  # the expired-caps update and one empty read


# --- Held lower by moderation


@pytest.fixture
def bobs_reported_reply(thread, bob, carol):
    User.objects.filter(pk=bob.pk).update(trust_level=TrustLevel.MEMBER)
    bob.refresh_from_db()
    reply = do_create_reply(thread, body="Hello there.", acting_user=bob)
    return do_report(carol, reason="harassment", post=reply).item


@pytest.mark.parametrize("decision", [Decision.MUTE, Decision.SUSPEND, Decision.BAN])
def test_a_mute_suspension_or_ban_holds_the_member_one_level_lower_for_30_days(
    bobs_reported_reply, bob, moderator_kim, decision
):
    do_decide(bobs_reported_reply, decision, moderator=moderator_kim, reason="Unkind words.")
    bob.refresh_from_db()
    assert bob.trust_level == TrustLevel.MEMBER  # earned stays
    assert bob.trust_level_cap == TrustLevel.SETTLING
    expected = timezone.now() + timedelta(days=CAP_DAYS)
    assert abs((bob.trust_level_cap_until - expected).total_seconds()) < 60
    assert effective_level(bob) == TrustLevel.SETTLING
    assert not has_capability(bob, "post_images")
    # The hold is part of the sanction's own audit row: one decision, one row.
    entry = AuditEntry.objects.get(action=decision.value, target_id=bob.pk)
    assert entry.actor_label == "moderator_kim"
    assert entry.reason == "Unkind words."
    hold = entry.details["trust_hold"]
    assert (hold["from"], hold["to"], hold["cap"]) == (2, 1, 1)
    assert hold["until"] == bob.trust_level_cap_until.isoformat()


def test_a_removal_holds_the_author_one_level_lower(bobs_reported_reply, bob, moderator_kim):
    do_decide(bobs_reported_reply, Decision.REMOVE, moderator=moderator_kim, reason="Unkind.")
    bob.refresh_from_db()
    assert effective_level(bob) == TrustLevel.SETTLING
    hold = AuditEntry.objects.get(action="remove").details["trust_hold"]
    assert (hold["from"], hold["to"]) == (2, 1)


def test_a_warning_does_not_hold_the_level(bobs_reported_reply, bob, moderator_kim):
    do_decide(bobs_reported_reply, Decision.WARN, moderator=moderator_kim, reason="Gently.")
    bob.refresh_from_db()
    assert bob.trust_level_cap is None
    assert "trust_hold" not in AuditEntry.objects.get(action="warn").details


def test_a_second_step_in_keeps_the_lower_hold(thread, bob, carol, moderator_kim):
    User.objects.filter(pk=bob.pk).update(trust_level=TrustLevel.REGULAR)
    for text in ("One.", "Two."):
        reply = do_create_reply(thread, body=text, acting_user=bob)
        item = do_report(carol, reason="spam", post=reply).item
        do_decide(item, Decision.REMOVE, moderator=moderator_kim, reason="Spam.")
    bob.refresh_from_db()
    assert bob.trust_level_cap == TrustLevel.SETTLING  # 3 → 2 → 1


def test_a_hold_ends_by_itself_and_the_job_clears_it(bobs_reported_reply, bob, moderator_kim):
    do_decide(bobs_reported_reply, Decision.MUTE, moderator=moderator_kim, reason="Pause.")
    User.objects.filter(pk=bob.pk).update(
        trust_level_cap_until=timezone.now() - timedelta(minutes=1)
    )
    bob.refresh_from_db()
    assert effective_level(bob) == TrustLevel.MEMBER
    assert has_capability(bob, "post_images")
    do_recompute_trust_levels()
    bob.refresh_from_db()
    assert bob.trust_level_cap is None and bob.trust_level_cap_until is None


def test_moderators_keep_every_capability_whatever_the_level(moderator_kim):
    assert moderator_kim.trust_level == TrustLevel.NEW
    assert has_capability(moderator_kim, "post_images")


def test_held_content_that_is_approved_costs_nothing(thread, bob, moderator_kim):
    reply = do_create_reply(thread, body="Hello.", send_for_review=True, acting_user=bob)
    item = (
        QueueItem.objects.filter(post=reply).first()
        or do_report(moderator_kim, reason="other", post=reply).item
    )
    do_decide(item, Decision.APPROVE, moderator=moderator_kim)
    bob.refresh_from_db()
    assert bob.trust_level_cap is None
    assert reply.__class__.objects.get(pk=reply.pk).moderation_state == ModerationState.VISIBLE


def test_the_demo_gives_its_members_levels_from_new_here_to_pillar():
    pseudonyms = {row["pseudonym"] for row in json.loads(DEMO_CONTENT.read_text())["members"]}
    assert set(DEMO_TRUST_LEVELS) <= pseudonyms
    assert set(DEMO_TRUST_LEVELS.values()) == set(TrustLevel.values)
