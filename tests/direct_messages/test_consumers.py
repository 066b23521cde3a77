"""The conversation's socket: stored before acknowledged, live to the other member, resumable,
idempotent by client_id, closed to anyone else and closed when a block ends it."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from haven.core.realtime import CLOSE_ENDED, CLOSE_NOT_FOUND
from haven.direct_messages.actions import do_block_in_thread
from haven.direct_messages.models import DirectMessage
from haven.notifications.models import Notification
from haven.routing import websocket_urlpatterns
from tests.conftest import refused_with
from tests.direct_messages.conftest import CRISIS_WORDS, FIRST_WORDS

pytestmark = pytest.mark.django_db(transaction=True)
application = URLRouter(websocket_urlpatterns)


def socket_for(user, thread, after: int | None = None) -> WebsocketCommunicator:
    path = f"/ws/direct/{thread.pk}/" + (f"?after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(application, path)
    communicator.scope["user"] = user
    return communicator


async def join(user, thread, after: int | None = None):
    communicator = socket_for(user, thread, after)
    connected, _ = await communicator.connect()
    assert connected
    history = await communicator.receive_json_from(timeout=5)
    assert history["type"] == "history"
    return communicator, history["messages"]


async def test_a_message_is_stored_acknowledged_and_delivered_live(accepted_thread, trusted):
    alice, bob, _ = trusted
    sender, history = await join(alice, accepted_thread)
    assert [m["body"] for m in history] == [FIRST_WORDS] and history[0]["mine"] is True
    reader, _ = await join(bob, accepted_thread)
    await reader.send_json_to({"type": "message", "body": "Hi! Yes, let's.", "client_id": "b1"})
    ack = await reader.receive_json_from(timeout=5)
    assert ack["type"] == "ack" and ack["client_id"] == "b1" and ack["mine"] is True
    stored = await sync_to_async(DirectMessage.objects.get)(pk=ack["id"])
    assert stored.body == "Hi! Yes, let's."
    delivered = await sender.receive_json_from(timeout=5)
    assert delivered == {**delivered, "type": "message", "id": ack["id"], "mine": False}
    assert "sender_id" not in delivered
    assert await reader.receive_nothing(timeout=0.2)  # not echoed to the writer
    # Both were reading live: no notification for this message.
    notified = Notification.objects.filter(recipient=alice, detail="message").exists
    assert not await sync_to_async(notified)()
    await sender.disconnect()
    await reader.disconnect()


async def test_a_retry_is_stored_once_and_a_reconnect_resumes_after_the_last_id(
    accepted_thread, trusted
):
    alice, bob, _ = trusted
    writer, history = await join(bob, accepted_thread)
    first_id = history[0]["id"]
    for _ in range(2):
        await writer.send_json_to({"type": "message", "body": "Only once", "client_id": "same"})
        ack = await writer.receive_json_from(timeout=5)
    count = DirectMessage.objects.filter(client_id="same").count
    assert await sync_to_async(count)() == 1
    await writer.disconnect()
    resumed, missed = await join(alice, accepted_thread, after=first_id)
    assert [m["id"] for m in missed] == [ack["id"]]
    await resumed.disconnect()


async def test_crisis_words_bring_help_to_the_writer_only(accepted_thread, trusted, crisis_lines):
    alice, bob, _ = trusted
    writer, _ = await join(alice, accepted_thread)
    reader, _ = await join(bob, accepted_thread)
    await writer.send_json_to({"type": "message", "body": CRISIS_WORDS, "client_id": "c"})
    assert (await writer.receive_json_from(timeout=5))["type"] == "ack"
    support = await writer.receive_json_from(timeout=5)
    assert support["type"] == "support" and support["resources"]
    delivered = await reader.receive_json_from(timeout=5)
    assert delivered["type"] == "message" and "labels" not in str(delivered)
    assert await reader.receive_nothing(timeout=0.2)
    await writer.disconnect()
    await reader.disconnect()


async def test_personal_data_is_refused_on_the_socket(accepted_thread, trusted):
    alice, _, _ = trusted
    writer, _ = await join(alice, accepted_thread)
    await writer.send_json_to({"type": "message", "body": "call me 555-123-4567", "client_id": "p"})
    error = await writer.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == "personal_data"
    await writer.send_json_to({"type": "nonsense"})
    assert (await writer.receive_json_from(timeout=5))["code"] == "unknown"
    await writer.disconnect()


async def test_only_the_two_members_and_only_an_open_conversation(request_thread, trusted):
    _alice, bob, carol = trusted
    assert await refused_with(socket_for(carol, request_thread)) == CLOSE_NOT_FOUND
    # Waiting for an answer: nothing live yet, and never the words to the recipient.
    assert await refused_with(socket_for(bob, request_thread)) == CLOSE_ENDED


async def test_a_block_closes_both_sockets(accepted_thread, trusted):
    alice, bob, _ = trusted
    other, _ = await join(alice, accepted_thread)
    await sync_to_async(do_block_in_thread)(accepted_thread, blocker=bob)
    assert await other.receive_json_from(timeout=5) == {"type": "closed"}
    closing = await other.receive_output(timeout=5)
    assert closing["type"] == "websocket.close" and closing["code"] == CLOSE_ENDED
    assert await refused_with(socket_for(bob, accepted_thread)) == CLOSE_NOT_FOUND
