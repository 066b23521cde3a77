"""Two-factor authentication for the roles that see other people's private words or care:
therapists, moderators and admins. Members are never asked."""

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import Role
from tests.conftest import PASSWORD, client_for, make_member


def current_code(device: TOTPDevice) -> str:
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


@pytest.fixture
def therapist_theo(guidelines):
    return make_member("therapist_theo", guidelines, role=Role.THERAPIST)


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.MODERATOR, Role.ADMIN])
def test_these_roles_are_sent_to_set_up_a_second_factor_first(guidelines, role):
    user = make_member(f"someone_{role}", guidelines, role=role)
    client = client_for(user, second_factor=False)
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=/home/"
    api = client.get("/api/notifications")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    # Crisis help stays one click away, and leaving is always possible.
    assert client.get("/help/").status_code == 200


def test_members_are_never_asked(alice):
    client = client_for(alice, second_factor=False)
    assert client.get("/home/").status_code == 200


def test_setting_up_an_authenticator_then_signing_in_again(moderator_kim):
    client = client_for(moderator_kim, second_factor=False)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page and "Scan this code" in page
    device = TOTPDevice.objects.get(user=moderator_kim, confirmed=False)
    assert client.get("/accounts/two-factor/").status_code == 200
    assert TOTPDevice.objects.filter(user=moderator_kim).count() == 1  # reused, not piled up

    wrong = client.post("/accounts/two-factor/", {"code": "000000", "next": "/moderation/"})
    assert wrong.status_code == 400 and "That code didn" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next tries down (django-otp throttling)
    done = client.post(
        "/accounts/two-factor/", {"code": current_code(device), "next": "/moderation/"}
    )
    assert done.status_code == 200
    backup_codes = [t.token for t in StaticToken.objects.filter(device__user=moderator_kim)]
    assert len(backup_codes) == 10
    assert all(code in done.content.decode() for code in backup_codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/moderation/").status_code == 200

    # A new sign-in asks for a code again; a backup code works once.
    again = client_for(moderator_kim, second_factor=False)
    assert again.get("/moderation/").status_code == 302
    page = again.get("/accounts/two-factor/").content.decode()
    assert "Scan this code" not in page and "Enter the code" in page
    assert again.post("/accounts/two-factor/", {"code": backup_codes[0]}).status_code == 302
    assert again.get("/moderation/").status_code == 200
    third = client_for(moderator_kim, second_factor=False)
    assert third.post("/accounts/two-factor/", {"code": backup_codes[0]}).status_code == 400


def test_the_admin_site_needs_the_second_factor(guidelines):
    admin = make_member("admin_ann", guidelines, role=Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    assert client_for(admin, second_factor=False).get("/admin/").status_code == 302
    assert client_for(admin).get("/admin/").status_code == 200


def test_api_tokens_for_these_roles_need_a_code(therapist_theo, client):
    therapist_theo.set_password("a-long-calm-password-9")
    therapist_theo.save()
    device = TOTPDevice.objects.create(user=therapist_theo, name="phone", confirmed=True)
    payload = {"pseudonym": "therapist_theo", "password": "a-long-calm-password-9"}
    refused = client.post("/api/auth/token", payload, content_type="application/json")
    assert refused.status_code == 401 and "two-factor" in refused.json()["detail"]
    granted = client.post(
        "/api/auth/token",
        {**payload, "code": current_code(device)},
        content_type="application/json",
    )
    assert granted.status_code == 200 and granted.json()["token"]


def test_the_next_address_cannot_lead_off_site(moderator_kim):
    client = client_for(moderator_kim, second_factor=False)
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=moderator_kim)
    client.post("/accounts/two-factor/", {"code": current_code(device)})
    again = client_for(moderator_kim, second_factor=False)
    response = again.post(
        "/accounts/two-factor/",
        {"code": StaticToken.objects.first().token, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/home/"


def test_community_moderators_are_asked_for_a_second_factor_like_site_moderators(
    community_mod_maya,
):
    client = client_for(community_mod_maya, second_factor=False)
    assert client.get("/home/")["Location"] == "/accounts/two-factor/?next=/home/"
    api = client.get("/api/notifications")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    assert client_for(community_mod_maya).get("/home/").status_code == 200


def test_a_community_moderator_needs_a_code_for_an_api_token(community_mod_maya, client):
    device = TOTPDevice.objects.create(user=community_mod_maya, name="phone", confirmed=True)
    payload = {"pseudonym": "community_mod_maya", "password": PASSWORD}
    refused = client.post("/api/auth/token", payload, content_type="application/json")
    assert refused.status_code == 401 and "two-factor" in refused.json()["detail"]
    granted = client.post(
        "/api/auth/token",
        {**payload, "code": current_code(device)},
        content_type="application/json",
    )
    assert granted.status_code == 200
    app = Client(headers={"Authorization": f"Bearer {granted.json()['token']}"})
    assert app.get("/api/me").status_code == 200


def test_a_token_of_a_two_factor_role_stops_working_when_the_second_factor_is_removed(
    therapist_theo, client
):
    device = TOTPDevice.objects.create(user=therapist_theo, name="phone", confirmed=True)
    token = client.post(
        "/api/auth/token",
        {"pseudonym": "therapist_theo", "password": PASSWORD, "code": current_code(device)},
        content_type="application/json",
    ).json()["token"]
    app = Client(headers={"Authorization": f"Bearer {token}"})
    assert app.get("/api/me").status_code == 200
    device.delete()
    assert app.get("/api/me").status_code == 401


def test_a_token_issued_without_a_code_does_not_serve_a_two_factor_role(community_mod_maya):
    """However a token came to exist without a verified code (issued before a role or duty
    needed one), it does not open the API to someone who must pass a second factor."""
    from haven.accounts.actions import do_create_api_token

    TOTPDevice.objects.create(user=community_mod_maya, name="phone", confirmed=True)
    token = do_create_api_token(community_mod_maya)
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me").status_code == 401


def test_a_verified_session_stays_verified_once_the_member_is_loaded(moderator_kim):
    """The second-factor gate hands the view the loaded member (not django_otp's lazy
    wrapper): the device that verified the session must come with them."""
    client = client_for(moderator_kim)
    response = client.get("/moderation/")
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert type(user).__name__ == "User"
    assert user.is_verified()
