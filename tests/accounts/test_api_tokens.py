"""Apps sign up and sign in through the API with bearer tokens."""

from django.test import Client

from haven.accounts.models import ApiToken, User


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
