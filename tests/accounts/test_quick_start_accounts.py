"""Accounts made in a hurry (quick start, no password) can set a first password and can delete
themselves with a typed confirmation, on the page and in the API."""

import pytest
from django.test import Client

from haven.accounts.models import User
from tests.conftest import PASSWORD, client_for, token_client_for

NEW_PASSWORD = "quiet-harbour-lantern-7"


@pytest.fixture
def quick_start(guidelines) -> tuple[Client, User]:
    """Someone who needed to talk now: one click, no password, signed in."""
    client = Client()
    response = client.post("/talk/", {"accept_guidelines": "on"})
    assert response.status_code == 302
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert not user.has_usable_password()
    return client, user


def test_settings_invite_a_quick_start_account_to_set_a_password(quick_start):
    client, _ = quick_start
    page = client.get("/accounts/settings/").content.decode()
    assert "Set a password" in page and "Change your password" not in page


def test_a_quick_start_account_sets_its_first_password_without_an_old_one(quick_start):
    client, user = quick_start
    other_browser = client_for(user)
    app = token_client_for(user)
    page = client.get("/accounts/password/change/").content.decode()
    assert "<h1>Set a password</h1>" in page
    assert "old_password" not in page
    response = client.post(
        "/accounts/password/change/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # As with any password change: this browser stays in, every other way in is ended.
    assert client.get("/accounts/settings/").status_code == 200
    assert other_browser.get("/accounts/settings/").status_code == 302
    assert app.get("/api/me").status_code == 401
    # The account can now sign in anywhere with it.
    signed_in = Client().post(
        "/api/auth/token",
        {"pseudonym": user.pseudonym, "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert signed_in.status_code == 200
    # From now on a change asks for the old password, as for everyone.
    assert "old_password" in client.get("/accounts/password/change/").content.decode()


def test_a_first_password_is_checked_like_any_password(quick_start):
    client, user = quick_start
    response = client.post(
        "/accounts/password/change/", {"new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_member_with_a_password_still_needs_the_old_one(alice, alice_client):
    response = alice_client.post(
        "/accounts/password/change/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_quick_start_account_deletes_itself_by_typing_its_pseudonym(quick_start):
    client, user = quick_start
    page = client.get("/accounts/delete/").content.decode()
    assert f"type your pseudonym ({user.pseudonym}) or DELETE" in page
    assert 'type="password"' not in page
    wrong = client.post("/accounts/delete/", {"content": "erase", "confirm": "yes please"})
    assert wrong.status_code == 200
    assert "Please type your pseudonym or DELETE to confirm." in wrong.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post("/accounts/delete/", {"content": "erase", "confirm": user.pseudonym})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_quick_start_account_may_type_delete_instead(quick_start):
    client, user = quick_start
    response = client.post("/accounts/delete/", {"content": "keep", "confirm": " delete "})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_quick_start_account_deletes_itself_through_the_api_with_confirm(quick_start):
    client, user = quick_start
    refused = client.post("/api/me/delete", {"content": "erase"}, content_type="application/json")
    assert refused.status_code == 403
    assert "type your pseudonym or DELETE" in refused.json()["detail"]
    wrong = client.post(
        "/api/me/delete",
        {"content": "erase", "confirm": "someone_else"},
        content_type="application/json",
    )
    assert wrong.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(
        "/api/me/delete", {"content": "erase", "confirm": "DELETE"}, content_type="application/json"
    )
    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()


def test_an_account_with_a_password_cannot_delete_itself_by_typing_delete(alice, alice_client):
    page = alice_client.get("/accounts/delete/").content.decode()
    assert 'type="password"' in page and "or DELETE" not in page
    response = alice_client.post("/accounts/delete/", {"content": "erase", "confirm": "DELETE"})
    assert response.status_code == 200
    api = alice_client.post(
        "/api/me/delete", {"content": "erase", "confirm": "DELETE"}, content_type="application/json"
    )
    assert api.status_code == 403 and api.json()["detail"] == "That password is not right."
    assert User.objects.filter(pk=alice.pk).exists()
