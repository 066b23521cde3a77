"""Blocks and anonymous rooms. A message by someone the viewer blocked is folded away (page and
live frames) with a way to show it; a blocked pair never reach each other by @mention. In an
anonymous room nobody's pseudonym appears anywhere: frames, page, API."""

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from haven.accounts.blocks import do_block_member
from haven.notifications.models import Notification
from haven.rooms.actions import do_join_room, do_send_room_message
from haven.rooms.models import RoomMember
from tests.conftest import client_for
from tests.rooms.conftest import frames_until_quiet, join, next_of


def main_of(page: str) -> str:
    """The page's own content, without the navigation (which names the viewer)."""
    return page.split('id="main"')[1].split("</main>")[0]


def say(room, user, body: str, client_id: str):
    place = RoomMember.objects.select_related("user").get(room=room, user=user)
    return do_send_room_message(room, place, body=body, client_id=client_id).message


@pytest.mark.django_db(transaction=True)
async def test_messages_of_someone_the_viewer_blocked_arrive_collapsed(room, alice, bob):
    await sync_to_async(do_block_member)(alice, bob)
    reader, _ = await join(alice, room)
    writer, _ = await join(bob, room)
    await writer.send_json_to({"type": "message", "body": "Evening, all.", "client_id": "b1"})
    delivered = await next_of(reader, "message")
    assert delivered["collapsed"] is True and delivered["body"] == "Evening, all."
    again, history = await join(alice, room)
    assert [m["collapsed"] for m in history["messages"]] == [True]
    await reader.disconnect()
    await writer.disconnect()
    await again.disconnect()


@pytest.mark.django_db
def test_the_page_folds_a_blocked_members_message_behind_a_show_button(room, alice, bob, carol):
    do_join_room(room, carol)
    say(room, bob, "Evening, all.", "b1")
    say(room, carol, "Hello from carol.", "c1")
    do_block_member(alice, bob)
    page = client_for(alice).get(reverse("rooms:room", args=[room.pk])).content.decode()
    transcript = page.split("data-log>")[1].split("</ol>")[0]
    assert "A message from someone you blocked" in transcript
    assert transcript.count("room-collapsed") == 1 and "<details" in transcript
    # Bob blocked nobody: he sees carol's words plainly.
    bobs = client_for(bob).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "A message from someone you blocked" not in bobs.split("data-log>")[1]


@pytest.mark.django_db
def test_mentions_notify_only_when_neither_blocked_the_other(room, alice, bob, carol):
    do_join_room(room, carol)
    do_block_member(bob, alice)  # bob blocked alice: alice's mention must not reach him
    say(room, alice, "@bob and @carol, thank you both for earlier.", "m1")
    mentioned = set(
        Notification.objects.filter(kind=Notification.Kind.ROOM).values_list(
            "recipient__pseudonym", flat=True
        )
    )
    assert mentioned == {"carol"}
    say(room, carol, "@alice glad it helped", "m2")
    assert Notification.objects.filter(recipient=alice, kind="room").count() == 1


@pytest.mark.django_db(transaction=True)
async def test_an_anonymous_room_never_shows_a_pseudonym_in_frames(anonymous_room, alice, bob):
    writer, history = await join(alice, anonymous_room)
    assert history["you"]["name"].startswith("Guest ")
    reader, _ = await join(bob, anonymous_room)
    await writer.send_json_to({"type": "message", "body": "It helps to say it.", "client_id": "a1"})
    ack = await next_of(writer, "ack")
    frames = [ack, history, *await frames_until_quiet(reader), *await frames_until_quiet(writer)]
    text = repr(frames)
    assert "alice" not in text and "bob" not in text and "host_hana" not in text
    delivered = [f for f in frames if f["type"] == "message"]
    assert delivered and delivered[0]["author"] == ack["author"] == history["you"]["name"]
    await writer.disconnect()
    await reader.disconnect()


@pytest.mark.django_db
def test_an_anonymous_room_never_shows_a_pseudonym_on_the_page_or_in_the_api(
    anonymous_room, alice, bob, host_hana
):
    say(anonymous_room, alice, "It helps to say it. @Guest 3 you too?", "a1")
    for viewer in (alice, bob):
        client = client_for(viewer)
        page = client.get(reverse("rooms:room", args=[anonymous_room.pk])).content.decode()
        main = main_of(page)
        for pseudonym in ("alice", "bob", "host_hana"):
            assert pseudonym not in main, pseudonym
        api = [
            client.get(f"/api/rooms/{anonymous_room.pk}").content.decode(),
            client.get(f"/api/rooms/{anonymous_room.pk}/messages").content.decode(),
            client.get("/api/rooms").content.decode(),
            main_of(client.get(reverse("rooms:list")).content.decode()),
        ]
        for answer in api:
            for pseudonym in ("alice", "bob", "host_hana"):
                assert pseudonym not in answer, (pseudonym, answer[:300])
    names = list(
        RoomMember.objects.filter(room=anonymous_room)
        .order_by("id")
        .values_list("alias", flat=True)
    )
    assert names == ["Guest 1", "Guest 2", "Guest 3"]
    # A mention of a guest name reaches that member (bob is Guest 3).
    assert Notification.objects.filter(recipient=bob, kind="room").exists()
