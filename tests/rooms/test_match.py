""" "Match me to a room": the closest open room among several, with its reason; another way when
nothing fits; the support panel first after crisis words; rooms a member can't join are
skipped; and the sentence is never stored, logged or put in the session."""

import logging
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from haven.accounts.blocks import do_block_member
from haven.rooms import circles
from haven.rooms.actions import (
    do_create_room,
    do_join_room,
    do_remove_member,
    do_send_room_message,
)
from haven.rooms.room_match import match_rooms
from tests.conftest import client_for, token_client_for
from tests.rooms.conftest import CRISIS_WORDS

pytestmark = pytest.mark.django_db
JSON = "application/json"
SENTENCE = "Since losing my father the grief won't lift and I miss him every day"


@pytest.fixture(params=["minilm", "hashing"])
def embedder(request, settings):
    """Both embedders: MiniLM where installed (as here), and the light hashing path."""
    settings.HAVEN_EMBEDDINGS = request.param
    return request.param


@pytest.fixture
def rooms(host_hana, bob):
    made = {
        "grief": do_create_room(
            host_hana,
            title="After a loss",
            topic="Grief after losing a parent: a mother, a father.",
        ),
        "exams": do_create_room(
            host_hana, title="Exam season", topic="Stress about exams, revision and deadlines."
        ),
        "sleep": do_create_room(
            host_hana, title="Night owls", topic="Insomnia and lying awake at night."
        ),
    }
    place = do_join_room(made["grief"], bob)
    do_send_room_message(
        made["grief"], place, body="I miss my father every day since the funeral.",
        client_id=uuid.uuid4().hex, send_for_review=True,
    )  # fmt: skip
    return made


def test_the_closest_room_is_picked_among_several_with_its_reason(embedder, rooms, alice):
    result = match_rooms(alice, SENTENCE)
    assert result.room is not None and result.room.room == rooms["grief"]
    assert result.room.reason.startswith("Closest to what you wrote: ")
    assert "Grief after losing a parent" in result.room.reason or "talking about" in (
        result.room.reason
    )
    exams = match_rooms(alice, "I have three exams next week and I haven't revised at all")
    assert exams.room is not None and exams.room.room == rooms["exams"]


def test_when_nothing_fits_a_host_is_offered_a_new_room_and_a_member_the_closest_and_circles(
    embedder, host_hana, alice
):
    do_create_room(host_hana, title="Exam season", topic="Stress about exams and deadlines.")
    circle = circles.do_schedule_circle(
        host_hana, title="Pets we lost", topic="Missing an animal friend.",
        starts_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    sentence = "My cat ran away and the house feels empty without her purring"
    member = match_rooms(alice, sentence)
    assert member.room is None and member.closest is not None
    assert member.can_start_room is False and [f.circle for f in member.circles] == [circle]

    page = client_for(host_hana).post("/rooms/match/", {"sentence": sentence})
    html = page.content.decode()
    assert page.status_code == 200 and "Start a room about this" in html
    assert 'action="/rooms/start/"' in html and sentence in html


def test_the_page_places_the_member_with_the_reason_and_a_join_form(rooms, alice):
    page = client_for(alice).post("/rooms/match/", {"sentence": SENTENCE})
    html = page.content.decode()
    assert page.status_code == 200 and "A room for you" in html
    assert "After a loss" in html and "Closest to what you wrote" in html
    assert f'action="/rooms/{rooms["grief"].pk}/join/"' in html


def test_the_rooms_page_holds_the_match_box(rooms, alice):
    html = client_for(alice).get("/rooms/").content.decode()
    assert "Match me to a room" in html and 'action="/rooms/match/"' in html


def test_crisis_words_bring_the_support_panel_first(rooms, alice, crisis_lines):
    page = client_for(alice).post("/rooms/match/", {"sentence": CRISIS_WORDS})
    html = page.content.decode()
    assert "You don't have to face this alone" in html
    panel_at = html.index("You don't have to face this alone")
    assert all(panel_at < html.index(word) for word in ("<h1>", "Match me to a room"))

    api = token_client_for(alice).post(
        "/api/room-match", {"sentence": CRISIS_WORDS}, content_type=JSON
    )
    assert api.status_code == 200 and api.json()["support"]["resources"]


def test_rooms_removed_from_full_or_with_someone_blocked_are_skipped(
    rooms, host_hana, alice, bob, carol
):
    grief = rooms["grief"]
    place = do_join_room(grief, alice)
    do_remove_member(grief, place, acting_user=host_hana)
    assert match_rooms(alice, SENTENCE).room is None or (
        match_rooms(alice, SENTENCE).room.room != grief
    )
    # Full: the host and bob fill a room of two.
    grief.capacity = 2
    grief.save(update_fields=["capacity"])
    assert all(r.room != grief for r in filter(None, [match_rooms(carol, SENTENCE).room]))
    grief.capacity = 25
    grief.save(update_fields=["capacity"])
    assert match_rooms(carol, SENTENCE).room.room == grief
    do_block_member(carol, bob)
    assert all(r.room != grief for r in filter(None, [match_rooms(carol, SENTENCE).room]))


def test_the_api_answers_the_match(rooms, alice):
    response = token_client_for(alice).post(
        "/api/room-match", {"sentence": SENTENCE}, content_type=JSON
    )
    body = response.json()
    assert response.status_code == 200 and body["support"] is None
    assert body["room"]["id"] == rooms["grief"].pk and body["room"]["reason"]


def _texts_in_every_table(needle: str) -> list[str]:
    """Every text and JSON column of every table that holds `needle` (JSON read as text)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            rows = model._default_manager.annotate(_as_text=Cast(field.name, models.TextField()))
            if rows.filter(_as_text__contains=needle).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_the_sentence_is_never_stored_logged_or_kept_in_the_session(rooms, alice, caplog):
    secret = "Since losing my father the quiet zebra lamp he loved reminds me of him"
    client = client_for(alice)
    with caplog.at_level(logging.DEBUG):
        assert client.post("/rooms/match/", {"sentence": secret}).status_code == 200
        api = token_client_for(alice).post(
            "/api/room-match", {"sentence": secret}, content_type=JSON
        )
        assert api.status_code == 200
    assert "zebra lamp" not in caplog.text
    # The search does find what is stored (a room's topic), and not the sentence.
    assert "rooms.Room.topic" in _texts_in_every_table("Grief after losing a parent")
    assert _texts_in_every_table("zebra lamp") == []
    for session in Session.objects.all():
        assert "zebra lamp" not in str(session.get_decoded())
