"""The OpenAPI schema is the API's contract: it is valid, and responses follow it."""

import jsonschema
import pytest
from openapi_spec_validator import validate

from haven.forums.actions import do_create_reply, do_create_thread
from haven.updates.actions import do_create_update
from tests.conftest import client_for


@pytest.fixture
def schema(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_a_valid_openapi_document(schema):
    validate(schema)
    paths = schema["paths"]
    for path in (
        "/api/auth/signup",
        "/api/feed",
        "/api/communities/{slug}/threads",
        "/api/threads/{thread_id}/replies",
        "/api/posts/{post_id}/reactions",
        "/api/search",
        "/api/updates/timeline",
        "/api/members/{pseudonym}/follow",
        "/api/notifications",
        "/api/me/export",
        "/api/crisis-resources",
    ):
        assert path in paths, path


def response_schema(schema, path, method, status="200"):
    operation = schema["paths"][path][method]
    content = operation["responses"][status]["content"]["application/json"]["schema"]
    return {**content, "components": schema["components"]}


def check(schema, client, path_template, url, method="get", status=200, **kwargs):
    response = getattr(client, method)(url, content_type="application/json", **kwargs)
    assert response.status_code == status, response.content
    jsonschema.validate(
        response.json(), response_schema(schema, path_template, method, str(status))
    )
    return response.json()


def test_responses_match_the_schema(schema, members_of_anxiety, alice, bob):
    thread = do_create_thread(
        members_of_anxiety,
        title="T",
        body="B",
        content_warning="cw",
        tags=["x"],
        is_anonymous=True,
        acting_user=alice,
    )
    reply = do_create_reply(thread, body="R", acting_user=bob)
    do_create_update(body="U", mood="good", visibility="public", acting_user=bob)
    client = client_for(bob)
    check(schema, client, "/api/feed", "/api/feed")
    check(schema, client, "/api/communities", "/api/communities")
    check(schema, client, "/api/threads/{thread_id}", f"/api/threads/{thread.public_id}")
    check(
        schema,
        client,
        "/api/threads/{thread_id}/replies",
        f"/api/threads/{thread.public_id}/replies",
    )
    check(schema, client, "/api/search", "/api/search?q=B")
    check(schema, client, "/api/updates/timeline", "/api/updates/timeline")
    check(schema, client, "/api/me", "/api/me")
    check(schema, client_for(alice), "/api/notifications", "/api/notifications")
    check(schema, client, "/api/crisis-resources", "/api/crisis-resources")
    check(
        schema,
        client,
        "/api/posts/{post_id}/reactions",
        f"/api/posts/{thread.first_post.public_id}/reactions",
        method="post",
        data={"kind": "hug"},
    )
    check(
        schema,
        client,
        "/api/threads/{thread_id}/replies",
        f"/api/threads/{thread.public_id}/replies",
        method="post",
        status=201,
        data={"body": "again", "parent_id": reply.public_id},
    )
    created = check(
        schema,
        client,
        "/api/communities/{slug}/threads",
        "/api/communities/anxiety/threads",
        method="post",
        status=201,
        data={"title": "New", "body": "Body"},
    )
    assert created["author"] == {"pseudonym": "bob"}
