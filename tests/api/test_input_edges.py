"""Input at the API's edges: texts are normalised before their length is checked, and any body
that is not the documented shape is a 422, never a 200 that stores something else, never a 500.

U+0344 (COMBINING GREEK DIALYTIKA TONOS) becomes two characters under NFC, so a text of N of
them is 2N characters once normalised: over any limit between N and 2N.
"""

import json

import pytest

from haven.care.intake.questionnaire import screening_of
from haven.forums.models import Post, Thread
from haven.updates.models import Update
from haven.wellness.models import MoodCheckIn
from tests.conftest import client_for

GROWS = "\u0344"  # one character in, two after NFC
WRITE_METHODS = ("post", "put", "patch", "delete")
PATH_VALUES = {"slug": "anxiety", "pseudonym": "bob"}


@pytest.fixture
def schema(client, db):
    return client.get("/api/openapi.json").json()


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def options(schema: dict, node: dict) -> list[dict]:
    """A property's possible shapes (anyOf/oneOf flattened), references resolved."""
    node = resolve(schema, node)
    found = [resolve(schema, n) for n in node.get("anyOf", node.get("oneOf", []))]
    return found or [node]


def write_operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in WRITE_METHODS or "requestBody" not in operation:
                continue
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            url = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    value = PATH_VALUES.get(parameter["name"], "1")
                    url = url.replace("{" + parameter["name"] + "}", value)
            yield method, path, url, resolve(schema, body)


def send(client, method: str, url: str, body) -> tuple[int, dict]:
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json() if response.content else {}


@pytest.fixture
def member(members_of_anxiety, alice):
    return client_for(alice)


# --- Lengths after normalising


def test_an_update_that_grows_under_normalisation_is_refused_and_not_stored(member):
    status, answer = send(member, "post", "/api/updates", {"body": GROWS * 500})
    assert status == 422, answer
    assert "at most 500 characters" in answer["detail"]
    assert not Update.objects.exists()


def test_a_thread_title_or_content_warning_that_grows_is_refused_and_not_stored(member):
    for field, count in (("title", 200), ("content_warning", 100)):
        body = {"title": "A title", "body": "Some words.", field: GROWS * count}
        status, answer = send(member, "post", "/api/communities/anxiety/threads", body)
        assert status == 422, answer
        assert answer["errors"] == [
            {"field": field, "message": f"Please keep this to at most {count} characters."}
        ]
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_text_at_the_limit_after_normalising_is_stored_normalised(member):
    status, answer = send(member, "post", "/api/updates", {"body": GROWS * 250})
    assert status == 201, answer
    assert len(Update.objects.get().body) == 500


def text_fields(schema: dict, body: dict):
    """(name, JSON value, error location, whether the error must be the length) for every text
    property with a limit, inside a list when it is a list of texts."""
    for name, prop in body.get("properties", {}).items():
        for shape in options(schema, prop):
            if shape.get("type") == "string" and shape.get("maxLength", 0) >= 1:
                # A pattern (pseudonyms) may be what refuses it first; it is refused either way.
                yield name, GROWS * shape["maxLength"], name, "pattern" not in shape
            items = resolve(schema, shape.get("items", {}))
            if shape.get("type") == "array" and items.get("maxLength", 0) >= 1:
                yield name, [GROWS * items["maxLength"]], f"{name}.0", True


def test_every_text_field_of_the_api_is_measured_after_normalising(schema, member):
    checked = []
    for method, path, url, body in write_operations(schema):
        for name, value, location, is_length in text_fields(schema, body):
            if name == "password":  # kept exactly as typed: never normalised
                continue
            status, answer = send(member, method, url, {name: value})
            assert status == 422, (method, path, name, answer)
            messages = {e["field"]: e["message"] for e in answer["errors"]}
            assert location in messages, (method, path, name, answer)
            if is_length:
                assert "at most" in messages[location], (method, path, name, answer)
            checked.append(f"{method} {path} {name}")
    assert len(checked) >= 30, checked


def padded_text_fields(schema: dict, body: dict):
    """Like text_fields: each limited text, as a word padded with spaces past its maxLength."""
    for name, prop in body.get("properties", {}).items():
        for shape in options(schema, prop):
            if shape.get("type") == "string" and shape.get("maxLength", 0) >= 1:
                yield name, "ok" + " " * shape["maxLength"], name
            items = resolve(schema, shape.get("items", {}))
            if shape.get("type") == "array" and items.get("maxLength", 0) >= 1:
                yield name, ["ok" + " " * items["maxLength"]], f"{name}.0"


def test_every_text_field_holds_its_documented_length_as_sent(schema, member):
    """Trimming would shorten a word padded with spaces to fit; the schema's maxLength is for
    the text as sent, so an app (or a fuzzer) relying on the contract is answered 422."""
    checked = []
    for method, path, url, body in write_operations(schema):
        for name, value, location in padded_text_fields(schema, body):
            if name == "password":
                continue
            status, answer = send(member, method, url, {name: value})
            assert status == 422, (method, path, name, answer)
            messages = {e["field"]: e["message"] for e in answer["errors"]}
            assert "at most" in messages.get(location, ""), (method, path, name, answer)
            checked.append(f"{method} {path} {name}")
    assert len(checked) >= 30, checked


def test_input_errors_are_written_in_the_readers_language(member, alice):
    status, answer = send(member, "put", "/api/me/preferences", {"muted_tags": "calma"})
    assert status == 422 and answer["errors"][0]["message"] == "This must be a list."
    alice.language = "es"
    alice.save(update_fields=["language"])
    status, answer = send(member, "put", "/api/me/preferences", {"muted_tags": "calma"})
    assert status == 422 and answer["errors"][0]["message"] == "Tiene que ser una lista."
    assert answer["detail"].startswith("Revisa lo que enviaste, por favor.")


# --- Bodies of the documented shape only


def test_a_profile_patch_that_is_not_an_object_is_refused(member):
    status, answer = send(member, "patch", "/api/me", [])
    assert status == 422, answer
    assert "JSON object" in answer["detail"]


def test_screening_answers_survive_a_body_that_is_not_an_object(member, alice):
    answers = {"phq9": [1, 0, 0, 1, 0, 0, 0, 0, 0], "gad7": [0, 1, 0, 0, 0, 0, 0]}
    status, answer = send(member, "post", "/api/care/screening", answers)
    assert status == 200, answer
    for body in ("hello", 123, [None, None]):
        status, answer = send(member, "post", "/api/care/screening", body)
        assert status == 422, (body, answer)
    assert screening_of(alice)["phq9"][:4] == [1, 0, 0, 1]


def test_a_mood_of_true_is_not_a_mood_of_one(member):
    status, answer = send(member, "post", "/api/checkins", {"mood": True})
    assert status == 422, answer
    assert not MoodCheckIn.objects.exists()


def wrong_shapes(schema: dict, body: dict):
    """Bodies that are not the documented shape, each with a reason."""
    yield "a string", "hello"
    yield "a number", 123
    yield "an array", [None, None]
    yield "an unknown field", {"no_such_field": 1}
    for name, prop in body.get("properties", {}).items():
        kinds = {shape.get("type") for shape in options(schema, prop)}
        if "boolean" in kinds:
            yield f"{name} as 1", {name: 1}
        if "integer" in kinds and "boolean" not in kinds:
            yield f"{name} as true", {name: True}
        if "array" in kinds:
            yield f"{name} as a string", {name: "x"}
        if "string" in kinds and "null" not in kinds:
            yield f"{name} as a list", {name: ["x"]}
        if "object" in kinds:
            yield f"{name} as an array", {name: []}


def test_every_write_endpoint_refuses_bodies_of_the_wrong_shape(schema, member):
    tried = 0
    for method, path, url, body in write_operations(schema):
        for reason, wrong in wrong_shapes(schema, body):
            status, answer = send(member, method, url, wrong)
            # The body's shape is checked before the operation runs (whether this member may
            # do it, whether the id exists): a signed-in member always hears what was wrong.
            assert status == 422, (method, path, reason, status, answer)
            assert answer["detail"].startswith("Please check your input."), (method, path)
            tried += 1
    assert tried >= 100
