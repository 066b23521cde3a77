"""Form fields measure a member's text after normalising it, like the API's schemas."""

from haven.forums.forms import ThreadForm
from haven.wellness.forms import JournalEntryForm

GROWS = "\u0344"  # one character in, two after NFC


def test_a_thread_title_that_grows_under_normalisation_is_too_long_for_the_form():
    form = ThreadForm(data={"title": GROWS * 200, "body": "Some words."})
    assert not form.is_valid()
    assert "title" in form.errors


def test_a_journal_tag_that_grows_under_normalisation_is_too_long_for_the_form():
    form = JournalEntryForm(data={"body": "Today.", "tags": GROWS * 30})
    assert not form.is_valid()
    assert "tags" in form.errors
