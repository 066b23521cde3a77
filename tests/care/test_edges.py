"""Every page, API operation and socket that writes in professional care checks who is asking,
once, before the write: the actions behind them trust their callers. An outsider gets 404
(nothing to probe), a party who may not do this step gets 403."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.care.booking.actions import relationship_for
from haven.care.models import (
    Appointment,
    CareMessage,
    CareRelationship,
    SessionNote,
    TherapistProfile,
)
from haven.wellness.models import SafetyPlanShare
from tests.care.conftest import make_therapist
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def make_appointment(member, therapist, *, starts_in: timedelta = timedelta(days=3)):
    """Written directly, at a whole hour well ahead: the edges, not the slot rules, are tested."""
    starts_at = (timezone.now() + starts_in).replace(minute=0, second=0, microsecond=0)
    return Appointment.objects.create(
        therapist=therapist,
        member=member,
        relationship=relationship_for(member, therapist),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=therapist.session_minutes),
        format="video",
    )


def api_json(client, method: str, path: str, payload: dict | None = None):
    return getattr(client, method)(
        f"/api{path}", json.dumps(payload or {}), content_type="application/json"
    )


@pytest.fixture
def session(alice, therapist_tess) -> Appointment:
    return make_appointment(alice, therapist_tess)


def test_an_outsider_can_neither_cancel_nor_move_someone_elses_session(session, bob):
    client = client_for(bob)
    assert api_json(client, "post", f"/care/appointments/{session.pk}/cancel").status_code == 404
    moved = api_json(
        client,
        "post",
        f"/care/appointments/{session.pk}/reschedule",
        {"starts_at": (session.starts_at + timedelta(days=1)).isoformat()},
    )
    assert moved.status_code == 404
    assert client.post(f"/care/appointments/{session.pk}/cancel/").status_code == 404
    assert client.post(f"/care/appointments/{session.pk}/reschedule/").status_code == 404
    session.refresh_from_db()
    assert session.status == Appointment.Status.BOOKED


def test_the_api_refuses_a_move_by_the_therapist_and_a_cancel_too_late(session, therapist_tess):
    client = client_for(therapist_tess.user)
    moved = api_json(
        client,
        "post",
        f"/care/appointments/{session.pk}/reschedule",
        {"starts_at": (session.starts_at + timedelta(days=1)).isoformat()},
    )
    assert moved.status_code == 403 and "Only your client" in moved.json()["detail"]
    assert api_json(client, "post", f"/care/appointments/{session.pk}/cancel").status_code == 200
    again = api_json(client, "post", f"/care/appointments/{session.pk}/cancel")
    assert again.status_code == 403 and "already cancelled" in again.json()["detail"]
    under_way = make_appointment(session.member, therapist_tess, starts_in=timedelta(minutes=-10))
    late = api_json(client, "post", f"/care/appointments/{under_way.pk}/cancel")
    assert late.status_code == 403 and "already started" in late.json()["detail"]
    under_way.refresh_from_db()
    assert under_way.status == Appointment.Status.BOOKED


def test_the_api_refuses_booking_oneself_and_moving_to_a_therapist_no_longer_practising(
    session, alice, therapist_tess
):
    own = api_json(
        client_for(therapist_tess.user),
        "post",
        "/care/appointments",
        {"therapist_id": therapist_tess.pk, "starts_at": session.starts_at.isoformat()},
    )
    assert own.status_code == 403 and "yourself" in own.json()["detail"]
    therapist_tess.status = TherapistProfile.Status.PAUSED
    therapist_tess.save()
    moved = api_json(
        client_for(alice),
        "post",
        f"/care/appointments/{session.pk}/reschedule",
        {"starts_at": (session.starts_at + timedelta(days=1)).isoformat()},
    )
    assert moved.status_code == 403 and "not taking bookings" in moved.json()["detail"]
    assert Appointment.objects.count() == 1


def test_a_session_note_is_the_therapists_alone_in_the_api_and_on_the_page(session, alice, bob):
    for outsider in (alice, bob):
        client = client_for(outsider)
        path = f"/care/appointments/{session.pk}/note"
        assert client.get(f"/api{path}").status_code == 404
        assert api_json(client, "put", path, {"body": "mine now"}).status_code == 404
        assert client.post(f"{path}/", {"body": "mine now"}).status_code == 404
    assert not SessionNote.objects.exists()


def test_an_outsider_can_neither_read_nor_write_a_care_thread(session, bob):
    relationship = session.relationship
    client = client_for(bob)
    base = f"/care/relationships/{relationship.pk}"
    assert client.get(f"/api{base}/messages").status_code == 404
    assert api_json(client, "post", f"{base}/messages", {"body": "hello"}).status_code == 404
    assert api_json(client, "post", f"{base}/read").status_code == 404
    assert client.post(f"/care/messages/{relationship.pk}/", {"body": "hello"}).status_code == 404
    assert not CareMessage.objects.exists()


def test_an_ended_relationship_takes_no_new_message_through_the_api(session, alice):
    CareRelationship.objects.filter(pk=session.relationship_id).update(
        status=CareRelationship.Status.ENDED
    )
    sent = api_json(
        client_for(alice),
        "post",
        f"/care/relationships/{session.relationship_id}/messages",
        {"body": "hello"},
    )
    assert sent.status_code == 403 and "has ended" in sent.json()["detail"]


def test_only_the_member_says_where_they_are_for_a_session(session, therapist_tess, bob):
    path = f"/care/appointments/{session.pk}/location"
    for other in (therapist_tess.user, bob):
        assert api_json(client_for(other), "put", path, {"country": "GB"}).status_code == 404
    session.refresh_from_db()
    assert session.member_location == ""


def test_the_api_refuses_choosing_oneself_as_therapist(therapist_tess):
    chosen = client_for(therapist_tess.user).post(f"/api/care/matches/{therapist_tess.pk}/choose")
    assert chosen.status_code == 403 and "yourself" in chosen.json()["detail"]
    assert not CareRelationship.objects.exists()


def test_only_the_member_shares_their_safety_plan_with_their_therapist(
    session, therapist_tess, bob
):
    path = f"/safety-plan/share/therapist/{session.relationship_id}/"
    assert client_for(therapist_tess.user).post(path).status_code == 404
    assert client_for(bob).post(path).status_code == 404
    assert not SafetyPlanShare.objects.exists()


def test_a_summary_is_shared_only_with_one_of_the_members_own_therapists(
    session, alice, guidelines
):
    from haven.care.models import Handoff

    handoff = Handoff.objects.create(member=alice, summary="Finds evenings hard.")
    someone_elses = relationship_for(
        make_therapist("therapist_bea", guidelines).user, make_therapist("therapist_cy", guidelines)
    )
    client_for(alice).post(
        f"/care/handoffs/{handoff.pk}/consent/", {"relationship": someone_elses.pk}
    )
    handoff.refresh_from_db()
    assert handoff.consented_at is None and handoff.therapist is None
