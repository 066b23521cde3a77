"""AI for connection in a real browser: while writing a thread, others' threads and a better
community appear; after posting, "You're not alone in this" with people who chose to be
found; then the member chooses to be found too, and stops again."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.communities.actions import do_join_community, do_save_community
from haven.forums.actions import do_create_thread
from haven.matching.models import Namespace, PeerProfile, Vector
from haven.matching.people import do_join_peer_matching
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PASSWORD = "quiet-harbour-at-dusk-5"


@pytest.fixture
def seeded(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    anxiety = do_save_community(slug="anxiety", name="Anxiety", description="Worry, panic.")
    grief = do_save_community(
        slug="grief", name="Grief & Loss", description="For bereavement and missing someone."
    )
    writer = do_create_user("river", PASSWORD, guidelines_version=guidelines.version)
    do_join_community(writer, anxiety)
    olive = do_create_user("olive", PASSWORD, guidelines_version=guidelines.version)
    do_join_peer_matching(
        olive, experience="My father died two years ago; grief hit me in waves for months."
    )
    do_create_thread(
        grief, title="Losing my dad and feeling numb",
        body="He died in March. I thought I'd cry all the time but mostly I feel numb.",
        acting_user=olive,
    )  # fmt: skip
    # The worker embeds what was written (a real `haven worker --batch`, as in production).
    call_command("worker", batch=True, interval=0)
    assert Vector.objects.filter(namespace=Namespace.PERSON).exists()
    return writer


def test_suggestions_while_writing_and_after_posting(seeded, new_context, shot):
    page = new_context().new_page()
    log_in(page, "river", PASSWORD)
    page.goto("/c/anxiety/new/")
    page.get_by_label("Title").fill("My dad passed away")
    page.get_by_label("What's on your mind?").fill(
        "Dad died last month and I can't feel anything. Is it normal to feel so numb?"
    )
    draft = page.locator("#draft-suggestions")
    expect(draft.get_by_text("Others who wrote about this")).to_be_visible()
    expect(draft.get_by_role("link", name="Losing my dad and feeling numb")).to_be_visible()
    expect(draft.get_by_role("link", name="Grief & Loss")).to_be_visible()
    shot(page, "while-writing")
    page.get_by_role("button", name="Post thread").click()
    expect(page).to_have_url(re.compile(r"/c/anxiety/t/[A-Za-z0-9_-]+/"))
    panel = page.locator(".suggestions-panel")
    expect(panel.get_by_role("heading", name="You're not alone in this")).to_be_visible()
    expect(panel.get_by_role("link", name="olive")).to_be_visible()
    shot(page, "after-posting")

    # Choosing to be found, then stopping: the opt-out deletes the person vector at once.
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("What you have been through (optional)").fill("Lost my dad this year.")
    page.get_by_role("button", name="Let others find me").click()
    expect(page.get_by_role("heading", name="You can be found")).to_be_visible()
    assert PeerProfile.objects.filter(member=seeded).exists()
    page.get_by_role("button", name="Stop being suggested").click()
    expect(page.get_by_role("heading", name="Let others find you")).to_be_visible()
    assert not PeerProfile.objects.filter(member=seeded).exists()
    assert not Vector.objects.filter(namespace=Namespace.PERSON, object_id=seeded.pk).exists()
