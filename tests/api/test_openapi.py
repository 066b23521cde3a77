"""The OpenAPI schema is the API's contract: it is valid, names each shape once, and every answer
a test receives follows it (tests/support/openapi.py, hooked into the test client by
tests/conftest.py). These tests also check that checker itself."""

import copy
from collections import defaultdict
from pathlib import Path

import pytest
from django.http import HttpResponse, JsonResponse
from openapi_spec_validator import validate
from pydantic import BaseModel

from haven.forums.actions import do_create_thread
from haven.updates.actions import do_create_update
from tests.conftest import client_for
from tests.support.openapi import ContractBroken, OpenAPIContract, contract, why_not_whole


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


def test_the_checker_reads_the_schema_apps_read(schema):
    assert contract().schema == schema


def test_each_schema_name_names_one_shape():
    """The schema keeps one component per name: two models called the same would leave one
    operation documented with the other's shape (as the moderators' check-in once had the
    shape of a mood check-in)."""
    import haven.api.urls  # noqa: F401 - every model of the API is defined

    models: dict[str, set[str]] = defaultdict(set)

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("haven."):
                models[sub.__name__].add(f"{sub.__module__}.{sub.__qualname__}")
            walk(sub)

    walk(BaseModel)
    assert {name: where for name, where in models.items() if len(where) > 1} == {}


def test_answers_through_the_client_are_checked_without_asking(schema, members_of_anxiety, alice):
    """The API's everyday reads and writes, each checked by the client hook alone."""
    thread = do_create_thread(
        members_of_anxiety, title="T", body="B", content_warning="cw", tags=["x"],
        is_anonymous=True, acting_user=alice,
    )  # fmt: skip
    do_create_update(body="U", mood="good", visibility="public", acting_user=alice)
    client = client_for(alice)
    for url in ("/api/feed", "/api/communities", f"/api/threads/{thread.public_id}"):
        assert client.get(url).status_code == 200
    created = client.post(
        "/api/communities/anxiety/threads", {"title": "New", "body": "Body"}, "application/json"
    )
    assert created.status_code == 201
    assert created.json()["author"] == {"pseudonym": "alice"}
    seen = contract().seen
    assert 201 in seen[("post", "/api/communities/{slug}/threads")]
    assert 200 in seen[("get", "/api/threads/{thread_id}")]


def test_an_answer_off_the_schema_fails_the_test_that_got_it(schema, client, monkeypatch):
    doctored = copy.deepcopy(schema)
    responses = doctored["paths"]["/api/crisis-resources"]["get"]["responses"]
    responses["201"] = responses.pop("200")
    monkeypatch.setattr("tests.conftest.contract", lambda: OpenAPIContract(doctored))
    with pytest.raises(ContractBroken, match=r"GET /api/crisis-resources .* answered 200, which"):
        client.get("/api/crisis-resources")


# --- The checker on a schema of its own

THING = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "author": {"type": "object", "properties": {"pseudonym": {"type": "string"}}},
        "created_at": {"type": "string", "format": "date-time"},
    },
    "required": ["id", "author"],
}
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def json_answer(schema_ref: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": schema_ref}}}}


MINI = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/api/things": {
            "get": {
                "operationId": "list_things",
                "responses": {
                    200: {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "items": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Thing"},
                                        }
                                    },
                                }
                            }
                        }
                    },
                    "404": {"content": ERROR},
                },
            }
        },
        "/api/things/{thing_id}": {
            "get": {
                "operationId": "get_thing",
                "responses": {"200": json_answer("#/components/schemas/Thing")},
            },
            "delete": {"operationId": "delete_thing", "responses": {"204": {}}},
        },
        "/api/things/export.csv": {
            "get": {
                "operationId": "export_things",
                "responses": {"200": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": THING,
            "Error": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            },
        }
    },
}


@pytest.fixture
def mini() -> OpenAPIContract:
    return OpenAPIContract(MINI, unlisted_paths=frozenset({"/api/openapi.json"}))


def thing(**fields) -> dict:
    return {"id": 1, "author": {"pseudonym": "alice"}, **fields}


def test_a_documented_answer_passes_and_is_recorded(mini):
    mini.check("GET", "/api/things", JsonResponse({"items": [thing()]}))
    mini.check("GET", "/api/things/7", JsonResponse(thing(created_at="2026-01-02T03:04:05Z")))
    mini.check("DELETE", "/api/things/7", HttpResponse(status=204))
    mini.check("GET", "/api/things/export.csv", HttpResponse("a,b\n", content_type="text/csv"))
    assert mini.seen == {
        ("get", "/api/things"): {200},
        ("get", "/api/things/{thing_id}"): {200},
        ("delete", "/api/things/{thing_id}"): {204},
        ("get", "/api/things/export.csv"): {200},
    }
    assert mini.never_succeeded() == []


def test_a_status_the_operation_does_not_document_is_refused(mini):
    with pytest.raises(ContractBroken) as broken:
        mini.check("GET", "/api/things/7", JsonResponse({"detail": "no"}, status=403))
    assert str(broken.value).startswith(
        "GET /api/things/{thing_id} (get_thing) answered 403, which the schema does not document"
    )
    assert mini.never_succeeded()[0].operation_id == "list_things"


def test_a_body_off_its_schema_is_refused_with_where_it_differs(mini):
    wrong = {"items": [thing(), {"id": "2", "author": {"pseudonym": 3}}]}
    with pytest.raises(ContractBroken) as broken:
        mini.check("GET", "/api/things", JsonResponse(wrong))
    message = str(broken.value)
    assert "GET /api/things (list_things) answered 200 with a body" in message
    assert "at $.items[1].id: '2' is not of type 'integer'" in message
    assert "at $.items[1].author.pseudonym: 3 is not of type 'string'" in message


def test_formats_are_checked(mini):
    with pytest.raises(ContractBroken, match=r"at \$.created_at: 'yesterday' is not a 'date-time'"):
        mini.check("GET", "/api/things/7", JsonResponse(thing(created_at="yesterday")))


def test_bodies_and_media_types_must_be_the_documented_ones(mini):
    with pytest.raises(ContractBroken, match="no body is documented"):
        mini.check("DELETE", "/api/things/7", HttpResponse("null", status=204))
    with pytest.raises(ContractBroken, match="answered 'text/html'; the schema documents text/csv"):
        mini.check("GET", "/api/things/export.csv", HttpResponse("<p>"))
    with pytest.raises(ContractBroken, match="documented, yet it answered none"):
        mini.check("GET", "/api/things/7", HttpResponse(b"", content_type="application/json"))


def test_the_most_specific_path_answers(mini):
    assert [op.operation_id for op in mini.operations_at("/api/things/export.csv")] == [
        "export_things"
    ]
    assert [op.operation_id for op in mini.operations_at("/api/things/abc")] == [
        "get_thing",
        "delete_thing",
    ]
    assert mini.operations_at("/api/things/1/more") == []


def test_addresses_no_operation_answers(mini):
    mini.check("GET", "/api/nothing-here", JsonResponse({"detail": "Not found."}, status=404))
    mini.check("GET", "/api/openapi.json", JsonResponse(MINI, safe=False))
    mini.check("GET", "/about/", HttpResponse("a page"))
    allowed = HttpResponse(status=405, headers={"Allow": "GET, DELETE"})
    mini.check("PATCH", "/api/things/7", allowed)
    with pytest.raises(ContractBroken, match="answered 405 allowing"):
        mini.check("PATCH", "/api/things/7", HttpResponse(status=405, headers={"Allow": "GET"}))
    with pytest.raises(ContractBroken, match="rather than the API's JSON 404"):
        mini.check("GET", "/api/nothing-here", HttpResponse("<h1>Not found</h1>", status=404))
    assert not mini.seen


# --- When a run is whole enough to count


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    for name in ("api/test_a.py", "care/test_b.py", "browser/test_c.py", "care/conftest.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("")
    return tmp_path


def whole(suite: Path, **changes) -> str | None:
    run = {
        "tests_dir": suite,
        "args": [str(suite)],
        "collected": {suite / "api/test_a.py", suite / "care/test_b.py"},
        "deselected": 0,
        "exitstatus": 0,
    }
    return why_not_whole(**(run | changes))


def test_a_run_of_every_test_file_but_the_browsers_is_whole(suite):
    assert whole(suite) is None
    assert whole(suite, args=[]) is None
    assert whole(suite, args=[str(suite / "api"), str(suite / "care")]) is None


def test_a_narrowed_or_failed_run_is_not_whole(suite):
    assert whole(suite, exitstatus=1) == "some tests did not pass"
    assert whole(suite, deselected=3) == "3 tests were deselected"
    assert whole(suite, args=[f"{suite}/api/test_a.py::test_x"]) == "single tests were named"
    left_out = whole(suite, collected={suite / "api/test_a.py"})
    assert left_out == "1 test files were not collected"


def test_the_schema_documents_every_error_the_api_answers(schema):
    """Errors the API answers for any operation are documented for each, with a JSON body."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404", "409", "413", "415", "422", "429", "503"):
                answer = operation["responses"].get(status)
                assert answer is not None, (method, path, status)
                assert "application/json" in answer["content"], (method, path, status)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
