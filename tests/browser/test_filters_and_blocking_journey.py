"""In a real browser: a member mutes a theme, sees the one-line placeholder and opens it; then
blocks someone from their profile, and that person's thread, reply and update are gone from
the member's pages while their own view is unchanged."""

import re

import pytest
from playwright.sync_api import Page, expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.communities.actions import do_join_community, do_save_community
from haven.forums.actions import do_create_reply, do_create_thread
from haven.updates.actions import do_create_update, do_follow
from haven.updates.models import Follow
from tests.browser.test_accessibility_pages import AXE, RULE_TAGS, RUN_AXE

pytestmark = pytest.mark.browser

PASSWORD = "gentle-lantern-over-the-bay-7"
GRIEF_TITLE = "The first winter without my dad"
GRIEF_BODY = "My dad died in November and the funeral still feels unreal."
SAM_TITLE = "Sam asks about evening walks"
SAM_REPLY = "Sam says: walking helps me most in the evening."
SAM_UPDATE = "Sam shares a photo of the harbour at dusk."
NINA_TITLE = "Nina asks what helps at night"


@pytest.fixture
def seeded(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    community = do_save_community(slug="anxiety", name="Anxiety", description="For worry.")
    members = {
        name: do_create_user(name, PASSWORD, guidelines_version=guidelines.version)
        for name in ("nina", "olu", "sam")
    }
    for member in members.values():
        do_join_community(member, community)
    do_create_thread(community, title=GRIEF_TITLE, body=GRIEF_BODY, acting_user=members["olu"])
    do_create_thread(community, title=SAM_TITLE, body="Do you walk?", acting_user=members["sam"])
    ninas = do_create_thread(community, title=NINA_TITLE, body="Evenings are hard.",
                             acting_user=members["nina"])  # fmt: skip
    do_create_reply(ninas, body=SAM_REPLY, acting_user=members["sam"])
    do_follow(members["sam"], acting_user=members["nina"])
    Follow.objects.filter(follower=members["nina"]).update(status="accepted")
    do_create_update(body=SAM_UPDATE, visibility="public", acting_user=members["sam"])
    return ninas


def assert_accessible(page: Page) -> None:
    """Axe-core's WCAG A/AA and best-practice rules, as the accessibility suite runs them."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, RULE_TAGS)["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def log_in(page: Page, pseudonym: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(pseudonym)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/home/$"))


def test_a_member_mutes_a_theme_then_blocks_someone(seeded, new_context, shot):
    # Axe is injected by the test, so the page's CSP is bypassed for it (as the a11y suite does).
    page = new_context(bypass_csp=True).new_page()
    log_in(page, "nina")
    expect(page.get_by_role("link", name=GRIEF_TITLE)).to_be_visible()

    # Mute grief from Settings, by keyboard-friendly labels.
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Filters and blocking").click()
    expect(page.get_by_role("heading", name="Filters and blocking", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Grief and loss").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()

    # The grief thread folds to one line, which opens on request.
    page.goto("/home/")
    placeholder = page.get_by_text("Hidden: grief and loss — you chose to mute this theme.")
    expect(placeholder).to_be_visible()
    expect(page.get_by_role("link", name=GRIEF_TITLE)).to_be_hidden()
    shot(page, "muted-placeholder")
    assert_accessible(page)
    placeholder.click()
    expect(page.get_by_role("link", name=GRIEF_TITLE)).to_be_visible()

    # Block Sam from his profile, after reading what a block does.
    page.goto("/members/sam/")
    page.get_by_role("link", name="Block sam").click()
    expect(page.get_by_text("They won't be told.", exact=False)).to_be_visible()
    shot(page, "block-confirm")
    assert_accessible(page)
    page.get_by_role("button", name="Block sam").click()
    expect(page.get_by_text("You blocked sam.").first).to_be_visible()

    # Sam's thread, his reply and his update are gone from Nina's pages.
    page.goto("/home/")
    expect(page.get_by_role("link", name=NINA_TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=SAM_TITLE)).to_have_count(0)
    page.get_by_role("link", name=NINA_TITLE).click()
    expect(page.get_by_text("A reply from someone you blocked.")).to_be_visible()
    expect(page.get_by_text(SAM_REPLY)).to_be_hidden()
    shot(page, "blocked-reply")
    assert_accessible(page)
    page.goto("/updates/")
    expect(page.get_by_text(SAM_UPDATE)).to_have_count(0)

    # Sam's own view is unchanged: Nina's thread and his reply are there as before.
    sam = new_context().new_page()
    log_in(sam, "sam")
    sam.get_by_role("link", name=NINA_TITLE).click()
    expect(sam.get_by_text(SAM_REPLY)).to_be_visible()
    expect(sam.get_by_text("someone you blocked")).to_have_count(0)

    # Nina unblocks from the filters page; the reply shows again.
    page.goto("/accounts/filters/")
    page.get_by_role("button", name="Unblock sam").click()
    expect(page.get_by_text("You unblocked sam.")).to_be_visible()
    page.goto("/home/")
    expect(page.get_by_role("link", name=SAM_TITLE)).to_be_visible()
