"""A member's data export holds their chats (both sides, the other person by role only), their
chat requests, notifications and the reports they filed, each added by its own app through
haven.accounts.personal_data; never another member's private chats or reports."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.chat.actions import do_request_chat, do_send_message
from haven.chat.privacy import chats_export
from haven.forums.actions import do_create_reply, do_create_thread
from haven.moderation.actions import do_report, do_sanction
from tests.chat.conftest import accept_offer
from tests.conftest import client_for


def start_chat(seeker, message: str, capture):
    with capture(execute=True):
        chat_request = do_request_chat(seeker, topics=["anxiety"], language="en", message=message)
    return accept_offer(chat_request, capture).conversation


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


@pytest.fixture
def alice_and_bob_have_talked(
    alice, bob, listener_lee, moderator_kim, members_of_anxiety, django_capture_on_commit_callbacks
):
    """Alice and Bob each chat with Lee; each reports a post; Bob replies to Alice's thread."""
    capture = django_capture_on_commit_callbacks
    alices_chat = start_chat(alice, "alice asks: nights are hard", capture)
    do_send_message(alices_chat, sender=alice, body="alice says: I lie awake", client_id="a1")
    do_send_message(
        alices_chat, sender=listener_lee.user, body="lee says: I'm here with you", client_id="l1"
    )
    bobs_chat = start_chat(bob, "bob asks: about my debts", capture)
    do_send_message(bobs_chat, sender=bob, body="bob says: the debts worry me", client_id="b1")
    thread = do_create_thread(
        members_of_anxiety, title="Alice's evening", body="Long day.", acting_user=alice
    )
    with capture(execute=True):
        bobs_reply = do_create_reply(thread, body="Hope tonight is gentler", acting_user=bob)
    do_report(alice, reason="other", details="alice reports: off topic", post=bobs_reply)
    do_report(bob, reason="other", details="bob reports: please look", post=thread.first_post)
    do_sanction(alice, "warn", moderator=moderator_kim, reason="Please keep replies kind")
    return alices_chat, bobs_chat


def export_of(user) -> tuple[dict, str]:
    response = client_for(user).post("/accounts/export/")
    assert response.status_code == 200
    return json.loads(response.content), response.content.decode()


def test_the_export_holds_the_whole_chat_with_the_other_person_named_by_role_only(
    alice_and_bob_have_talked, alice, listener_lee
):
    data, text = export_of(alice)
    [chat] = data["chats"]
    assert chat["you_were"] == "seeker"
    assert [(m["from"], m["body"]) for m in chat["messages"]] == [
        ("you", "alice asks: nights are hard"),  # the request's opening words start the chat
        ("you", "alice says: I lie awake"),
        ("listener", "lee says: I'm here with you"),
    ]
    assert "listener_lee" not in text
    assert not any(key == "id" or key.endswith("_id") for key in keys_of(data["chats"]))

    lees, lees_text = export_of(listener_lee.user)
    assert [chat["you_were"] for chat in lees["chats"]] == ["listener", "listener"]
    assert lees["chats"][0]["messages"][0] == {
        "from": "seeker",
        "body": "alice asks: nights are hard",
        "sent_at": lees["chats"][0]["messages"][0]["sent_at"],
    }
    assert '"alice"' not in lees_text and '"bob"' not in lees_text


def test_the_export_holds_chat_requests_notifications_reports_and_sanctions(
    alice_and_bob_have_talked, alice
):
    data, _ = export_of(alice)
    assert [r["message"] for r in data["chat_requests"]] == ["alice asks: nights are hard"]
    assert data["chat_requests"][0]["status"] == "matched"
    assert "bob replied in “Alice's evening”" in [n["text"] for n in data["notifications"]]
    assert data["reports_filed"] == [
        {
            "about": "post",
            "reason": "other",
            "details": "alice reports: off topic",
            "created_at": data["reports_filed"][0]["created_at"],
        }
    ]
    assert [s["reason"] for s in data["moderation"]["sanctions"]] == ["Please keep replies kind"]


def test_the_export_never_holds_another_members_chat_request_or_report(
    alice_and_bob_have_talked, alice, bob
):
    _, text = export_of(alice)
    for bobs_private_words in (
        "bob says: the debts worry me",
        "bob asks: about my debts",
        "bob reports",
    ):
        assert bobs_private_words not in text
    bobs, bobs_text = export_of(bob)
    assert [r["details"] for r in bobs["reports_filed"]] == ["bob reports: please look"]
    assert bobs["moderation"]["sanctions"] == []
    for alices_private_words in ("alice says", "alice asks", "alice reports"):
        assert alices_private_words not in bobs_text


def test_the_api_export_carries_the_same_parts(alice_and_bob_have_talked, alice):
    data = client_for(alice).get("/api/me/export").json()
    assert {"chats", "chat_requests", "notifications", "reports_filed", "moderation"} <= set(data)
    assert data["chats"][0]["messages"][1]["body"] == "alice says: I lie awake"


def test_exporting_many_chats_takes_as_few_queries_as_one(
    alice, bob, listener_lee, django_capture_on_commit_callbacks
):
    start_chat(alice, "first", django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as one_chat:
        chats_export(listener_lee.user)
    start_chat(bob, "second", django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as two_chats:
        assert len(chats_export(listener_lee.user)) == 2
    assert len(two_chats) == len(one_chat) == 2
