"""Bad input gets a clear 4xx with a friendly message, and nothing is half-written."""

import pytest

from haven.forums.models import Post, Tag, Thread
from haven.updates.models import Update


def thread_count() -> tuple[int, int, int]:
    return Thread.objects.count(), Post.objects.count(), Tag.objects.count()


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"title": "", "body": "x"}, "title"),
        ({"title": "   ", "body": "x"}, "can't be empty"),
        ({"title": "t" * 201, "body": "x"}, "title: Please keep this to at most 200 characters"),
        ({"title": "ok", "body": "b" * 20_001}, "at most 20000 characters"),
        ({"title": "ok", "body": "x", "content_warning": "c" * 101}, "at most 100 characters"),
        ({"title": "ok", "body": "x", "tags": ["a", "b", "c", "d", "e", "f"]}, "at most 5 items"),
        ({"title": "bad\ud800text", "body": "x"}, "not valid text"),
        ({"title": "nul\x00byte", "body": "x"}, "null character"),
        ({"title": 12, "body": "x"}, "title: This must be text."),
        ({"body": "x"}, "title: This is required."),
        ({"title": "ok", "body": "x", "is_anonymous": "perhaps"}, "true or false"),
    ],
)
def test_the_api_refuses_bad_threads_clearly_and_writes_nothing(
    payload, expected, alice_client, members_of_anxiety
):
    response = alice_client.post(
        "/api/communities/anxiety/threads", payload, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert expected in response.json()["detail"]
    assert thread_count() == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (b'{"title": "unclosed', 400, "the body must be valid JSON"),
        (b"not json at all", 400, "the body must be valid JSON"),
        (b"[1, 2, 3]", 422, "This must be a JSON object"),
        (b'{"title": "x", "body": "y"', 400, "the body must be valid JSON"),
        ('{"title": "\xff"}'.encode("latin-1"), 400, "the body must be valid JSON"),
    ],
)
def test_malformed_json_gets_a_400_and_a_body_of_another_shape_a_422(
    body, status, expected, alice_client, members_of_anxiety
):
    response = alice_client.post(
        "/api/communities/anxiety/threads", body, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert expected in response.json()["detail"]
    assert thread_count() == (0, 0, 0)


def test_a_lone_surrogate_in_json_is_refused_before_the_database(alice_client, members_of_anxiety):
    raw = b'{"title": "hello \\ud83d there", "body": "fine"}'
    response = alice_client.post(
        "/api/communities/anxiety/threads", raw, content_type="application/json"
    )
    assert response.status_code == 422
    assert "not valid text" in response.json()["detail"]
    assert thread_count() == (0, 0, 0)


def test_script_tags_are_shown_as_text_and_never_run(alice_client, bob_client, members_of_anxiety):
    response = alice_client.post(
        "/c/anxiety/new/",
        {
            "title": "<script>alert('t')</script>Title",
            "body": "<script>alert('b')</script> <img src=x onerror=alert(1)> "
            "[click](javascript:alert(1)) **ok**",
            "content_warning": "<b>cw</b>",
            "tags": "<i>tag</i>",
        },
    )
    assert response.status_code == 302
    page = bob_client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page
    # The typed image is shown as text, never as an element (the page's own logo is the one image).
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;Title" in page
    assert "<strong>ok</strong>" in page
    api = bob_client.get(f"/api/threads/{Thread.objects.get().public_id}").json()
    assert "<script" not in api["opening_post"]["body_html"]
    assert 'href="javascript:' not in api["opening_post"]["body_html"]


def test_page_forms_show_friendly_errors_and_keep_what_was_typed(alice_client, members_of_anxiety):
    response = alice_client.post(
        "/c/anxiety/new/", {"title": "", "body": "I kept every word of this."}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page
    assert "I kept every word of this." in page
    assert thread_count() == (0, 0, 0)


def test_an_empty_or_oversized_reply_is_refused_and_the_text_kept(
    alice_client, members_of_anxiety, alice
):
    from haven.forums.actions import do_create_thread

    thread = do_create_thread(members_of_anxiety, title="t", body="b", acting_user=alice)
    response = alice_client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    long_text = "words " * 4000
    response = alice_client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": long_text})
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode()
    assert Post.objects.filter(depth__gt=0).count() == 0


def test_oversized_request_bodies_are_refused(alice_client, members_of_anxiety):
    huge = '{"title": "t", "body": "' + "x" * 400_000 + '"}'
    response = alice_client.post(
        "/api/communities/anxiety/threads", huge, content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert thread_count() == (0, 0, 0)


def test_a_failure_midway_leaves_nothing_half_written(alice, members_of_anxiety, monkeypatch):
    from haven.forums import actions

    def broken_index(*args, **kwargs):
        raise RuntimeError("search index unavailable")

    monkeypatch.setattr(actions, "index_post", broken_index)
    with pytest.raises(RuntimeError):
        actions.do_create_thread(
            members_of_anxiety, title="t", body="b", tags=["x"], acting_user=alice
        )
    assert thread_count() == (0, 0, 0)


def test_updates_refuse_bad_visibility_and_moods(alice_client):
    for payload in (
        {"body": "hi", "visibility": "everyone"},
        {"body": "hi", "mood": "furious"},
        {"body": ""},
    ):
        response = alice_client.post("/api/updates", payload, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["detail"].startswith("Please check your input.")
    assert Update.objects.count() == 0


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999"])
def test_odd_page_numbers_never_break_pages(page, alice_client, members_of_anxiety):
    assert alice_client.get("/home/", {"page": page}).status_code == 200
    assert alice_client.get("/c/anxiety/", {"page": page}).status_code == 200
    # The API says which parameter is wrong instead of guessing a page (1 to 100,000).
    api = alice_client.get("/api/feed", {"page": page})
    assert api.status_code == 422
    assert [error["field"] for error in api.json()["errors"]] == ["page"]
