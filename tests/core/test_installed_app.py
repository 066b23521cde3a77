"""The installable app over HTTP: its manifest and icons, the service worker, the offline page
with crisis lines and nothing private, the favicon, and logging out clearing the device."""

import json

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import client_for


def static_file_of(url: str) -> str | None:
    return finders.find(url.removeprefix("/static/"))


def test_the_manifest_makes_haven_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Haven" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon.get("purpose") != "maskable"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        path = static_file_of(icon["src"])
        assert path is not None, icon
        with open(path, "rb") as png:
            assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert manifest["shortcuts"] == [{"name": "Get help now", "url": "/help/"}]


def test_every_page_links_the_manifest_and_icons(client):
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'rel="icon"' in page and '<meta name="theme-color"' in page


def test_favicon_is_never_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    path = static_file_of(response["Location"])
    with open(path, "rb") as ico:
        assert ico.read(4) == b"\x00\x00\x01\x00"  # an ICO header


def test_the_service_worker_keeps_only_the_offline_page_and_a_kept_plan(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert "no-cache" in response["Cache-Control"]
    source = response.content.decode()
    assert 'const OFFLINE_URL = "/offline/";' in source
    assert 'const PLAN_URL = "/safety-plan/";' in source
    # The version changes with the code and the static files, so browsers replace old copies.
    assert 'const SHELL = "haven-shell-' in source and "haven-shell-{{" not in source


@pytest.mark.django_db
def test_the_offline_page_shows_the_members_country_and_nothing_private(alice):
    alice.country = "GB"
    alice.save(update_fields=["country"])
    page = client_for(alice).get("/offline/").content.decode()
    assert "You're offline right now" in page
    assert 'href="tel:116123"' in page and 'href="sms:85258?&amp;body=SHOUT"' in page
    assert "alice" not in page  # no pseudonym, no navigation of the member's own


def test_the_offline_page_for_a_visitor_uses_the_country_asked_for(client):
    page = client.get("/offline/?country=au").content.decode()
    assert "Lifeline" in page and 'href="tel:131114"' in page


@pytest.mark.django_db
def test_logging_out_clears_what_the_browser_keeps(alice):
    response = client_for(alice).post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_admin_says_whose_it_is(site_admin):
    page = client_for(site_admin).get("/admin/").content.decode()
    assert "<title>Run the community | Haven administration</title>" in page
    assert '<a href="/admin/">Haven administration</a>' in page
