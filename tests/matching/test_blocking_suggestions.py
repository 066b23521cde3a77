"""Suggestions never bring back someone the reader blocked: not their threads, not threads
where only their words match."""

from haven.accounts.preferences import do_block
from haven.forums.actions import do_create_reply, do_create_thread
from haven.matching import suggestions
from tests.conftest import client_for
from tests.matching.conftest import run_jobs

TEXT = "My grandmother passed away and I miss her so much"


def test_a_blocked_members_threads_are_not_suggested(forum, alice, bob):
    assert suggestions.similar_threads(bob, TEXT)[0].item == forum["grief"]
    do_block(bob, alice)
    assert forum["grief"] not in [s.item for s in suggestions.similar_threads(bob, TEXT)]


def test_a_blocked_members_reply_does_not_bring_its_thread(forum, grief, alice, bob, carol):
    thread = do_create_thread(grief, title="A quiet question", body="How do you cope in winter?",
                              acting_user=carol)  # fmt: skip
    do_create_reply(thread, body="When grandad died I planted a tree for him every spring.",
                    acting_user=alice)  # fmt: skip
    run_jobs()
    query = "planting a tree for my grandad who died"
    assert thread in [s.item for s in suggestions.similar_threads(bob, query)]  # before
    do_block(bob, alice)
    assert thread not in [s.item for s in suggestions.similar_threads(bob, query)]


def test_the_suggestion_panel_beside_a_thread_leaves_them_out(forum, grief, alice, bob):
    mine = do_create_thread(grief, title="Grandma died", body="My grandma died last week.",
                            acting_user=bob)  # fmt: skip
    run_jobs()
    title = forum["grief"].title.replace("'", "&#x27;")
    client = client_for(bob)
    assert title in client.get(f"/connect/threads/{mine.public_id}/").content.decode()
    do_block(bob, alice)
    html = client.get(f"/connect/threads/{mine.public_id}/").content.decode()
    assert title not in html
