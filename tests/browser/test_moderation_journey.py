"""In a real browser: a member reports a reply, a moderator removes it with a reason, and its
author sees the reason and appeals."""

import re

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.models import Role
from haven.communities.actions import do_join_community, do_save_community
from haven.forums.actions import do_create_reply, do_create_thread
from haven.moderation.models import Appeal
from tests.browser.conftest import log_in as log_in_with

pytestmark = pytest.mark.browser

PASSWORD = "gentle-lantern-over-the-bay-7"
REPLY = "Maybe just try harder and stop complaining so much."


@pytest.fixture
def scene(transactional_db):
    guidelines = do_publish_guidelines("# Be kind")
    community = do_save_community(slug="anxiety", name="Anxiety", description="Worry.")
    people = {
        name: do_create_user(name, PASSWORD, guidelines_version=guidelines.version, role=role)
        for name, role in [
            ("opener", Role.MEMBER),
            ("replier", Role.MEMBER),
            ("reporter", Role.MEMBER),
            ("mod_kim", Role.MODERATOR),
        ]
    }
    for member in people.values():
        do_join_community(member, community)
    thread = do_create_thread(
        community,
        title="Panic at work",
        body="My hands shake in meetings.",
        acting_user=people["opener"],
    )
    reply = do_create_reply(thread, body=REPLY, acting_user=people["replier"])
    return thread, reply


def log_in(page, pseudonym: str) -> None:
    log_in_with(page, pseudonym, PASSWORD)


def test_report_remove_reason_and_appeal(new_context, shot, scene):
    thread, reply = scene
    # A member reports the reply.
    reporter = new_context().new_page()
    log_in(reporter, "reporter")
    reporter.goto(thread.get_absolute_url())
    reply_article = reporter.locator(f"#post-{reply.public_id}")
    reply_article.get_by_role("link", name="Report").click()
    expect(reporter.get_by_role("heading", name="Report this reply")).to_be_visible()
    reporter.get_by_label("Harassment or bullying").check()
    reporter.get_by_label("Anything moderators should know? (optional)").fill("Dismissive")
    reporter.get_by_role("button", name="Send report").click()
    expect(reporter.get_by_text("Thank you for telling us.")).to_be_visible()
    shot(reporter, "reported")

    # The moderator finds it in the queue and removes it with a reason.
    moderator = new_context().new_page()
    log_in(moderator, "mod_kim")
    moderator.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    expect(moderator.get_by_role("heading", name="Moderation queue")).to_be_visible()
    moderator.get_by_role("link", name=re.compile(r"Reply in “Panic at work”")).click()
    expect(moderator.get_by_text(REPLY)).to_be_visible()
    expect(moderator.get_by_text("Harassment or bullying")).to_be_visible()
    moderator.get_by_label("Remove (the author is told the reason)").check()
    moderator.get_by_label("Reason (shown to the member where they are told)").fill(
        "Please don't tell people to try harder; it can hurt."
    )
    shot(moderator, "deciding")
    moderator.get_by_role("button", name="Decide").click()
    expect(moderator.get_by_text("Done. It's in the audit log.")).to_be_visible()

    # Others no longer see it.
    reporter.goto(thread.get_absolute_url())
    expect(reporter.get_by_text(REPLY)).to_have_count(0)

    # The author is told why, and appeals.
    author = new_context().new_page()
    log_in(author, "replier")
    expect(
        author.get_by_role("navigation", name="Main").locator("[data-unread-count]")
    ).to_have_text("1")
    author.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notifications")
    ).click()
    note = author.get_by_role("link", name=re.compile(r"A moderator removed your post"))
    expect(note).to_contain_text("Please don't tell people to try harder")
    note.click()
    expect(author.get_by_role("heading", name="Appeal a moderator's decision")).to_be_visible()
    expect(
        author.get_by_text("Reason given: Please don't tell people to try harder")
    ).to_be_visible()
    author.get_by_label("Why should it be restored?").fill("I meant it kindly, I'll reword it.")
    author.get_by_role("button", name="Send my appeal").click()
    expect(author.get_by_text("Your appeal is sent.")).to_be_visible()
    shot(author, "appealed")
    assert Appeal.objects.get().text == "I meant it kindly, I'll reword it."
