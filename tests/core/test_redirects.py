"""No open redirects: every `next` that a form or link carries is followed only when it is a
path on this site; anything else (another host, `//host`, `/\\host`, `javascript:`) falls back to
a page of Haven."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.actions import do_publish_guidelines
from haven.chat.actions import do_request_chat
from tests.chat.conftest import accept_offer, make_listener
from tests.conftest import PASSWORD, client_for

ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    " https://evil.example/",
    "http:///evil.example/",
]


def stays_here(response, fallback: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == fallback


@pytest.mark.parametrize("target", ELSEWHERE)
def test_dismissing_the_nudge_never_leaves_the_site(alice_client, target):
    response = alice_client.post("/nudge/dismiss/", {"next": target})
    stays_here(response, reverse("forums:home"))


def test_dismissing_the_nudge_returns_to_the_page_it_was_on(alice_client):
    response = alice_client.post("/nudge/dismiss/", {"next": "/communities/?page=2"})
    stays_here(response, "/communities/?page=2")


@pytest.mark.parametrize("target", ELSEWHERE)
def test_accepting_new_guidelines_never_leaves_the_site(alice, alice_client, target):
    do_publish_guidelines("# Be kind\n\nAnd patient.")
    shown = alice_client.get("/guidelines/", {"next": target}).content.decode()
    assert "evil.example" not in shown and "javascript:" not in shown
    response = alice_client.post("/guidelines/", {"accept": "yes", "next": target})
    stays_here(response, reverse("forums:home"))


@pytest.mark.parametrize("target", ELSEWHERE)
def test_signing_in_never_leaves_the_site(alice, client, target):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD, "next": target}
    )
    stays_here(response, reverse("forums:home"))


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_second_factor_never_leaves_the_site(moderator_kim, target):
    client = client_for(moderator_kim, second_factor=False)
    device = TOTPDevice.objects.create(user=moderator_kim, name="phone", confirmed=True)
    shown = client.get("/accounts/two-factor/", {"next": target}).content.decode()
    assert "evil.example" not in shown and "javascript:" not in shown
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post("/accounts/two-factor/", {"code": f"{code:06d}", "next": target})
    stays_here(response, reverse("forums:home"))


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sharing_the_safety_plan_in_a_chat_never_leaves_the_site(
    alice, alice_client, guidelines, django_capture_on_commit_callbacks, target
):
    make_listener("listener_lee", guidelines, topics=["anxiety"])
    with django_capture_on_commit_callbacks(execute=True):
        chat_request = do_request_chat(alice, topics=["anxiety"], language="en", message="")
    chat_request = accept_offer(chat_request, django_capture_on_commit_callbacks)
    alice_client.post("/safety-plan/step/people_to_ask/", {"items": "My sister"})
    response = alice_client.post(
        f"/safety-plan/share/chat/{chat_request.conversation.pk}/", {"next": target}
    )
    stays_here(response, reverse("wellness:safety_plan"))
