"""The context column beside the main one: threads still waiting for a first reply, the
community's rules, similar threads; and the member's communities in the sidebar."""

import re

from haven.forums.actions import do_create_reply, do_create_thread
from tests.conftest import client_for


def aside(page: str) -> str:
    found = re.search(r'<aside class="context-column".*?</aside>', page, re.S)
    return found.group(0) if found else ""


def test_home_lists_threads_waiting_for_a_first_reply(
    members_of_anxiety, alice, bob, anxiety, settings
):
    settings.HAVEN_PAGE_SIZE = 1  # the feed shows the newest thread; the column the rest
    waiting = do_create_thread(
        anxiety, title="Nobody has answered me", body="It has been a long week.", acting_user=bob
    )
    answered = do_create_thread(
        anxiety, title="Already answered", body="Thanks everyone for being here.", acting_user=bob
    )
    do_create_reply(answered, body="I hear you, and I'm glad you wrote.", acting_user=alice)
    newest = do_create_thread(
        anxiety, title="Also waiting, on the feed", body="First time posting.", acting_user=bob
    )
    page = client_for(alice).get("/home/").content.decode()
    column = aside(page)
    assert "Waiting for a first reply" in column
    assert waiting.title in column and answered.title not in column
    # Already on the feed: not repeated beside it.
    assert newest.title in page and newest.title not in column
    # Sorted by "needs support", the feed itself is that list: no column to repeat it.
    page = client_for(alice).get("/home/?sort=needs-support").content.decode()
    assert aside(page) == ""


def test_community_page_shows_its_rules_beside_the_threads(members_of_anxiety, alice, anxiety):
    anxiety.rules = "Be gentle with each other."
    anxiety.save(update_fields=["rules"])
    page = client_for(alice).get(anxiety.get_absolute_url()).content.decode()
    column = aside(page)
    assert f'aria-label="About {anxiety.name}"' in column
    assert "Be gentle with each other." in column


def test_thread_page_loads_similar_threads_into_the_column(members_of_anxiety, alice, anxiety):
    thread = do_create_thread(
        anxiety, title="Racing thoughts at night", body="I can't switch off.", acting_user=alice
    )
    page = client_for(alice).get(thread.get_absolute_url()).content.decode()
    assert 'id="thread-suggestions"' in aside(page)


def test_the_sidebar_lists_the_members_communities(members_of_anxiety, alice, anxiety, grief):
    page = client_for(alice).get("/home/").content.decode()
    sidebar_html = page[page.index('<nav class="sidebar"') : page.index('<main id="main"')]
    assert "Your communities" in sidebar_html
    assert anxiety.get_absolute_url() in sidebar_html
    assert grief.get_absolute_url() not in sidebar_html
