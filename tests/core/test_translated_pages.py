"""Words Haven keeps as stored values or English source text, read on Spanish pages in Spanish:
trust levels and what they unlock, chat topics and languages, safety labels, country names and
Django's own messages. Each was found English on a Spanish page in a page-by-page reading."""

import re

import pytest
from django.utils import translation

from haven.accounts.actions import do_set_language
from haven.care.booking.forms import zone_choices
from haven.chat.actions import do_request_chat
from haven.communities.models import Community
from haven.core import places
from haven.forums.actions import do_create_thread
from haven.moderation.models import QueueItem, QueueKind
from haven.rooms.actions import do_create_room, do_join_room
from tests.chat.conftest import make_listener
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def spanish_client(user):
    do_set_language(user, "es")
    return client_for(user)


def test_the_trust_page_names_levels_and_what_they_unlock_in_spanish(alice):
    page = spanish_client(alice).get("/trust/").content.decode()
    assert "Poner enlaces en las publicaciones" in page
    assert "Put links in posts" not in page
    assert "New here" not in page and "Settling in" not in page


def test_the_listener_dashboard_names_topics_and_languages_in_spanish(guidelines, alice):
    listener = make_listener("olga", guidelines, languages=["es"])
    do_request_chat(alice, topics=["sleep", "grief"], language="es", message="")
    page = spanish_client(listener.user).get("/listen/dashboard/").content.decode()
    assert "sueño, duelo" in page
    assert "Español" in page or "español" in page
    assert "Spanish" not in page and "sleep, grief" not in page


def test_the_talk_form_offers_topics_and_languages_in_spanish(alice):
    page = spanish_client(alice).get("/talk/").content.decode()
    # The stored value stays "self-esteem"; the words beside the box are Spanish.
    assert re.search(r"autoestima\s*</label>", page)
    assert not re.search(r">\s*self-esteem\s*</label>", page)


def test_moderators_read_safety_labels_in_spanish(moderator_kim, alice, anxiety):
    thread = do_create_thread(anxiety, acting_user=alice, title="Hola", body="Un día largo.")
    item = QueueItem.objects.create(
        kind=QueueKind.FLAGGED, post=thread.posts.first(), labels=["personal_data", "toxic"]
    )
    client = spanish_client(moderator_kim)
    for page in (client.get("/moderation/"), client.get(f"/moderation/items/{item.pk}/")):
        text = page.content.decode()
        assert "datos personales" in text and "personal data" not in text
    assert "Decisión" in text


def test_countries_are_named_in_the_readers_language(alice, crisis_lines):
    with translation.override("es"):
        assert places.country_name("GB") == "Reino Unido"
        assert places.place_name("US-CA") == "California, Estados Unidos"
        assert dict(places.countries())["KR"] == "Corea del Sur"
    with translation.override("en"):
        assert places.country_name("GB") == "United Kingdom"
    client = spanish_client(alice)
    profile = client.get("/accounts/profile/").content.decode()
    assert "Reino Unido" in profile and "United Kingdom" not in profile
    help_page = client.get("/help/?country=GB").content.decode()
    assert "Reino Unido" in help_page and "United Kingdom" not in help_page


def test_djangos_own_password_messages_speak_to_the_reader_as_tu(alice):
    response = spanish_client(alice).post(
        "/accounts/password/change/",
        {"old_password": "not it", "new_password1": "12345678901", "new_password2": "other"},
    )
    page = response.content.decode()
    assert "La contraseña actual no es correcta" in page
    assert "Su contraseña" not in page and "introduzca" not in page


def test_dates_and_decimals_follow_the_readers_language():
    """Templates give the date filter a translated format: Spanish says "8 de diciembre de
    2026" and "8 dic", not "8 diciembre 2026" and "8 Dic"; mood averages use a decimal comma."""
    import datetime

    from django.template import Context, Template

    from haven.wellness.insights import _number

    moment = datetime.datetime(2026, 12, 8, 9, 0)
    template = Template(
        '{% load i18n %}{{ moment|date:_("l j F Y, H:i") }} · {{ moment|date:_("j M Y") }}'
    )
    with translation.override("es"):
        assert template.render(Context({"moment": moment})) == (
            "martes 8 de diciembre de 2026, 09:00 · 8 dic 2026"
        )
        assert _number(6.25) == "6,3"
    with translation.override("en"):
        assert template.render(Context({"moment": moment})) == (
            "Tuesday 8 December 2026, 09:00 · 8 Dec 2026"
        )
        assert _number(6.25) == "6.3"


def test_the_sign_in_page_names_the_site_not_its_host(client, settings):
    settings.HAVEN_SITE_NAME = "Refugio"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Refugio" in page and "testserver" not in page


def test_a_request_that_just_came_in_has_waited_less_than_a_minute(guidelines, alice):
    listener = make_listener("olga", guidelines, languages=["es"])
    do_request_chat(alice, topics=["sleep"], language="es", message="")
    page = spanish_client(listener.user).get("/listen/dashboard/").content.decode()
    assert "Esperando desde hace menos de un minuto" in page
    assert "0 minutos" not in page


def test_time_zones_are_named_in_the_readers_language(alice):
    with translation.override("es"):
        assert places.time_zone_name("America/Mexico_City") == "México — Ciudad de México"
        assert places.time_zone_name("Europe/London") == "Reino Unido — Londres"
        # An old alias names the same place: its id tells the two apart in a list.
        assert places.time_zone_name("US/Eastern") == "Estados Unidos — Nueva York (US/Eastern)"
        groups = dict(zone_choices("America/Bogota"))
        assert ("America/Bogota", "Colombia — Bogotá") in groups["América"]
        assert list(groups)[-1] == "Otras"  # UTC
    assert places.time_zone_name("America/Mexico_City", "en") == "Mexico — Mexico City"
    assert places.time_zone_name("Mars/Olympus_Mons", "es") == "Mars/Olympus_Mons"
    page = spanish_client(alice).get("/wellness/settings/").content.decode()
    assert '<option value="America/Mexico_City">México — Ciudad de México</option>' in page
    assert "America/Mexico City" not in page


def test_an_anonymous_room_names_its_guests_in_its_communitys_language(guidelines, alice, bob):
    host = make_listener("host_hana", guidelines, present=False).user
    spanish = Community.objects.create(name="Ansiedad", slug="ansiedad", language="es")
    room = do_create_room(
        host, title="Rincón", topic="Preocupaciones.", rules="Con cariño.", is_anonymous=True,
        community=spanish,
    )  # fmt: skip
    # alice reads Haven in English: the room's names are the room's, not each reader's.
    with translation.override("en"):
        assert do_join_room(room, alice).alias == "Invitado 2"
    english = do_create_room(
        host, title="Corner", topic="Worries.", rules="Be kind.", is_anonymous=True
    )
    with translation.override("es"):
        assert do_join_room(english, bob).alias == "Guest 2"
