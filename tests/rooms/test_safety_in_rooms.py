"""Safety in rooms: crisis words are answered privately (the writer's support panel, the hosts'
alert and notification, an urgent queue item moderators can open) and never labelled in front
of the room; personal data is refused kindly; members can report a message."""

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from haven.communities.models import WatchedWord
from haven.moderation.models import QueueItem, QueueKind
from haven.notifications.display import notification_text, notification_url
from haven.notifications.models import Notification
from haven.rooms.actions import do_send_room_message
from haven.rooms.models import RoomMember, RoomMessage
from haven.safety.resources import load_crisis_resources
from tests.conftest import client_for
from tests.rooms.conftest import CRISIS_WORDS, frames_until_quiet, join, next_of


@pytest.mark.django_db(transaction=True)
async def test_crisis_words_bring_private_support_a_host_alert_and_an_urgent_item(
    room, alice, bob, host_hana, moderator_kim
):
    await sync_to_async(load_crisis_resources)()
    writer, _ = await join(alice, room)
    reader, _ = await join(bob, room)
    host, _ = await join(host_hana, room)
    await writer.send_json_to({"type": "message", "body": CRISIS_WORDS, "client_id": "c"})
    ack = await next_of(writer, "ack")
    support = await next_of(writer, "support")
    assert support["resources"] and "safety_plan_url" in support
    # Bob sees an ordinary message: no label, no alert, no support meant for alice.
    bob_frames = await frames_until_quiet(reader)
    delivered = [f for f in bob_frames if f["type"] == "message"]
    assert len(delivered) == 1 and delivered[0]["id"] == ack["id"]
    assert not {"labels", "safety_labels", "crisis"} & set(delivered[0])
    assert {f["type"] for f in bob_frames} <= {"message", "presence"}
    # The host gets a private alert, and a notification that leads to the room.
    alert = await next_of(host, "host_alert")
    assert alert["author"] == "alice" and alert["message_id"] == ack["id"]
    notification = await sync_to_async(Notification.objects.get)(
        recipient=host_hana, kind=Notification.Kind.ROOM
    )
    assert await sync_to_async(notification_url)(notification) == reverse(
        "rooms:room", args=[room.pk]
    )
    assert "alice" in await sync_to_async(notification_text)(notification)
    item = await sync_to_async(QueueItem.objects.get)(room_message_id=ack["id"])
    assert item.kind == QueueKind.URGENT and "crisis" in item.labels
    assert await sync_to_async(
        Notification.objects.filter(recipient=moderator_kim, kind="urgent").exists
    )()
    # A moderator opens it from the queue and reads the message.
    moderator = await sync_to_async(client_for)(moderator_kim)
    queue = await sync_to_async(moderator.get)(reverse("moderation:queue") + "?kind=urgent")
    assert "Evening wind-down" in queue.content.decode()
    page = await sync_to_async(moderator.get)(reverse("moderation:item", args=[item.pk]))
    assert page.status_code == 200 and "end my life tonight" in page.content.decode()
    for socket in (writer, reader, host):
        await socket.disconnect()


@pytest.mark.django_db
def test_crisis_words_sent_from_the_page_show_the_support_panel_and_no_label(room, alice, bob):
    load_crisis_resources()
    client = client_for(alice)
    client.post(reverse("rooms:send", args=[room.pk]), {"body": CRISIS_WORDS, "client_id": "p1"})
    page = client.get(reverse("rooms:room", args=[room.pk]))
    assert page.context["support_panel"]
    bob_page = client_for(bob).get(reverse("rooms:room", args=[room.pk])).content.decode()
    transcript = bob_page.split("data-log>")[1].split("</ol>")[0]
    assert "end my life tonight" in transcript
    assert "crisis" not in transcript and "pill--label" not in transcript


@pytest.mark.django_db(transaction=True)
async def test_personal_data_is_refused_kindly_and_nothing_is_stored(room, alice):
    writer, _ = await join(alice, room)
    await writer.send_json_to(
        {"type": "message", "body": "Text me on 07700 900123 any time", "client_id": "pd"}
    )
    refused = await next_of(writer, "error")
    assert refused["code"] == "personal_data" and "anonymity" in refused["detail"]
    assert not await sync_to_async(RoomMessage.objects.filter(client_id="pd").exists)()
    await writer.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_watched_words_refuse_hold_or_flag_room_messages(room, alice, bob):
    await sync_to_async(WatchedWord.objects.create)(pattern="blockme", kind="word", action="block")
    await sync_to_async(WatchedWord.objects.create)(pattern="holdme", kind="word", action="hold")
    await sync_to_async(WatchedWord.objects.create)(pattern="flagme", kind="word", action="flag")
    writer, _ = await join(alice, room)
    reader, _ = await join(bob, room)
    await writer.send_json_to({"type": "message", "body": "please blockme", "client_id": "w1"})
    assert (await next_of(writer, "error"))["code"] == "watched_words"
    await writer.send_json_to({"type": "message", "body": "please holdme", "client_id": "w2"})
    held = await next_of(writer, "ack")
    assert held["held"] is True
    await writer.send_json_to({"type": "message", "body": "please flagme", "client_id": "w3"})
    flagged = await next_of(writer, "ack")
    delivered = [f for f in await frames_until_quiet(reader) if f["type"] == "message"]
    assert [m["id"] for m in delivered] == [flagged["id"]]  # the held one waits
    kinds = await sync_to_async(
        lambda: sorted(QueueItem.objects.values_list("room_message_id", "kind"))
    )()
    assert kinds == [(held["id"], QueueKind.FLAGGED), (flagged["id"], QueueKind.FLAGGED)]
    await writer.disconnect()
    await reader.disconnect()


@pytest.mark.django_db
def test_a_member_reports_a_message_and_a_moderator_can_open_it(room, alice, bob, moderator_kim):
    sent = do_send_room_message(
        room, RoomMember.objects.get(room=room, user=bob), body="Nobody here understands anything.",
        client_id="r1", send_for_review=True,
    )  # fmt: skip
    message = sent.message
    own = client_for(bob).post(reverse("rooms:report", args=[room.pk, message.pk]))
    assert own.status_code == 403  # not one's own words
    response = client_for(alice).post(
        reverse("rooms:report", args=[room.pk, message.pk]), {"reason": "harassment"}
    )
    assert response.status_code == 302
    item = QueueItem.objects.get(room_message=message, kind=QueueKind.REPORTED)
    assert item.report_count == 1 and item.target_kind == "room_message"
    page = client_for(moderator_kim).get(reverse("moderation:item", args=[item.pk]))
    assert page.status_code == 200 and "Message in a support room" in page.content.decode()
