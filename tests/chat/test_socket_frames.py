"""What goes over the chat socket: a bad frame gets an error frame and the socket stays open;
no frame tells one participant the other's internal user id."""

import json

import pytest
from asgiref.sync import sync_to_async

from haven.chat.models import ChatMessage
from tests.chat.test_consumers import closed_with, join

pytestmark = pytest.mark.django_db(transaction=True)

BAD_TEXT_FRAMES = [
    "this is not JSON",
    "",
    "[1, 2, 3]",
    '"a string"',
    "{}",
    '{"type": 5}',
    '{"type": "dance"}',
    json.dumps({"type": "read", "up_to": 2**70}),
    json.dumps({"type": "read", "up_to": -1}),
    json.dumps({"type": "read", "up_to": "12"}),
    json.dumps({"type": "read", "up_to": True}),
    json.dumps({"type": "read", "up_to": 1.5}),
    '{"type": "read", "up_to": 1' + "0" * 5000 + "}",  # more digits than Python will read
    "[" * 5000 + "]" * 5000,
    json.dumps({"type": "message", "body": 5, "client_id": "a"}),
    json.dumps({"type": "message", "body": ["hi"], "client_id": "b"}),
    json.dumps({"type": "message", "body": "hi", "client_id": {"nested": 1}}),
    json.dumps({"type": "message", "body": "hi", "client_id": ""}),
    json.dumps({"type": "message", "body": "hi"}),
    json.dumps({"type": "message", "body": "x" * 20_000, "client_id": "huge"}),
]


@pytest.mark.parametrize("frame", BAD_TEXT_FRAMES)
async def test_a_bad_frame_gets_an_error_and_the_socket_stays_open(frame, conversation, alice):
    seeker, _ = await join(alice, conversation)
    await seeker.send_input({"type": "websocket.receive", "text": frame})
    error = await seeker.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["detail"] and error["code"]
    await seeker.send_json_to({"type": "message", "body": "still here", "client_id": "ok"})
    assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    assert await sync_to_async(ChatMessage.objects.count)() == 1
    await seeker.disconnect()


async def test_a_binary_frame_gets_an_error_and_the_socket_stays_open(conversation, alice):
    seeker, _ = await join(alice, conversation)
    await seeker.send_to(bytes_data=b"\x00\x01binary")
    assert (await seeker.receive_json_from(timeout=5))["type"] == "error"
    await seeker.send_json_to({"type": "typing"})
    assert await seeker.receive_nothing(timeout=0.2)  # typing goes to the other side only
    await seeker.send_json_to({"type": "message", "body": "still here", "client_id": "ok"})
    assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    await seeker.disconnect()


async def test_a_read_receipt_past_the_last_message_marks_only_what_exists(
    conversation, alice, listener_lee
):
    seeker, _ = await join(alice, conversation)
    await seeker.send_json_to({"type": "message", "body": "one", "client_id": "1"})
    sent = await seeker.receive_json_from(timeout=5)
    listener, _ = await join(listener_lee.user, conversation)
    await listener.send_json_to({"type": "read", "up_to": 2**62})
    assert await seeker.receive_json_from(timeout=5) == {
        "type": "read",
        "reader": "listener",
        "up_to": sent["id"],
    }
    await seeker.disconnect()
    await listener.disconnect()


def ints_by_key(value, key=None):
    """Every (key, int) pair anywhere in a frame."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from ints_by_key(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from ints_by_key(item, key)
    elif isinstance(value, int) and not isinstance(value, bool):
        yield key, value


async def test_no_frame_gives_the_listener_the_seekers_user_id(conversation, alice, listener_lee):
    seeker, _ = await join(alice, conversation)
    await seeker.send_json_to({"type": "message", "body": "before you came", "client_id": "0"})
    await seeker.receive_json_from(timeout=5)
    listener, history = await join(listener_lee.user, conversation)
    frames = [{"type": "history", "messages": history}]
    shown = {message["id"] for message in history}

    async def frames_until(kind: str) -> None:
        """The listener's frames up to one of this kind, as chat.js takes them: delivery is at
        least once, so a message already shown may come again live and is skipped; frames of
        different kinds may arrive in either order."""
        while True:
            frame = await listener.receive_json_from(timeout=5)
            if frame["type"] == "message":
                if frame["id"] in shown:
                    continue
                shown.add(frame["id"])
            frames.append(frame)
            if frame["type"] == kind:
                return

    def only(kind: str) -> dict:
        [frame] = [frame for frame in frames if frame["type"] == kind]
        return frame

    await seeker.send_json_to({"type": "typing"})
    await frames_until("typing")
    crisis = "I've been saving my pills and I want to end my life tonight."
    await seeker.send_json_to({"type": "message", "body": crisis, "client_id": "1"})
    await frames_until("message")
    await listener.send_json_to({"type": "message", "body": "I'm here with you.", "client_id": "2"})
    await frames_until("ack")
    if "crisis_protocol" not in [frame["type"] for frame in frames]:
        await frames_until("crisis_protocol")
    await seeker.send_json_to({"type": "read", "up_to": only("ack")["id"]})
    await frames_until("read")
    await seeker.send_json_to({"type": "end"})
    frames += (await closed_with(listener))[1]

    kinds = sorted(frame["type"] for frame in frames)
    assert kinds == sorted(
        ["history", "typing", "message", "crisis_protocol", "ack", "read", "ended"]
    )
    message_ids = set(await sync_to_async(list)(ChatMessage.objects.values_list("id", flat=True)))
    for frame in frames:
        text = json.dumps(frame)
        assert "sender_id" not in text and "reader_id" not in text and "seeker_id" not in text
        for key, value in ints_by_key(frame):
            if value == alice.pk:  # only ever as a message id or receipt that happens to match
                assert key in ("id", "up_to") and value in message_ids, (key, frame)
    # What the page shows, in the frames' words.
    assert frames[0]["messages"][0]["sender"] == "seeker"
    assert only("typing") == {"type": "typing", "sender": "seeker"}
    assert only("message")["sender"] == "seeker"
    assert only("ack")["sender"] == "you"
    assert only("read")["reader"] == "seeker"
    assert only("ended") == {"type": "ended", "ended_by": "seeker"}
