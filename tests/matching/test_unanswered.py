"""No post left unanswered (haven.matching.unanswered): a thread in a support community that
waited HAVEN_UNANSWERED_AFTER_MINUTES without a reply from anyone but its author is offered to
a few opted-in peer responders and listeners on duty, the closest by their own words first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from haven.accounts.actions import do_update_profile
from haven.accounts.blocks import do_block_member
from haven.accounts.models import MemberPreferences, User
from haven.accounts.personal_data import export_user_data
from haven.communities.actions import do_save_community
from haven.core.content import ModerationState
from haven.forums.actions import (
    do_create_reply,
    do_create_thread,
    do_set_post_moderation_state,
    do_set_thread_locked,
)
from haven.forums.models import Thread
from haven.jobs.schedule import PERIODIC_JOBS
from haven.matching import unanswered
from haven.matching.models import ResponderOffer
from haven.matching.tasks import offer_unanswered_threads
from haven.moderation.actions import do_sanction
from haven.moderation.models import Sanction
from haven.notifications import presence
from haven.notifications.models import Notification
from tests.chat.conftest import make_listener
from tests.conftest import client_for, make_member
from tests.matching.conftest import run_jobs

SLEEP_THREAD = (
    "Lying awake at 3am every night",
    "My mind races as soon as my head hits the pillow and I stare at the ceiling until dawn.",
)
# What each responder has written about, in their bio, topics and an earlier post.
WORDS = {
    "sleep": (
        ["sleep", "insomnia"],
        "I lay awake every night for years; insomnia, racing mind at 3am, staring at the ceiling.",
        "What finally helped my sleep",
        "Getting up when I could not sleep at night, no screens in bed, and the same wake time.",
    ),
    "grief": (
        ["grief", "loss"],
        "I lost my father two years ago and I still miss him at every family gathering.",
        "Missing my dad at the funeral anniversary",
        "The first anniversary of his death was harder than the funeral itself.",
    ),
    "work": (
        ["work", "burnout"],
        "Burnt out after twelve hour shifts and a manager who shouts; I changed careers.",
        "Leaving a job that was breaking me",
        "My manager shouted every Monday and the overtime never ended, so I resigned.",
    ),
}


def later(minutes: int = 31):
    return timezone.now() + timedelta(minutes=minutes)


def opt_in(member, on: bool = True) -> None:
    MemberPreferences.objects.update_or_create(user=member, defaults={"is_peer_responder": on})


@pytest.fixture
def chatter(db):
    """A community that is not for support: its threads are never offered."""
    community = do_save_community(slug="chatter", name="Chatter", description="Small talk.")
    Community = type(community)
    Community.objects.filter(pk=community.pk).update(is_support=False)
    community.refresh_from_db()
    return community


def make_responder(name: str, guidelines, chatter, *, about: str | None = None, join=True):
    member = make_member(name, guidelines)
    if about is not None:
        topics, bio, title, body = WORDS[about]
        do_update_profile(member, bio=bio, topics=topics, country="", email="")
        do_create_thread(chatter, title=title, body=body, acting_user=member)
    if join:
        opt_in(member)
    return member


@pytest.fixture
def sleepy(alice, anxiety):
    """alice's thread about sleep, just posted in a support community (the default)."""
    title, body = SLEEP_THREAD
    return do_create_thread(anxiety, title=title, body=body, acting_user=alice)


def offered(thread) -> set[str]:
    return set(
        ResponderOffer.objects.filter(thread=thread).values_list("responder__pseudonym", flat=True)
    )


def test_a_thread_is_offered_after_the_wait_and_not_before(sleepy, guidelines, chatter):
    make_responder("rowan", guidelines, chatter, about="sleep")

    before = unanswered.do_offer_unanswered_threads(now=later(29))
    assert before.offers == 0 and offered(sleepy) == set()

    after = unanswered.do_offer_unanswered_threads(now=later(31))
    assert after.offers == 1 and offered(sleepy) == {"rowan"}
    sleepy.refresh_from_db()
    assert sleepy.offered_to_responders_at is not None


def test_the_closest_responders_by_their_own_words_are_asked_first(
    sleepy, guidelines, chatter, settings
):
    settings.HAVEN_UNANSWERED_OFFER_TO = 1
    # Created in this order so neither the member id nor the order of creation favours sleep.
    make_responder("wren_grief", guidelines, chatter, about="grief")
    make_responder("robin_work", guidelines, chatter, about="work")
    make_responder("sage_sleep", guidelines, chatter, about="sleep")
    run_jobs()  # the posts' vectors, as the worker makes them

    unanswered.do_offer_unanswered_threads(now=later(31))
    assert offered(sleepy) == {"sage_sleep"}


def test_never_the_author_nor_a_blocked_pair_nor_members_who_did_not_opt_in(
    sleepy, alice, bob, carol, guidelines, chatter, settings
):
    settings.HAVEN_UNANSWERED_OFFER_TO = 10
    opt_in(alice)  # the author is a responder too
    opt_in(bob)
    opt_in(carol)
    do_block_member(bob, alice)  # bob blocked the author
    do_block_member(alice, carol)  # the author blocked carol
    make_responder("dana", guidelines, chatter, about="sleep", join=False)
    make_responder("erin", guidelines, chatter, about="grief")
    left = make_responder("finn", guidelines, chatter, about="work")
    opt_in(left, on=False)  # opted in, then out again

    unanswered.do_offer_unanswered_threads(now=later(31))
    assert offered(sleepy) == {"erin"}


def test_the_next_few_are_asked_after_another_interval_never_the_same_person_twice(
    sleepy, guidelines, chatter, settings
):
    settings.HAVEN_UNANSWERED_OFFER_TO = 2
    for n in range(5):
        make_responder(f"responder_{n}", guidelines, chatter)

    first = unanswered.do_offer_unanswered_threads(now=later(31))
    assert first.offers == 2
    too_soon = unanswered.do_offer_unanswered_threads(now=later(50))
    assert too_soon.offers == 0
    second = unanswered.do_offer_unanswered_threads(now=later(62))
    third = unanswered.do_offer_unanswered_threads(now=later(93))
    fourth = unanswered.do_offer_unanswered_threads(now=later(124))
    asked = [first.offered, second.offered, third.offered]
    ids = [pk for run in asked for pk in run.get(sleepy.pk, [])]
    assert len(ids) == 5 == len(set(ids))  # everyone once, nobody twice
    assert fourth.offers == 0
    assert ResponderOffer.objects.filter(thread=sleepy).count() == 5


def test_running_the_job_twice_at_once_offers_nothing_twice(sleepy, guidelines, chatter):
    for n in range(4):
        make_responder(f"responder_{n}", guidelines, chatter)
    now = later(31)
    first = unanswered.do_offer_unanswered_threads(now=now)
    again = unanswered.do_offer_unanswered_threads(now=now)
    assert first.offers == 3 and again.offers == 0
    assert Notification.objects.filter(kind=Notification.Kind.UNANSWERED).count() == 3


def test_a_run_that_lost_the_race_offers_nothing(sleepy, guidelines, chatter):
    """Two workers read the same waiting thread; only the one that claims it first offers."""
    make_responder("rowan", guidelines, chatter)
    now = later(31)
    thread = unanswered.waiting_threads(now)[0]
    Thread.objects.filter(pk=thread.pk).update(offered_to_responders_at=now)  # the other run
    assert unanswered._offer(thread, unanswered.responder_pool(now), now) is False
    assert not ResponderOffer.objects.exists()


def test_listeners_on_duty_are_offered_and_those_away_or_full_are_not(sleepy, guidelines, settings):
    settings.HAVEN_UNANSWERED_OFFER_TO = 10
    make_listener("listener_lee", guidelines, topics=["sleep"])
    make_listener("listener_away", guidelines, topics=["sleep"], present=False)
    make_listener("listener_off", guidelines, topics=["sleep"], is_online=False)
    make_listener("listener_full", guidelines, topics=["sleep"], max_chats=0)

    unanswered.do_offer_unanswered_threads(now=later(31))
    assert offered(sleepy) == {"listener_lee"}


def test_offers_stop_once_someone_replies_and_unread_offers_are_withdrawn(
    sleepy, alice, guidelines, chatter, settings
):
    settings.HAVEN_UNANSWERED_OFFER_TO = 2
    make_responder("rowan", guidelines, chatter)
    make_responder("sky", guidelines, chatter)
    make_responder("tam", guidelines, chatter)
    unanswered.do_offer_unanswered_threads(now=later(31))
    first = offered(sleepy)
    assert len(first) == 2

    replier = User.objects.get(pseudonym=sorted(first)[0])  # one of those asked answers
    do_create_reply(sleepy, body="I've been there. You're not alone.", acting_user=replier)
    result = unanswered.do_offer_unanswered_threads(now=later(70))
    assert result.offers == 0 and offered(sleepy) == first
    assert result.settled == 1
    answered = ResponderOffer.objects.filter(answered_at__isnull=False)
    assert list(answered.values_list("responder_id", flat=True)) == [replier.pk]
    # Nobody is still asked to answer what has been answered.
    assert not Notification.objects.filter(kind=Notification.Kind.UNANSWERED).exists()


def test_a_reply_by_the_author_alone_still_leaves_the_thread_waiting(
    sleepy, alice, guidelines, chatter
):
    make_responder("rowan", guidelines, chatter)
    do_create_reply(sleepy, body="Still awake. Anyone?", acting_user=alice)
    assert unanswered.do_offer_unanswered_threads(now=later(31)).offers == 1


def test_threads_not_for_support_locked_held_or_too_old_are_not_offered(
    alice, anxiety, chatter, guidelines, moderator_kim
):
    make_responder("rowan", guidelines, chatter)
    title, body = SLEEP_THREAD
    do_create_thread(chatter, title=title, body=body, acting_user=alice)
    locked = do_create_thread(anxiety, title=title, body=body, acting_user=alice)
    do_set_thread_locked(locked, True, acting_user=moderator_kim)
    held = do_create_thread(anxiety, title=title, body=body, acting_user=alice)
    do_set_post_moderation_state(held.first_post, ModerationState.HELD)
    old = do_create_thread(anxiety, title=title, body=body, acting_user=alice)
    Thread.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))

    assert unanswered.do_offer_unanswered_threads(now=later(31)).offers == 0


def test_a_responder_who_muted_its_theme_or_tag_or_cannot_reply_now_is_not_offered(
    alice, anxiety, guidelines, chatter, moderator_kim, settings
):
    settings.HAVEN_UNANSWERED_OFFER_TO = 10
    title, body = SLEEP_THREAD
    thread = do_create_thread(anxiety, title=title, body=body, tags=["sleep"], acting_user=alice)
    Thread.objects.filter(pk=thread.pk).update(themes=["self_harm_detail"])
    theme = make_responder("muted_theme", guidelines, chatter)
    MemberPreferences.objects.filter(user=theme).update(muted_themes=["self_harm_detail"])
    tag = make_responder("muted_tag", guidelines, chatter)
    MemberPreferences.objects.filter(user=tag).update(muted_tags=["sleep"])
    silenced = make_responder("silenced", guidelines, chatter)
    do_sanction(
        silenced, Sanction.Kind.MUTE, moderator=moderator_kim, reason="Cooling off",
        duration=timedelta(days=1),
    )  # fmt: skip
    make_responder("open", guidelines, chatter)

    unanswered.do_offer_unanswered_threads(now=later(31))
    assert offered(thread) == {"open"}


def test_nobody_is_offered_more_than_three_threads_an_hour(alice, anxiety, guidelines, chatter):
    make_responder("rowan", guidelines, chatter)
    title, body = SLEEP_THREAD
    threads = [
        do_create_thread(anxiety, title=f"{title} ({n})", body=body, acting_user=alice)
        for n in range(5)
    ]
    unanswered.do_offer_unanswered_threads(now=later(31))
    assert ResponderOffer.objects.count() == unanswered.MAX_OFFERS_PER_RESPONDER_PER_HOUR == 3
    unanswered.do_offer_unanswered_threads(now=later(62))
    assert ResponderOffer.objects.count() == 3  # still within the hour
    unanswered.do_offer_unanswered_threads(now=later(93))
    assert ResponderOffer.objects.count() == 5  # an hour on, the other two
    assert {o.thread_id for o in ResponderOffer.objects.all()} == {t.pk for t in threads}


def test_the_offer_names_the_thread_and_leads_to_it_but_not_its_author_or_words(
    alice, anxiety, guidelines, chatter
):
    rowan = make_responder("rowan", guidelines, chatter)
    thread = do_create_thread(
        anxiety, title="Can't sleep again", body="My sister Jo keeps calling at night.",
        content_warning="sleep loss", is_anonymous=True, acting_user=alice,
    )  # fmt: skip
    unanswered.do_offer_unanswered_threads(now=later(31))

    client = client_for(rowan)
    page = client.get(reverse("notifications:list")).content.decode()
    words = "Someone could use a reply in \u201cCan't sleep again\u201d (content note: sleep loss)"
    assert escape(words) in page
    assert thread.get_absolute_url() in page
    assert "My sister Jo" not in page and "alice" not in page

    api = client.get("/api/notifications").json()
    item = api["items"][0]
    assert item["kind"] == "unanswered"
    assert item["text"] == words
    assert item["url"] == thread.get_absolute_url()
    assert "alice" not in str(item)


def test_the_offers_a_member_received_are_in_their_export(sleepy, guidelines, chatter):
    rowan = make_responder("rowan", guidelines, chatter)
    unanswered.do_offer_unanswered_threads(now=later(31))
    offers = export_user_data(rowan)["peer_matching"]["threads_offered_to_you"]
    assert [(o["thread"], o["you_replied"]) for o in offers] == [(SLEEP_THREAD[0], False)]


def test_the_job_is_scheduled_every_minute_and_runs_as_a_task(sleepy, guidelines, chatter):
    job = next(j for j in PERIODIC_JOBS if j.task_path.endswith("offer_unanswered_threads"))
    assert job.every_seconds == 60
    make_responder("rowan", guidelines, chatter)
    Thread.objects.filter(pk=sleepy.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    assert offer_unanswered_threads.call() == {"threads_offered": 1, "offers": 1, "settled": 0}


def _queries_for_a_run(now) -> int:
    unanswered.forget_responder_vectors()
    with CaptureQueriesContext(connection) as queries:
        unanswered.do_offer_unanswered_threads(now=now)
    return len(queries)


def test_a_run_costs_a_few_queries_however_many_responders_there_are(
    alice, anxiety, guidelines, chatter, settings
):
    settings.HAVEN_UNANSWERED_OFFER_TO = 2
    title, body = SLEEP_THREAD
    for n in range(3):
        do_create_thread(anxiety, title=f"{title} ({n})", body=body, acting_user=alice)
    for n in range(3):
        make_responder(f"few_{n}", guidelines, chatter, about="sleep")
    make_listener("listener_lee", guidelines, topics=["sleep"])
    few = _queries_for_a_run(later(31))
    ResponderOffer.objects.all().delete()
    Notification.objects.all().delete()
    Thread.objects.update(offered_to_responders_at=None)
    for n in range(12):
        make_responder(f"many_{n}", guidelines, chatter, about=["sleep", "grief", "work"][n % 3])
    many = _queries_for_a_run(later(31))
    assert many == few
    # About fifteen reads, then per thread offered: its savepoint, the claim, the offers, the
    # notifications and the release.
    assert many <= 15 + 3 * 5, many
    nothing_waiting = _queries_for_a_run(later(32))
    assert nothing_waiting <= 3


def test_someone_with_haven_open_is_asked_before_a_closer_responder_who_is_away(
    sleepy, guidelines, chatter, settings
):
    settings.HAVEN_UNANSWERED_OFFER_TO = 1
    make_responder("sage_sleep", guidelines, chatter, about="sleep")  # closest, but away
    here = make_responder("wren_grief", guidelines, chatter, about="grief")
    presence.beat(here.pk, "tab-of-wren")  # a page of Haven open (the notification socket)

    unanswered.do_offer_unanswered_threads(now=later(31))
    assert offered(sleepy) == {"wren_grief"}


def test_a_member_who_ticks_the_box_on_the_filters_page_is_offered_threads(sleepy, bob):
    response = client_for(bob).post(
        "/accounts/filters/",
        {
            "muted_tags": "",
            "content_warning_display": "blur",
            "direct_messages_from": "following",
            "direct_messages_min_level": "1",
            "is_peer_responder": "on",
        },
    )
    assert response.status_code in (200, 302)
    assert MemberPreferences.objects.get(user=bob).is_peer_responder
    unanswered.do_offer_unanswered_threads(now=later(31))
    assert offered(sleepy) == {"bob"}
