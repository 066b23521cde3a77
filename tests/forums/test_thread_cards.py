"""A thread's card in a feed carries its weight: an excerpt (a content-warned one held back until
opened), the support it got, and how lively it is."""

import pytest

from haven.forums.actions import do_create_reply, do_create_thread, do_toggle_reaction
from tests.conftest import client_for


@pytest.mark.django_db
def test_cards_show_an_excerpt_support_and_replies(alice, bob, carol, members_of_anxiety):
    thread = do_create_thread(
        members_of_anxiety, title="Sleep", body="Lying awake again, counting the cracks.",
        acting_user=alice,
    )  # fmt: skip
    do_toggle_reaction(thread.first_post, "hug", acting_user=bob)
    do_toggle_reaction(thread.first_post, "metoo", acting_user=carol)
    do_create_reply(thread, body="Same here, you're not alone.", acting_user=bob)
    warned = do_create_thread(
        members_of_anxiety, title="Hard day", body="Thinking about the accident again today.",
        content_warning="trauma", acting_user=carol,
    )  # fmt: skip

    page = client_for(bob).get("/home/").content.decode()
    assert '<p class="excerpt">Lying awake again, counting the cracks.</p>' in page
    assert "2 sent support" in page and "1 reply" in page and "last reply" in page
    # The warned excerpt sits inside a closed <details>: the reader opens it, or doesn't.
    start = page.index("Content warning: trauma")
    details = page[page.rindex("<details", 0, start) : page.index("</details>", start)]
    assert "Thinking about the accident" in details and "<details open" not in details
    assert warned.title in page and "no replies yet" in page
