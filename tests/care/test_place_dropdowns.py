"""Places in professional care are chosen from a country and a region dropdown, never typed as
ISO codes, and every page shows them by name: the licence form, the directory filter, the
consent before a video session, and every page that lists licences."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from haven.accounts.models import User
from haven.care.booking.actions import relationship_for
from haven.care.models import Appointment, Licence, SessionFormat, evidence_storage
from haven.care.telehealth import consent as consent_text
from tests.care.conftest import make_therapist
from tests.conftest import client_for

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, monkeypatch) -> Path:
    location = tmp_path / "private" / "licence-evidence"
    monkeypatch.setattr(evidence_storage, "_wrapped", FileSystemStorage(location=location))
    return location


def in_ireland(user: User) -> User:
    user.country = "IE"
    user.save(update_fields=["country"])
    return user


def licence_post(country: str, region: str = "") -> dict:
    return {
        "licence_type": "Counsellor",
        "number": "C-1001",
        "issuing_body": "COSCA",
        "country": country,
        "region": region,
        "expires_on": (date.today() + timedelta(days=300)).isoformat(),
        "evidence": SimpleUploadedFile("register.pdf", PDF, content_type="application/pdf"),
    }


def options_of(html: str, name: str) -> list[str]:
    """The option values of the <select name=...>, in order."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def selected_in(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    found = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return found.group(1) if found else ""


PLACES_SCRIPT = "haven/places.js"


# --- The licence form


def test_the_licence_form_offers_dropdowns_with_the_members_country_first(guidelines):
    therapist = make_therapist("therapist_tess", guidelines)
    client = client_for(in_ireland(therapist.user))
    html = client.get("/care/apply/licences/new/").content.decode()
    assert 'name="jurisdiction"' not in html  # no typed code any more
    countries = options_of(html, "country")
    assert countries[:3] == ["", "IE", "AF"]  # a prompt, their own country, then by name
    assert len(countries) == 250
    assert options_of(html, "region") == [""]  # regions once a country is chosen
    assert 'data-regions-url="/care/apply/licences/new/"' in html
    assert 'data-regions-select="id_region"' in html
    assert PLACES_SCRIPT in html


def test_a_licence_is_stored_as_the_iso_code_of_the_chosen_region(guidelines):
    therapist = make_therapist("therapist_tess", guidelines)
    client = client_for(therapist.user)
    response = client.post("/care/apply/licences/new/", licence_post("GB", "GB-SCT"))
    assert response.status_code == 302, response.content
    national = client.post("/care/apply/licences/new/", licence_post("IE"))
    assert national.status_code == 302, national.content
    assert list(therapist.licences.order_by("pk").values_list("jurisdiction", flat=True)) == [
        "GB", "GB-SCT", "IE",
    ]  # fmt: skip


def test_a_region_of_another_country_is_refused_plainly_and_the_right_list_is_shown(guidelines):
    """Without JavaScript the region list is the old country's until the form is sent."""
    therapist = make_therapist("therapist_tess", guidelines)
    client = client_for(therapist.user)
    response = client.post("/care/apply/licences/new/", licence_post("US", "GB-SCT"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Scotland (United Kingdom) isn&#x27;t in the country you chose (United States)" in html
    assert "US-CA" in options_of(html, "region") and "GB-SCT" not in options_of(html, "region")
    assert selected_in(html, "country") == "US"
    assert therapist.licences.count() == 1
    nowhere = client.post("/care/apply/licences/new/", licence_post("Narnia"))
    assert "Please choose a country from the list." in nowhere.content.decode()


def test_the_page_asked_for_another_country_lists_its_regions(guidelines):
    """What places.js fetches when the country changes."""
    therapist = make_therapist("therapist_tess", guidelines)
    client = client_for(therapist.user)
    html = client.get("/care/apply/licences/new/", {"country": "CA"}).content.decode()
    assert selected_in(html, "country") == "CA"
    regions = options_of(html, "region")
    assert "CA-ON" in regions and "CA-QC" in regions and regions[0] == ""
    assert ">Ontario</option>" in html


def test_editing_a_licence_starts_from_its_stored_place_even_a_deeper_one(guidelines):
    therapist = make_therapist("therapist_tess", guidelines)
    licence = Licence.objects.create(
        therapist=therapist, licence_type="Counsellor", number="K-1", issuing_body="BACP",
        jurisdiction="GB-KEN", expires_on=date.today() + timedelta(days=200),
    )  # fmt: skip
    client = client_for(therapist.user)
    html = client.get(f"/care/therapist/licences/{licence.pk}/").content.decode()
    assert selected_in(html, "country") == "GB"
    assert selected_in(html, "region") == "GB-KEN"  # kept, not widened to the country
    assert "Counsellor (Kent, United Kingdom)" in html
    assert PLACES_SCRIPT in html
    asked = client.get(f"/care/therapist/licences/{licence.pk}/", {"country": "US"})
    assert selected_in(asked.content.decode(), "country") == "US"
    assert selected_in(asked.content.decode(), "region") == ""
    data = licence_post("GB", "GB-WLS")
    del data["evidence"]
    assert client.post(f"/care/therapist/licences/{licence.pk}/", data).status_code == 302
    licence.refresh_from_db()
    assert licence.jurisdiction == "GB-WLS"


# --- Stored codes as names, wherever licences are listed


def test_every_licence_page_shows_region_names_not_codes(guidelines, moderator_kim, alice):
    therapist = make_therapist("therapist_tess", guidelines, jurisdiction="GB-ENG")
    pending = Licence.objects.create(
        therapist=therapist, licence_type="Counsellor", number="CA-9", issuing_body="BBS",
        jurisdiction="US-CA", expires_on=date.today() + timedelta(days=200),
    )  # fmt: skip
    own = client_for(therapist.user)
    dashboard = own.get("/care/therapist/").content.decode()
    assert "England, United Kingdom" in dashboard and "California, United States" in dashboard
    assert "(GB-ENG" not in dashboard and "(US-CA" not in dashboard
    assert "England, United Kingdom" in own.get("/care/apply/").content.decode()
    licence_page = own.get(f"/care/therapist/licences/{pending.pk}/").content.decode()
    assert "<dd>California, United States</dd>" in licence_page
    reviewer = client_for(moderator_kim)
    queue = reviewer.get("/care/licences/review/").content.decode()
    assert "Counsellor (California, United States; no. CA-9)" in queue
    review = reviewer.get(f"/care/licences/review/{pending.pk}/").content.decode()
    assert "<h1>Counsellor (California, United States)</h1>" in review
    profile = client_for(alice).get(f"/care/therapists/{therapist.pk}/").content.decode()
    assert "licence in England, United Kingdom" in profile
    assert PLACES_SCRIPT not in profile  # only pages with the dropdowns load it


# --- The directory


@pytest.fixture
def spread(guidelines):
    make_therapist("gwen", guidelines, jurisdiction="GB")
    make_therapist("scot", guidelines, jurisdiction="GB-SCT")
    make_therapist("cal", guidelines, jurisdiction="US-CA", time_zone="America/Los_Angeles")


def names_in(response) -> set[str]:
    return {card.therapist.professional_name for card, _labels, _slot in response.context["cards"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "GB", "region": ""}, {"Dr Gwen"}),  # a Scottish licence is not enough
        ({"country": "GB", "region": "GB-SCT"}, {"Dr Gwen", "Dr Scot"}),
        ({"country": "GB", "region": "GB-WLS"}, {"Dr Gwen"}),
        ({"country": "US", "region": "US-CA"}, {"Dr Cal"}),
        ({"country": "US"}, set()),
        ({"country": "", "region": ""}, {"Dr Gwen", "Dr Scot", "Dr Cal"}),
    ],
)
def test_the_directory_filters_by_where_you_are_from_the_dropdowns(
    spread, alice_client, query, expected
):
    assert names_in(alice_client.get("/care/therapists/", query)) == expected


def test_the_directory_dropdowns_and_cards_speak_in_names(spread, alice, alice_client):
    in_ireland(alice)
    query = {"country": "GB", "region": "GB-SCT"}
    html = alice_client.get("/care/therapists/", query).content.decode()
    assert options_of(html, "country")[:2] == ["", "IE"]
    assert options_of(html, "region") == ["", "GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS"]
    assert ">Anywhere in the country</option>" in html
    assert "licence in Scotland, United Kingdom" in html
    assert "licence in GB" not in html
    assert 'data-regions-url="/care/therapists/"' in html and PLACES_SCRIPT in html


def test_a_directory_region_of_another_country_is_explained_and_the_country_still_applies(
    spread, alice_client
):
    page = alice_client.get("/care/therapists/", {"country": "GB", "region": "US-CA"})
    assert "California (United States) isn&#x27;t in the country you chose" in (
        page.content.decode()
    )
    assert names_in(page) == {"Dr Gwen"}  # the whole of the country chosen


def test_the_directory_with_names_reads_no_more_for_more_therapists(
    guidelines, alice_client, django_assert_max_num_queries
):
    query = {"country": "GB", "region": "GB-SCT"}
    make_therapist("first", guidelines, jurisdiction="GB-SCT")
    alice_client.get("/care/therapists/", query)  # warm the per-process caches
    with django_assert_max_num_queries(20) as few:
        alice_client.get("/care/therapists/", query)
    for n in range(6):
        make_therapist(f"more_{n}", guidelines, jurisdiction="GB-SCT" if n % 2 else "GB")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = alice_client.get("/care/therapists/", query)
    assert len(names_in(page)) == 7


# --- The consent before a video session


def make_appointment(member: User, therapist) -> Appointment:
    starts_at = timezone.now() + timedelta(minutes=5)
    return Appointment.objects.create(
        therapist=therapist, member=member, relationship=relationship_for(member, therapist),
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=50),
        format=SessionFormat.VIDEO,
    )  # fmt: skip


def consent_url(appointment: Appointment) -> str:
    return f"/care/appointments/{appointment.pk}/consent/"


def test_the_consent_asks_where_you_are_with_dropdowns_and_names_the_licensed_places(
    guidelines, alice
):
    therapist = make_therapist("therapist_cal", guidelines, jurisdiction="US-CA")
    appointment = make_appointment(in_ireland(alice), therapist)
    client = client_for(alice)
    html = client.get(consent_url(appointment)).content.decode()
    assert "(California, United States)" in html  # where the therapist is licensed
    assert options_of(html, "country")[:2] == ["", "IE"]
    assert f'data-regions-url="{consent_url(appointment)}"' in html and PLACES_SCRIPT in html
    asked = client.get(consent_url(appointment), {"country": "US"}).content.decode()
    assert "US-CA" in options_of(asked, "region")
    response = client.post(
        consent_url(appointment),
        {
            "agree": "on",
            "version": consent_text.CONSENT_VERSION,
            "country": "US",
            "region": "US-CA",
        },
    )
    assert response.status_code == 302, response.content
    appointment.refresh_from_db()
    assert appointment.member_location == "US-CA"
    room = client.get(f"/care/appointments/{appointment.pk}/room/").content.decode()
    assert "<strong>California, United States</strong>" in room
    again = client.get(consent_url(appointment)).content.decode()
    assert selected_in(again, "country") == "US" and selected_in(again, "region") == "US-CA"


def test_a_consent_region_of_another_country_is_refused_plainly(guidelines, alice):
    appointment = make_appointment(alice, make_therapist("therapist_tess", guidelines))
    response = client_for(alice).post(
        consent_url(appointment),
        {
            "agree": "on",
            "version": consent_text.CONSENT_VERSION,
            "country": "GB",
            "region": "US-CA",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "California (United States) isn&#x27;t in the country you chose (United Kingdom)" in html
    assert options_of(html, "region") == ["", "GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS"]
    appointment.refresh_from_db()
    assert appointment.member_location == ""
