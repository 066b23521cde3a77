"""Ban-evasion signals: a new account seen with a banned account's browser or network is
pointed out to site moderators on the queue, and to nobody else; nothing happens on its own."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.device_signals import DEVICE_COOKIE_NAME, do_record_device_signals
from haven.accounts.models import DeviceSignal, User
from haven.communities.actions import do_join_community, do_set_community_moderator
from haven.forums.actions import do_create_reply
from haven.moderation import evasion
from haven.moderation.actions import do_report, do_sanction
from haven.moderation.evasion import Strength, evasion_signals_for
from haven.moderation.models import QueueItem, Sanction
from haven.notifications.models import Notification
from tests.conftest import client_for, make_member

SUMMARY = "Possible returning account: shares a browser with a banned account (strong signal)"
NOTE = "Moderators decide; nothing happens automatically."
SIGNUP = {"password": "lanterns-over-the-bay-7", "email": "", "accept_guidelines": "on"}


def sign_up(client: Client, pseudonym: str) -> User:
    assert client.post("/accounts/signup/", {**SIGNUP, "pseudonym": pseudonym}).status_code == 302
    return User.objects.get(pseudonym=pseudonym)


def ban(member: User, moderator: User) -> Sanction:
    return do_sanction(member, Sanction.Kind.BAN, moderator=moderator, reason="Repeated cruelty")


@pytest.fixture
def returning(guidelines, moderator_kim, members_of_anxiety):
    """bruno signs up in a browser and is banned; from the same browser, on another network,
    'newbie' signs up and writes a reply that carol reports."""
    first = Client(REMOTE_ADDR="203.0.113.10")
    bruno = sign_up(first, "bruno")
    ban(bruno, moderator_kim)
    again = Client(REMOTE_ADDR="198.51.100.7")
    again.cookies[DEVICE_COOKIE_NAME] = first.cookies[DEVICE_COOKIE_NAME].value
    newbie = sign_up(again, "newbie")
    return newbie, again


@pytest.fixture
def reported_reply(returning, thread, carol):
    newbie, _ = returning
    do_join_community(newbie, thread.community)
    reply = do_create_reply(thread, body="Hello again, everyone.", acting_user=newbie)
    return do_report(carol, reason="harassment", post=reply).item


def test_the_queue_shows_a_moderator_the_returning_account(reported_reply, moderator_kim):
    kim = client_for(moderator_kim)
    page = kim.get("/moderation/").content.decode()
    assert SUMMARY in page and NOTE in page
    assert 'href="/moderation/members/bruno/"' in page
    item_page = kim.get(f"/moderation/items/{reported_reply.pk}/").content.decode()
    assert SUMMARY in item_page and NOTE in item_page
    assert "bruno" in item_page and "shares a browser" in item_page
    assert timezone.localdate().strftime("%-d %B %Y") in item_page  # the date seen


def test_the_banned_accounts_history_is_for_site_moderators(
    reported_reply, moderator_kim, community_mod_maya, alice_client
):
    history = client_for(moderator_kim).get("/moderation/members/bruno/")
    assert history.status_code == 200
    assert "Repeated cruelty" in history.content.decode()
    newbie_history = client_for(moderator_kim).get("/moderation/members/newbie/")
    assert SUMMARY in newbie_history.content.decode()
    assert client_for(community_mod_maya).get("/moderation/members/bruno/").status_code == 403
    assert alice_client.get("/moderation/members/bruno/").status_code == 403


def test_the_api_gives_the_signal_to_site_moderators_only(
    reported_reply, moderator_kim, community_mod_maya
):
    kim = client_for(moderator_kim)
    listed = kim.get("/api/moderation/queue").json()["items"][0]
    assert listed["evasion"]["strength"] == "strong"
    assert listed["evasion"]["summary"] == SUMMARY and listed["evasion"]["note"] == NOTE
    match = listed["evasion"]["matches"][0]
    assert match["banned_account"] == "bruno" and match["kind"] == "device"
    single = kim.get(f"/api/moderation/items/{reported_reply.pk}").json()
    assert single["evasion"]["matches"][0]["banned_account"] == "bruno"
    # The anxiety community's moderator sees the item, but not the link between accounts.
    maya = client_for(community_mod_maya)
    assert maya.get("/api/moderation/queue").json()["items"][0]["evasion"] is None
    assert maya.get(f"/api/moderation/items/{reported_reply.pk}").json()["evasion"] is None
    maya_page = maya.get("/moderation/").content.decode()
    assert "Possible returning account" not in maya_page
    maya_item = maya.get(f"/moderation/items/{reported_reply.pk}/").content.decode()
    assert "Possible returning account" not in maya_item and "bruno" not in maya_item


def test_another_communitys_moderator_and_members_never_see_it(
    reported_reply, grief, guidelines, alice_client, returning
):
    griefs = make_member("grief_mod", guidelines)
    do_set_community_moderator(griefs, grief, is_moderator=True, acting_user=None)
    grief_client = client_for(griefs)
    assert "Possible returning account" not in grief_client.get("/moderation/").content.decode()
    assert grief_client.get(f"/moderation/items/{reported_reply.pk}/").status_code == 404
    assert grief_client.get("/api/moderation/queue").json()["items"] == []
    # Members: not on the profile, not in the member API, not in the thread.
    _, newbie_client = returning
    for client in (alice_client, newbie_client):
        for path in ("/members/newbie/", "/api/members/newbie", "/api/me", "/api/notifications"):
            text = client.get(path).content.decode()
            assert "returning" not in text and "bruno" not in text
        assert client.get("/moderation/").status_code == 403


def test_nothing_happens_to_the_new_account_on_its_own(
    reported_reply, returning, moderator_kim, thread
):
    newbie, newbie_client = returning
    client_for(moderator_kim).get("/moderation/")  # a moderator looks at the queue
    newbie.refresh_from_db()
    assert newbie.is_active
    assert not Sanction.objects.filter(member=newbie).exists()
    assert QueueItem.objects.count() == 1  # only carol's report
    assert not Notification.objects.filter(recipient=newbie).exists()
    assert not Notification.objects.filter(recipient=moderator_kim).exists()
    response = newbie_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": "Still here, still kind."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_an_anonymous_posts_signal_waits_for_the_audited_item_page(
    returning, thread, carol, moderator_kim
):
    newbie, _ = returning
    do_join_community(newbie, thread.community)
    reply = do_create_reply(thread, body="Quietly here.", is_anonymous=True, acting_user=newbie)
    item = do_report(carol, reason="spam", post=reply).item
    kim = client_for(moderator_kim)
    assert "Possible returning account" not in kim.get("/moderation/").content.decode()
    assert kim.get("/api/moderation/queue").json()["items"][0]["evasion"] is None
    assert SUMMARY in kim.get(f"/moderation/items/{item.pk}/").content.decode()


# --- Strength, from the digests


@pytest.fixture
def banned_bea(guidelines, moderator_kim):
    bea = make_member("bea", guidelines)
    do_record_device_signals(bea, {"device": "d" * 64, "network": "n" * 64})
    ban(bea, moderator_kim)
    return bea


def seen(member: User, digests: dict[str, str], *, days_after_ban: int, ban: Sanction) -> None:
    do_record_device_signals(member, digests)
    DeviceSignal.objects.filter(user=member).update(
        first_seen_at=ban.created_at + timedelta(days=days_after_ban)
    )


def test_a_browser_outranks_a_network_near_the_ban_which_outranks_a_network_alone(
    banned_bea, guidelines
):
    bea_ban = Sanction.objects.get(member=banned_bea)
    by_browser, near, far = (make_member(name, guidelines) for name in ("dee", "nia", "fay"))
    seen(by_browser, {"device": "d" * 64}, days_after_ban=40, ban=bea_ban)
    seen(near, {"network": "n" * 64}, days_after_ban=2, ban=bea_ban)
    seen(far, {"network": "n" * 64}, days_after_ban=40, ban=bea_ban)
    signals = evasion_signals_for([by_browser.pk, near.pk, far.pk])
    assert signals[by_browser.pk].strength == Strength.STRONG
    assert signals[near.pk].strength == Strength.MODERATE
    assert signals[far.pk].strength == Strength.WEAK
    assert "(weak signal)" in signals[far.pk].summary
    assert "uses the same network as a banned account" in signals[far.pk].summary


def test_several_banned_accounts_on_one_network_make_it_stronger(
    banned_bea, guidelines, moderator_kim
):
    other = make_member("ossie", guidelines)
    do_record_device_signals(other, {"network": "n" * 64})
    ban(other, moderator_kim)
    newcomer = make_member("nell", guidelines)
    seen(newcomer, {"network": "n" * 64}, days_after_ban=60, ban=Sanction.objects.first())
    signal = evasion_signals_for([newcomer.pk])[newcomer.pk]
    assert signal.strength == Strength.MODERATE
    assert {m.banned_pseudonym for m in signal.matches} == {"bea", "ossie"}
    assert "2 banned accounts" in signal.summary


def test_the_strongest_match_comes_first_when_a_member_matches_several(
    banned_bea, guidelines, moderator_kim
):
    ollie = make_member("ollie", guidelines)
    do_record_device_signals(ollie, {"network": "m" * 64})
    ban(ollie, moderator_kim)
    both = make_member("bo", guidelines)
    do_record_device_signals(both, {"device": "d" * 64, "network": "m" * 64})
    signal = evasion_signals_for([both.pk])[both.pk]
    assert [m.banned_pseudonym for m in signal.matches] == ["bea", "ollie"]
    assert signal.matches[0].kind == "device"


def test_only_new_accounts_and_accounts_closed_by_a_ban_count(
    banned_bea, guidelines, moderator_kim, alice
):
    do_record_device_signals(alice, {"device": "d" * 64})
    User.objects.filter(pk=alice.pk).update(date_joined=timezone.now() - timedelta(days=90))
    assert evasion_signals_for([alice.pk]) == {}  # an old account is not a returning one
    suspended = make_member("sam", guidelines)
    do_record_device_signals(suspended, {"device": "s" * 64})
    do_sanction(
        suspended, Sanction.Kind.SUSPEND, moderator=moderator_kim, reason="A pause",
        duration=timedelta(days=3),
    )  # fmt: skip
    newcomer = make_member("nat", guidelines)
    do_record_device_signals(newcomer, {"device": "s" * 64})
    assert evasion_signals_for([newcomer.pk]) == {}  # a suspension is not a ban


def test_a_lifted_ban_no_longer_counts(banned_bea, guidelines):
    Sanction.objects.filter(member=banned_bea).update(until=timezone.now() - timedelta(days=1))
    User.objects.filter(pk=banned_bea.pk).update(is_active=True)
    newcomer = make_member("nat", guidelines)
    do_record_device_signals(newcomer, {"device": "d" * 64})
    assert evasion_signals_for([newcomer.pk]) == {}


# --- Cost


def queue_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_one_item_or_many(
    banned_bea, guidelines, moderator_kim, thread, carol, monkeypatch
):
    kim = client_for(moderator_kim)
    kim.get("/moderation/")  # the first request of the day records kim's own signals

    def add_returning_member(name: str) -> None:
        member = make_member(name, guidelines)
        do_record_device_signals(member, {"device": "d" * 64})
        do_join_community(member, thread.community)
        reply = do_create_reply(thread, body=f"Hello from {name}.", acting_user=member)
        do_report(carol, reason="spam", post=reply)

    add_returning_member("ana")
    one_page = queue_queries(kim, "/moderation/")
    one_api = queue_queries(kim, "/api/moderation/queue")
    for name in ("ben", "cat", "dan", "eve"):
        add_returning_member(name)
    page = kim.get("/moderation/").content.decode()
    assert page.count("Possible returning account") == 5
    assert queue_queries(kim, "/moderation/") == one_page
    assert queue_queries(kim, "/api/moderation/queue") == one_api
    everyone = list(User.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        evasion_signals_for(everyone)
    assert len(queries) == 1
    # The signals cost two queries of the page: which members, then their matches.
    monkeypatch.setattr(evasion, "may_see_evasion_signals", lambda user: False)
    assert queue_queries(kim, "/moderation/") == one_page - 2
    assert queue_queries(kim, "/api/moderation/queue") == one_api - 2
