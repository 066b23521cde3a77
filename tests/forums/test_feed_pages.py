"""The home feed and a community's page turn by position (haven.core.keyset): walking "Next page"
to the end and "Previous page" back shows every visible thread once, in order, with threads
that share a moment, pinned ones first and a tag kept; a cursor edited by hand gives the first
page, never an error or another person's threads; and a far page costs what the first does."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.communities.actions import do_join_community
from haven.core.keyset import _beyond, _ordering
from haven.forums.actions import do_create_thread, do_set_thread_pinned
from haven.forums.models import Tag, Thread
from haven.forums.queries import FeedSort, community_threads
from tests.support.plans import plan, sorts

pytestmark = pytest.mark.django_db
PAGE = 4


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.HAVEN_PAGE_SIZE = PAGE


@pytest.fixture
def threads(members_of_anxiety, grief, alice, bob):
    """Eleven threads in Anxiety, three of them at one moment; one in Grief (Bob is not in it)."""
    made = []
    start = timezone.now() - timedelta(days=1)
    for n in range(11):
        thread = do_create_thread(
            members_of_anxiety, title=f"Anxiety thread {n:02d}", body="x", acting_user=alice
        )
        moment = start + timedelta(minutes=min(n, 5) if n < 8 else n)  # 5, 6 and 7 tie
        Thread.objects.filter(pk=thread.pk).update(created_at=moment, last_activity_at=moment)
        made.append(thread)
    do_join_community(alice, grief)
    do_create_thread(grief, title="Grief thread", body="x", acting_user=alice)
    return made


def listed(html: str) -> list[str]:
    pinned = r"(?:<span[^>]*>Pinned</span> )?"
    return re.findall(rf'class="thread-summary__title"><a href="[^"]+">{pinned}([^<]+)</a>', html)


def flat(pages: list[list[str]]) -> list[str]:
    return [title for page in pages for title in page]


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    return unescape(found.group(1)) if found else None


def walk(client, path: str) -> tuple[list[list[str]], list[str]]:
    """Every page's titles following "Next page", then the titles walking back."""
    pages, url, last = [], path, None
    while url:
        html = client.get(url if url.startswith("/") else f"{path.split('?')[0]}{url}").content
        html = html.decode()
        pages.append(listed(html))
        url, last = link(html, "next"), html
    back, html = [], last
    while (previous := link(html, "prev")) is not None:
        html = client.get(f"{path.split('?')[0]}{previous}").content.decode()
        back.append(listed(html))
    return pages, back


def expected(sort_key) -> list[str]:
    rows = Thread.objects.filter(community__slug="anxiety").order_by(*sort_key)
    return [t.title for t in rows]


def test_the_home_feed_walks_to_the_end_and_back(threads, bob_client):
    pages, back = walk(bob_client, "/home/?sort=new")
    assert [len(p) for p in pages] == [4, 4, 3]
    assert flat(pages) == expected(("-created_at", "-id"))  # the three that tie included
    assert back == pages[:-1][::-1]
    assert "Grief thread" not in str(pages)


def test_the_active_sort_and_needs_support_page_too(threads, bob_client):
    pages, _ = walk(bob_client, "/home/?sort=active")
    assert flat(pages) == expected(("-last_activity_at", "-id"))
    pages, _ = walk(bob_client, "/home/?sort=needs-support")
    assert flat(pages) == expected(("created_at", "id"))  # the longest waiting first


def test_a_community_page_keeps_pinned_threads_first_and_its_tag(
    threads, bob_client, community_mod_maya
):
    do_set_thread_pinned(threads[2], True, acting_user=community_mod_maya)
    pages, back = walk(bob_client, "/c/anxiety/")
    titles = flat(pages)
    assert titles[0] == "Anxiety thread 02" and len(titles) == 11 == len(set(titles))
    assert titles[1:] == [t for t in expected(("-created_at", "-id")) if t != "Anxiety thread 02"]
    assert back == pages[:-1][::-1]
    sleep = Tag.objects.create(slug="sleep")
    for thread in threads[:6]:
        thread.tags.add(sleep)
    pages, back = walk(bob_client, "/c/anxiety/?tag=sleep")
    assert sorted(flat(pages)) == [f"Anxiety thread {n:02d}" for n in range(6)]
    assert "tag=sleep" in link(bob_client.get("/c/anxiety/?tag=sleep").content.decode(), "next")


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "W10", "WyJ4Il0", "!!!", "a" * 500,
     # [naive datetime, id], [true, "not a date", 1], [1, 2, 3, 4]
     "WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwgMV0", "W3RydWUsICJub3QgYSBkYXRlIiwgMV0", "WzEsIDIsIDMsIDRd"],
)  # fmt: skip
def test_a_cursor_edited_by_hand_gives_the_first_page(threads, bob_client, cursor):
    first = listed(bob_client.get("/home/").content.decode())
    for key in ("after", "before"):
        response = bob_client.get(f"/home/?{key}={cursor}")
        assert response.status_code == 200
        assert listed(response.content.decode()) == first


def test_a_cursor_only_positions_the_page_the_filters_still_apply(threads, bob_client):
    # A cursor taken from Alice's feed (which has Grief) shows Bob only his own feed's threads.
    html = bob_client.get("/home/").content.decode()
    after = link(html, "next")
    shown = listed(bob_client.get(f"/home/{after}").content.decode())
    assert shown and "Grief thread" not in shown


def test_a_far_page_makes_the_same_queries_as_the_first(threads, bob_client):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert bob_client.get(url).status_code == 200
        return len(captured)

    html = bob_client.get("/home/").content.decode()
    second = link(html, "next")
    third = link(bob_client.get(f"/home/{second}").content.decode(), "next")
    assert count("/home/") == count(f"/home/{third}")


@pytest.mark.parametrize(
    ("sort", "index"),
    [(FeedSort.NEW, "thread_community_newest"), (FeedSort.ACTIVE, "thread_community_active")],
)
def test_a_later_page_seeks_in_the_index_instead_of_sorting(threads, bob, anxiety, sort, index):
    queryset = community_threads(anxiety, bob, sort)
    ordering = _ordering(queryset)
    position = [getattr(threads[5], name) for name, _ in ordering]
    text = plan(queryset.filter(_beyond(ordering, position, forwards=True))[: PAGE + 1])
    assert index in text and not sorts(text), text
