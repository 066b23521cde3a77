"""Nothing said to a signed-in member, or to an app holding their token, may be kept by a
browser's back/forward cache, a shared computer's disk cache or a proxy: every such response
says `Cache-Control: private, no-store`."""

import pytest
from django.test import Client

from haven.accounts.actions import do_create_api_token
from tests.conftest import client_for

MEMBER_PAGES = [
    "/home/",
    "/journal/",
    "/journal/new/",
    "/wellness/",
    "/wellness/check-in/",
    "/wellness/mood/",
    "/wellness/mood/export.csv",
    "/safety-plan/",
    "/chat/",
    "/talk/",
    "/care/messages/",
    "/care/record/",
    "/care/appointments/",
    "/notifications/",
    "/accounts/settings/",
    "/search/?q=sleep",
    "/members/bob/",
]
MEMBER_API = [
    "/api/me",
    "/api/me/export",
    "/api/journal",
    "/api/checkins",
    "/api/checkins/summary",
    "/api/safety-plan",
    "/api/chat/conversations",
    "/api/notifications",
    "/api/care/relationships",
    "/api/care/record",
    "/api/journal/999999",  # a 404 to a signed-in member is theirs too
]
MODERATOR_URLS = ["/moderation/", "/moderation/audit/", "/api/moderation/queue"]


def directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in header.split(",") if part.strip()}


def assert_private(response, url: str) -> None:
    # `no-store` forbids every cache, private or shared, to keep it; `private` is added where
    # the view said nothing (a few downloads already say `no-store` themselves).
    said = directives(response)
    assert "no-store" in said and "public" not in said, (url, response.status_code, said)


def test_a_page_that_said_nothing_gets_both_private_and_no_store(alice):
    assert directives(client_for(alice).get("/journal/")) == {"private", "no-store"}


@pytest.mark.parametrize("url", MEMBER_PAGES + MEMBER_API)
def test_every_response_to_a_signed_in_member_is_private_and_not_stored(alice, bob, url):
    assert_private(client_for(alice).get(url), url)


@pytest.mark.parametrize("url", MEMBER_API)
def test_every_api_response_to_a_token_is_private_and_not_stored(alice, url):
    app = Client(headers={"Authorization": f"Bearer {do_create_api_token(alice)}"})
    assert_private(app.get(url), url)


@pytest.mark.parametrize("url", MODERATOR_URLS)
def test_moderation_pages_and_api_are_private_and_not_stored(moderator_kim, url):
    assert_private(client_for(moderator_kim).get(url), url)


def test_a_form_post_and_its_redirect_are_private_and_not_stored(alice):
    response = client_for(alice).post("/safety-plan/step/people_to_ask/", {"items": "My sister"})
    assert response.status_code == 302
    assert_private(response, "/safety-plan/step/people_to_ask/")


def test_the_account_export_download_is_private_and_not_stored(alice):
    response = client_for(alice).post("/accounts/export/")
    assert response.status_code == 200
    assert_private(response, "/accounts/export/")


def test_signing_out_is_not_stored_either(alice):
    client = client_for(alice)
    assert_private(client.post("/accounts/logout/"), "/accounts/logout/")


def test_a_wrong_token_is_answered_privately(db):
    app = Client(headers={"Authorization": "Bearer not-a-token"})
    assert_private(app.get("/api/me"), "/api/me")


def test_public_pages_for_visitors_are_left_cacheable(guidelines):
    visitor = Client()
    for url in ("/guidelines/", "/api/guidelines"):
        response = visitor.get(url)
        assert response.status_code == 200
        assert "no-store" not in directives(response), url
