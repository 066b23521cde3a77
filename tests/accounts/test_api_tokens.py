"""Apps sign up and sign in through the API with bearer tokens."""

import json

import pytest
from django.test import Client

from haven.accounts.models import ApiToken, User
from tests.accounts.conftest import api_token_for, bearer
from tests.conftest import PASSWORD


def test_an_app_signs_up_gets_a_token_and_uses_it(guidelines, anxiety):
    client = Client()
    response = client.post(
        "/api/auth/signup",
        {"pseudonym": "AppUser", "password": "lanterns-over-the-bay-7", "accept_guidelines": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert not ApiToken.objects.filter(key_hash=token).exists()  # only the hash is stored
    app = Client(headers={"Authorization": f"Bearer {token}"})
    assert app.get("/api/me").json()["pseudonym"] == "AppUser"
    # Token requests need no CSRF token: they carry no cookie.
    assert app.post("/api/communities/anxiety/join").json()["is_member"] is True
    assert app.delete("/api/auth/token").status_code == 204
    assert app.get("/api/me").status_code == 401


def test_signup_through_the_api_refuses_without_guidelines_or_with_a_taken_name(alice):
    client = Client()
    refused = client.post(
        "/api/auth/signup",
        {"pseudonym": "Newbie", "password": "lanterns-over-the-bay-7", "accept_guidelines": False},
        content_type="application/json",
    )
    assert refused.status_code == 422
    taken = client.post(
        "/api/auth/signup",
        {"pseudonym": "Alice", "password": "lanterns-over-the-bay-7", "accept_guidelines": True},
        content_type="application/json",
    )
    assert taken.status_code == 409
    weak = client.post(
        "/api/auth/signup",
        {"pseudonym": "Newbie", "password": "123", "accept_guidelines": True},
        content_type="application/json",
    )
    assert weak.status_code == 422 and "too short" in weak.json()["detail"]
    assert User.objects.count() == 1


def test_a_token_is_issued_for_the_right_password_only(alice):
    from tests.conftest import PASSWORD

    client = Client()
    ok = client.post(
        "/api/auth/token",
        {"pseudonym": "alice", "password": PASSWORD},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["pseudonym"] == "alice"
    wrong = client.post(
        "/api/auth/token",
        {"pseudonym": "alice", "password": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == 401
    assert Client(headers={"Authorization": "Bearer made-up"}).get("/api/me").status_code == 401


def test_a_token_expires_after_the_configured_days_and_can_be_pruned(alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    from haven.accounts.tasks import prune_expired_api_tokens

    settings.HAVEN_API_TOKEN_DAYS = 30
    token = api_token_for("alice")
    stored = ApiToken.objects.get(user=alice)
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)
    assert bearer(token).get("/api/me").status_code == 200
    ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(token).get("/api/me").status_code == 401
    assert prune_expired_api_tokens.call() == 1
    assert not ApiToken.objects.exists()


def test_changing_the_password_ends_tokens_and_other_sessions_but_not_this_one(alice):
    from tests.conftest import client_for

    token = api_token_for("alice")
    here, elsewhere = client_for(alice), client_for(alice)
    response = here.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-quiet-harbour-3",
            "new_password2": "a-fresh-quiet-harbour-3",
        },
    )
    assert response.status_code == 302
    assert bearer(token).get("/api/me").status_code == 401
    assert elsewhere.get("/home/")["Location"].startswith("/accounts/login/")
    assert here.get("/home/").status_code == 200


def test_a_member_lists_their_tokens_without_the_keys_and_revokes_one(alice, bob):
    phone = api_token_for("alice", name="phone")
    tablet = api_token_for("alice", name="tablet")
    bobs = api_token_for("bob", name="laptop")
    listed = bearer(phone).get("/api/me/tokens")
    assert listed.status_code == 200
    rows = listed.json()
    assert [(row["name"], row["current"]) for row in rows] == [("tablet", False), ("phone", True)]
    assert set(rows[0]) == {"id", "name", "created_at", "last_used_at", "expires_at", "current"}
    assert phone not in listed.content.decode() and tablet not in listed.content.decode()
    tablet_id = rows[0]["id"]
    bobs_id = ApiToken.objects.get(user=bob).pk
    # Another member's token is as missing as one that never existed.
    assert bearer(phone).delete(f"/api/me/tokens/{bobs_id}").status_code == 404
    assert bearer(bobs).get("/api/me").status_code == 200
    assert bearer(phone).delete(f"/api/me/tokens/{tablet_id}").status_code == 204
    assert bearer(tablet).get("/api/me").status_code == 401
    assert bearer(phone).get("/api/me").status_code == 200


def test_the_settings_page_lists_apps_and_signs_one_out(alice, bob, alice_client):
    phone = api_token_for("alice", name="phone")
    api_token_for("bob", name="bobs-laptop")
    bearer(phone).get("/api/me")  # used once: the page says when
    page = alice_client.get("/accounts/settings/").content.decode()
    assert "phone" in page and "bobs-laptop" not in page and phone not in page
    assert "last used never" not in page and "expires" in page
    own = ApiToken.objects.get(user=alice)
    bobs = ApiToken.objects.get(user=bob)
    assert alice_client.post(f"/accounts/tokens/{bobs.pk}/revoke/").status_code == 404
    response = alice_client.post(f"/accounts/tokens/{own.pk}/revoke/", follow=True)
    assert "is signed out" in response.content.decode()
    assert bearer(phone).get("/api/me").status_code == 401
    assert ApiToken.objects.filter(pk=bobs.pk).exists()


@pytest.mark.parametrize("path", ["/api/auth/token", "/api/auth/signup"])
def test_sign_in_and_sign_up_refuse_a_body_that_is_not_json(path, alice):
    """Another site can make a visitor's browser send a text/plain POST without asking; only
    an application/json body is read, which a browser will not send across sites unasked."""
    body = json.dumps(
        {"pseudonym": "alice", "password": PASSWORD, "accept_guidelines": True, "name": "x"}
    )
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        refused = Client().post(path, body, content_type=content_type)
        assert refused.status_code == 415, (content_type, refused.content)
        assert "application/json" in refused.json()["detail"]
    assert not ApiToken.objects.exists()
    token_body = json.dumps({"pseudonym": "alice", "password": PASSWORD})
    ok = Client().post(
        "/api/auth/token", token_body, content_type="application/json; charset=utf-8"
    )
    assert ok.status_code == 200
