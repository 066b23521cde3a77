"""The shell around every page, in a real browser: on a phone an app bar with "Get help now", a
bottom tab bar and a menu sheet; on a desktop a sidebar; and on both, "Get help now" is the
first Tab stop after the skip link."""

import re

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PASSWORD = "willow-by-the-quiet-stream-6"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def member(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    return do_create_user("willow", PASSWORD, guidelines_version=guidelines.version)


def test_on_a_phone_a_tab_bar_and_a_menu_sheet(new_context, shot, member):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, "willow", PASSWORD)
    tabs = page.get_by_role("navigation", name="Sections")
    expect(tabs).to_be_visible()
    expect(tabs.get_by_role("link")).to_have_text(["Home", "Communities", "Talk", "Wellness", "Me"])
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    # Help stays in sight at the top, above everything else.
    expect(page.get_by_role("banner").get_by_role("link", name="Get help now")).to_be_in_viewport()
    shot(page, "shell-phone")
    # The header is a short bar, not a wall of links (470 of 844 px before the shell).
    assert page.get_by_role("banner").bounding_box()["height"] < 140

    tabs.get_by_role("link", name="Wellness").click()
    expect(page).to_have_url(re.compile(r"/wellness/$"))
    expect(tabs.get_by_role("link", name="Wellness")).to_have_attribute("aria-current", "page")

    page.get_by_text("Menu", exact=True).click()
    sheet = page.get_by_role("navigation", name="Menu")
    expect(sheet.get_by_role("link", name="Settings")).to_be_visible()
    shot(page, "shell-phone-menu")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(page.get_by_text("Menu", exact=True)).to_be_focused()
    page.get_by_text("Menu", exact=True).click()
    sheet.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"/accounts/settings/$"))


def test_on_a_desktop_a_sidebar_and_no_tab_bar(new_context, shot, member):
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, "willow", PASSWORD)
    sidebar = page.get_by_role("navigation", name="Main")
    expect(sidebar).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    # Beside the main column, not above it.
    assert sidebar.bounding_box()["x"] < page.locator("main").bounding_box()["x"]
    shot(page, "shell-desktop")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_get_help_now_is_the_first_tab_stop_after_the_skip_link(new_context, member, viewport):
    page = new_context(viewport=viewport).new_page()
    log_in(page, "willow", PASSWORD)
    page.goto("/home/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("banner").get_by_role("link", name="Get help now")).to_be_focused()


def background_of(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_follows_the_device_and_the_switch_in_settings_overrides_it(new_context, shot, member):
    page = new_context(viewport=PHONE, color_scheme="dark").new_page()
    log_in(page, "willow", PASSWORD)
    assert background_of(page) == "rgb(17, 26, 31)"  # the dark palette, from the device
    shot(page, "shell-phone-dark")
    page.goto("/accounts/settings/")
    page.get_by_label("Light").check()
    page.get_by_role("button", name="Save appearance").click()
    expect(page.get_by_text("Appearance: light.")).to_be_visible()
    assert background_of(page) == "rgb(247, 245, 240)"
    page.get_by_label("Dark").check()
    page.get_by_role("button", name="Save appearance").click()
    expect(page.get_by_text("Appearance: dark.")).to_be_visible()
    assert background_of(page) == "rgb(17, 26, 31)"
    shot(page, "settings-dark")
