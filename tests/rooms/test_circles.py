"""Sharing circles through pages, API and jobs: who may schedule, sign-ups and the waiting list,
the reminder (once), the room opening and closing, and who may join a full circle's room."""

import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.models import Role
from haven.notifications.models import Notification
from haven.rooms import circle_tasks, circles
from haven.rooms.models import Circle, CircleSignup, Room, RoomMember
from haven.wellness.models import WellnessSettings
from tests.conftest import client_for, token_client_for

pytestmark = pytest.mark.django_db
JSON = "application/json"


def circle_of(host, *, in_minutes: int = 120, size_limit: int = 2, **fields) -> Circle:
    return circles.do_schedule_circle(
        host, title=fields.pop("title", "Sunday reset"), topic="Looking back at the week.",
        starts_at=timezone.now() + timedelta(minutes=in_minutes), size_limit=size_limit,
        **fields,
    )  # fmt: skip


def status_of(circle: Circle, user) -> str:
    return CircleSignup.objects.get(circle=circle, user=user).status


# --- Scheduling


def test_a_trained_listener_schedules_a_circle_in_their_own_time_zone(host_hana):
    WellnessSettings.objects.update_or_create(
        member=host_hana, defaults={"time_zone": "Europe/Paris"}
    )
    day = (timezone.now() + timedelta(days=3)).date()
    response = client_for(host_hana).post(
        "/circles/new/",
        {"title": "Grief circle", "topic": "Missing someone.", "date": day.isoformat(),
         "time": "18:30", "duration_minutes": "60", "size_limit": "8"},
    )  # fmt: skip
    circle = Circle.objects.get()
    assert response.status_code == 302 and response.url == f"/circles/{circle.pk}/"
    local = circle.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert (local.date(), local.hour, local.minute) == (day, 18, 30)
    assert circle.host == host_hana and circle.size_limit == 8


def test_a_member_may_not_schedule_a_circle_but_a_moderator_may(alice, moderator_kim):
    page = client_for(alice).get("/circles/new/")
    assert page.status_code == 403
    api = token_client_for(alice).post(
        "/api/circles",
        {"title": "Mine", "topic": "Mine.", "starts_at": "2099-01-01T10:00:00Z"},
        content_type=JSON,
    )
    assert api.status_code == 403 and "listener training" in api.json()["detail"]
    assert "Schedule a circle" not in client_for(alice).get("/circles/").content.decode()

    starts = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    created = token_client_for(moderator_kim).post(
        "/api/circles",
        {"title": "Night owls", "topic": "When sleep won't come.",
         "starts_at": starts.isoformat(), "duration_minutes": 45, "size_limit": 6},
        content_type=JSON,
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["you"] == "host" and created.json()["going"] == 0


def test_a_listener_below_the_hosting_level_is_told_what_is_left(guidelines):
    from tests.chat.conftest import make_listener

    listener = make_listener("new_lena", guidelines, present=False).user
    # Listeners carry every capability by role; a plain member with training would not.
    listener.role = Role.MEMBER
    listener.save(update_fields=["role"])
    response = client_for(listener).get("/circles/new/")
    assert response.status_code == 403
    assert "opens up once you reach" in response.content.decode()


def test_a_start_in_the_past_or_too_soon_is_refused_kindly(host_hana):
    soon = timezone.now() + timedelta(minutes=5)
    response = token_client_for(host_hana).post(
        "/api/circles",
        {"title": "Now", "topic": "Now.", "starts_at": soon.isoformat()},
        content_type=JSON,
    )
    assert response.status_code == 422 and "at least 15 minutes" in response.json()["detail"]
    assert not Circle.objects.exists()


# --- Signing up, the waiting list, moving up


def test_sign_ups_fill_the_places_then_the_waiting_list_moves_up_on_a_cancel(
    host_hana, alice, bob, carol
):
    circle = circle_of(host_hana, size_limit=2)
    for member in (alice, bob, carol):
        assert client_for(member).post(f"/circles/{circle.pk}/sign-up/").status_code == 302
    assert [status_of(circle, m) for m in (alice, bob, carol)] == ["going", "going", "waiting"]
    page = client_for(carol).get(f"/circles/{circle.pk}/").content.decode()
    assert "waiting list: number 1" in page

    client_for(bob).post(f"/circles/{circle.pk}/cancel/")
    assert status_of(circle, bob) == "cancelled" and status_of(circle, carol) == "going"
    told = Notification.objects.get(recipient=carol, kind=Notification.Kind.ROOM)
    assert "A place opened up" in told.message and told.link == f"/circles/{circle.pk}/"
    # Signing up again after cancelling: the circle is full now, so bob waits.
    client_for(bob).post(f"/circles/{circle.pk}/sign-up/")
    assert status_of(circle, bob) == "waiting"


def test_the_host_cannot_sign_up_to_their_own_circle(host_hana):
    circle = circle_of(host_hana)
    assert client_for(host_hana).post(f"/circles/{circle.pk}/sign-up/").status_code == 403


def test_the_api_lists_shows_signs_up_and_cancels(host_hana, alice, bob):
    circle = circle_of(host_hana, size_limit=1)
    api_alice, api_bob = token_client_for(alice), token_client_for(bob)
    listed = api_alice.get("/api/circles")
    assert listed.status_code == 200 and [c["id"] for c in listed.json()] == [circle.pk]
    assert api_alice.get(f"/api/circles/{circle.pk}").json()["you"] is None

    signed = api_alice.post(f"/api/circles/{circle.pk}/signup")
    assert signed.status_code == 200 and signed.json()["you"] == "going"
    waiting = api_bob.post(f"/api/circles/{circle.pk}/signup")
    assert waiting.json()["you"] == "waiting" and waiting.json()["waiting_position"] == 1
    assert waiting.json()["is_full"] is True

    cancelled = api_alice.post(f"/api/circles/{circle.pk}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["you"] is None
    assert api_bob.get(f"/api/circles/{circle.pk}").json()["you"] == "going"
    assert api_alice.post(f"/api/circles/{circle.pk}/cancel").status_code == 403


# --- The reminder


def test_the_reminder_goes_once_to_those_with_a_place_when_it_is_due(
    host_hana, alice, bob, carol, settings
):
    settings.HAVEN_CIRCLE_REMINDER_MINUTES_BEFORE = 60
    circle = circle_of(host_hana, in_minutes=90, size_limit=2)
    for member in (alice, bob, carol):
        circles.do_sign_up(circle, member)  # carol waits: no reminder for her
    assert circles.do_send_circle_reminders() == 0  # not due yet

    later = timezone.now() + timedelta(minutes=40)
    assert circles.do_send_circle_reminders(later) == 2
    assert circles.do_send_circle_reminders(later) == 0  # a second run sends nothing more
    reminded = Notification.objects.filter(kind=Notification.Kind.ROOM).order_by("recipient")
    assert sorted(n.recipient.pseudonym for n in reminded) == ["alice", "bob"]
    assert "starts in 50 minutes" in reminded[0].message
    assert CircleSignup.objects.filter(reminded_at__isnull=False).count() == 2


def test_the_reminder_job_is_on_the_schedule_and_runs(host_hana, alice, settings):
    from haven.jobs.schedule import PERIODIC_JOBS

    paths = {job.task_path for job in PERIODIC_JOBS}
    assert "haven.rooms.circle_tasks.send_circle_reminders" in paths
    assert "haven.rooms.circle_tasks.open_and_close_circle_rooms" in paths
    settings.HAVEN_CIRCLE_REMINDER_MINUTES_BEFORE = 60
    circles.do_sign_up(circle_of(host_hana, in_minutes=30), alice)
    assert circle_tasks.send_circle_reminders.call() == 1
    assert circle_tasks.send_circle_reminders.call() == 0


# --- The room: opening, joining, closing


def test_the_room_opens_shortly_before_the_start_with_the_host_and_the_size(
    host_hana, alice, settings
):
    settings.HAVEN_CIRCLE_OPENS_MINUTES_BEFORE = 10
    circle = circle_of(host_hana, in_minutes=30, size_limit=5, is_anonymous=True)
    circles.do_sign_up(circle, alice)
    assert circles.do_open_due_circles() == 0
    assert "The room opens 10 minutes before" in (
        client_for(alice).get(f"/circles/{circle.pk}/").content.decode()
    )

    at = timezone.now() + timedelta(minutes=21)
    assert circles.do_open_due_circles(at) == 1
    assert circles.do_open_due_circles(at) == 0  # once
    circle.refresh_from_db()
    room = circle.room
    assert (room.status, room.capacity, room.is_anonymous) == (Room.Status.OPEN, 5, True)
    assert RoomMember.objects.get(room=room, user=host_hana).role == RoomMember.Role.HOST
    assert Notification.objects.filter(recipient=alice, message__contains="is open").exists()

    page = client_for(alice).get(f"/circles/{circle.pk}/").content.decode()
    assert "Join the room" in page
    joined = client_for(alice).post(f"/circles/{circle.pk}/join/", {"accept_rules": "yes"})
    assert joined.status_code == 302 and joined.url == f"/rooms/{room.pk}/"
    assert RoomMember.objects.get(room=room, user=alice).role == RoomMember.Role.MEMBER

    after_end = circle.starts_at + timedelta(minutes=circle.duration_minutes, seconds=1)
    assert circles.do_close_finished_circles(after_end) == 1
    room.refresh_from_db()
    assert room.status == Room.Status.CLOSED


def test_places_in_a_full_circle_room_are_kept_for_those_signed_up(host_hana, alice, bob, carol):
    circle = circle_of(host_hana, in_minutes=5, size_limit=2)
    circles.do_sign_up(circle, alice)
    circles.do_sign_up(circle, bob)
    circles.do_open_due_circles()
    circle.refresh_from_db()
    # carol did not sign up: every place is kept, though nobody has come in yet.
    refused = client_for(carol).post(f"/circles/{circle.pk}/join/", {"accept_rules": "yes"})
    assert refused.status_code == 403
    # Nor through the room's own door, on the page or in the API.
    by_room = client_for(carol).post(f"/rooms/{circle.room_id}/join/", {"accept_rules": "yes"})
    assert by_room.status_code == 403
    by_api = token_client_for(carol).post(
        f"/api/rooms/{circle.room_id}/join", {"accept_rules": True}, content_type=JSON
    )
    assert by_api.status_code == 403 and "signed up" in by_api.json()["detail"]
    assert not RoomMember.objects.filter(user=carol).exists()
    # Both signed up get in, although the host's place makes the room "full" by count.
    for member in (alice, bob):
        response = token_client_for(member).post(
            f"/api/circles/{circle.pk}/join", {"accept_rules": True}, content_type=JSON
        )
        assert response.status_code == 200 and response.json() == {"room_id": circle.room_id}
    assert RoomMember.objects.filter(room=circle.room, left_at__isnull=True).count() == 3


def test_the_room_can_not_be_joined_before_it_opens(host_hana, alice):
    circle = circle_of(host_hana)
    circles.do_sign_up(circle, alice)
    response = client_for(alice).post(f"/circles/{circle.pk}/join/", {"accept_rules": "yes"})
    assert response.status_code == 403


def test_the_circles_page_shows_upcoming_circles_my_sign_ups_and_the_button_for_hosts(
    host_hana, alice
):
    circle = circle_of(host_hana, title="Grief circle")
    circles.do_sign_up(circle, alice)
    mine = client_for(alice).get("/circles/").content.decode()
    assert "Grief circle" in mine and "You have a place" in mine
    assert "Schedule a circle" in client_for(host_hana).get("/circles/").content.decode()


def test_the_demo_loader_adds_two_upcoming_circles_once(host_hana, guidelines):
    from haven.demo.management.commands.load_demo_data import load_demo_circles
    from tests.chat.conftest import make_listener

    other = make_listener("soft_landing", guidelines, present=False).user
    members = {"LanternKeeper": host_hana, "soft_landing": other}
    load_demo_circles(members)
    load_demo_circles(members)
    assert [c.starts_at > timezone.now() for c in Circle.objects.all()] == [True, True]
