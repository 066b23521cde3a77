"""A chat is visible only to its two participants, through every way in; moderators read it
only when it is reported, and each reading is audited."""

import pytest

from haven.accounts.models import MemberBlock as Block
from haven.chat.actions import do_end_conversation, do_send_message
from haven.chat.models import ChatFeedback
from haven.moderation.models import AuditEntry, QueueItem
from tests.conftest import client_for

SECRET = "my brother doesn't know about the debt"


@pytest.fixture
def chat_with_secret(conversation, alice):
    do_send_message(conversation, sender=alice, body=SECRET, client_id="s1")
    return conversation


def test_participants_read_the_transcript_by_page_and_api(chat_with_secret, alice, listener_lee):
    for user in (alice, listener_lee.user):
        client = client_for(user)
        assert (
            SECRET.replace("'", "&#x27;")
            in client.get(f"/chat/{chat_with_secret.pk}/").content.decode()
        )
        bodies = [
            m["body"]
            for m in client.get(f"/api/chat/conversations/{chat_with_secret.pk}/messages").json()
        ]
        assert bodies == [SECRET]


@pytest.mark.parametrize("who", ["bob", "moderator_kim"])
def test_nobody_else_reads_or_writes_a_chat_by_any_way_in(chat_with_secret, who, request):
    outsider = client_for(request.getfixturevalue(who))
    cid = chat_with_secret.pk
    for response in (
        outsider.get(f"/chat/{cid}/"),
        outsider.get(f"/api/chat/conversations/{cid}/messages"),
        outsider.post(f"/chat/{cid}/send/", {"body": "hi", "client_id": "x"}),
        outsider.post(
            f"/api/chat/conversations/{cid}/messages",
            {"body": "hi"},
            content_type="application/json",
        ),
        outsider.post(f"/chat/{cid}/end/"),
        outsider.post(f"/chat/{cid}/report/"),
        outsider.post(f"/api/chat/conversations/{cid}/end"),
    ):
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    assert cid not in [c["id"] for c in outsider.get("/api/chat/conversations").json()]
    assert "Nothing here matches that closely" in outsider.get("/search/?q=debt").content.decode()
    assert "debt" not in outsider.get("/api/me/export").content.decode()


def test_a_reported_chat_becomes_readable_to_site_moderators_and_every_reading_is_audited(
    chat_with_secret, alice, moderator_kim, community_mod_maya
):
    client_for(alice).post(f"/chat/{chat_with_secret.pk}/report/", {"reason": "harassment"})
    item = QueueItem.objects.get(conversation=chat_with_secret)
    # Community moderators have no say over private chats.
    assert client_for(community_mod_maya).get(f"/moderation/items/{item.pk}/").status_code == 404
    page = client_for(moderator_kim).get(f"/moderation/items/{item.pk}/").content.decode()
    assert SECRET.replace("'", "&#x27;") in page and "this reading is recorded" in page
    data = client_for(moderator_kim).get(f"/api/moderation/items/{item.pk}").json()
    assert SECRET in data["text"]
    readings = AuditEntry.objects.filter(action="view_chat_transcript", actor=moderator_kim)
    assert readings.count() == 2
    # The reported participant is the listener, not the one who reported.
    assert data["author"] == "listener_lee"


def test_the_listener_can_escalate_and_moderators_are_alerted(
    chat_with_secret, listener_lee, moderator_kim
):
    from haven.notifications.models import Notification

    client_for(listener_lee.user).post(f"/chat/{chat_with_secret.pk}/escalate/")
    item = QueueItem.objects.get(conversation=chat_with_secret)
    assert item.kind == "urgent"
    assert Notification.objects.filter(recipient=moderator_kim, kind="urgent").exists()


def test_only_the_listener_escalates(chat_with_secret, alice):
    assert client_for(alice).post(f"/chat/{chat_with_secret.pk}/escalate/").status_code == 403


def test_after_the_chat_the_seeker_rates_the_listener(chat_with_secret, alice, listener_lee):
    client = client_for(alice)
    assert client.post(f"/chat/{chat_with_secret.pk}/feedback/", {"rating": "5"}).status_code == 403
    do_end_conversation(chat_with_secret, ended_by=listener_lee.user)
    assert "How was it?" in client.get(f"/chat/{chat_with_secret.pk}/").content.decode()
    client.post(
        f"/chat/{chat_with_secret.pk}/feedback/", {"rating": "5", "feedback": "Kind and calm."}
    )
    assert ChatFeedback.objects.get().rating == 5
    assert (
        client_for(listener_lee.user)
        .post(
            f"/api/chat/conversations/{chat_with_secret.pk}/feedback",
            {"rating": 1},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_blocking_ends_the_chat_and_prevents_another_match(
    chat_with_secret, alice, listener_lee, django_capture_on_commit_callbacks
):
    from haven.chat.actions import do_request_chat

    client_for(alice).post(f"/chat/{chat_with_secret.pk}/block/")
    chat_with_secret.refresh_from_db()
    assert chat_with_secret.status == "ended"
    assert Block.objects.filter(blocker=alice, blocked=listener_lee.user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = do_request_chat(alice, topics=[], language="en", message="")
    again.refresh_from_db()
    assert again.status == "waiting"  # the only listener online is the blocked one


def test_the_api_sends_messages_idempotently(chat_with_secret, alice):
    client = client_for(alice)
    url = f"/api/chat/conversations/{chat_with_secret.pk}/messages"
    first = client.post(
        url, {"body": "are you there?", "client_id": "k1"}, content_type="application/json"
    )
    second = client.post(
        url, {"body": "are you there?", "client_id": "k1"}, content_type="application/json"
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    after = [m["body"] for m in client.get(url + f"?after={first.json()['id'] - 1}").json()]
    assert after == ["are you there?"]


def test_participants_report_a_chat_through_the_api_and_outsiders_cannot(
    chat_with_secret, alice, bob
):
    body = {"target_kind": "chat", "target_id": chat_with_secret.pk, "reason": "harassment"}
    assert (
        client_for(bob).post("/api/reports", body, content_type="application/json").status_code
        == 404
    )
    response = client_for(alice).post("/api/reports", body, content_type="application/json")
    assert response.status_code == 201
    assert QueueItem.objects.get().conversation == chat_with_secret
