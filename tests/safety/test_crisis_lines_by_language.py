"""Crisis lines per country and language: the help page, the support panel's lines, the API and
the error pages (which read the shipped file, not the database) show the lines of the reader's
country written in their language; a country without lines in that language shows its others."""

import pytest
from django.test import Client
from django.utils import translation

from haven.core.error_pages import crisis_lines, render_error_page
from haven.safety.models import CrisisResource
from haven.safety.resources import load_crisis_resources, resources_for_country
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SPANISH = {"accept-language": "es"}


@pytest.fixture(autouse=True)
def shipped_lines(db):
    load_crisis_resources()


def help_page(client: Client, country: str, language: str) -> str:
    response = client.get(f"/help/?country={country}", headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_mexico_in_spanish_and_in_english(client):
    page = help_page(client, "MX", "es")
    assert "Línea de la Vida" in page and 'href="tel:8009112000"' in page
    assert "Línea nacional gratuita para crisis emocionales" in page
    assert "Mexico&#x27;s free national line" not in page
    assert "Un directorio de líneas de crisis gratuitas" in page  # worldwide, in Spanish too

    page = help_page(client, "MX", "en")
    assert "Línea de la Vida" in page and "Mexico&#x27;s free national line" in page
    assert "Línea nacional gratuita" not in page
    assert "A directory of free, confidential crisis lines" in page


def test_spain_shows_024_and_112(client):
    page = help_page(client, "ES", "es")
    assert 'href="tel:024"' in page and "024 Línea de atención a la conducta suicida" in page
    assert 'href="tel:112"' in page and "Emergencias" in page


def test_the_us_988_in_spanish_with_its_spanish_text_keyword(client):
    page = help_page(client, "US", "es")
    assert "988 Línea de Prevención del Suicidio y Crisis (en español)" in page
    assert 'href="sms:988?&amp;body=AYUDA"' in page
    assert "988 Suicide &amp; Crisis Lifeline" not in page
    page = help_page(client, "US", "en")
    assert "988 Suicide &amp; Crisis Lifeline" in page and "en español" not in page


def test_the_country_picker_names_countries_in_the_readers_language(client):
    page = help_page(client, "US", "es")
    assert '<option value="US" selected>Estados Unidos</option>' in page
    assert '<option value="MX" >México</option>' in page
    # Named in Spanish though its lines are all in English (ISO's names, shipped by pycountry).
    assert '<option value="GB" >Reino Unido</option>' in page
    assert page.count('value="US"') == 1
    assert '<option value="GB" >United Kingdom</option>' in help_page(client, "US", "en")


def test_a_country_iso_does_not_know_is_named_as_the_host_named_it(client):
    # Kosovo's "XK" is in common use but not in ISO 3166; the admin's name is all there is.
    CrisisResource.objects.create(
        country="XK", country_name="Kosovë", name="Linja e ndihmës", phone="0800 12345"
    )
    page = help_page(client, "XK", "es")
    assert '<option value="XK" selected>Kosovë</option>' in page
    assert "0800 12345" in page


def test_a_country_without_lines_in_the_language_shows_the_ones_it_has(client):
    page = help_page(client, "GB", "es")
    assert "Samaritans" in page and 'href="tel:116123"' in page


def test_a_set_a_host_adds_in_the_admin_replaces_the_default_one_for_its_readers(client):
    CrisisResource.objects.create(
        country="GB", country_name="Reino Unido", language="es", name="Samaritans (en español)",
        description="Apoyo emocional.", phone="116 123", sort_order=10,
    )  # fmt: skip
    page = help_page(client, "GB", "es")
    assert "Samaritans (en español)" in page and "Shout" not in page
    assert "Shout" in help_page(client, "GB", "en")


def test_loading_the_shipped_lines_again_adds_nothing():
    before = CrisisResource.objects.count()
    load_crisis_resources()
    assert CrisisResource.objects.count() == before
    assert CrisisResource.objects.filter(country="US", name="Emergencias", language="es").exists()


def test_a_members_country_and_language_choose_their_lines(alice):
    alice.country, alice.language = "MX", "es"
    alice.save()
    page = client_for(alice).get("/help/").content.decode()
    assert "Línea nacional gratuita para crisis emocionales" in page
    with translation.override("es"):
        country, local, _, _ = resources_for_country("", alice)
    assert country == "MX" and {line.name for line in local} == {"Emergencias", "Línea de la Vida"}


def test_the_api_answers_in_the_language_asked_for(client):
    response = client.get("/api/crisis-resources?country=ES", headers=SPANISH)
    names = {line["name"] for line in response.json()["resources"]}
    assert "024 Línea de atención a la conducta suicida" in names
    assert "024 Suicidal behaviour line" not in names


def test_the_error_pages_read_the_lines_in_the_language_from_the_shipped_file():
    name, local, worldwide = crisis_lines("MX", "es")
    assert name == "México" and [line.phone for line in local] == ["911", "800 911 2000"]
    assert worldwide[0].description.startswith("Un directorio")
    assert crisis_lines("MX", "en")[0] == "Mexico"
    assert crisis_lines("GB", "es")[1][1].name == "Samaritans"  # no Spanish set: the English one
    with translation.override("es"):
        page = render_error_page("429.html", 429, country_code="ES").content.decode()
    assert '<html lang="es">' in page and "Hagamos una pausa breve" in page
    assert "024 Línea de atención a la conducta suicida" in page
