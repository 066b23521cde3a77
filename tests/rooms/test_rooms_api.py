"""The rooms API: every operation answers 2xx for who may use it, and refuses the rest with the
same words as the pages. Retries with the same client_id are answered with the stored message."""

import pytest

from haven.moderation.models import QueueItem
from haven.rooms.models import Room, RoomMember, RoomMessage
from haven.safety.resources import load_crisis_resources
from tests.conftest import client_for, token_client_for
from tests.rooms.conftest import CRISIS_WORDS

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_host_starts_a_room_and_a_member_joins_reads_and_writes(host_hana, carol, anxiety):
    host = client_for(host_hana)
    created = host.post(
        "/api/rooms",
        {"title": "Quiet hour", "topic": "Sit with it together.", "rules": "Be kind.",
         "community": "anxiety", "is_anonymous": False},
        content_type=JSON,
    )  # fmt: skip
    assert created.status_code == 201
    room_id = created.json()["id"]
    assert created.json()["you"]["host"] is True and created.json()["community"] == "anxiety"

    member = token_client_for(carol)
    listed = member.get("/api/rooms")
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [room_id]
    before = member.get(f"/api/rooms/{room_id}").json()
    assert before["you"] is None and before["member_list"] == [] and before["rules"] == "Be kind."
    assert member.get(f"/api/rooms/{room_id}/messages").status_code == 403  # rules first
    refused = member.post(f"/api/rooms/{room_id}/join", {}, content_type=JSON)
    assert refused.status_code == 422
    joined = member.post(f"/api/rooms/{room_id}/join", {"accept_rules": True}, content_type=JSON)
    assert joined.status_code == 200 and joined.json()["you"]["name"] == "carol"

    sent = member.post(
        f"/api/rooms/{room_id}/messages", {"body": "Hi everyone.", "client_id": "k1"},
        content_type=JSON,
    )  # fmt: skip
    assert sent.status_code == 201 and sent.json()["mine"] and sent.json()["support"] is None
    retry = member.post(
        f"/api/rooms/{room_id}/messages", {"body": "Hi everyone.", "client_id": "k1"},
        content_type=JSON,
    )  # fmt: skip
    assert retry.status_code == 200 and retry.json()["id"] == sent.json()["id"]
    assert RoomMessage.objects.filter(room_id=room_id).count() == 1
    after = host.get(f"/api/rooms/{room_id}/messages?after=0").json()
    assert [m["body"] for m in after] == ["Hi everyone."] and after[0]["author"] == "carol"
    assert host.get(f"/api/rooms/{room_id}/messages?after={sent.json()['id']}").json() == []

    assert member.post(f"/api/rooms/{room_id}/leave").status_code == 204
    assert RoomMember.objects.get(room_id=room_id, user=carol).left_at is not None


def test_host_tools_through_the_api(room, host_hana, alice, bob):
    host = client_for(host_hana)
    alice_place = RoomMember.objects.get(room=room, user=alice)
    bob_place = RoomMember.objects.get(room=room, user=bob)
    muted = host.post(
        f"/api/rooms/{room.pk}/members/{alice_place.pk}/mute", {"minutes": 5}, content_type=JSON
    )
    assert muted.status_code == 200 and muted.json()["muted"] is True
    paused = client_for(alice).post(
        f"/api/rooms/{room.pk}/messages", {"body": "hello"}, content_type=JSON
    )
    assert paused.status_code == 403 and paused.json()["code"] == "muted"
    wrong = host.post(
        f"/api/rooms/{room.pk}/members/{alice_place.pk}/mute", {"minutes": 7}, content_type=JSON
    )
    assert wrong.status_code == 422
    slow = host.put(f"/api/rooms/{room.pk}/slow-mode", {"seconds": 60}, content_type=JSON)
    assert slow.status_code == 200 and slow.json()["slow_mode_seconds"] == 60
    bob_client = client_for(bob)
    first = bob_client.post(f"/api/rooms/{room.pk}/messages", {"body": "one"}, content_type=JSON)
    assert first.status_code == 201
    second = bob_client.post(f"/api/rooms/{room.pk}/messages", {"body": "two"}, content_type=JSON)
    assert second.status_code == 403 and second.json()["code"] == "slow_mode"
    pinned = host.put(
        f"/api/rooms/{room.pk}/pin", {"message_id": first.json()["id"]}, content_type=JSON
    )
    assert pinned.status_code == 200 and pinned.json()["pinned"]["body"] == "one"
    unpinned = host.put(f"/api/rooms/{room.pk}/pin", {"message_id": None}, content_type=JSON)
    assert unpinned.json()["pinned"] is None
    removed = host.post(f"/api/rooms/{room.pk}/members/{bob_place.pk}/remove")
    assert removed.status_code == 204
    again = bob_client.post(f"/api/rooms/{room.pk}/join", {"accept_rules": True}, content_type=JSON)
    assert again.status_code == 403 and "join it again" in again.json()["detail"]
    assert bob_client.get(f"/api/rooms/{room.pk}/messages").status_code == 403


def test_reports_and_crisis_support_through_the_api(room, alice, bob):
    load_crisis_resources()
    crisis = client_for(bob).post(
        f"/api/rooms/{room.pk}/messages", {"body": CRISIS_WORDS}, content_type=JSON
    )
    assert crisis.status_code == 201 and crisis.json()["support"]["resources"]
    seen_by_alice = client_for(alice).get(f"/api/rooms/{room.pk}/messages").json()
    assert "support" not in seen_by_alice[0] and seen_by_alice[0]["body"] == CRISIS_WORDS
    report = client_for(alice).post(
        f"/api/rooms/{room.pk}/messages/{crisis.json()['id']}/report",
        {"reason": "danger", "details": "They sound really low."}, content_type=JSON,
    )  # fmt: skip
    assert report.status_code == 201 and report.json()["received"] is True
    assert QueueItem.objects.filter(room_message_id=crisis.json()["id"]).count() == 1  # urgent
    missing = client_for(alice).get("/api/rooms/999999")
    assert missing.status_code == 404


def test_a_closed_room_refuses_new_members_and_messages(room, host_hana, carol, alice):
    Room.objects.filter(pk=room.pk).update(status=Room.Status.CLOSED)
    joined = client_for(carol).post(
        f"/api/rooms/{room.pk}/join", {"accept_rules": True}, content_type=JSON
    )
    assert joined.status_code == 403
    sent = client_for(alice).post(
        f"/api/rooms/{room.pk}/messages", {"body": "hi"}, content_type=JSON
    )
    assert sent.status_code == 403
