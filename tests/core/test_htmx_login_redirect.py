"""After the session ends, htmx requests never get the login page pasted into the page."""

from django.test import Client


def test_a_panel_loading_by_itself_is_left_empty(db):
    response = Client().get("/connect/threads/abc/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.content == b""


def test_an_action_takes_the_whole_page_to_the_login_and_back(db):
    response = Client().post(
        "/updates/abc/react/hug/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/updates/?page=2"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fupdates%2F"


def test_ordinary_requests_still_get_the_login_redirect(db):
    response = Client().get("/connect/threads/abc/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
