"""Every /api/direct operation answers 2xx on its way, with the same rules as the pages."""

from haven.accounts.models import MemberPreferences
from haven.direct_messages.models import DirectThread
from haven.direct_messages.permissions import NOT_TAKING_MESSAGES
from haven.moderation.models import QueueItem
from tests.conftest import token_client_for
from tests.direct_messages.conftest import CRISIS_WORDS, FIRST_WORDS

JSON = "application/json"


def test_a_request_answered_and_a_conversation_through_the_api(trusted, crisis_lines):
    alice, bob, _carol = trusted
    alice_app, bob_app = token_client_for(alice), token_client_for(bob)
    asked = alice_app.post(
        "/api/direct/requests",
        {"pseudonym": "bob", "body": FIRST_WORDS, "client_id": "r1"},
        content_type=JSON,
    )
    assert asked.status_code == 201 and asked.json()["status"] == "waiting"
    thread_id = asked.json()["id"]
    again = alice_app.post(
        "/api/direct/requests",
        {"pseudonym": "bob", "body": FIRST_WORDS, "client_id": "r1"},
        content_type=JSON,
    )
    assert again.status_code == 201 and again.json()["id"] == thread_id  # a retry: one request

    listed = bob_app.get("/api/direct/threads")
    assert listed.status_code == 200
    assert listed.json()[0]["with_member"] == "alice" and listed.json()[0]["you_asked"] is False

    accepted = bob_app.post(f"/api/direct/threads/{thread_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    read = bob_app.get(f"/api/direct/threads/{thread_id}/messages")
    assert read.status_code == 200 and read.json()[0]["body"] == FIRST_WORDS

    sent = bob_app.post(
        f"/api/direct/threads/{thread_id}/messages",
        {"body": "Hi alice, of course.", "client_id": "b1"},
        content_type=JSON,
    )
    assert sent.status_code == 201 and sent.json()["mine"] and sent.json()["support"] is None
    retry = bob_app.post(
        f"/api/direct/threads/{thread_id}/messages",
        {"body": "Hi alice, of course.", "client_id": "b1"},
        content_type=JSON,
    )
    assert retry.json()["id"] == sent.json()["id"]
    after = alice_app.get(f"/api/direct/threads/{thread_id}/messages?after={read.json()[0]['id']}")
    assert [m["body"] for m in after.json()] == ["Hi alice, of course."]

    crisis = alice_app.post(
        f"/api/direct/threads/{thread_id}/messages",
        {"body": CRISIS_WORDS, "client_id": "a2"},
        content_type=JSON,
    )
    assert crisis.status_code == 201 and crisis.json()["support"]["resources"]
    # bob sees the words; nothing of the writer's help comes with them.
    assert "support" not in bob_app.get(f"/api/direct/threads/{thread_id}/messages").json()[-1]

    reported = bob_app.post(
        f"/api/direct/messages/{crisis.json()['id']}/report",
        {"reason": "danger", "details": "I'm worried about her"},
        content_type=JSON,
    )
    assert reported.status_code == 201
    assert QueueItem.objects.filter(direct_message_id=crisis.json()["id"]).exists()

    blocked = bob_app.post(f"/api/direct/threads/{thread_id}/block")
    assert blocked.status_code == 204
    assert DirectThread.objects.get(pk=thread_id).status == DirectThread.Status.CLOSED
    assert bob_app.get(f"/api/direct/threads/{thread_id}/messages").status_code == 404
    refused = alice_app.post(
        f"/api/direct/threads/{thread_id}/messages",
        {"body": "hello?", "client_id": "a3"},
        content_type=JSON,
    )
    assert refused.status_code == 403
    assert alice_app.get("/api/direct/threads").json()[0]["status"] == "closed"


def test_declining_through_the_api_says_only_not_accepted(request_thread, trusted):
    alice, bob, _ = trusted
    declined = token_client_for(bob).post(f"/api/direct/threads/{request_thread.pk}/decline")
    assert declined.status_code == 204
    (thread,) = token_client_for(alice).get("/api/direct/threads").json()
    assert thread["status"] == "not_accepted"


def test_the_choice_made_with_the_preferences_api_is_honoured(trusted):
    alice, bob, _ = trusted
    chosen = token_client_for(bob).put(
        "/api/me/preferences", {"direct_messages_from": "nobody"}, content_type=JSON
    )
    assert chosen.status_code == 200
    asked = token_client_for(alice).post(
        "/api/direct/requests", {"pseudonym": "bob", "body": FIRST_WORDS}, content_type=JSON
    )
    assert asked.status_code == 403 and asked.json()["detail"] == NOT_TAKING_MESSAGES
    assert MemberPreferences.objects.get(user=bob).direct_messages_from == "nobody"
