"""The installed app with the network off: the crisis lines still open, and the safety plan
opens too, but only for a member who chose to keep a copy on this device; logging out removes
the copy."""

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.wellness.safety_plan import do_save_plan_step
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PASSWORD = "lamplight-over-the-harbour-3"
REASON = "Seeing my niece grow up"


@pytest.fixture
def member(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    member = do_create_user("harbour", PASSWORD, guidelines_version=guidelines.version)
    member.country = "GB"
    member.save(update_fields=["country"])
    do_save_plan_step(member, "reasons_for_living", [REASON])
    return member


def worker_ready(page) -> None:
    page.wait_for_function(
        "navigator.serviceWorker.ready"
        ".then(r => !!r.active && !!navigator.serviceWorker.controller)"
    )


def cached_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) {
                    urls.push(new URL(request.url).pathname);
                }
            }
            return urls;
        }"""
    )


def test_offline_the_crisis_lines_open_and_the_plan_only_when_kept(new_context, shot, member):
    context = new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, "harbour", PASSWORD)
    # A second page load: the worker now controls the page.
    page.goto("/home/")
    worker_ready(page)
    # Installed while signed out (the log-in page), the offline page was fetched again for the
    # member's country once they signed in.
    page.wait_for_function(
        """async () => {
            for (const name of await caches.keys()) {
                const hit = await (await caches.open(name)).match('/offline/');
                if (hit && (await hit.text()).includes('116 123')) return true;
            }
            return false;
        }"""
    )
    # Not kept yet: nothing private on the device.
    assert "/safety-plan/" not in cached_urls(page)

    context.set_offline(True)
    page.goto("/help/")
    expect(page.get_by_role("heading", name="You're offline right now")).to_be_visible()
    # The lines for the member's country, as links a phone calls or texts with one tap.
    expect(page.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(page.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute(
        "href", "sms:85258?&body=SHOUT"
    )
    shot(page, "offline-crisis-lines")
    page.goto("/safety-plan/")
    expect(page.get_by_role("heading", name="You're offline right now")).to_be_visible()
    expect(page.get_by_text(REASON)).to_have_count(0)

    context.set_offline(False)
    page.goto("/safety-plan/")
    page.get_by_role("button", name="Keep a copy on this device").click()
    expect(
        page.get_by_text("Your plan will open on this device even without internet")
    ).to_be_visible()
    assert "/safety-plan/" in cached_urls(page)

    context.set_offline(True)
    page.goto("/safety-plan/")
    expect(page.get_by_role("heading", name="My safety plan")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    shot(page, "offline-safety-plan")

    context.set_offline(False)
    page.goto("/home/")
    # On a phone, logging out is in the menu sheet.
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    # Clear-Site-Data took the copy (and the worker with it, until the next visit).
    assert "/safety-plan/" not in cached_urls(page)
