"""Telehealth: consent and location before a session, when a room is open and to whom, and the
room's socket (signalling relayed between the two participants only, nothing stored)."""

import json
from datetime import UTC, timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from haven.accounts.models import Role
from haven.care.booking.actions import relationship_for
from haven.care.models import Appointment, CareMessage, SessionFormat, TelehealthConsent
from haven.care.telehealth import consent as consent_text
from haven.care.telehealth import consumers
from haven.care.telehealth.actions import do_confirm_location, do_give_consent
from haven.care.telehealth.location import location_code
from haven.care.telehealth.permissions import check_can_prepare_session
from haven.care.telehealth.room import (
    RoomStatus,
    room_closes_at,
    room_opens_at,
    room_status,
)
from haven.chat.models import ChatMessage
from haven.core.realtime import CLOSE_NOT_SIGNED_IN, CLOSE_REFUSED, CLOSE_REPLACED
from haven.routing import websocket_urlpatterns
from tests.care.conftest import make_therapist
from tests.conftest import client_for, make_member

application = URLRouter(websocket_urlpatterns)


def make_appointment(
    member,
    therapist,
    *,
    starts_in: timedelta = timedelta(minutes=5),
    minutes: int = 50,
    format: str = SessionFormat.VIDEO,
    status: str = Appointment.Status.BOOKED,
) -> Appointment:
    # Created directly: the booking notice period would not allow a session five minutes away.
    starts_at = timezone.now() + starts_in
    return Appointment.objects.create(
        therapist=therapist,
        member=member,
        relationship=relationship_for(member, therapist),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        format=format,
        status=status,
    )


def prepare(appointment: Appointment, location: str = "GB") -> Appointment:
    """The member has consented and said where they are."""
    do_give_consent(appointment.member, consent_text.CONSENT_VERSION)
    return do_confirm_location(appointment, appointment.member, location)


def move(appointment: Appointment, starts_in: timedelta, **fields) -> Appointment:
    """Shift a prepared appointment in time (location can't be confirmed for a past one)."""
    length = appointment.ends_at - appointment.starts_at
    starts_at = timezone.now() + starts_in
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=starts_at, ends_at=starts_at + length, **fields
    )
    appointment.refresh_from_db()
    return appointment


@pytest.fixture
def appointment(alice, therapist_tess) -> Appointment:
    return make_appointment(alice, therapist_tess)


@pytest.fixture
def ready(appointment) -> Appointment:
    return prepare(appointment)


def room_url(appointment: Appointment) -> str:
    return f"/care/appointments/{appointment.pk}/room/"


def consent_url(appointment: Appointment) -> str:
    return f"/care/appointments/{appointment.pk}/consent/"


# --- Room window rules


@pytest.mark.django_db
def test_the_room_opens_before_the_session_and_closes_after_it(ready, settings):
    settings.HAVEN_ROOM_OPENS_MINUTES = 10
    settings.HAVEN_ROOM_CLOSES_MINUTES = 30
    second = timedelta(seconds=1)
    opens = ready.starts_at - timedelta(minutes=10)
    closes = ready.ends_at + timedelta(minutes=30)
    assert room_opens_at(ready) == opens
    assert room_closes_at(ready) == closes
    assert room_status(ready, opens - second) == RoomStatus.NOT_YET_OPEN
    assert room_status(ready, opens) == RoomStatus.OPEN
    assert room_status(ready, ready.ends_at) == RoomStatus.OPEN
    assert room_status(ready, closes - second) == RoomStatus.OPEN
    assert room_status(ready, closes) == RoomStatus.CLOSED
    # The window follows the settings.
    settings.HAVEN_ROOM_OPENS_MINUTES = 20
    assert room_status(ready, opens - second) == RoomStatus.OPEN


@pytest.mark.django_db
def test_cancelled_and_completed_appointments_have_no_open_room(ready):
    inside = ready.starts_at
    for status in (Appointment.Status.CANCELLED, Appointment.Status.COMPLETED):
        ready.status = status
        assert room_status(ready, inside) == RoomStatus.CLOSED


@pytest.mark.django_db
def test_the_room_page_before_opening_says_when_it_opens(alice, therapist_tess):
    appointment = prepare(make_appointment(alice, therapist_tess, starts_in=timedelta(hours=2)))
    response = client_for(alice).get(room_url(appointment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The room isn't open yet" in page
    opens = (appointment.starts_at - timedelta(minutes=10)).astimezone(UTC)
    assert f"It opens at <strong>{opens:%H:%M}</strong>" in page
    assert 'id="room-config"' not in page and "room-ice-servers" not in page


@pytest.mark.django_db
def test_the_room_page_after_closing_and_for_a_cancelled_session(alice, therapist_tess):
    past = move(prepare(make_appointment(alice, therapist_tess)), timedelta(hours=-2))
    cancelled = prepare(make_appointment(alice, therapist_tess, starts_in=timedelta(hours=3)))
    Appointment.objects.filter(pk=cancelled.pk).update(status=Appointment.Status.CANCELLED)
    client = client_for(alice)
    ended = client.get(room_url(past)).content.decode()
    assert "This session has ended" in ended and 'id="room-config"' not in ended
    page = client.get(room_url(cancelled)).content.decode()
    assert "This session was cancelled" in page and 'id="room-config"' not in page


@pytest.mark.django_db
def test_the_open_room_page_carries_the_call_for_both_participants(ready, therapist_tess, settings):
    settings.HAVEN_STUN_URLS = ["stun:stun.example.org:3478"]
    settings.HAVEN_TURN_URLS = ["turn:turn.example.org:3478"]
    settings.HAVEN_TURN_USERNAME = "haven"
    settings.HAVEN_TURN_PASSWORD = "s3cret"
    for user, role, polite in (
        (ready.member, "member", True),
        (therapist_tess.user, "therapist", False),
    ):
        response = client_for(user).get(room_url(ready))
        assert response.status_code == 200
        config = json.loads(_json_script(response, "room-config"))
        assert config["role"] == role and config["polite"] is polite
        assert config["socket"] == f"/ws/care/rooms/{ready.pk}/"
        assert json.loads(_json_script(response, "room-ice-servers")) == [
            {"urls": ["stun:stun.example.org:3478"]},
            {"urls": ["turn:turn.example.org:3478"], "username": "haven", "credential": "s3cret"},
        ]
    page = client_for(ready.member).get(room_url(ready)).content.decode()
    assert "Your therapist will join you here." in page
    assert "If the video drops, you can keep talking by text below." in page


def _json_script(response, element_id: str) -> str:
    page = response.content.decode()
    start = page.index(f'<script id="{element_id}" type="application/json">')
    start = page.index(">", start) + 1
    return page[start : page.index("</script>", start)]


@pytest.mark.django_db
def test_a_messaging_appointment_has_no_video_room(alice, therapist_tess):
    appointment = make_appointment(alice, therapist_tess, format=SessionFormat.MESSAGING)
    do_give_consent(alice, consent_text.CONSENT_VERSION)
    client = client_for(alice)
    assert client.get(room_url(appointment)).status_code == 404
    assert client.get(consent_url(appointment)).status_code == 404
    assert client.get(f"/api/care/appointments/{appointment.pk}/room").status_code == 404
    assert client_for(therapist_tess.user).get(room_url(appointment)).status_code == 404
    with pytest.raises(Http404):
        check_can_prepare_session(alice, appointment)


# --- Consent and location


@pytest.mark.django_db
def test_the_member_gives_consent_and_their_location_before_the_first_session(appointment, alice):
    client = client_for(alice)
    response = client.get(room_url(appointment))
    assert response.status_code == 302 and response["Location"] == consent_url(appointment)
    page = client.get(consent_url(appointment)).content.decode()
    for section in consent_text.CONSENT_SECTIONS:
        assert section.title.replace("'", "&#x27;") in page
    # Without ticking the box nothing is stored and the room stays shut.
    response = client.post(
        consent_url(appointment), {"version": consent_text.CONSENT_VERSION, "country": "GB"}
    )
    assert response.status_code == 400
    assert not TelehealthConsent.objects.filter(member=alice).exists()
    response = client.post(
        consent_url(appointment),
        {
            "agree": "on",
            "version": consent_text.CONSENT_VERSION,
            "country": "GB",
            "region": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == room_url(appointment)
    consent = TelehealthConsent.objects.get(member=alice)
    assert consent.version == consent_text.CONSENT_VERSION
    appointment.refresh_from_db()
    assert appointment.member_location == "GB"
    assert timezone.now() - appointment.location_confirmed_at < timedelta(minutes=1)
    assert client.get(room_url(appointment)).status_code == 200


@pytest.mark.django_db
def test_later_sessions_ask_only_where_the_member_is_until_the_text_changes(
    ready, alice, guidelines, monkeypatch
):
    # Another therapist: two booked sessions of one therapist cannot overlap (PostgreSQL).
    later = make_appointment(
        alice, make_therapist("therapist_uma", guidelines), starts_in=timedelta(minutes=2)
    )
    client = client_for(alice)
    assert client.get(room_url(later))["Location"] == consent_url(later)
    page = client.get(consent_url(later)).content.decode()
    assert "How video sessions work" not in page
    assert 'value="GB" selected' in page  # offered again from last time, not assumed
    response = client.post(consent_url(later), {"country": "GB", "region": "GB-SCT"})
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.member_location == "GB-SCT"  # a country licence covers its regions
    # A new version of the consent text asks again.
    monkeypatch.setattr(consent_text, "CONSENT_VERSION", consent_text.CONSENT_VERSION + 1)
    assert client.get(room_url(later))["Location"] == consent_url(later)
    assert "How video sessions work" in client.get(consent_url(later)).content.decode()
    with pytest.raises(ValidationError):
        do_give_consent(alice, consent_text.CONSENT_VERSION - 1)


@pytest.mark.django_db
def test_a_place_where_the_therapist_is_not_licensed_is_refused_plainly(appointment, alice):
    client = client_for(alice)
    response = client.post(
        consent_url(appointment),
        {"agree": "on", "version": consent_text.CONSENT_VERSION, "country": "FR"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is licensed to hold sessions with people in United Kingdom" in page
    assert "while you&#x27;re in France" in page
    appointment.refresh_from_db()
    assert appointment.member_location == "" and appointment.location_confirmed_at is None
    assert not TelehealthConsent.objects.filter(member=alice).exists()  # both or neither
    response = client.post(
        consent_url(appointment),
        {
            "agree": "on",
            "version": consent_text.CONSENT_VERSION,
            "country": "GB",
            "region": "x!",
        },
    )
    assert response.status_code == 400
    assert "Please choose a state or region from the list" in response.content.decode()


@pytest.mark.django_db
def test_a_state_licence_needs_the_member_to_name_the_state(alice, guidelines):
    therapist = make_therapist("therapist_sam", guidelines, jurisdiction="US-CA")
    appointment = make_appointment(alice, therapist)
    with pytest.raises(ValidationError):
        do_confirm_location(appointment, alice, location_code("US"))
    do_confirm_location(appointment, alice, location_code("us", "ca"))
    appointment.refresh_from_db()
    assert appointment.member_location == "US-CA"


# --- Only the two participants


@pytest.mark.django_db
def test_nobody_but_the_two_participants_reaches_the_room(ready, bob, moderator_kim, guidelines):
    admin = make_member("admin_ada", guidelines, role=Role.ADMIN)
    other_therapist = make_therapist("therapist_theo", guidelines)
    for outsider in (bob, moderator_kim, admin, other_therapist.user):
        client = client_for(outsider)
        assert client.get(room_url(ready)).status_code == 404
        assert client.get(consent_url(ready)).status_code == 404
        assert client.get(f"/api/care/appointments/{ready.pk}/room").status_code == 404
        response = client.put(
            f"/api/care/appointments/{ready.pk}/location",
            {"country": "GB"},
            content_type="application/json",
        )
        assert response.status_code == 404
    # The therapist prepares nothing for the member.
    assert client_for(ready.therapist.user).get(consent_url(ready)).status_code == 404


@pytest.mark.django_db
def test_the_room_api_tells_participants_whether_it_is_open(ready, alice, therapist_tess, settings):
    settings.HAVEN_STUN_URLS = ["stun:stun.example.org:3478"]
    data = client_for(therapist_tess.user).get(f"/api/care/appointments/{ready.pk}/room").json()
    assert data["status"] == "open" and data["open"] is True and data["role"] == "therapist"
    assert data["ice_servers"] == [
        {"urls": ["stun:stun.example.org:3478"], "username": None, "credential": None}
    ]
    assert data["websocket"] == f"/ws/care/rooms/{ready.pk}/"
    later = make_appointment(alice, therapist_tess, starts_in=timedelta(days=1))
    client = client_for(alice)
    data = client.get(f"/api/care/appointments/{later.pk}/room").json()
    assert data["status"] == "not_yet_open" and data["open"] is False
    assert data["ice_servers"] == []  # the TURN password only while the room is open
    assert data["location_needed"] is True and data["consent_needed"] is False
    response = client.put(
        f"/api/care/appointments/{later.pk}/location",
        {"country": "GB"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["member_location"] == "GB"


@pytest.mark.django_db
def test_consent_through_the_api(bob):
    client = client_for(bob)
    data = client.get("/api/care/telehealth/consent").json()
    assert data["given_at"] is None and len(data["sections"]) == 4
    stale = client.post(
        "/api/care/telehealth/consent",
        {"version": data["version"] + 1},
        content_type="application/json",
    )
    assert stale.status_code == 422 and not TelehealthConsent.objects.filter(member=bob).exists()
    response = client.post(
        "/api/care/telehealth/consent",
        {"version": data["version"]},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["given_at"]
    assert TelehealthConsent.objects.filter(member=bob, version=data["version"]).count() == 1


# --- The socket


def session_of(user, *, second_factor: bool = True) -> SessionStore:
    """The session a browser would carry, with or without a passed second factor."""
    key = client_for(user, second_factor=second_factor).session.session_key
    return SessionStore(session_key=key)


async def join(user, appointment, session=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/care/rooms/{appointment.pk}/")
    communicator.scope["user"] = user
    if session is not None:
        communicator.scope["session"] = session
    connected, _ = await communicator.connect()
    assert connected
    welcome = await communicator.receive_json_from(timeout=5)
    assert welcome["type"] == "welcome", welcome
    return communicator


async def refused(user, appointment_id: int, session=None) -> tuple[int, str]:
    """Close code and reason of a socket the room turns away. It is accepted first so that the
    browser can read the code (a refused handshake only ever shows as 1006)."""
    communicator = WebsocketCommunicator(application, f"/ws/care/rooms/{appointment_id}/")
    communicator.scope["user"] = user
    if session is not None:
        communicator.scope["session"] = session
    await communicator.connect()
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    return output["code"], output.get("reason", "")


@pytest.fixture
def tess_session(therapist_tess) -> SessionStore:
    return session_of(therapist_tess.user)


@pytest.mark.django_db(transaction=True)
async def test_only_the_two_participants_may_open_the_socket(
    ready, alice, bob, moderator_kim, therapist_tess, tess_session, guidelines
):
    admin = await sync_to_async(make_member)("admin_ada", guidelines, role=Role.ADMIN)
    assert await refused(AnonymousUser(), ready.pk) == (CLOSE_NOT_SIGNED_IN, "Please sign in.")
    for outsider in (bob, moderator_kim, admin):
        session = await sync_to_async(session_of)(outsider)
        assert await refused(outsider, ready.pk, session) == (CLOSE_REFUSED, "No such room.")
    assert (await refused(alice, 999_999))[0] == CLOSE_REFUSED
    member = await join(alice, ready)
    therapist = await join(therapist_tess.user, ready, tess_session)
    await member.disconnect()
    await therapist.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_therapist_needs_two_factor_on_the_socket(ready, therapist_tess):
    without = await sync_to_async(session_of)(therapist_tess.user, second_factor=False)
    code, reason = await refused(therapist_tess.user, ready.pk, without)
    assert code == CLOSE_REFUSED and "two-factor" in reason
    assert (await refused(therapist_tess.user, ready.pk))[0] == CLOSE_REFUSED  # no session
    therapist = await join(
        therapist_tess.user, ready, await sync_to_async(session_of)(therapist_tess.user)
    )
    await therapist.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_socket_is_refused_outside_the_window_and_without_consent(alice, bob, guidelines):
    def setup():
        # One therapist each: a therapist's booked sessions cannot overlap (PostgreSQL).
        t = [make_therapist(f"therapist_{n}", guidelines) for n in range(7)]
        early = prepare(make_appointment(alice, t[0], starts_in=timedelta(minutes=11)))
        # Fifty minutes long: closes thirty minutes after its end, a minute ago.
        late = move(prepare(make_appointment(alice, t[1])), timedelta(minutes=-81))
        cancelled = move(
            prepare(make_appointment(alice, t[2], starts_in=timedelta(hours=5))),
            timedelta(0),
            status=Appointment.Status.CANCELLED,
        )
        messaging = make_appointment(alice, t[3], format=SessionFormat.MESSAGING)
        no_consent = make_appointment(bob, t[4])
        no_location = make_appointment(alice, t[5], starts_in=timedelta(minutes=1))
        open_room = prepare(make_appointment(alice, t[6], starts_in=timedelta(minutes=9)))
        return early, late, cancelled, messaging, no_consent, no_location, open_room

    early, late, cancelled, messaging, no_consent, no_location, open_room = await sync_to_async(
        setup
    )()
    assert await refused(alice, early.pk) == (CLOSE_REFUSED, "The room isn't open yet.")
    assert await refused(alice, late.pk) == (CLOSE_REFUSED, "The room is closed.")
    assert await refused(alice, cancelled.pk) == (CLOSE_REFUSED, "The room is closed.")
    assert (await refused(alice, messaging.pk))[0] == CLOSE_REFUSED
    code, reason = await refused(bob, no_consent.pk)
    assert code == CLOSE_REFUSED and "consent" in reason
    code, reason = await refused(alice, no_location.pk)
    assert code == CLOSE_REFUSED and "where you are" in reason
    member = await join(alice, open_room)  # nine minutes ahead: inside the ten-minute window
    await member.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_presence_shows_who_is_waiting_and_who_is_in_the_call(
    ready, alice, therapist_tess, tess_session
):
    member = await join(alice, ready)
    therapist = await join(therapist_tess.user, ready, tess_session)
    # Each learns the other is here: the newcomer from the reply, the other from the hello.
    assert await member.receive_json_from(timeout=5) == {
        "type": "presence",
        "who": "therapist",
        "state": "waiting",
    }
    assert await therapist.receive_json_from(timeout=5) == {
        "type": "presence",
        "who": "member",
        "state": "waiting",
    }
    await member.send_json_to({"type": "join"})
    assert (await therapist.receive_json_from(timeout=5))["state"] == "in_call"
    await therapist.send_json_to({"type": "join"})
    assert (await member.receive_json_from(timeout=5))["state"] == "in_call"
    await therapist.send_json_to({"type": "leave"})
    assert (await member.receive_json_from(timeout=5))["state"] == "waiting"
    await therapist.disconnect()
    assert (await member.receive_json_from(timeout=5))["state"] == "gone"
    assert await member.receive_nothing(timeout=0.2)
    await member.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_signalling_is_relayed_to_the_other_side_only(
    ready, alice, therapist_tess, tess_session
):
    member = await join(alice, ready)
    therapist = await join(therapist_tess.user, ready, tess_session)
    await member.receive_json_from(timeout=5)  # presence
    await therapist.receive_json_from(timeout=5)
    offer = {
        "type": "description",
        "session": "m-1",
        "description": {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"},
    }
    await member.send_json_to({**offer, "extra": "dropped"})
    assert await therapist.receive_json_from(timeout=5) == offer
    answer = {
        "type": "description",
        "session": "t-1",
        "description": {"type": "answer", "sdp": "v=0\r\n", "unknown": 1},
    }
    await therapist.send_json_to(answer)
    relayed = await member.receive_json_from(timeout=5)
    assert relayed["description"] == {"type": "answer", "sdp": "v=0\r\n"}
    candidate = {
        "type": "candidate",
        "session": "m-1",
        "candidate": {
            "candidate": "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host",
            "sdpMid": "0",
            "sdpMLineIndex": 0,
            "usernameFragment": "abcd",
        },
    }
    await member.send_json_to(candidate)
    assert await therapist.receive_json_from(timeout=5) == candidate
    await member.send_json_to({"type": "candidate", "session": "m-1", "candidate": None})
    assert (await therapist.receive_json_from(timeout=5))["candidate"] is None
    await member.send_json_to({"type": "media", "audio": False, "video": True})
    assert await therapist.receive_json_from(timeout=5) == {
        "type": "media",
        "audio": False,
        "video": True,
    }
    # Nothing comes back to the sender.
    assert await member.receive_nothing(timeout=0.3)
    assert await therapist.receive_nothing(timeout=0.1)
    await member.disconnect()
    await therapist.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_invalid_frames_are_refused_and_never_relayed(
    ready, alice, therapist_tess, tess_session
):
    member = await join(alice, ready)
    therapist = await join(therapist_tess.user, ready, tess_session)
    await member.receive_json_from(timeout=5)
    await therapist.receive_json_from(timeout=5)
    sdp = {"type": "offer", "sdp": "v=0\r\n"}
    bad_frames = [
        ({"type": "record", "body": "please"}, "unknown"),
        (["not", "an", "object"], "invalid"),
        ({"type": "description", "session": "m-1", "description": {"type": "rollback"}}, "invalid"),
        ({"type": "description", "session": "no spaces!", "description": sdp}, "invalid"),
        ({"type": "description", "description": sdp}, "invalid"),
        (
            {
                "type": "description",
                "session": "m-1",
                "description": {"type": "offer", "sdp": "a" * (consumers.MAX_SDP_CHARS + 1)},
            },
            "too_large",
        ),
        ({"type": "candidate", "session": "m-1"}, "invalid"),
        (
            {
                "type": "candidate",
                "session": "m-1",
                "candidate": {"candidate": "c", "sdpMLineIndex": "0"},
            },
            "invalid",
        ),
        ({"type": "candidate", "session": "m-1", "candidate": {"candidate": 5}}, "invalid"),
        ({"type": "media", "audio": "yes", "video": True}, "invalid"),
        ({"type": "chat", "body": "   "}, "invalid"),
        ({"type": "chat", "body": "x" * (consumers.CHAT_MAX_LENGTH + 1)}, "invalid"),
        ({"type": "chat", "body": "hi\x00"}, "invalid"),
        ({"type": "chat", "body": 42}, "invalid"),
    ]
    for frame, code in bad_frames:
        await member.send_json_to(frame)
        error = await member.receive_json_from(timeout=5)
        assert (error["type"], error["code"]) == ("error", code), (frame, error)
    await member.send_to(text_data="{not json")
    assert (await member.receive_json_from(timeout=5))["code"] == "invalid"
    await member.send_to(bytes_data=b"\x00\x01")
    assert (await member.receive_json_from(timeout=5))["code"] == "invalid"
    await member.send_to(text_data=json.dumps({"type": "chat", "body": "x" * 70_000}))
    assert (await member.receive_json_from(timeout=5))["code"] == "too_large"
    assert await therapist.receive_nothing(timeout=0.3)
    # The socket stays open for good frames after bad ones.
    await member.send_json_to({"type": "media", "audio": True, "video": True})
    assert (await therapist.receive_json_from(timeout=5))["type"] == "media"
    await member.disconnect()
    await therapist.disconnect()


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db(transaction=True)
async def test_the_text_chat_is_relayed_and_not_stored_anywhere(
    ready, alice, therapist_tess, tess_session
):
    member = await join(alice, ready)
    therapist = await join(therapist_tess.user, ready, tess_session)
    await member.receive_json_from(timeout=5)
    await therapist.receive_json_from(timeout=5)
    before = await sync_to_async(_row_counts)()
    assert before["care.CareMessage"] == await sync_to_async(CareMessage.objects.count)() == 0
    await member.send_json_to(
        {"type": "chat", "id": "c1", "body": "My video froze, can you read me?"}
    )
    assert await member.receive_json_from(timeout=5) == {
        "type": "sent",
        "id": "c1",
        "delivered": True,
    }
    relayed = await therapist.receive_json_from(timeout=5)
    assert relayed["type"] == "chat" and relayed["who"] == "member"
    assert relayed["body"] == "My video froze, can you read me?"
    await therapist.send_json_to({"type": "chat", "id": "t1", "body": "Yes, I'm here."})
    assert (await therapist.receive_json_from(timeout=5))["delivered"] is True
    assert (await member.receive_json_from(timeout=5))["body"] == "Yes, I'm here."
    # No new row in any table: not a care message, not a chat message, nothing.
    after = await sync_to_async(_row_counts)()
    assert after == before
    assert await sync_to_async(ChatMessage.objects.count)() == 0
    # Alone in the room, the sender is told nobody received it.
    await therapist.disconnect()
    await member.receive_json_from(timeout=5)  # presence: gone
    await member.send_json_to({"type": "chat", "id": "c2", "body": "Hello?"})
    assert await member.receive_json_from(timeout=5) == {
        "type": "sent",
        "id": "c2",
        "delivered": False,
    }
    await member.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_opening_the_room_again_replaces_the_older_window(
    ready, alice, therapist_tess, tess_session
):
    therapist = await join(therapist_tess.user, ready, tess_session)
    first = await join(alice, ready)
    await first.receive_json_from(timeout=5)  # the therapist is here
    assert (await therapist.receive_json_from(timeout=5))["state"] == "waiting"
    second = await join(alice, ready)
    assert (await first.receive_json_from(timeout=5))["type"] == "closing"
    closed = await first.receive_output(timeout=5)
    assert closed == {
        "type": "websocket.close",
        "code": CLOSE_REPLACED,
        "reason": "Opened somewhere else.",
    }
    assert (await second.receive_json_from(timeout=5))["who"] == "therapist"
    presence = await therapist.receive_json_from(timeout=5)  # the new window's hello
    assert presence == {"type": "presence", "who": "member", "state": "waiting"}
    # The old window goes: the therapist still sees the member waiting, not "gone".
    await first.disconnect()
    assert await therapist.receive_nothing(timeout=0.3)
    await second.send_json_to({"type": "chat", "id": "n", "body": "It's me, in a new tab."})
    assert (await therapist.receive_json_from(timeout=5))["body"] == "It's me, in a new tab."
    await second.disconnect()
    await therapist.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_socket_closes_when_the_room_closes(alice, therapist_tess, settings):
    settings.HAVEN_ROOM_CLOSES_MINUTES = 0

    def ending_soon():
        appointment = prepare(make_appointment(alice, therapist_tess))
        Appointment.objects.filter(pk=appointment.pk).update(
            starts_at=timezone.now() - timedelta(minutes=50),
            ends_at=timezone.now() + timedelta(seconds=1.5),
        )
        appointment.refresh_from_db()
        return appointment

    appointment = await sync_to_async(ending_soon)()
    member = await join(alice, appointment)
    closing = await member.receive_json_from(timeout=5)
    assert closing["type"] == "closing"
    assert (await member.receive_output(timeout=5))["code"] == CLOSE_REFUSED


@pytest.mark.django_db(transaction=True)
async def test_cancelling_closes_an_open_room(ready, alice, monkeypatch):
    monkeypatch.setattr(consumers, "RECHECK_SECONDS", 0.2)
    member = await join(alice, ready)
    await sync_to_async(Appointment.objects.filter(pk=ready.pk).update)(
        status=Appointment.Status.CANCELLED
    )
    assert (await member.receive_json_from(timeout=5))["type"] == "closing"
    assert (await member.receive_output(timeout=5))["code"] == CLOSE_REFUSED


@pytest.mark.django_db(transaction=True)
async def test_a_flood_of_frames_is_cut_short(
    ready, alice, therapist_tess, tess_session, monkeypatch
):
    monkeypatch.setattr(consumers, "FRAMES_PER_WINDOW", 5)
    member = await join(alice, ready)
    therapist = await join(therapist_tess.user, ready, tess_session)
    await member.receive_json_from(timeout=5)
    await therapist.receive_json_from(timeout=5)
    for _ in range(8):
        await member.send_json_to({"type": "media", "audio": True, "video": True})
    relayed = 0
    while not await therapist.receive_nothing(timeout=0.3):
        relayed += (await therapist.receive_json_from(timeout=1))["type"] == "media"
    assert relayed == 5
    error = await member.receive_json_from(timeout=5)
    assert error["code"] == "too_many"
    assert await member.receive_nothing(timeout=0.2)  # told once, not for every dropped frame
    await member.disconnect()
    await therapist.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_member_banned_during_the_session_is_taken_out_of_the_room(
    ready, alice, therapist_tess, tess_session, moderator_kim
):
    from haven.moderation.actions import do_sanction
    from haven.notifications.sockets import CLOSE_SIGNED_OUT

    member = await join(alice, ready)
    therapist = await join(therapist_tess.user, ready, tess_session)
    await member.receive_json_from(timeout=5)
    await therapist.receive_json_from(timeout=5)
    await sync_to_async(do_sanction)(
        alice, "ban", moderator=moderator_kim, reason="Threats to other members."
    )
    assert (await member.receive_json_from(timeout=5))["type"] == "closing"
    closed = await member.receive_output(timeout=5)
    assert (closed["type"], closed["code"]) == ("websocket.close", CLOSE_SIGNED_OUT)
    await member.disconnect()  # the browser's side of the close
    assert await therapist.receive_json_from(timeout=5) == {
        "type": "presence",
        "who": "member",
        "state": "gone",
    }
    await therapist.disconnect()
