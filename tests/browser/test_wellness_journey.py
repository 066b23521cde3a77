"""The wellness tools in a real browser: a ten-second check-in, the chart, and a journal entry in
crisis words that brings the private support panel, with nothing reaching any moderator."""

import re

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.moderation.models import AuditEntry, QueueItem
from haven.safety.models import CrisisResource
from tests.browser.conftest import log_in as log_in_with

pytestmark = pytest.mark.browser

PASSWORD = "quiet-morning-by-the-river-4"
CRISIS_ENTRY = "I can't do this anymore. I want to end my life tonight."


@pytest.fixture
def people(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    CrisisResource.objects.create(
        country="US", country_name="United States", name="988 Suicide & Crisis Lifeline",
        description="Call or text, any time.", phone="988",
    )  # fmt: skip
    member = do_create_user("river", PASSWORD, guidelines_version=guidelines.version)
    moderator = do_create_user(
        "mod_mo", PASSWORD, guidelines_version=guidelines.version, role="moderator"
    )
    return member, moderator


def log_in(page, pseudonym: str) -> None:
    log_in_with(page, pseudonym, PASSWORD)


def test_check_in_see_the_chart_and_journal_privately(new_context, shot, people):
    page = new_context().new_page()
    log_in(page, "river")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Wellness").click()
    expect(page.get_by_role("heading", name="Wellness", level=1)).to_be_visible()

    # The check-in: a mood, a feeling and sleep, then one button.
    page.get_by_label("7", exact=True).check()
    page.get_by_text("Add feelings, sleep or a note").click()
    page.get_by_label("Hopeful").check()
    page.get_by_label("Hours slept last night (optional)").fill("7.5")
    page.get_by_role("button", name="Check in").click()
    expect(page).to_have_url(re.compile(r"/wellness/mood/$"))
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()

    # The chart: a point for today, and the same figures as a table for screen readers.
    expect(page.locator("svg.chart-svg circle")).to_have_count(1)
    expect(page.get_by_text("A new run of check-ins has started.")).to_be_visible()
    page.get_by_text("Show as a table").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="7.0")).to_have_count(1)
    expect(page.get_by_text("hopeful (1)")).to_be_visible()
    shot(page, "mood-chart")

    # A journal entry in crisis words: the private panel at once, with the safety plan one click
    # away, and no word to moderators.
    page.get_by_role("link", name="Journal").first.click()
    page.get_by_role("link", name="New entry").click()
    page.get_by_label("What's on your mind?").fill(CRISIS_ENTRY)
    page.get_by_role("button", name="Save").click()
    panel = page.get_by_role("alert").filter(has_text="You don't have to face this alone")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="988", exact=True)).to_be_visible()
    expect(panel.get_by_text("Our moderators have been told")).to_have_count(0)
    expect(page.get_by_text(CRISIS_ENTRY)).to_be_visible()
    shot(page, "journal-support-panel")
    panel.get_by_role("link", name="Open my safety plan").click()
    expect(page.get_by_role("heading", name="My safety plan")).to_be_visible()

    assert QueueItem.objects.count() == 0
    assert AuditEntry.objects.count() == 0

    # A moderator's queue has nothing from it.
    moderator_page = new_context().new_page()
    log_in(moderator_page, "mod_mo")
    moderator_page.goto("/moderation/queue/?kind=urgent")
    expect(moderator_page.get_by_text("end my life")).to_have_count(0)
    moderator_page.goto("/moderation/queue/")
    expect(moderator_page.get_by_text("end my life")).to_have_count(0)
