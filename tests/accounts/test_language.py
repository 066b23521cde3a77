"""The language Haven speaks: the browser's Accept-Language on a first visit, the switch on
every page (signed out it is kept on the device; a member's choice is saved and follows them to
any device), and URLs that stay the same in every language."""

import pytest
from django.test import Client

from haven.accounts.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_first_visit_follows_the_browser(client):
    spanish = client.get("/help/", headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert spanish.status_code == 200
    page = spanish.content.decode()
    assert '<html lang="es"' in page
    assert "Consigue ayuda ahora" in page and "Get help now" not in page
    assert spanish["Content-Language"] == "es"
    assert "Accept-Language" in spanish["Vary"]  # a shared cache keeps one copy per language

    english = client.get("/help/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="en"' in english.content.decode()
    assert "Get help now" in english.content.decode()


def test_a_language_haven_does_not_offer_falls_back_to_english(client):
    page = client.get("/help/", headers={"accept-language": "fr-FR,fr;q=0.9"}).content.decode()
    assert '<html lang="en"' in page and "Get help now" in page


def test_the_switch_is_on_every_page_and_works_signed_out(client):
    page = client.get("/help/").content.decode()
    assert 'action="/language/"' in page and '<label for="language-switch">Language' in page
    assert '<option value="es" lang="es">Español</option>' in page

    response = client.post("/language/", {"language": "es", "next": "/help/?country=MX"})
    assert response.status_code == 302 and response["Location"] == "/help/?country=MX"
    assert response.cookies["haven_language"].value == "es"
    assert response.cookies["haven_language"]["httponly"]
    # The browser asks for English, but the reader chose Spanish on this device.
    page = client.get("/help/?country=MX", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="es"' in page and "Idioma: Español." in page
    assert '<option value="es" lang="es" selected>' in page


def test_the_switch_refuses_an_unknown_language_and_a_foreign_next(client):
    response = client.post("/language/", {"language": "xx", "next": "/help/"})
    assert response.status_code == 302 and "haven_language" not in response.cookies
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"  # never sent off the site


def test_a_members_choice_is_saved_and_follows_them_to_another_device(alice):
    phone = client_for(alice)
    phone.post("/language/", {"language": "es", "next": "/home/"})
    alice.refresh_from_db()
    assert alice.language == "es"

    laptop = client_for(alice)  # a new session, no language cookie, an English browser
    page = laptop.get("/help/", headers={"accept-language": "en-US"}).content.decode()
    assert '<html lang="es"' in page and "Consigue ayuda ahora" in page

    laptop.post("/language/", {"language": "en", "next": "/home/"})
    alice.refresh_from_db()
    assert alice.language == "en"
    assert '<html lang="en"' in phone.get("/help/").content.decode()


def test_a_member_who_has_not_accepted_the_guidelines_can_still_switch(guidelines):
    newcomer = User.objects.create_user("newcomer", "a-long-calm-password-42")
    member = Client()
    member.force_login(newcomer)
    response = member.post("/language/", {"language": "es", "next": "/guidelines/"})
    assert response.status_code == 302 and response["Location"] == "/guidelines/"
    newcomer.refresh_from_db()
    assert newcomer.language == "es"


def test_the_api_reads_and_saves_the_language(alice):
    member = client_for(alice)
    assert member.get("/api/me").json()["language"] == ""
    response = member.patch("/api/me", {"language": "es"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["language"] == "es"
    refused = member.patch("/api/me", {"language": "klingon"}, content_type="application/json")
    assert refused.status_code == 422
    alice.refresh_from_db()
    assert alice.language == "es"
    assert member.get("/api/me/export").json()["profile"]["language"] == "es"


def test_error_pages_speak_the_readers_language(client):
    page = client.get("/no-such-page/", headers={"accept-language": "es"})
    assert page.status_code == 404
    assert "No encontramos esa página" in page.content.decode()


def test_the_scripts_catalogue_answers_in_the_readers_language_before_any_gate(guidelines):
    newcomer = User.objects.create_user("newcomer", "a-long-calm-password-42")
    member = Client()
    member.force_login(newcomer)  # has not accepted the guidelines yet
    response = member.get("/jsi18n/", headers={"accept-language": "es"})
    assert response.status_code == 200
    assert "Alguien quiere hablar" in response.content.decode()
    english = Client().get("/jsi18n/", headers={"accept-language": "en"}).content.decode()
    assert "Alguien quiere hablar" not in english
