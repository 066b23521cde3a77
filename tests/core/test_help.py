"""Crisis resources are one click away on every page, for everyone."""

import pytest

from haven.core.contact_links import sms_href
from haven.safety.resources import load_crisis_resources
from tests.conftest import client_for


@pytest.fixture
def resources(db):
    load_crisis_resources()


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/signup/", "/guidelines/", "/help/", "/nope/"]
)
def test_every_public_page_links_to_help(url, client, guidelines, resources):
    page = client.get(url).content.decode()
    assert '<a class="help-now" href="/help/">Get help now</a>' in page


@pytest.mark.parametrize(
    "url",
    [
        "/home/",
        "/communities/",
        "/updates/",
        "/search/",
        "/notifications/",
        "/members/alice/",
        "/accounts/settings/",
        "/accounts/profile/",
        "/accounts/delete/",
    ],
)
def test_every_member_page_links_to_help(url, alice, resources):
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert '<a class="help-now" href="/help/">Get help now</a>' in response.content.decode()


def test_help_shows_the_members_country_first_and_worldwide_directories(alice, resources):
    alice.country = "GB"
    alice.save()
    page = client_for(alice).get("/help/").content.decode()
    assert "Samaritans" in page and "116 123" in page and 'href="tel:116123"' in page
    assert "Find A Helpline" in page
    assert "988 Suicide" not in page


def test_a_text_line_opens_the_phones_messages_with_the_keyword_typed(client, resources):
    page = client.get("/help/?country=us").content.decode()
    assert '<a href="sms:741741?&amp;body=HOME">Text HOME to 741741</a>' in page
    assert '<a href="sms:988">Text 988</a>' in page and 'href="tel:988"' in page


@pytest.mark.parametrize(
    ("written", "href"),
    [
        ("Text SHOUT to 85258", "sms:85258?&body=SHOUT"),
        ("text hello to 50808", "sms:50808?&body=hello"),
        ("Text 0477 13 11 14", "sms:0477131114"),
        ("Text +44 7700 900123", "sms:+447700900123"),
        # Not a number to text: shown as words, never a wrong link.
        ("Use the chat on the website", ""),
        ("Text START to the number on our site", ""),
        ("", ""),
    ],
)
def test_sms_links_are_made_only_from_a_number_to_text(written, href):
    assert sms_href(written) == href


def test_help_can_be_switched_to_another_country_without_signing_in(client, resources):
    page = client.get("/help/?country=au").content.decode()
    assert "Lifeline" in page and "13 11 14" in page
    unknown = client.get("/help/?country=ZZ").content.decode()
    assert "988" in unknown  # the configured default country


def test_crisis_resources_are_in_the_api_without_signing_in(client, resources):
    data = client.get("/api/crisis-resources?country=CA").json()
    assert data["country"] == "CA"
    assert any(r["phone"] == "988" for r in data["resources"])
    assert data["international"][0]["name"] == "Find A Helpline"


def test_pages_are_labelled_for_assistive_technology(alice, resources, members_of_anxiety):
    page = client_for(alice).get("/c/anxiety/new/").content.decode()
    for field in ("id_title", "id_body", "id_content_warning", "id_tags", "id_is_anonymous"):
        assert f'for="{field}"' in page
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and '<nav class="sidebar" aria-label="Main">' in page
    assert '<html lang="en">' in page


def test_security_headers_are_sent(client, guidelines):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
