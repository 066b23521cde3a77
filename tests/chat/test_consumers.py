"""The chat socket: stored before acknowledged, live to the other side, resumable without loss
or duplicates, and closed to anyone but the two participants."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from haven.chat.models import ChatMessage
from haven.core.realtime import CLOSE_ENDED, CLOSE_NOT_FOUND, CLOSE_NOT_SIGNED_IN
from haven.routing import websocket_urlpatterns
from tests.conftest import refused_with

pytestmark = pytest.mark.django_db(transaction=True)
application = URLRouter(websocket_urlpatterns)


async def join(user, conversation, after: int | None = None) -> tuple[WebsocketCommunicator, list]:
    path = f"/ws/chat/{conversation.pk}/" + (f"?after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(application, path)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    history = await communicator.receive_json_from(timeout=5)
    assert history["type"] == "history"
    return communicator, history["messages"]


async def test_a_message_is_stored_acknowledged_and_delivered(conversation, alice, listener_lee):
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    await seeker.send_json_to(
        {"type": "message", "body": "Hi, thank you for coming.", "client_id": "c1"}
    )
    ack = await seeker.receive_json_from(timeout=5)
    assert ack["type"] == "ack" and ack["client_id"] == "c1" and ack["id"] > 0
    stored = await sync_to_async(ChatMessage.objects.get)(pk=ack["id"])
    assert stored.body == "Hi, thank you for coming."
    delivered = await listener.receive_json_from(timeout=5)
    assert delivered["type"] == "message" and delivered["id"] == ack["id"]
    assert await seeker.receive_nothing(timeout=0.2)  # not echoed back to the sender
    await seeker.disconnect()
    await listener.disconnect()


async def closed_with(communicator: WebsocketCommunicator) -> tuple[int, list[dict]]:
    """The close code of a socket the server closes, and the frames it sent before."""
    frames = []
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output["code"], frames
        frames.append(json.loads(output["text"]))


async def test_typing_read_receipts_and_ending(conversation, alice, listener_lee):
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    await listener.send_json_to({"type": "typing"})
    assert await seeker.receive_json_from(timeout=5) == {"type": "typing", "sender": "listener"}
    await listener.send_json_to(
        {"type": "message", "body": "I'm here. Take your time.", "client_id": "l1"}
    )
    ack = await listener.receive_json_from(timeout=5)
    await seeker.receive_json_from(timeout=5)
    await seeker.send_json_to({"type": "read", "up_to": ack["id"]})
    receipt = await listener.receive_json_from(timeout=5)
    assert receipt == {"type": "read", "reader": "seeker", "up_to": ack["id"]}
    await seeker.send_json_to({"type": "end"})
    # Ending closes both sides' sockets of this chat, after telling each who ended it.
    assert await closed_with(listener) == (CLOSE_ENDED, [{"type": "ended", "ended_by": "seeker"}])
    assert await closed_with(seeker) == (
        CLOSE_ENDED,
        [
            {"type": "read", "reader": "you", "up_to": ack["id"]},
            {"type": "ended", "ended_by": "you"},
        ],
    )
    # Coming back to an ended chat: what was missed, then closed (nothing more to send).
    again = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/?after=0")
    again.scope["user"] = listener_lee.user
    assert (await again.connect())[0]
    code, frames = await closed_with(again)
    assert code == CLOSE_ENDED and [m["body"] for m in frames[0]["messages"]] == [
        "I'm here. Take your time."
    ]


async def test_reconnecting_resumes_with_nothing_lost_and_nothing_duplicated(
    conversation, alice, listener_lee
):
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    await listener.send_json_to({"type": "message", "body": "first", "client_id": "a"})
    first = await listener.receive_json_from(timeout=5)
    seen = (await seeker.receive_json_from(timeout=5))["id"]
    await seeker.disconnect()  # the seeker's connection drops
    for n, body in enumerate(["second", "third"]):
        await listener.send_json_to({"type": "message", "body": body, "client_id": f"b{n}"})
        await listener.receive_json_from(timeout=5)
    # The listener's ack was lost, so it sends "third" again with the same client_id.
    await listener.send_json_to({"type": "message", "body": "third", "client_id": "b1"})
    again = await listener.receive_json_from(timeout=5)
    assert again["type"] == "ack"
    seeker, history = await join(alice, conversation, after=seen)
    assert [m["body"] for m in history] == ["second", "third"]
    assert first["id"] == seen
    bodies = await sync_to_async(list)(
        ChatMessage.objects.filter(conversation=conversation).values_list("body", flat=True)
    )
    assert bodies == ["first", "second", "third"]
    await seeker.disconnect()
    await listener.disconnect()


async def test_nobody_else_can_join_a_chat(conversation, bob):
    communicator = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/")
    communicator.scope["user"] = bob
    assert await refused_with(communicator) == CLOSE_NOT_FOUND
    communicator = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/")
    communicator.scope["user"] = AnonymousUser()
    assert await refused_with(communicator) == CLOSE_NOT_SIGNED_IN
    missing = WebsocketCommunicator(application, "/ws/chat/999999/")
    missing.scope["user"] = bob
    assert await refused_with(missing) == CLOSE_NOT_FOUND


async def test_crisis_words_bring_support_to_the_seeker_and_the_protocol_to_the_listener(
    conversation, alice, listener_lee
):
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    await seeker.send_json_to(
        {
            "type": "message",
            "client_id": "x",
            "body": "I've been saving my pills and I want to end my life tonight.",
        }
    )
    assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    support = await seeker.receive_json_from(timeout=5)
    assert support["type"] == "support" and "sounds really hard" in support["message"]
    received = [await listener.receive_json_from(timeout=5) for _ in range(2)]
    kinds = {event["type"] for event in received}
    assert kinds == {"message", "crisis_protocol"}
    protocol = next(e for e in received if e["type"] == "crisis_protocol")
    assert protocol["steps"] and protocol["say"]
    await seeker.disconnect()
    await listener.disconnect()


async def test_personal_data_and_bad_messages_are_refused_on_the_socket(conversation, alice):
    seeker, _ = await join(alice, conversation)
    await seeker.send_json_to({"type": "message", "body": "call me 555-123-4567", "client_id": "p"})
    error = await seeker.receive_json_from(timeout=5)
    assert error["code"] == "personal_data" and "phone number" in error["detail"]
    await seeker.send_json_to({"type": "message", "body": "x" * 2001, "client_id": "q"})
    assert (await seeker.receive_json_from(timeout=5))["code"] == "invalid"
    await seeker.send_json_to({"type": "message", "body": "no id"})
    assert (await seeker.receive_json_from(timeout=5))["code"] == "invalid"
    assert await sync_to_async(ChatMessage.objects.count)() == 0
    await seeker.disconnect()


async def test_the_waiting_room_shows_the_place_live_and_opens_the_chat_when_matched(
    alice, bob, listener_lee
):
    from haven.chat.actions import do_request_chat, do_set_availability

    await sync_to_async(_listener_offline)(listener_lee)
    first = await sync_to_async(do_request_chat)(alice, topics=[], language="en", message="")
    second = await sync_to_async(do_request_chat)(bob, topics=[], language="en", message="")
    room = WebsocketCommunicator(application, f"/ws/chat/requests/{second.pk}/")
    room.scope["user"] = bob
    assert (await room.connect())[0]
    status = await room.receive_json_from(timeout=5)
    assert (status["status"], status["position"]) == ("waiting", 2)
    await sync_to_async(_cancel)(first)
    assert (await room.receive_json_from(timeout=5))["position"] == 1
    await sync_to_async(do_set_availability)(
        listener_lee, is_online=True, topics=[], languages=["en"], max_chats=2
    )
    await sync_to_async(_match)()
    offered = await room.receive_json_from(timeout=5)
    assert offered["status"] == "offered" and offered["offer_expires_in"] > 0
    await sync_to_async(_accept)(listener_lee, second)
    frames = [await room.receive_json_from(timeout=5) for _ in range(2)]
    joined = [f for f in frames if f["type"] == "joined"]
    assert joined and joined[0]["listener"] == "listener_lee"
    matched = [f for f in frames if f.get("status") == "matched"]
    assert matched and matched[0]["conversation_id"] == joined[0]["conversation_id"]
    await room.disconnect()
    other = WebsocketCommunicator(application, f"/ws/chat/requests/{second.pk}/")
    other.scope["user"] = alice  # not her request
    assert await refused_with(other) == CLOSE_NOT_FOUND


def _listener_offline(profile):
    profile.is_online = False
    profile.save()


def _accept(profile, chat_request):
    from haven.chat.actions import do_take_request

    chat_request.refresh_from_db()
    do_take_request(profile, chat_request)


def _cancel(chat_request):
    from haven.chat.actions import do_cancel_request

    do_cancel_request(chat_request)


def _match():
    from haven.chat.actions import match_waiting_requests

    match_waiting_requests()


async def test_a_muted_member_cannot_send_in_chat_either(conversation, alice, moderator_kim):
    from datetime import timedelta

    from haven.moderation.actions import do_sanction

    await sync_to_async(do_sanction)(
        alice, "mute", moderator=moderator_kim, reason="A pause.", duration=timedelta(hours=1)
    )
    seeker, _ = await join(alice, conversation)
    await seeker.send_json_to({"type": "message", "body": "hello?", "client_id": "m"})
    error = await seeker.receive_json_from(timeout=5)
    assert error["code"] == "muted" and "paused your posting" in error["detail"]
    await seeker.disconnect()


async def test_chat_messages_are_rate_limited(conversation, alice, settings):
    settings.HAVEN_RATE_LIMITS = {
        **settings.HAVEN_RATE_LIMITS,
        "chat": {"member": "3/h", "new_member": "3/h", "ip": "100/h"},
    }
    seeker, _ = await join(alice, conversation)
    kinds = []
    for n in range(4):
        await seeker.send_json_to({"type": "message", "body": f"message {n}", "client_id": f"r{n}"})
        kinds.append((await seeker.receive_json_from(timeout=5))["type"])
    assert kinds == ["ack", "ack", "ack", "error"]
    await seeker.disconnect()


async def test_a_participant_who_is_away_gets_one_notice_and_one_who_reads_gets_none(
    conversation, alice, listener_lee
):
    from haven.notifications.models import Notification

    seeker, _ = await join(alice, conversation)
    for n in range(3):
        await seeker.send_json_to(
            {"type": "message", "body": f"thank you for being here {n}", "client_id": f"w{n}"}
        )
        assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    notices = await sync_to_async(list)(
        Notification.objects.filter(recipient=listener_lee.user, conversation=conversation)
    )
    assert len(notices) == 1  # the listener had the chat closed: one notice, not three
    listener, _ = await join(listener_lee.user, conversation)
    await listener.send_json_to({"type": "message", "body": "here now", "client_id": "h"})
    await listener.receive_json_from(timeout=5)
    # Alice has the chat open: no notice for her.
    assert not await sync_to_async(
        Notification.objects.filter(recipient=alice, conversation=conversation).exists
    )()
    await seeker.disconnect()
    await listener.disconnect()


async def test_a_failure_while_storing_is_never_taken_for_a_client_that_left(
    conversation, alice, monkeypatch
):
    """A FileNotFoundError (an OSError, like uvicorn's ClientDisconnected) once made the socket
    drop the message silently: no ack, no error, the page waiting forever. Now the socket fails
    loudly, so the page reconnects and sends the message again."""
    from haven.chat import actions

    def broken_cache(*args, **kwargs):
        raise FileNotFoundError("a model cache renamed away by another process")

    monkeypatch.setattr(actions, "do_send_message", broken_cache)
    seeker, _ = await join(alice, conversation)
    await seeker.send_json_to({"type": "message", "body": "Are you there?", "client_id": "c1"})
    with pytest.raises(FileNotFoundError):
        await seeker.receive_output(timeout=5)
    assert not await sync_to_async(ChatMessage.objects.exists)()
