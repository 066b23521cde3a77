"""Muted themes and tags fold threads and updates behind one line the reader can open, on
every page that lists them and in the API; content warnings follow the reader's choice."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.accounts.preferences import DEFAULT_FILTERS, do_save_preferences, viewer_filters
from haven.forums.actions import do_create_thread
from haven.updates.actions import do_create_update, do_follow
from haven.updates.models import Follow
from tests.conftest import client_for

PLACEHOLDER = "Hidden: grief and loss — you chose to mute this theme."


def mute(member, *, themes=(), tags=(), display="blur"):
    do_save_preferences(
        member, muted_themes=list(themes), muted_tags=list(tags),
        content_warning_display=display, direct_messages_from="following",
        direct_messages_min_level=2, is_peer_responder=False,
    )  # fmt: skip


@pytest.fixture
def grief_thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="The first winter without him",
        body="My dad died in November and the funeral still feels unreal.", acting_user=alice,
    )  # fmt: skip


@pytest.fixture
def calm_thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="Breathing before a meeting",
        body="Box breathing helps me before work calls.", tags=["work"], acting_user=alice,
    )  # fmt: skip


def folded(html: str, title: str) -> bool:
    """The title appears only inside a closed <details> whose summary names the reason."""
    start = html.find(title)
    assert start != -1, f"{title!r} is not on the page at all"
    opening = html.rfind('<details class="muted-item', 0, start)
    closing = html.rfind("</details>", 0, start)
    return opening != -1 and opening > closing


def test_a_muted_theme_folds_the_thread_on_the_home_feed(grief_thread, calm_thread, bob):
    mute(bob, themes=["grief"])
    html = client_for(bob).get("/home/").content.decode()
    assert PLACEHOLDER in html
    assert folded(html, grief_thread.title)
    assert not folded(html, calm_thread.title)


def test_a_muted_theme_folds_the_thread_on_the_community_page(grief_thread, bob):
    mute(bob, themes=["grief"])
    html = client_for(bob).get("/c/anxiety/").content.decode()
    assert PLACEHOLDER in html and folded(html, grief_thread.title)


def test_a_muted_tag_folds_the_thread(calm_thread, bob):
    mute(bob, tags=["work"])
    html = client_for(bob).get("/c/anxiety/").content.decode()
    assert "Hidden: tagged “work” — you chose to mute this tag." in html
    assert folded(html, calm_thread.title)


def test_the_waiting_for_a_reply_aside_folds_a_muted_thread(
    grief_thread, calm_thread, bob, settings
):
    settings.HAVEN_PAGE_SIZE = 1  # the newest thread fills the list; the grief one waits aside
    mute(bob, themes=["grief"])
    html = client_for(bob).get("/c/anxiety/").content.decode()
    aside = html[html.find('id="waiting-heading"') :]
    assert folded(aside, grief_thread.title)
    assert PLACEHOLDER in aside


def test_search_results_fold_a_muted_thread(grief_thread, bob):
    mute(bob, themes=["grief"])
    html = client_for(bob).get("/search/", {"q": "funeral"}).content.decode()
    assert PLACEHOLDER in html and folded(html, grief_thread.title)


def test_the_thread_page_shows_the_placeholder_before_the_words(grief_thread, bob):
    mute(bob, themes=["grief"])
    html = client_for(bob).get(grief_thread.get_absolute_url()).content.decode()
    assert PLACEHOLDER in html
    body = html.find("funeral still feels unreal")
    assert html.rfind("muted-item", 0, body) > html.rfind("</details>", 0, body)


def test_the_writer_never_has_their_own_thread_folded(grief_thread, alice):
    mute(alice, themes=["grief"])
    assert PLACEHOLDER not in client_for(alice).get("/home/").content.decode()


def test_a_reader_who_muted_nothing_sees_the_thread_as_before(grief_thread, bob):
    html = client_for(bob).get("/home/").content.decode()
    assert "Hidden:" not in html and not folded(html, grief_thread.title)


def test_the_api_says_why_a_thread_is_hidden(grief_thread, calm_thread, bob):
    mute(bob, themes=["grief"])
    client = client_for(bob)
    items = {t["title"]: t for t in client.get("/api/feed").json()["items"]}
    assert items[grief_thread.title]["hidden_reason"] == (
        "grief and loss — you chose to mute this theme"
    )
    assert items[grief_thread.title]["themes"] == ["grief"]
    assert items[calm_thread.title]["hidden_reason"] is None
    detail = client.get(f"/api/threads/{grief_thread.public_id}").json()
    assert detail["hidden_reason"].startswith("grief and loss")


def test_a_muted_theme_folds_updates_on_the_timeline_and_in_the_api(alice, bob):
    do_follow(alice, acting_user=bob)
    Follow.objects.filter(follower=bob).update(status="accepted")
    do_create_update(body="Visited the funeral home today.", visibility="public",
                     acting_user=alice)  # fmt: skip
    do_create_update(body="A good walk by the sea.", visibility="public", acting_user=alice)
    mute(bob, themes=["grief"])
    client = client_for(bob)
    html = client.get("/updates/").content.decode()
    assert PLACEHOLDER in html and folded(html, "Visited the funeral home today.")
    assert not folded(html, "A good walk by the sea.")
    items = client.get("/api/updates/timeline").json()["items"]
    reasons = {item["body"]: item["hidden_reason"] for item in items}
    assert reasons["Visited the funeral home today."].startswith("grief and loss")
    assert reasons["A good walk by the sea."] is None


@pytest.fixture
def warned_thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="About my panic", body="It started on the train.",
        content_warning="panic attack detail", acting_user=alice,
    )  # fmt: skip


def test_content_warnings_are_held_back_by_default(warned_thread, bob):
    html = client_for(bob).get(warned_thread.get_absolute_url()).content.decode()
    assert '<details class="content-warning">' in html
    assert "Content warning: panic attack detail" in html


def test_content_warnings_can_be_hidden_behind_one_line(warned_thread, bob):
    mute(bob, display="hide")
    client = client_for(bob)
    for url in (warned_thread.get_absolute_url(), "/home/"):
        html = client.get(url).content.decode()
        assert "Hidden: this post has a content warning." in html
        # The warning's own words wait behind the line too.
        note = html.find("Hidden: this post has a content warning.")
        assert html.find("panic attack detail") > note


def test_content_warnings_can_be_shown(warned_thread, bob):
    mute(bob, display="show")
    html = client_for(bob).get(warned_thread.get_absolute_url()).content.decode()
    assert "Content warning: panic attack detail" in html
    assert '<details class="content-warning' not in html
    assert "It started on the train." in html


def test_signed_out_visitors_get_the_defaults():
    assert viewer_filters(AnonymousUser()) == DEFAULT_FILTERS
    assert DEFAULT_FILTERS.content_warning_display == "blur"


def test_the_home_feed_costs_the_same_queries_with_filters_for_1_or_12_threads(
    members_of_anxiety, alice, bob
):
    mute(bob, themes=["grief"], tags=["work"])
    client = client_for(bob)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    do_create_thread(members_of_anxiety, title="one", body="My dad died.", acting_user=alice)
    client.get("/home/")
    one = count("/home/")
    for n in range(11):
        do_create_thread(members_of_anxiety, title=f"t{n}", body="The funeral.", tags=["work"],
                         acting_user=alice)  # fmt: skip
    assert count("/home/") == one
