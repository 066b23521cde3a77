"""Signing up with a pseudonym only, accepting the guidelines, logging in, throttling."""

import pytest

from haven.accounts.models import User
from tests.accounts.conftest import api_token_for, bearer, queued_jobs, run_jobs
from tests.conftest import PASSWORD

GOOD = {
    "pseudonym": "QuietFern",
    "password": "lanterns-over-the-bay-7",
    "email": "",
    "accept_guidelines": "on",
}


def test_signing_up_needs_only_a_pseudonym_and_password(client, guidelines):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="pseudonym"' in page and 'value="' in page  # a friendly name is offered
    response = client.post("/accounts/signup/", GOOD)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.pseudonym == "QuietFern" and user.email == ""
    assert user.password.startswith("argon2")
    assert user.guidelines_version == guidelines.version
    assert client.get("/home/").status_code == 200  # signed in


def test_signing_up_requires_accepting_the_guidelines(client, guidelines):
    response = client.post("/accounts/signup/", {**GOOD, "accept_guidelines": ""})
    assert response.status_code == 200
    assert "Please read and accept the guidelines to join." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pseudonym": "alice"}, "That pseudonym is taken"),
        ({"pseudonym": "ALICE"}, "That pseudonym is taken"),
        ({"pseudonym": "no spaces please"}, "3 to 30 letters"),
        ({"pseudonym": "ab"}, "3 to 30 letters"),
        ({"password": "short"}, "too short"),
        ({"password": "password1234"}, "too common"),
        ({"email": "not-an-email"}, "valid email"),
    ],
)
def test_signup_explains_what_to_change(changes, message, client, alice):
    response = client.post("/accounts/signup/", {**GOOD, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_suggest_another_pseudonym_returns_a_fresh_input(client, guidelines):
    response = client.get("/accounts/signup/suggest/")
    assert response.status_code == 200
    assert 'id="id_pseudonym"' in response.content.decode()


def test_logging_in_ignores_the_case_of_the_pseudonym(client, alice):
    response = client.post("/accounts/login/", {"username": "ALICE", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
        assert "don&#x27;t match" in response.content.decode()
    # The attempt that reaches the limit locks; after it, even the right password waits.
    assert (
        client.post("/accounts/login/", {"username": "alice", "password": "x"}).status_code == 429
    )
    locked = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    api = client.post(
        "/api/auth/token",
        {"pseudonym": "alice", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert "Too many attempts" in api.json()["detail"]


def test_sessions_and_csrf_cookies_are_http_only(client, guidelines):
    response = client.post("/accounts/signup/", GOOD)
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_forms_are_protected_by_csrf(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert strict.post("/updates/", {"body": "hi", "visibility": "public"}).status_code == 403
    assert (
        strict.post("/api/updates", {"body": "hi"}, content_type="application/json").status_code
        == 403
    )


def test_a_member_with_a_recovery_email_can_reset_their_password(client, alice, mailoutbox):
    alice.email = "alice@example.org"
    alice.save()
    token = api_token_for("alice")
    response = client.post("/accounts/password/forgot/", {"email": "ALICE@example.org"})
    assert response["Location"] == "/accounts/password/forgot/sent/"
    run_jobs()
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-calm-pass-9", "new_password2": "a-brand-new-calm-pass-9"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-calm-pass-9")
    # Whoever had the old password may have made an app token with it: it stops working.
    assert bearer(token).get("/api/me").status_code == 401


def test_password_reset_never_reveals_whether_an_address_is_known(client, alice, mailoutbox):
    alice.email = "alice@example.org"
    alice.save()
    known = client.post("/accounts/password/forgot/", {"email": "alice@example.org"})
    unknown = client.post("/accounts/password/forgot/", {"email": "nobody@example.org"})
    # The same answer, and the same work: each request only queues one job, which looks the
    # address up later, so the page takes as long either way.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/forgot/sent/"
    assert mailoutbox == []
    assert queued_jobs() == ["haven.accounts.tasks.send_password_reset"] * 2
    run_jobs()
    assert [message.to for message in mailoutbox] == [["alice@example.org"]]


def test_password_reset_requests_are_rate_limited_per_address_and_per_client(client, alice):
    for _ in range(3):
        assert (
            client.post("/accounts/password/forgot/", {"email": "x@example.org"}).status_code == 302
        )
    refused = client.post("/accounts/password/forgot/", {"email": "X@example.org "})
    assert refused.status_code == 429
    assert "check your inbox" in refused.content.decode()
    # Another address from the same client still gets through, up to the client's own limit,
    # and a forged X-Forwarded-For does not reset it.
    statuses = [
        client.post(
            "/accounts/password/forgot/",
            {"email": f"other{n}@example.org"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(8)
    ]
    assert statuses == [302] * 6 + [429] * 2


def test_without_mail_configured_reset_links_stay_out_of_the_server_log(settings, capsys, caplog):
    from django.core.mail import EmailMessage

    from haven.accounts.mail import UnconfiguredEmailBackend

    message = EmailMessage(
        "Reset", "https://haven.example/accounts/password/reset/MQ/abc/", to=["a@b.c"]
    )
    settings.DEBUG = False
    assert UnconfiguredEmailBackend().send_messages([message]) == 0
    logged = capsys.readouterr().out + capsys.readouterr().err + caplog.text
    assert "not configured" in caplog.text
    assert "password/reset" not in logged and "a@b.c" not in logged
    settings.DEBUG = True  # a developer's machine: the link is printed to follow it
    assert UnconfiguredEmailBackend().send_messages([message]) == 1
    assert "password/reset/MQ/abc" in capsys.readouterr().out
