"""The rooms pages (list, rules on entry, the room, leaving), the room page's query count, the
transcript retention job, and the member's data export and deletion."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.accounts.actions import do_delete_account
from haven.accounts.personal_data import export_user_data
from haven.jobs.schedule import PERIODIC_JOBS
from haven.moderation.models import QueueItem, QueueKind
from haven.rooms.actions import do_join_room, do_send_room_message
from haven.rooms.models import RoomMember, RoomMessage
from haven.rooms.tasks import delete_old_room_transcripts
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


def say(room, user, body: str, client_id: str) -> RoomMessage:
    place = RoomMember.objects.select_related("user").get(room=room, user=user)
    return do_send_room_message(room, place, body=body, client_id=client_id).message


def test_the_list_shows_open_rooms_with_who_is_in_and_start_a_room_for_hosts(
    room, carol, host_hana
):
    page = client_for(carol).get(reverse("rooms:list"))
    assert page.status_code == 200
    listed = page.context["rooms"]
    assert [r.room.pk for r in listed] == [room.pk] and listed[0].members == 3
    assert "Start a room" not in page.content.decode()
    assert "Start a room" in client_for(host_hana).get(reverse("rooms:list")).content.decode()
    assert 'href="/rooms/"' in page.content.decode()  # "Support rooms" in the navigation


def test_rules_come_first_and_a_member_confirms_them_once(room, carol):
    client = client_for(carol)
    page = client.get(reverse("rooms:room", args=[room.pk]))
    assert page.templates[0].name == "rooms/rules.html"
    assert "What is shared here stays here." in page.content.decode()
    unticked = client.post(reverse("rooms:join", args=[room.pk]))
    assert unticked.status_code == 302 and not RoomMember.objects.filter(user=carol).exists()
    client.post(reverse("rooms:join", args=[room.pk]), {"accept_rules": "yes"})
    page = client.get(reverse("rooms:room", args=[room.pk]))
    assert page.templates[0].name == "rooms/room.html"
    members = [m.name for m in page.context["members"]]
    assert members[0] == "host_hana" and "carol" in members
    assert page.context["is_host"] is False and page.context["mute_form"] is None
    client.post(reverse("rooms:send", args=[room.pk]), {"body": "Hello, all.", "client_id": "x"})
    assert RoomMessage.objects.get(client_id="x").body == "Hello, all."
    client.post(reverse("rooms:leave", args=[room.pk]))
    assert client.get(reverse("rooms:room", args=[room.pk])).templates[0].name == "rooms/rules.html"


def test_the_room_page_reads_the_same_number_of_queries_however_busy(room, alice, bob, guidelines):
    client = client_for(alice)
    say(room, bob, "first", "f")
    client.get(reverse("rooms:room", args=[room.pk]))  # warm caches (guidelines, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("rooms:room", args=[room.pk])).status_code == 200
    for n in range(8):
        member = make_member(f"busy_{n}", guidelines)
        do_join_room(room, member)
        say(room, member, f"hello {n}", f"b{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("rooms:room", args=[room.pk]))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 20


def test_old_transcripts_are_deleted_by_the_periodic_job_unless_moderators_need_them(
    room, alice, settings
):
    settings.HAVEN_ROOM_TRANSCRIPT_DAYS = 30
    old = say(room, alice, "from long ago", "old")
    needed = say(room, alice, "reported long ago", "needed")
    recent = say(room, alice, "from today", "new")
    RoomMessage.objects.filter(pk__in=[old.pk, needed.pk]).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    QueueItem.objects.create(kind=QueueKind.REPORTED, room_message=needed)
    assert "haven.rooms.tasks.delete_old_room_transcripts" in [j.task_path for j in PERIODIC_JOBS]
    assert delete_old_room_transcripts.call() == 1
    assert set(RoomMessage.objects.values_list("pk", flat=True)) == {needed.pk, recent.pk}


def test_a_members_rooms_are_in_their_export_and_erased_when_they_ask(room, alice, bob):
    say(room, alice, "Thank you for tonight.", "t")
    data = export_user_data(alice)
    assert data["support_rooms"][0]["room"] == "Evening wind-down"
    assert data["support_room_messages"] == [
        {"room": "Evening wind-down", "body": "Thank you for tonight.",
         "sent_at": RoomMessage.objects.get(client_id="t").created_at.isoformat()}
    ]  # fmt: skip
    do_delete_account(alice, erase_content=True)
    message = RoomMessage.objects.get(client_id="t")
    assert message.author_id is None and message.body == ""
    assert not RoomMember.objects.filter(user_id=alice.pk).exists()
