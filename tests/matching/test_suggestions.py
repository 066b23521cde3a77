"""Similar threads, communities and resources: on the page and in the API, with reasons, and
never anything the viewer may not see."""

from django.core.cache import cache

from haven.forums.actions import do_create_thread, do_delete_post
from haven.matching import suggestions
from haven.matching.models import Namespace, Vector
from haven.matching.reasons import thread_reason
from haven.wellness.library import do_withdraw_resource
from tests.conftest import client_for
from tests.matching.conftest import run_jobs
from tests.support.queries import page_queries


def test_after_writing_the_author_sees_similar_threads_communities_and_resources(
    forum, bob, anxiety, grief, library
):
    thread = do_create_thread(
        grief, title="Missing my mum", body="Mum passed away in spring. Grieving is so lonely; "
        "friends don't know what to say and I miss her voice.", acting_user=bob,
    )  # fmt: skip
    run_jobs()
    page = client_for(bob).get(f"/connect/threads/{thread.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "You're not alone in this" in html
    assert forum["grief"].title.replace("'", "&#x27;") in html  # the other grief thread
    assert forum["work"].title not in html
    found = suggestions.suggestions_for_post(bob, thread.first_post)
    assert found.threads[0].item == forum["grief"]
    assert found.resources, "a grief post should bring a vetted resource"
    assert all(s.reason for s in found.threads + found.communities + found.resources)


def test_another_reader_sees_only_similar_threads(forum, bob):
    response = client_for(bob).get(f"/connect/threads/{forum['sleep'].public_id}/")
    html = response.content.decode()
    assert "Similar threads" in html
    assert "Communities that may fit" not in html and "People who have been" not in html


def test_suggestions_come_with_a_plain_reason(forum, bob):
    found = suggestions.similar_threads(
        bob, "I can't sleep, my thoughts race at night", exclude_thread_id=None
    )
    assert found[0].item == forum["sleep"]
    assert found[0].reason.startswith(("Also talks about", "Also about", "Close in meaning"))


def test_a_deleted_thread_is_never_suggested_even_if_the_index_still_has_it(forum, alice, bob):
    text = "My grandmother passed away and I miss her so much"
    assert suggestions.similar_threads(bob, text)[0].item == forum["grief"]
    # The index of this process was loaded before the delete and hears nothing of it here.
    do_delete_post(forum["grief"].first_post, acting_user=alice)
    cache.clear()
    titles = [s.item.title for s in suggestions.similar_threads(bob, text)]
    assert forum["grief"].title not in titles


def test_a_withdrawn_resource_is_no_longer_suggested(library):
    from haven.accounts.models import User
    from haven.wellness.models import Resource

    found = suggestions.resources_that_may_help("I can't sleep at night, tossing and turning")
    assert found
    top = found[0].item
    editor = User.objects.get(pseudonym="editor_eve")
    do_withdraw_resource(Resource.objects.get(pk=top.pk), acting_user=editor)
    assert not Vector.objects.filter(namespace=Namespace.RESOURCE, object_id=top.pk).exists()
    again = suggestions.resources_that_may_help("I can't sleep at night, tossing and turning")
    assert top.pk not in [s.item.pk for s in again]


def test_while_writing_similar_threads_and_communities_appear(forum, bob, grief):
    response = client_for(bob).post(
        "/connect/draft/",
        {"title": "Funeral next week", "body": "My nan died on Sunday and I keep crying",
         "community": "anxiety"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "Others who wrote about this" in html and "Communities that may fit" in html
    assert grief.name in html  # a better place for it than anxiety


def test_a_short_draft_suggests_nothing_yet(forum, bob):
    response = client_for(bob).post("/connect/draft/", {"title": "Hi", "body": ""})
    assert response.status_code == 200 and response.content.strip() == b""


def test_drafts_are_posted_not_put_in_urls(forum, bob):
    assert client_for(bob).get("/connect/draft/?body=secret").status_code == 405


def test_the_api_gives_the_same_suggestions_with_reasons(forum, alice, bob):
    response = client_for(alice).get(
        f"/api/matching/threads/{forum['sleep'].public_id}/suggestions"
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"threads", "communities", "resources", "people"}
    assert all(item["reason"] for item in body["threads"] + body["communities"])
    draft = client_for(bob).post(
        "/api/matching/draft",
        {"title": "Exhausted by my boss", "body": "Long shifts and a manager who yells at me"},
        content_type="application/json",
    )
    assert draft.status_code == 200
    assert draft.json()["threads"][0]["id"] == forum["work"].public_id


def test_a_deleted_thread_offers_no_suggestions(forum, bob, alice):
    thread = forum["sleep"]
    do_delete_post(thread.first_post, acting_user=alice)
    assert client_for(bob).get(f"/connect/threads/{thread.public_id}/").status_code == 404


def test_suggestions_for_a_thread_that_does_not_exist_are_404(forum, bob):
    assert client_for(bob).get("/connect/threads/987654/").status_code == 404
    assert client_for(bob).get("/api/matching/threads/987654/suggestions").status_code == 404


def test_the_suggestion_panel_makes_the_same_queries_for_few_and_many_matches(
    alice, bob, grief, library
):

    from haven.matching.people import do_join_peer_matching

    def panel_queries(extra: int) -> tuple[int, int]:
        for n in range(extra):
            do_create_thread(
                grief, title=f"Missing my grandad ({n})",
                body="He died in the winter and I still talk to him every evening.",
                tags=[f"grief-{n}", "loss"], acting_user=bob,
            )  # fmt: skip
        run_jobs()
        mine = do_create_thread(
            grief, title="Grandad died", body="My grandad died and I miss him so much.",
            acting_user=alice,
        )  # fmt: skip
        run_jobs()
        client = client_for(alice)
        client.get(f"/connect/threads/{mine.public_id}/")  # warm the index
        with page_queries() as queries:
            response = client.get(f"/connect/threads/{mine.public_id}/")
        return len(queries), response.content.decode().count("<li>")

    do_join_peer_matching(bob, experience="Lost my grandad last winter.")
    few_queries, few_items = panel_queries(1)
    many_queries, many_items = panel_queries(4)
    assert many_items > few_items
    assert many_queries == few_queries


def test_a_reason_beside_someone_elses_thread_speaks_of_the_thread_not_the_reader():
    assert thread_reason("quiet evenings", "Sunday", "gardening", []) == (
        "Close in meaning to what you wrote, though in other words"
    )
    assert thread_reason("quiet evenings", "Sunday", "gardening", [], source="this thread") == (
        "Close in meaning to this thread, though in other words"
    )
