"""A reported chat's transcript and an anonymous post's author reach a moderator only on the
item itself (page or API), and every such look writes exactly one audit row. Lists and decision
replies never carry them, so they write none."""

import pytest

from haven.chat.actions import do_request_chat, do_send_message
from haven.forums.actions import do_create_reply, do_create_thread
from haven.moderation.actions import do_report, do_report_conversation
from haven.moderation.models import AuditEntry
from tests.chat.conftest import accept_offer, make_listener
from tests.conftest import client_for, token_client_for

SECRET = "the pills are in the blue drawer"
ANON_BODY = "Nobody here knows it is me writing this."


@pytest.fixture
def reported_chat(alice, guidelines, django_capture_on_commit_callbacks):
    listener = make_listener("listener_lee", guidelines, topics=["anxiety"])
    with django_capture_on_commit_callbacks(execute=True):
        chat_request = do_request_chat(alice, topics=["anxiety"], language="en", message="")
    conversation = accept_offer(chat_request, django_capture_on_commit_callbacks).conversation
    do_send_message(conversation, sender=listener.user, body=SECRET, client_id="s1")
    return do_report_conversation(alice, conversation, reason="harassment").item


@pytest.fixture
def anonymous_item(members_of_anxiety, alice, carol):
    thread = do_create_thread(
        members_of_anxiety, title="Heavy night", body=ANON_BODY, is_anonymous=True,
        acting_user=alice,
    )  # fmt: skip
    return do_report(carol, reason="other", post=thread.first_post).item


@pytest.fixture
def plain_item(members_of_anxiety, alice, bob, carol):
    thread = do_create_thread(
        members_of_anxiety, title="Walks", body="A walk helps me.", acting_user=alice
    )
    reply = do_create_reply(thread, body="Me too.", acting_user=bob)
    return do_report(carol, reason="spam", post=reply).item


def looks(moderator) -> list[tuple[str, str, int]]:
    return list(
        AuditEntry.objects.filter(actor=moderator, action__startswith="view_").values_list(
            "action", "target_kind", "target_id"
        )
    )


def test_the_item_page_records_one_reading_of_a_reported_chat(reported_chat, moderator_kim):
    page = client_for(moderator_kim).get(f"/moderation/items/{reported_chat.pk}/")
    assert SECRET in page.content.decode()
    assert looks(moderator_kim) == [("view_chat_transcript", "chat", reported_chat.conversation_id)]


def test_the_api_item_records_one_reading_of_a_reported_chat(reported_chat, moderator_kim):
    data = client_for(moderator_kim).get(f"/api/moderation/items/{reported_chat.pk}").json()
    assert SECRET in data["text"]
    assert data["author"] == "listener_lee"
    assert looks(moderator_kim) == [("view_chat_transcript", "chat", reported_chat.conversation_id)]


def test_each_look_is_its_own_row(reported_chat, moderator_kim):
    client = client_for(moderator_kim)
    client.get(f"/moderation/items/{reported_chat.pk}/")
    client.get(f"/api/moderation/items/{reported_chat.pk}")
    client.get(f"/moderation/items/{reported_chat.pk}/")
    assert len(looks(moderator_kim)) == 3


def test_the_item_page_records_one_unmasking_of_an_anonymous_author(anonymous_item, moderator_kim):
    page = client_for(moderator_kim).get(f"/moderation/items/{anonymous_item.pk}/")
    assert "Written by alice" in page.content.decode()
    assert looks(moderator_kim) == [("view_anonymous_author", "post", anonymous_item.post_id)]


def test_the_api_item_records_one_unmasking_of_an_anonymous_author(anonymous_item, moderator_kim):
    data = client_for(moderator_kim).get(f"/api/moderation/items/{anonymous_item.pk}").json()
    assert data["author"] == "alice"
    assert looks(moderator_kim) == [("view_anonymous_author", "post", anonymous_item.post_id)]


def test_a_community_moderator_unmasking_in_their_community_is_recorded_too(
    anonymous_item, community_mod_maya
):
    data = client_for(community_mod_maya).get(f"/api/moderation/items/{anonymous_item.pk}")
    assert data.json()["author"] == "alice"
    assert looks(community_mod_maya) == [("view_anonymous_author", "post", anonymous_item.post_id)]


def test_an_item_that_reveals_nothing_records_no_look(plain_item, moderator_kim):
    client = client_for(moderator_kim)
    assert client.get(f"/moderation/items/{plain_item.pk}/").status_code == 200
    assert client.get(f"/api/moderation/items/{plain_item.pk}").json()["author"] == "bob"
    assert looks(moderator_kim) == []


def test_the_queue_lists_never_carry_a_transcript_or_an_anonymous_author(
    reported_chat, anonymous_item, moderator_kim
):
    client = client_for(moderator_kim)
    listed = client.get("/api/moderation/queue")
    items = {item["id"]: item for item in listed.json()["items"]}
    assert SECRET not in listed.content.decode()
    assert items[reported_chat.pk]["text"] == ""
    assert items[reported_chat.pk]["author"] is None
    assert items[anonymous_item.pk]["author"] is None
    page = client.get("/moderation/").content.decode()
    assert SECRET not in page and "alice" not in page
    assert looks(moderator_kim) == []


def test_the_queue_list_by_token_never_carries_a_transcript(reported_chat, moderator_kim):
    app = token_client_for(moderator_kim)
    listed = app.get("/api/moderation/queue")
    assert listed.status_code == 200
    assert SECRET not in listed.content.decode()
    assert looks(moderator_kim) == []


def test_a_decision_reply_carries_no_transcript_and_records_no_look(reported_chat, moderator_kim):
    response = client_for(moderator_kim).post(
        f"/api/moderation/items/{reported_chat.pk}/decision",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert response.json()["author"] is None
    assert looks(moderator_kim) == []


def test_a_decision_reply_does_not_unmask_an_anonymous_author(anonymous_item, moderator_kim):
    response = client_for(moderator_kim).post(
        f"/api/moderation/items/{anonymous_item.pk}/decision",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert response.json()["author"] is None
    assert looks(moderator_kim) == []
