"""Support and short replies on an update, on a phone: A shares an update; B sends a hug and a
reply from A's profile; A sees the count, the reply and a notification that leads to it."""

import re

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PASSWORD = "fern-under-the-morning-rain-8"
PHONE = {"width": 390, "height": 844}
UPDATE_BODY = "Made it to the park today, first time this month."
REPLY_BODY = "That is a real step. Proud of you!"


@pytest.fixture
def members(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    for pseudonym in ("fern_a", "moss_b"):
        do_create_user(pseudonym, PASSWORD, guidelines_version=guidelines.version)


def test_a_reaction_and_a_reply_reach_the_update_author(new_context, shot, members):
    # 1. A shares a public update.
    page_a = new_context(viewport=PHONE).new_page()
    log_in(page_a, "fern_a", PASSWORD)
    page_a.goto("/updates/")
    page_a.get_by_label("Share an update").fill(UPDATE_BODY)
    page_a.get_by_role("button", name="Share", exact=True).click()
    card_a = page_a.locator("article.update", has_text=UPDATE_BODY)
    expect(card_a).to_be_visible()

    # 2. B finds it on A's profile, sends a hug (htmx, no reload) and a reply.
    page_b = new_context(viewport=PHONE).new_page()
    log_in(page_b, "moss_b", PASSWORD)
    page_b.goto("/members/fern_a/")
    card_b = page_b.locator("article.update", has_text=UPDATE_BODY)
    card_b.get_by_role("button", name="Hug").click()
    hug = card_b.get_by_role("button", name="Hug · 1")
    expect(hug).to_have_attribute("aria-pressed", "true")
    expect(page_b).to_have_url(re.compile(r"/members/fern_a/$"))
    card_b.get_by_text("Reply", exact=True).click()
    card_b.get_by_label("Your reply to fern_a").fill(REPLY_BODY)
    shot(page_b, "b-writes-a-reply")
    card_b.get_by_role("button", name="Send reply").click()
    expect(page_b).to_have_url(re.compile(r"/members/fern_a/#reply-[\w-]+$"))
    expect(page_b.get_by_text("Your reply is posted.")).to_be_visible()
    card_b = page_b.locator("article.update", has_text=UPDATE_BODY)
    expect(card_b.get_by_text("1 reply")).to_be_visible()
    shot(page_b, "b-after-replying")

    # 3. A sees the support, the reply and a notification.
    page_a.goto("/updates/")
    card_a = page_a.locator("article.update", has_text=UPDATE_BODY)
    expect(card_a.get_by_text("Hug · 1")).to_be_visible()
    card_a.get_by_text("1 reply").click()
    expect(card_a.get_by_text(REPLY_BODY)).to_be_visible()
    shot(page_a, "a-sees-the-reply")
    page_a.goto("/notifications/")
    note = page_a.get_by_role("link", name="moss_b replied to your update")
    expect(note).to_be_visible()
    shot(page_a, "a-notifications")
    note.click()
    expect(page_a).to_have_url(re.compile(r"/updates/#reply-[\w-]+$"))
    expect(page_a.get_by_text(REPLY_BODY)).to_be_visible()
