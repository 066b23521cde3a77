"""Every stored chat message reaches the other side, even when the sender's socket is gone
before its acknowledgement, and a retry of the same message pushes it again only if the first
push may not have happened."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from haven.chat import consumers
from haven.chat.actions import do_send_message
from haven.chat.models import ChatMessage
from tests.chat.test_consumers import join

pytestmark = pytest.mark.django_db(transaction=True)


class SocketGone(ConnectionError):
    """What the server raises when it sends on a connection the client already dropped
    (uvicorn's ClientDisconnected is an OSError too)."""


@pytest.fixture
def acks_fail(monkeypatch):
    """The sender's connection dies between the store and the acknowledgement."""
    send_json = consumers.ChatConsumer.send_json

    async def failing(self, content, close=False):
        if content.get("type") == "ack":
            raise SocketGone("the client is gone")
        await send_json(self, content, close)

    monkeypatch.setattr(consumers.ChatConsumer, "send_json", failing)
    return monkeypatch


async def exactly_one_message(listener: WebsocketCommunicator) -> dict:
    delivered = await listener.receive_json_from(timeout=5)
    assert delivered["type"] == "message"
    assert await listener.receive_nothing(timeout=0.3)
    return delivered


async def test_a_message_stored_before_the_senders_socket_died_still_reaches_the_listener(
    conversation, alice, listener_lee, acks_fail
):
    listener, _ = await join(listener_lee.user, conversation)
    seeker, _ = await join(alice, conversation)
    await seeker.send_json_to({"type": "message", "body": "Are you there?", "client_id": "s1"})
    delivered = await exactly_one_message(listener)
    assert await seeker.receive_nothing(timeout=0.3)  # the ack could not be sent
    await seeker.disconnect()
    stored = await sync_to_async(ChatMessage.objects.get)(client_id="s1")
    assert (delivered["id"], delivered["body"]) == (stored.pk, "Are you there?")
    # The sender comes back and re-sends what it never saw acknowledged: stored once, and the
    # listener, who already has it, is not sent it again.
    acks_fail.undo()
    seeker, history = await join(alice, conversation, after=0)
    assert [m["id"] for m in history] == [stored.pk]
    await seeker.send_json_to({"type": "message", "body": "Are you there?", "client_id": "s1"})
    ack = await seeker.receive_json_from(timeout=5)
    assert (ack["type"], ack["id"]) == ("ack", stored.pk)
    assert await listener.receive_nothing(timeout=0.3)
    assert await sync_to_async(ChatMessage.objects.count)() == 1
    await seeker.disconnect()
    await listener.disconnect()


async def test_a_retry_pushes_a_stored_message_whose_first_push_never_happened(
    conversation, alice, listener_lee
):
    listener, _ = await join(listener_lee.user, conversation)
    # Stored and committed, then the server process died before telling anyone.
    stored, created = await sync_to_async(do_send_message)(
        conversation, sender=alice, body="Hello?", client_id="lost", announce=False
    )
    assert created and await listener.receive_nothing(timeout=0.3)
    seeker, _ = await join(alice, conversation, after=stored.pk)
    await seeker.send_json_to({"type": "message", "body": "Hello?", "client_id": "lost"})
    assert (await seeker.receive_json_from(timeout=5))["id"] == stored.pk
    assert (await exactly_one_message(listener))["id"] == stored.pk
    # Once it has gone out, a further retry does not send it a third time.
    await seeker.send_json_to({"type": "message", "body": "Hello?", "client_id": "lost"})
    assert (await seeker.receive_json_from(timeout=5))["id"] == stored.pk
    assert await listener.receive_nothing(timeout=0.3)
    await seeker.disconnect()
    await listener.disconnect()


async def test_a_crisis_message_whose_ack_was_lost_still_brings_the_listener_the_protocol(
    conversation, alice, listener_lee, acks_fail
):
    listener, _ = await join(listener_lee.user, conversation)
    seeker, _ = await join(alice, conversation)
    body = "I've been saving my pills and I want to end my life tonight."
    await seeker.send_json_to({"type": "message", "body": body, "client_id": "c1"})
    received = [await listener.receive_json_from(timeout=5) for _ in range(2)]
    assert await seeker.receive_nothing(timeout=0.3)
    await seeker.disconnect()
    assert [event["type"] for event in received] == ["message", "crisis_protocol"]
    # On the retry the seeker gets the acknowledgement and the support panel after all.
    acks_fail.undo()
    seeker, _ = await join(alice, conversation, after=received[0]["id"])
    await seeker.send_json_to({"type": "message", "body": body, "client_id": "c1"})
    assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    assert (await seeker.receive_json_from(timeout=5))["type"] == "support"
    assert await listener.receive_nothing(timeout=0.3)
    await seeker.disconnect()
    await listener.disconnect()
