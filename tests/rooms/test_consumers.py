"""The room socket: a message is stored before it is acknowledged, reaches everyone else in the
room live, is stored once however often it is retried, and a client that comes back catches up
on what it missed. Only the room's members get in."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from haven.core.realtime import CLOSE_NOT_FOUND, CLOSE_NOT_SIGNED_IN, CLOSE_REFUSED
from haven.rooms.models import RoomMessage
from tests.conftest import refused_with
from tests.rooms.conftest import application, join, next_of

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_message_is_stored_then_acknowledged_then_delivered_to_the_room(
    room, alice, bob, host_hana
):
    writer, history = await join(alice, room)
    assert history["you"]["name"] == "alice" and history["you"]["host"] is False
    reader, _ = await join(bob, room)
    host, _ = await join(host_hana, room)
    await writer.send_json_to(
        {"type": "message", "body": "Long day. Glad to be here.", "client_id": "c1"}
    )
    ack = await next_of(writer, "ack")
    assert ack["client_id"] == "c1" and ack["id"] > 0 and ack["mine"] is True
    stored = await sync_to_async(RoomMessage.objects.get)(pk=ack["id"])
    assert stored.body == "Long day. Glad to be here."
    for other in (reader, host):
        delivered = await next_of(other, "message")
        assert delivered["id"] == ack["id"] and delivered["author"] == "alice"
        assert delivered["mine"] is False and delivered["collapsed"] is False
        assert "author_id" not in delivered and "safety_labels" not in delivered
    # Not echoed to the writer's own socket: it has the ack.
    frames = []
    while not await writer.receive_nothing(timeout=0.3):
        frames.append(await writer.receive_json_from())
    assert all(frame["type"] == "presence" for frame in frames)
    for socket in (writer, reader, host):
        await socket.disconnect()


async def test_a_retry_with_the_same_client_id_is_stored_once_and_answered_with_it(
    room, alice, bob
):
    writer, _ = await join(alice, room)
    await writer.send_json_to({"type": "message", "body": "Is anyone here?", "client_id": "same"})
    first = await next_of(writer, "ack")
    await writer.send_json_to({"type": "message", "body": "Is anyone here?", "client_id": "same"})
    again = await next_of(writer, "ack")
    assert again["id"] == first["id"]
    count = await sync_to_async(RoomMessage.objects.filter(room=room, client_id="same").count)()
    assert count == 1
    await writer.disconnect()


async def test_reconnecting_with_after_resumes_with_nothing_lost_and_nothing_duplicated(
    room, alice, bob
):
    writer, _ = await join(alice, room)
    reader, _ = await join(bob, room)
    await writer.send_json_to({"type": "message", "body": "first", "client_id": "a"})
    seen = (await next_of(reader, "message"))["id"]
    await reader.disconnect()  # bob's connection drops
    for n, body in enumerate(["second", "third"]):
        await writer.send_json_to({"type": "message", "body": body, "client_id": f"b{n}"})
        await next_of(writer, "ack")
    await writer.send_json_to({"type": "message", "body": "third", "client_id": "b1"})  # lost ack
    await next_of(writer, "ack")
    reader, history = await join(bob, room, after=seen)
    assert [m["body"] for m in history["messages"]] == ["second", "third"]
    bodies = await sync_to_async(list)(
        RoomMessage.objects.filter(room=room).values_list("body", flat=True)
    )
    assert bodies == ["first", "second", "third"]
    await writer.disconnect()
    await reader.disconnect()


async def test_presence_frames_name_who_has_the_room_open(room, alice, bob):
    first, _ = await join(alice, room)
    presence = await next_of(first, "presence")
    assert [p["name"] for p in presence["present"]] == ["alice"]
    second, _ = await join(bob, room)
    presence = await next_of(first, "presence")
    assert sorted(p["name"] for p in presence["present"]) == ["alice", "bob"]
    assert all(set(p) == {"member", "name", "host"} for p in presence["present"])
    await second.disconnect()
    presence = await next_of(first, "presence")
    assert [p["name"] for p in presence["present"]] == ["alice"]
    await first.disconnect()


async def test_only_members_who_joined_get_in(room, carol):
    outsider = WebsocketCommunicator(application, f"/ws/rooms/{room.pk}/")
    outsider.scope["user"] = carol  # never confirmed the rules
    assert await refused_with(outsider) == CLOSE_REFUSED
    missing = WebsocketCommunicator(application, "/ws/rooms/999999/")
    missing.scope["user"] = carol
    assert await refused_with(missing) == CLOSE_NOT_FOUND


async def test_a_signed_out_visitor_is_refused(room):
    anonymous = WebsocketCommunicator(application, f"/ws/rooms/{room.pk}/")
    anonymous.scope["user"] = AnonymousUser()
    assert await refused_with(anonymous) == CLOSE_NOT_SIGNED_IN


async def test_a_malformed_frame_gets_an_error_and_the_socket_stays_open(room, alice):
    writer, _ = await join(alice, room)
    await writer.send_to(text_data="not json")
    assert (await next_of(writer, "error"))["detail"] == "Messages are JSON."
    await writer.send_json_to({"type": "message", "body": "", "client_id": "e"})
    assert (await next_of(writer, "error"))["client_id"] == "e"
    await writer.send_json_to({"type": "message", "body": "still here", "client_id": "ok"})
    assert (await next_of(writer, "ack"))["client_id"] == "ok"
    await writer.disconnect()
