"""In a real browser: someone who started a chat with one click (no password) sets a password
to come back later, and someone else deletes their quick-start account by typing DELETE."""

import re

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_publish_guidelines
from haven.accounts.models import User
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "slow-tide-under-the-pier-8"


@pytest.fixture
def guidelines_in_force(transactional_db):
    return do_publish_guidelines("# Be kind\n\nTreat each other gently.")


def start_anonymously(page) -> str:
    page.goto("/talk/")
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_role("button", name="Start anonymously").click()
    notice = page.get_by_text("Set a password in Settings")
    expect(notice).to_be_visible()
    return re.search(r"You're (\S+) here", notice.inner_text()).group(1)


def test_a_quick_start_account_sets_a_password_and_signs_in_with_it(
    new_context, shot, guidelines_in_force
):
    page = new_context().new_page()
    pseudonym = start_anonymously(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Set a password").click()
    expect(page.get_by_role("heading", name="Set a password")).to_be_visible()
    expect(page.get_by_label("Old password")).to_have_count(0)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    shot(page, "set-a-password")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    expect(page.get_by_role("link", name="Change your password")).to_be_visible()

    # Another day, another browser: the pseudonym and the new password open the account.
    elsewhere = new_context().new_page()
    log_in(elsewhere, pseudonym, NEW_PASSWORD)
    expect(elsewhere.get_by_role("link", name=pseudonym)).to_be_visible()


def test_a_quick_start_account_deletes_itself_by_typing_delete(
    new_context, shot, guidelines_in_force
):
    page = new_context().new_page()
    pseudonym = start_anonymously(page)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_label("Password")).to_have_count(0)
    page.get_by_label("Erase everything I wrote").check()
    confirm = page.get_by_label(re.compile("To confirm, type your pseudonym"))
    confirm.fill("yes")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Please type your pseudonym or DELETE to confirm.")).to_be_visible()
    assert User.objects.filter(pseudonym=pseudonym).exists()
    page.get_by_label("Erase everything I wrote").check()
    page.get_by_label(re.compile("To confirm, type your pseudonym")).fill("DELETE")
    shot(page, "delete-with-a-typed-confirmation")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted. Take good care of yourself.")).to_be_visible()
    assert not User.objects.filter(pseudonym=pseudonym).exists()
