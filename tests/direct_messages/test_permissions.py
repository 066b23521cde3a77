"""Who may ask whom: every path of check_can_request_direct, and the profile page's button
shown only when a request would be allowed (with kind words otherwise, never naming a block)."""

import pytest
from django.core.exceptions import PermissionDenied

from haven.accounts.actors import Actor
from haven.accounts.blocks import do_block_member
from haven.accounts.gates import WriteRefused
from haven.accounts.models import MemberPreferences, TrustLevel
from haven.direct_messages.permissions import NOT_TAKING_MESSAGES, check_can_request_direct
from tests.conftest import client_for
from tests.direct_messages.conftest import follow, settle


def actor(user) -> Actor:
    return Actor(user, "127.0.0.1", "page", True, "POST")


def refusal(sender, recipient) -> str | None:
    try:
        check_can_request_direct(actor(sender), recipient)
    except PermissionDenied as refused:
        return str(refused)
    return None


def prefer(user, choice: str, level: int = TrustLevel.MEMBER) -> None:
    MemberPreferences.objects.create(
        user=user, direct_messages_from=choice, direct_messages_min_level=level
    )


def test_a_settled_member_may_ask_someone_who_follows_them(trusted):
    alice, bob, _ = trusted
    assert refusal(alice, bob) is None


def test_without_preferences_only_people_the_recipient_follows_may_ask(trusted):
    _alice, bob, carol = trusted
    assert refusal(carol, bob) == NOT_TAKING_MESSAGES  # bob does not follow carol
    follow(bob, carol)
    assert refusal(carol, bob) is None


def test_a_member_below_the_trust_level_is_told_what_opens_it(trusted):
    alice, bob, _ = trusted
    settle(alice, level=TrustLevel.SETTLING)
    with pytest.raises(WriteRefused) as refused:
        check_can_request_direct(actor(alice), bob)
    assert refused.value.code == "trust_level" and "/trust/" in str(refused.value)


def test_a_new_account_cannot_ask_whatever_its_level(trusted, settings):
    alice, bob, _ = trusted
    settle(alice, level=TrustLevel.PILLAR, days=1)  # young
    with pytest.raises(WriteRefused) as refused:
        check_can_request_direct(actor(alice), bob)
    assert refused.value.code == "new_account"
    settle(alice, level=TrustLevel.NEW, days=300)  # old but level 0
    settings.HAVEN_TRUST_UNLOCKS = {**settings.HAVEN_TRUST_UNLOCKS, "direct_messages": 0}
    with pytest.raises(WriteRefused) as refused:
        check_can_request_direct(actor(alice), bob)
    assert refused.value.code == "new_account"


def test_nobody_means_nobody_even_someone_they_follow(trusted):
    alice, bob, _ = trusted
    prefer(bob, MemberPreferences.DirectMessagesFrom.NOBODY)
    assert refusal(alice, bob) == NOT_TAKING_MESSAGES


def test_level_lets_anyone_at_or_above_the_chosen_level_ask(trusted):
    _alice, bob, carol = trusted
    prefer(bob, MemberPreferences.DirectMessagesFrom.LEVEL, TrustLevel.REGULAR)
    assert refusal(carol, bob) == NOT_TAKING_MESSAGES  # carol is a Member, below Regular
    settle(carol, level=TrustLevel.REGULAR)
    assert refusal(carol, bob) is None


def test_a_block_either_way_stops_a_request_with_the_same_words(trusted):
    alice, bob, _ = trusted
    do_block_member(bob, alice)
    assert refusal(alice, bob) == NOT_TAKING_MESSAGES
    assert refusal(bob, alice) == NOT_TAKING_MESSAGES


def test_nobody_can_ask_themselves(trusted):
    alice, _, _ = trusted
    assert "This is you" in refusal(alice, alice)


def test_one_request_at_a_time_and_no_asking_again_after_a_no(request_thread, trusted):
    from haven.direct_messages.actions import do_decline_request

    alice, bob, _ = trusted
    assert refusal(alice, bob) == "You already have a conversation with them."
    do_decline_request(request_thread)
    assert refusal(alice, bob) == NOT_TAKING_MESSAGES


def test_the_profile_shows_the_button_only_when_a_request_would_be_allowed(trusted):
    alice, bob, carol = trusted
    page = client_for(alice).get(f"/members/{bob.pseudonym}/").content.decode()
    assert "Send a message" in page and f"/messages/new/{bob.pseudonym}/" in page
    page = client_for(carol).get(f"/members/{bob.pseudonym}/").content.decode()
    assert "Send a message" not in page and "aren&#x27;t taking messages right now" in page
    do_block_member(bob, alice)
    page = client_for(alice).get(f"/members/{bob.pseudonym}/").content.decode()
    assert "Send a message" not in page and "aren&#x27;t taking messages right now" in page
    assert "blocked" not in page.lower()
    own = client_for(bob).get(f"/members/{bob.pseudonym}/").content.decode()
    assert "Send a message" not in own


def test_a_refused_request_is_refused_by_the_page_and_the_api_too(trusted):
    alice, bob, carol = trusted
    form = client_for(carol).post(
        f"/messages/new/{bob.pseudonym}/", {"body": "Hello there", "client_id": "c1"}
    )
    assert form.status_code == 200 and "taking messages right now" in form.content.decode()
    api = client_for(carol).post(
        "/api/direct/requests",
        {"pseudonym": bob.pseudonym, "body": "Hello there"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["detail"] == NOT_TAKING_MESSAGES
    settle(carol, days=1)
    api = client_for(carol).post(
        "/api/direct/requests",
        {"pseudonym": alice.pseudonym, "body": "Hello there"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["code"] == "new_account"


def test_a_mute_pauses_requests_and_messages_but_not_blocking(
    accepted_thread, trusted, moderator_kim
):
    from datetime import timedelta

    from haven.direct_messages.permissions import check_block_in_thread, check_send_direct_message
    from haven.moderation.actions import do_sanction
    from haven.moderation.models import Sanction

    alice, _bob, carol = trusted
    follow(carol, alice)
    do_sanction(alice, Sanction.Kind.MUTE, moderator=moderator_kim, reason="Unkind words.",
                duration=timedelta(hours=2))  # fmt: skip
    with pytest.raises(WriteRefused) as refused:
        check_send_direct_message(actor(alice), accepted_thread)
    assert refused.value.code == "muted"
    with pytest.raises(WriteRefused):
        check_can_request_direct(actor(alice), carol)
    check_block_in_thread(actor(alice), accepted_thread)  # protecting oneself stays open
