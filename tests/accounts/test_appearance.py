"""Light or dark: the device's choice by default, or the member's in Settings (a cookie on this
device, so it works signed out and is stored nowhere else)."""

import pytest

from tests.conftest import client_for


def test_by_default_the_page_follows_the_device(client):
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page  # no data-theme: prefers-color-scheme decides


@pytest.mark.django_db
def test_a_member_chooses_dark_then_back_to_the_device(alice):
    member = client_for(alice)
    assert 'value="auto" checked' in member.get("/accounts/settings/").content.decode()
    response = member.post("/accounts/appearance/", {"theme": "dark"})
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/"
    assert response.cookies["haven_theme"].value == "dark"
    page = member.get("/accounts/settings/").content.decode()
    assert '<html lang="en" data-theme="dark">' in page
    assert 'value="dark" checked' in page and "Appearance: dark." in page

    response = member.post("/accounts/appearance/", {"theme": "auto"})
    assert response.cookies["haven_theme"].value == ""  # deleted
    assert "data-theme" not in member.get("/home/").content.decode()


def test_an_unknown_theme_changes_nothing(client):
    response = client.post("/accounts/appearance/", {"theme": "neon"})
    assert response.status_code == 302
    assert "haven_theme" not in response.cookies
    client.cookies["haven_theme"] = "neon"
    assert "data-theme" not in client.get("/").content.decode()
