"""The pages: asking, answering before any text is shown, the conversation, crisis words,
personal data, reports, blocking, and the inbox's queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.direct_messages.actions import do_send_direct_message
from haven.direct_messages.models import DirectMessage, DirectThread
from haven.moderation.models import AuditEntry, QueueItem, QueueKind
from haven.notifications.display import notification_text
from haven.notifications.models import Notification
from tests.conftest import client_for
from tests.direct_messages.conftest import CRISIS_WORDS, FIRST_WORDS, follow, settle


def test_a_member_asks_from_the_profile_and_the_request_carries_a_first_message(trusted):
    alice, bob, _ = trusted
    response = client_for(alice).post(
        f"/messages/new/{bob.pseudonym}/", {"body": FIRST_WORDS, "client_id": "c-1"}, follow=True
    )
    thread = DirectThread.objects.get(sender=alice, recipient=bob)
    assert thread.status == DirectThread.Status.REQUESTED
    assert thread.messages.get().body == FIRST_WORDS
    page = response.content.decode()
    assert FIRST_WORDS in page and "Waiting for bob to accept" in page
    # The same form sent twice (a double click): one request.
    client_for(alice).post(
        f"/messages/new/{bob.pseudonym}/", {"body": FIRST_WORDS, "client_id": "c-1"}
    )
    assert DirectMessage.objects.count() == 1


def test_the_recipient_sees_who_asked_but_not_the_words_until_accepting(request_thread, trusted):
    alice, bob, _ = trusted
    bob_client = client_for(bob)
    inbox = bob_client.get("/messages/").content.decode()
    assert "alice" in inbox and "Member" in inbox and FIRST_WORDS not in inbox
    page = bob_client.get(f"/messages/{request_thread.pk}/").content.decode()
    assert "alice would like to send you a message" in page and FIRST_WORDS not in page
    api = bob_client.get(f"/api/direct/threads/{request_thread.pk}/messages")
    assert api.status_code == 403 and FIRST_WORDS not in api.content.decode()
    listed = bob_client.get("/api/direct/threads").json()
    assert listed[0]["with_member"] == "alice" and FIRST_WORDS not in str(listed)
    notification = Notification.objects.get(recipient=bob, kind=Notification.Kind.DIRECT)
    assert notification_text(notification) == "alice would like to send you a message"
    assert FIRST_WORDS not in bob_client.get("/notifications/").content.decode()
    bob_client.post(f"/messages/{request_thread.pk}/accept/")
    page = bob_client.get(f"/messages/{request_thread.pk}/").content.decode()
    assert FIRST_WORDS in page and "Your message" in page  # the composer
    told = Notification.objects.get(recipient=alice, kind=Notification.Kind.DIRECT)
    assert notification_text(told) == "bob accepted your message request"


def test_declining_is_quiet_and_the_sender_sees_only_not_accepted(request_thread, trusted):
    alice, bob, _ = trusted
    client_for(bob).post(f"/messages/{request_thread.pk}/decline/")
    assert not Notification.objects.filter(recipient=alice).exists()
    inbox = client_for(alice).get("/messages/").content.decode()
    assert "not accepted" in inbox
    page = client_for(alice).get(f"/messages/{request_thread.pk}/").content.decode()
    assert "Your request was not accepted" in page and "Send" not in page.split("Block")[0][-50:]


def test_a_third_member_never_finds_the_conversation(accepted_thread, trusted):
    _, _, carol = trusted
    carol_client = client_for(carol)
    assert carol_client.get(f"/messages/{accepted_thread.pk}/").status_code == 404
    assert (
        carol_client.post(
            f"/messages/{accepted_thread.pk}/send/", {"body": "hi", "client_id": "x"}
        ).status_code
        == 404
    )
    assert carol_client.get(f"/api/direct/threads/{accepted_thread.pk}/messages").status_code == 404
    message = accepted_thread.messages.first()
    assert (
        carol_client.post(f"/messages/report/{message.pk}/", {"reason": "spam"}).status_code == 404
    )
    assert carol_client.get("/api/direct/threads").json() == []


def test_only_the_recipient_answers_and_only_once(request_thread, trusted):
    alice, bob, _ = trusted
    assert client_for(alice).post(f"/messages/{request_thread.pk}/accept/").status_code == 403
    client_for(bob).post(f"/messages/{request_thread.pk}/accept/")
    assert client_for(bob).post(f"/messages/{request_thread.pk}/decline/").status_code == 403


def test_both_write_after_accepting_and_a_retry_is_stored_once(accepted_thread, trusted):
    alice, bob, _ = trusted
    for _ in range(2):
        client_for(bob).post(
            f"/messages/{accepted_thread.pk}/send/", {"body": "Of course, hi!", "client_id": "b1"}
        )
    assert accepted_thread.messages.filter(sender=bob).count() == 1
    page = client_for(alice).get(f"/messages/{accepted_thread.pk}/").content.decode()
    assert "Of course, hi!" in page


def test_nobody_writes_before_the_request_is_accepted(request_thread, trusted):
    alice, _, _ = trusted
    response = client_for(alice).post(
        f"/messages/{request_thread.pk}/send/", {"body": "Are you there?", "client_id": "a2"}
    )
    assert response.status_code == 403
    assert request_thread.messages.count() == 1


def test_personal_data_is_refused_kindly_and_nothing_is_stored(accepted_thread, trusted):
    alice, _, _ = trusted
    response = client_for(alice).post(
        f"/messages/{accepted_thread.pk}/send/",
        {"body": "text me on 555-123-4567", "client_id": "p1"},
        follow=True,
    )
    assert "To protect your anonymity" in response.content.decode()
    assert not accepted_thread.messages.filter(client_id="p1").exists()


def test_crisis_words_bring_the_writer_help_and_moderators_an_urgent_item(
    accepted_thread, trusted, moderator_kim, crisis_lines
):
    alice, bob, _ = trusted
    response = client_for(alice).post(
        f"/messages/{accepted_thread.pk}/send/",
        {"body": CRISIS_WORDS, "client_id": "c1"},
        follow=True,
    )
    assert 'id="support-panel"' in response.content.decode()
    message = accepted_thread.messages.get(client_id="c1")
    item = QueueItem.objects.get(direct_message=message)
    assert item.kind == QueueKind.URGENT and "crisis" in item.labels
    assert Notification.objects.filter(recipient=moderator_kim, kind="urgent").exists()
    # The other member reads the words, with no label and no help panel of the writer's.
    page = client_for(bob).get(f"/messages/{accepted_thread.pk}/").content.decode()
    assert 'id="support-panel"' not in page
    log = page.split("data-log>")[1].split("</ol>")[0]
    assert "end it tonight" in log and "crisis" not in log and "moderator" not in log
    # The moderator reads that message from the queue item.
    item_page = client_for(moderator_kim).get(f"/moderation/items/{item.pk}/")
    assert item_page.status_code == 200 and "end it tonight" in item_page.content.decode()


def test_a_member_reports_a_message_and_a_moderator_can_read_it(
    accepted_thread, trusted, moderator_kim
):
    alice, bob, _ = trusted
    message = accepted_thread.messages.get()
    assert (
        client_for(alice).post(f"/messages/report/{message.pk}/", {"reason": "spam"}).status_code
        == 404
    )  # own words
    client_for(bob).post(
        f"/messages/report/{message.pk}/", {"reason": "harassment", "details": "pushy"}
    )
    item = QueueItem.objects.get(direct_message=message)
    assert item.kind == QueueKind.REPORTED and item.report_count == 1
    queue = client_for(moderator_kim).get("/moderation/?kind=reported").content.decode()
    assert "A direct message" in queue and FIRST_WORDS not in queue
    page = client_for(moderator_kim).get(f"/moderation/items/{item.pk}/").content.decode()
    assert FIRST_WORDS in page and "Written by alice" in page
    # Reading a private message is itself recorded, once per look.
    looks = AuditEntry.objects.filter(actor=moderator_kim, action="view_direct_message")
    assert list(looks.values_list("target_kind", "target_id")) == [("direct_message", message.pk)]


def test_blocking_closes_the_conversation_silently_and_hides_it(accepted_thread, trusted):
    alice, bob, _ = trusted
    client_for(bob).post(f"/messages/{accepted_thread.pk}/block/")
    accepted_thread.refresh_from_db()
    assert accepted_thread.status == DirectThread.Status.CLOSED
    # Hidden from bob, who blocked.
    assert client_for(bob).get(f"/messages/{accepted_thread.pk}/").status_code == 404
    assert (
        "alice" not in client_for(bob).get("/messages/").content.decode().split("Conversations")[1]
    )
    # alice sees only that it closed, and can neither write nor ask again.
    page = client_for(alice).get(f"/messages/{accepted_thread.pk}/").content.decode()
    conversation = page.split("data-direct=")[1].split("</section>")[0]
    assert "This conversation has closed." in conversation and "block" not in conversation.lower()
    assert (
        client_for(alice)
        .post(f"/messages/{accepted_thread.pk}/send/", {"body": "hello?", "client_id": "z"})
        .status_code
        == 403
    )
    profile = client_for(alice).get(f"/members/{bob.pseudonym}/").content.decode()
    assert "Send a message" not in profile and "taking messages right now" in profile


@pytest.mark.parametrize("conversations", [1, 6])
def test_the_inbox_reads_the_same_number_of_queries_however_many_conversations(
    guidelines, trusted, conversations, django_capture_on_commit_callbacks
):
    from haven.direct_messages.actions import do_accept_request, do_request_direct
    from tests.conftest import make_member

    alice, _, _ = trusted
    for n in range(conversations):
        other = settle(make_member(f"friend{n}", guidelines))
        follow(alice, other)
        thread, _ = do_request_direct(other, alice, body="Hello!", client_id=f"r{n}")
        if n % 2:
            do_accept_request(thread)
            do_send_direct_message(thread, sender=other, body="How are you?", client_id=f"m{n}")
    client = client_for(alice)
    client.get("/messages/")  # warm the session and the page's own reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/messages/")
    assert response.status_code == 200
    inbox_queries = [q["sql"] for q in queries.captured_queries if "direct_messages" in q["sql"]]
    assert len(inbox_queries) == 1
    assert len(queries.captured_queries) <= 14
