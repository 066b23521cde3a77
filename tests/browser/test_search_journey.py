"""Search grouping in a real browser: a thread where several replies match shows as one card,
its best reply quoted and the others counted; a content-warned thread keeps its words behind
the warning; and a search about nothing here says so kindly, with other ways forward."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.communities.actions import do_join_community, do_save_community
from haven.forums.actions import do_create_reply, do_create_thread
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PASSWORD = "harbour-lights-at-dusk-7"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def seeded(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    anxiety = do_save_community(slug="anxiety", name="Anxiety", description="Worry, panic.")
    members = [
        do_create_user(name, PASSWORD, guidelines_version=guidelines.version)
        for name in ("wren", "sol", "ines")
    ]
    for member in members:
        do_join_community(member, anxiety)
    wren, sol, ines = members
    calm = do_create_thread(
        anxiety, title="Places that calm you down",
        body="Where do you go, or picture, when everything gets too loud?", acting_user=wren,
    )  # fmt: skip
    for author, body in [
        (sol, "We walked out to the lighthouse at dawn and the sea was calm for once."),
        (ines, "Counting the lighthouse flashes helped me slow my breathing at night."),
        (sol, "I keep a photo of that lighthouse on my phone for the bad days."),
        (ines, "The lighthouse keeper's cottage is a café now; I sat there for an hour."),
    ]:
        do_create_reply(calm, body=body, acting_user=author)
    do_create_thread(
        anxiety, title="Sourdough starter advice",
        body="My starter smells of nail varnish. Do I feed it more or start again?",
        acting_user=sol,
    )  # fmt: skip
    hard = do_create_thread(
        anxiety, title="A hard night", content_warning="self-harm mention",
        body="Last night was rough and I want to talk about it.", acting_user=ines,
    )  # fmt: skip
    do_create_reply(
        hard,
        body="When it gets like that I picture the lighthouse and ring a friend.",
        acting_user=wren,
    )
    # The worker embeds what was written, so meaning is searched as in production.
    call_command("worker", batch=True, interval=0)
    return wren


def search_for(page, words: str) -> None:
    page.get_by_label("Search threads, replies and updates").fill(words)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()


def test_search_grouping_one_card_per_thread_and_a_kind_empty_answer(seeded, new_context, shot):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, "wren", PASSWORD)
    page.goto("/search/")
    search_for(page, "lighthouse")

    results = page.locator("ol.results > li")
    expect(results).to_have_count(2)  # the calm thread once, and the content-warned one
    calm = results.filter(has=page.get_by_role("heading", name="Places that calm you down"))
    expect(calm).to_have_count(1)
    expect(calm.get_by_text("and 3 more replies match")).to_be_visible()
    expect(calm.locator("blockquote mark").first).to_have_text(re.compile("lighthouse", re.I))
    expect(page.get_by_role("heading", name="Sourdough starter advice")).to_have_count(0)

    # The content-warned thread's words wait behind its warning.
    hard = results.filter(has=page.get_by_role("heading", name="A hard night"))
    expect(hard.get_by_text("Content warning: self-harm mention")).to_be_visible()
    quote = hard.locator("blockquote")
    expect(quote).to_be_hidden()
    hard.get_by_text("Show the matching reply").click()
    expect(quote).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")  # the sticky app bar stays at the top of the shot
    shot(page, "grouped-phone")

    page.set_viewport_size(DESKTOP)
    shot(page, "grouped-desktop")

    # The card's link opens the thread at the quoted reply.
    calm.get_by_role("link", name="Places that calm you down").click()
    expect(page).to_have_url(re.compile(r"/c/anxiety/t/[^/]+/#post-"))
    anchor = page.url.split("#", 1)[1]
    expect(page.locator(f"#{anchor}")).to_contain_text("lighthouse")

    page.goto("/search/")
    search_for(page, "xqzv blorp")
    expect(page.get_by_role("heading", name="Nothing here matches that closely")).to_be_visible()
    expect(page.locator("ol.results")).to_have_count(0)
    expect(page.get_by_role("link", name="Browse communities")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Talk to someone now")).to_be_visible()
    shot(page, "nothing-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "nothing-phone")
