"""Members re-accept the guidelines when a new version is published."""

from haven.accounts.actions import do_publish_guidelines


def test_a_new_version_sends_members_to_read_and_accept_it(alice, alice_client):
    assert alice_client.get("/home/").status_code == 200
    new = do_publish_guidelines("# Be kind\n\nAnd use content warnings.", summary_of_changes="CWs")
    response = alice_client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/guidelines/?next=/home/")
    page = alice_client.get("/guidelines/").content.decode()
    assert "have changed since you last accepted them: CWs" in page
    # The help page stays reachable whatever happens.
    assert alice_client.get("/help/").status_code == 200
    response = alice_client.post("/guidelines/", {"accept": "yes", "next": "/home/"})
    assert response["Location"] == "/home/"
    alice.refresh_from_db()
    assert alice.guidelines_version == new.version
    assert alice_client.get("/home/").status_code == 200


def test_the_api_refuses_until_the_new_version_is_accepted(alice_client):
    new = do_publish_guidelines("v2")
    refused = alice_client.get("/api/feed")
    assert refused.status_code == 403
    assert refused.json()["code"] == "guidelines_not_accepted"
    guidelines = alice_client.get("/api/guidelines").json()
    assert (guidelines["version"], guidelines["accepted"]) == (new.version, False)
    wrong = alice_client.post(
        "/api/guidelines/accept", {"version": new.version - 1}, content_type="application/json"
    )
    assert wrong.status_code == 409
    accepted = alice_client.post(
        "/api/guidelines/accept", {"version": new.version}, content_type="application/json"
    )
    assert accepted.json()["accepted"] is True
    assert alice_client.get("/api/feed").status_code == 200


def test_token_clients_also_have_to_accept(alice):
    from django.test import Client

    from haven.accounts.actions import do_create_api_token

    token = do_create_api_token(alice)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/feed").status_code == 200
    do_publish_guidelines("v2")
    assert client.get("/api/feed").status_code == 403
    assert client.get("/api/guidelines").json()["accepted"] is False


def test_a_member_can_take_their_data_and_leave_without_accepting(alice, alice_client):
    from tests.conftest import PASSWORD

    do_publish_guidelines("v2")
    assert alice_client.get("/home/").status_code == 302
    assert alice_client.post("/accounts/export/").status_code == 200
    assert alice_client.get("/api/me/export").json()["profile"]["pseudonym"] == "alice"
    response = alice_client.post("/accounts/delete/", {"content": "erase", "password": PASSWORD})
    assert response.status_code == 302
    assert not type(alice).objects.filter(pk=alice.pk).exists()


def test_the_redirect_after_accepting_stays_on_this_site(alice_client):
    do_publish_guidelines("v2")
    response = alice_client.post(
        "/guidelines/", {"accept": "yes", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == "/home/"
