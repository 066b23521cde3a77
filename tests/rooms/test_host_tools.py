"""Host tools: a pause on a member's messages (until it ends), removal (no coming back), slow
mode (hosts exempt), a pinned message. Each is audited and reaches everyone in the room live.
Only hosts may use them; hosting needs listener training and the trust level for it."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import TrustLevel
from haven.chat.actions import do_start_training
from haven.chat.models import ListenerProfile
from haven.core.realtime import CLOSE_REFUSED
from haven.moderation.models import AuditEntry
from haven.rooms.actions import do_join_room
from haven.rooms.models import RoomMember
from haven.rooms.permissions import can_host
from tests.chat.conftest import make_listener
from tests.conftest import client_for, make_member, refused_with
from tests.rooms.conftest import application, join, next_of

socket_test = pytest.mark.django_db(transaction=True)


def place(room, user) -> RoomMember:
    return RoomMember.objects.get(room=room, user=user)


@socket_test
async def test_a_paused_member_cannot_write_until_the_pause_ends_and_everyone_is_told(
    room, alice, bob, host_hana
):
    alice_place = await sync_to_async(place)(room, alice)
    member, _ = await join(alice, room)
    other, _ = await join(bob, room)
    host = await sync_to_async(client_for)(host_hana)
    response = await sync_to_async(host.post)(
        reverse("rooms:mute", args=[room.pk, alice_place.pk]), {"minutes": "15"}
    )
    assert response.status_code == 302
    told = await next_of(other, "host_action")
    assert told["action"] == "mute" and told["name"] == "alice" and told["member"] == alice_place.pk
    assert (await next_of(member, "host_action"))["member"] == alice_place.pk
    await member.send_json_to({"type": "message", "body": "hello?", "client_id": "m1"})
    refused = await next_of(member, "error")
    assert refused["code"] == "muted" and "paused your messages" in refused["detail"]
    # The pause ends: writing works again.
    await sync_to_async(RoomMember.objects.filter(pk=alice_place.pk).update)(
        muted_until=timezone.now() - timedelta(seconds=1)
    )
    await member.send_json_to({"type": "message", "body": "hello again", "client_id": "m2"})
    assert (await next_of(member, "ack"))["client_id"] == "m2"
    audit = await sync_to_async(AuditEntry.objects.get)(action="room_mute")
    assert audit.actor_id == host_hana.pk and audit.target_id == alice_place.pk
    await member.disconnect()
    await other.disconnect()


@socket_test
async def test_a_removed_member_is_closed_out_and_cannot_come_back(room, alice, bob, host_hana):
    alice_place = await sync_to_async(place)(room, alice)
    member, _ = await join(alice, room)
    other, _ = await join(bob, room)
    host = await sync_to_async(client_for)(host_hana)
    await sync_to_async(host.post)(reverse("rooms:remove", args=[room.pk, alice_place.pk]))
    assert (await next_of(member, "removed")) == {"type": "removed"}
    assert (await member.receive_output(timeout=5))["code"] == CLOSE_REFUSED
    told = await next_of(other, "host_action")
    assert told["action"] == "remove" and told["name"] == "alice"
    again = WebsocketCommunicator(application, f"/ws/rooms/{room.pk}/")
    again.scope["user"] = alice
    assert await refused_with(again) == CLOSE_REFUSED
    alice_client = await sync_to_async(client_for)(alice)
    rejoin = await sync_to_async(alice_client.post)(
        reverse("rooms:join", args=[room.pk]), {"accept_rules": "yes"}
    )
    assert rejoin.status_code == 403
    page = await sync_to_async(alice_client.get)(reverse("rooms:room", args=[room.pk]))
    assert page.status_code == 403 and "join it again" in page.content.decode()
    assert await sync_to_async(AuditEntry.objects.filter(action="room_remove").exists)()
    await other.disconnect()


@socket_test
async def test_slow_mode_asks_members_to_wait_kindly_but_not_hosts(room, alice, host_hana):
    host_client = await sync_to_async(client_for)(host_hana)
    member, _ = await join(alice, room)
    host, _ = await join(host_hana, room)
    await sync_to_async(host_client.post)(
        reverse("rooms:slow_mode", args=[room.pk]), {"seconds": "30"}
    )
    assert (await next_of(member, "host_action")) == {
        "type": "host_action", "action": "slow_mode", "seconds": 30,
    }  # fmt: skip
    await member.send_json_to({"type": "message", "body": "one", "client_id": "s1"})
    await next_of(member, "ack")
    await member.send_json_to({"type": "message", "body": "two", "client_id": "s2"})
    slowed = await next_of(member, "error")
    assert slowed["code"] == "slow_mode" and 25 <= slowed["retry_after"] <= 30
    assert "slow mode" in slowed["detail"] and "still in the box" in slowed["detail"]
    # A retry of the first message is still answered, not refused.
    await member.send_json_to({"type": "message", "body": "one", "client_id": "s1"})
    assert (await next_of(member, "ack"))["client_id"] == "s1"
    for n in range(2):  # hosts set the pace and are never slowed
        await host.send_json_to({"type": "message", "body": f"host {n}", "client_id": f"h{n}"})
        assert (await next_of(host, "ack"))["client_id"] == f"h{n}"
    await member.disconnect()
    await host.disconnect()


@socket_test
async def test_a_pinned_message_shows_at_the_top_for_everyone(room, alice, bob, host_hana):
    writer, _ = await join(alice, room)
    reader, _ = await join(bob, room)
    await writer.send_json_to(
        {"type": "message", "body": "Breathe out longer than in.", "client_id": "p"}
    )
    message_id = (await next_of(writer, "ack"))["id"]
    host = await sync_to_async(client_for)(host_hana)
    await sync_to_async(host.post)(reverse("rooms:pin", args=[room.pk]), {"message_id": message_id})
    pinned = await next_of(reader, "host_action")
    assert pinned["action"] == "pin"
    assert pinned["message"] == {
        "id": message_id, "author": "alice", "host": False, "body": "Breathe out longer than in.",
    }  # fmt: skip
    bob_client = await sync_to_async(client_for)(bob)
    page = await sync_to_async(bob_client.get)(reverse("rooms:room", args=[room.pk]))
    assert page.context["pinned"]["id"] == message_id
    again, history = await join(bob, room)
    assert history["pinned"]["id"] == message_id
    for socket in (writer, reader, again):
        await socket.disconnect()


def test_members_cannot_use_host_tools_by_page_or_api(room, alice, bob):
    bob_place = RoomMember.objects.get(room=room, user=bob)
    client = client_for(alice)
    assert (
        client.post(
            reverse("rooms:mute", args=[room.pk, bob_place.pk]), {"minutes": "5"}
        ).status_code
        == 403
    )
    assert client.post(reverse("rooms:remove", args=[room.pk, bob_place.pk])).status_code == 403
    assert (
        client.post(reverse("rooms:slow_mode", args=[room.pk]), {"seconds": "30"}).status_code
        == 403
    )
    api = client.post(
        f"/api/rooms/{room.pk}/members/{bob_place.pk}/mute", {"minutes": 5},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 403 and api.json()["detail"] == "Only the room's hosts can do that."
    assert RoomMember.objects.get(pk=bob_place.pk).muted_until is None
    assert (
        not AuditEntry.objects.filter(action__startswith="room_")
        .exclude(action="room_open")
        .exists()
    )


def test_a_host_cannot_mute_another_host_but_a_moderator_can(
    room, host_hana, guidelines, moderator_kim
):
    second = make_listener("host_sol", guidelines, present=False).user
    do_join_room(room, second, as_host=True)
    sol_place = RoomMember.objects.get(room=room, user=second)
    response = client_for(host_hana).post(
        reverse("rooms:mute", args=[room.pk, sol_place.pk]), {"minutes": "5"}
    )
    assert response.status_code == 403
    response = client_for(moderator_kim).post(
        reverse("rooms:mute", args=[room.pk, sol_place.pk]), {"minutes": "5"}
    )
    assert response.status_code == 302
    assert RoomMember.objects.get(pk=sol_place.pk).muted_until is not None


def test_hosting_needs_listener_training_and_the_trust_level(guidelines, settings):
    settings.HAVEN_TRUST_UNLOCKS = {**settings.HAVEN_TRUST_UNLOCKS, "host_rooms": 2}
    untrained = make_member("untrained_uma", guidelines)
    untrained.trust_level = TrustLevel.REGULAR
    untrained.save(update_fields=["trust_level"])
    assert not can_host(untrained)  # trusted, but no training
    page = client_for(untrained).get(reverse("rooms:start"))
    assert page.status_code == 403 and "listener training" in page.content.decode()

    trained_new = make_member("trained_tam", guidelines)  # a member's role, trained, but new
    profile = do_start_training(trained_new)
    profile.status = ListenerProfile.Status.LISTENER
    profile.save()
    assert not can_host(trained_new)
    api = client_for(trained_new).post(
        "/api/rooms", {"title": "Mine", "topic": "Anything"}, content_type="application/json"
    )
    assert api.status_code == 403 and api.json()["code"] == "trust_level"
    trained_new.trust_level = TrustLevel.MEMBER
    trained_new.save(update_fields=["trust_level"])
    assert can_host(trained_new)
    created = client_for(trained_new).post(
        reverse("rooms:start"),
        {"title": "Sunday check-in", "topic": "How the week went.", "rules": "Be kind.",
         "capacity": "20"},
    )  # fmt: skip
    assert created.status_code == 302
    assert RoomMember.objects.get(user=trained_new).role == RoomMember.Role.HOST
