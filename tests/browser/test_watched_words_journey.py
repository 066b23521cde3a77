"""In a real browser: a community moderator adds a watched word with each action (block, hold
for approval, flag, hide, replace with a link), trying each on a sample first, and a member's
replies then meet each treatment."""

import re

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.communities.actions import (
    do_join_community,
    do_save_community,
    do_set_community_moderator,
)
from haven.communities.models import WatchedWord
from haven.forums.actions import do_create_thread
from haven.forums.models import Post
from haven.moderation.models import QueueItem
from tests.browser.conftest import log_in as log_in_with

pytestmark = pytest.mark.browser

PASSWORD = "quiet-harbour-under-stars-5"

# (pattern, kind, action label, sample, what "Try it" shows)
RULES = [
    ("scam", "A word", "Don't allow the post", "what a scam", "would not be allowed"),
    ("meet up", "A phrase", "Hold the post for a moderator", "let's meet up", "would wait for"),
    ("diet", "A word", "Publish, and flag it for a moderator", "a diet", "flagged on the"),
    ("darn", "A word", "Hide the words (■■■)", "oh darn it", "oh ■■■ it"),
    (
        "panic attack",
        "A phrase",
        "Replace the words with a link to a resource",
        "a panic attack",
        "a Grounding for panic",
    ),
]


@pytest.fixture
def scene(transactional_db):
    guidelines = do_publish_guidelines("# Be kind")
    community = do_save_community(slug="anxiety", name="Anxiety", description="Worry.")
    people = {
        name: do_create_user(name, PASSWORD, guidelines_version=guidelines.version)
        for name in ("opener", "member_sam", "mod_maya")
    }
    for member in people.values():
        do_join_community(member, community)
    do_set_community_moderator(people["mod_maya"], community, is_moderator=True, acting_user=None)
    thread = do_create_thread(
        community, title="Evenings", body="Evenings are the hardest.", acting_user=people["opener"]
    )
    return thread


def test_a_moderator_tries_and_adds_each_rule_and_a_members_replies_meet_them(
    new_context, shot, scene
):
    thread = scene
    moderator = new_context().new_page()
    log_in_with(moderator, "mod_maya", PASSWORD)
    moderator.goto("/c/anxiety/")
    moderator.get_by_role("link", name="Watched words and limits").click()
    expect(
        moderator.get_by_role("heading", name="Anxiety: watched words and limits")
    ).to_be_visible()

    for pattern, kind, action, sample, tried in RULES:
        moderator.get_by_label(kind, exact=True).check()
        moderator.get_by_label("Word, phrase or pattern").fill(pattern)
        moderator.get_by_label(action, exact=True).check()
        if pattern == "panic attack":
            moderator.get_by_label("Library page to link (for “Replace with a link”)").fill(
                "/library/grounding/"
            )
            moderator.get_by_label("Link text").fill("Grounding for panic")
        moderator.get_by_label("Try it on a sample (not saved)").fill(sample)
        moderator.get_by_role("button", name="Try it").click()
        results = moderator.locator("#rule-try")
        expect(results.get_by_role("heading", name=re.compile("not saved yet"))).to_be_visible()
        expect(results).to_contain_text(tried)
        assert not WatchedWord.objects.filter(pattern=pattern).exists()  # tried, not saved
        shot(moderator, f"tried-{pattern}")
        moderator.get_by_role("button", name="Add this rule").click()
        expect(moderator.get_by_text("The rule is added.")).to_be_visible()
        expect(moderator.get_by_role("cell", name=pattern, exact=True)).to_be_visible()
    shot(moderator, "all-rules")

    member = new_context().new_page()
    log_in_with(member, "member_sam", PASSWORD)
    member.goto(thread.get_absolute_url())

    def send(text: str) -> None:
        member.locator("#id_body").fill(text)
        member.get_by_role("button", name="Send reply").click()

    # Block: refused kindly, the words kept in the box.
    send("This app is a scam")
    expect(member.get_by_text(re.compile("aren't allowed here"))).to_be_visible()
    expect(member.locator("#id_body")).to_have_value("This app is a scam")
    shot(member, "blocked")
    assert not Post.objects.filter(body__contains="scam").exists()

    # Hold: it waits for a moderator, seen by the writer alone.
    member.goto(thread.get_absolute_url())
    send("Shall we meet up sometime?")
    expect(member.get_by_text("Only you can see this for now")).to_be_visible()
    held = Post.objects.get(body="Shall we meet up sometime?")
    assert held.moderation_state == "held"
    assert QueueItem.objects.get(post=held).labels == ['watched word: "meet up"']

    # Flag: published, and on the queue.
    send("Has a diet helped anyone?")
    expect(member.locator(".prose", has_text="Has a diet helped anyone?")).to_be_visible()
    assert QueueItem.objects.filter(post__body="Has a diet helped anyone?").exists()

    # Hide: the words are gone from the stored reply.
    send("Oh darn, another bad night")
    expect(member.get_by_text("Oh ■■■, another bad night")).to_be_visible()

    # Link: the words become a link to the library page.
    send("I had a panic attack at the bus stop")
    link = member.get_by_role("link", name="Grounding for panic")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", "/library/grounding/")
    shot(member, "treated")

    # The moderator sees the held and flagged replies on the queue, named by their rules.
    moderator.goto("/moderation/")
    expect(moderator.get_by_text('watched word: "meet up"')).to_be_visible()
    expect(moderator.get_by_text('watched word: "diet"')).to_be_visible()
