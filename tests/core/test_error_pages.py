"""Error pages always render, with the crisis lines, even while the database or the session
store is failing; a database that is down answers 503 and the next request after it is back
works."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import Client
from psycopg_pool import PoolTimeout

from haven.core.error_pages import RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE
from haven.forums.actions import do_create_thread
from tests.conftest import client_for

CRISIS_LINE = "988 Suicide &amp; Crisis Lifeline"  # HAVEN_DEFAULT_COUNTRY is US in the tests
WORLDWIDE_LINE = "Find A Helpline"


@contextmanager
def database_stopped(error: Exception):
    """Every query fails as it does when PostgreSQL is down or the pool has nothing free."""

    def refuse(*args, **kwargs):
        raise error

    with mock.patch.object(connection, "ensure_connection", refuse):
        yield


def quiet(client: Client) -> Client:
    """As a real server does: the client answers with the error page instead of raising what
    the handler caught (a 503 from middleware goes through handler500 too)."""
    client.raise_request_exception = False
    return client


def assert_crisis_page(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status, page[:500]
    assert heading in page
    assert CRISIS_LINE in page and WORLDWIDE_LINE in page
    assert 'href="/help/"' in page and "Get help now" in page
    assert 'href="/static/haven/haven.css"' in page
    return page


STOPPED = [
    OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused"),
    PoolTimeout("couldn't get a connection after 10.00 sec"),
]


@pytest.mark.parametrize("error", STOPPED, ids=["refused", "pool_timeout"])
def test_a_signed_in_page_answers_503_with_crisis_lines_while_the_database_is_down_and_works_after(
    error, alice
):
    client = quiet(client_for(alice))
    with database_stopped(error):
        response = client.get("/home/")
    assert_crisis_page(response, 503, "We're having trouble right now")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)

    assert client.get("/home/").status_code == 200  # the database is back: so is the site


def test_the_help_page_answers_503_with_the_shipped_crisis_lines_while_the_database_is_down(db):
    with database_stopped(STOPPED[0]):
        response = quiet(Client()).get("/help/")
    assert_crisis_page(response, 503, "We're having trouble right now")
    assert Client().get("/help/").status_code == 200


def test_the_api_answers_503_in_json_while_the_database_is_down(alice):
    client = quiet(client_for(alice))
    with database_stopped(STOPPED[1]):
        response = client.get("/api/me")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": UNAVAILABLE_MESSAGE, "code": "service_unavailable"}
    assert "try again" in UNAVAILABLE_MESSAGE


def test_a_missing_page_renders_its_404_with_crisis_lines_while_the_database_is_down(db):
    with database_stopped(STOPPED[0]):
        response = quiet(Client()).get("/no-such-page/")
    assert_crisis_page(response, 404, "We couldn't find that page")


def test_a_bad_request_renders_its_400_with_crisis_lines_while_the_database_is_down(db):
    with database_stopped(STOPPED[0]):
        response = quiet(Client()).get("/", headers={"host": "not-a-haven-host.example"})
    assert_crisis_page(response, 400, "We couldn't understand that request")


@pytest.mark.parametrize("failure", ["session_cache", "any_error"])
def test_the_500_page_renders_when_the_session_store_fails(failure, alice):
    """The review's failure: the session could not be loaded, and the 500 view, which read the
    session again for its context processors, failed too."""
    client = quiet(client_for(alice))
    broken = AttributeError("'SessionStore' object has no attribute '_session_cache'")
    if failure == "any_error":
        broken = RuntimeError("the session table could not be read")
    with mock.patch.object(SessionStore, "load", side_effect=broken):
        response = client.get("/home/")
    assert_crisis_page(response, 500, "Something went wrong on our side")


def test_the_403_page_keeps_its_message_and_shows_crisis_lines_without_reading_the_session(
    alice,
):
    response = client_for(alice).get("/moderation/")
    assert_crisis_page(response, 403, "That isn't possible here")
    # Rendered without context processors: no user, no session, no messages in its context.
    assert "user" not in response.context and "messages" not in response.context


def test_the_429_page_keeps_the_rate_limit_message_says_when_and_shows_crisis_lines(
    settings, members_of_anxiety, alice
):
    one_edit = {"member": "1/h", "new_member": "1/h", "ip": "100/h"}
    settings.HAVEN_RATE_LIMITS = {**settings.HAVEN_RATE_LIMITS, "post": one_edit}
    thread = do_create_thread(
        members_of_anxiety, title="Rough week", body="It has been long.", acting_user=alice
    )
    client = client_for(alice)
    path = f"/posts/{thread.first_post.public_id}/edit/"
    client.post(path, {"title": "Rough week", "body": "It has been a long one."})
    response = client.post(path, {"title": "Rough week", "body": "It has been so long."})
    page = assert_crisis_page(response, 429, "take a short break</h1>")
    assert "take a short break" in page and "you can post again in " in page
    assert 'href="/talk/"' in page and "Talk to someone now" in page
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "user" not in response.context


def test_collectstatic_writes_the_page_nginx_shows_when_haven_is_down(tmp_path, settings):
    """Every `haven collectstatic` writes it, with its compressed copy, for the host's country
    and the world; collecting again replaces it (never a second file beside it)."""
    from django.core.management import call_command

    from haven.core.error_pages import crisis_lines

    settings.STATIC_ROOT = tmp_path
    settings.HAVEN_DEFAULT_COUNTRY = "ES"
    crisis_lines.cache_clear()  # remembered per process, for the country the settings name
    try:
        for _ in range(2):
            call_command("collectstatic", "--noinput", verbosity=0)
    finally:
        crisis_lines.cache_clear()
    written = sorted(path.name for path in (tmp_path / "haven").glob("unavailable*"))
    assert written == [
        "unavailable.es.html", "unavailable.es.html.gz", "unavailable.html", "unavailable.html.gz"
    ]  # fmt: skip
    page = (tmp_path / "haven" / "unavailable.html").read_text()
    assert "isn't answering at the moment" in page
    assert "<h3>Spain</h3>" in page and "024 Suicidal behaviour line" in page
    assert "Anywhere in the world" in page
    assert "988" not in page  # another country's line
    assert "{{" not in page and "{%" not in page
    # One page per language: nginx picks it by the language cookie, then Accept-Language.
    spanish = (tmp_path / "haven" / "unavailable.es.html").read_text()
    assert '<html lang="es"' in spanish and "<h3>España</h3>" in spanish
    assert "024 Línea de atención a la conducta suicida" in spanish
    assert "isn't answering" not in spanish and "{{" not in spanish
