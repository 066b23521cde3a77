"""In a real browser: in care (therapy) messages, as in chat, Shift+Enter starts a new line and
Enter sends; an empty box sends nothing."""

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_publish_guidelines
from haven.care.models import CareMessage, CareRelationship
from tests.browser.conftest import log_in
from tests.care.conftest import make_therapist
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.browser


@pytest.fixture
def care(transactional_db) -> CareRelationship:
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    member = make_member("wren", guidelines)
    therapist = make_therapist("therapist_tove", guidelines)
    return CareRelationship.objects.create(member=member, therapist=therapist)


def test_enter_sends_a_care_message_and_shift_enter_starts_a_new_line(new_context, care):
    page = new_context().new_page()
    log_in(page, "wren", PASSWORD)
    page.goto(f"/care/messages/{care.pk}/")
    box = page.get_by_label("Your message")
    box.press("Enter")  # nothing typed: nothing sent, no page load
    box.press_sequentially("Before Thursday:")
    box.press("Shift+Enter")
    box.press_sequentially("can we talk about sleep?")
    expect(box).to_have_value("Before Thursday:\ncan we talk about sleep?")
    assert not CareMessage.objects.exists()
    box.press("Enter")
    expect(page.locator(".chat-log")).to_contain_text("can we talk about sleep?")
    # One message of two lines (a form posts its line breaks as CRLF).
    assert [m.body.splitlines() for m in CareMessage.objects.all()] == [
        ["Before Thursday:", "can we talk about sleep?"]
    ]
