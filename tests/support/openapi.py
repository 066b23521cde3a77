"""The OpenAPI schema as a contract every test holds the API to (after Zulip's test_openapi.py).

Every answer Django's test client receives from an /api/ address is checked here: its status
must be one the schema documents for that operation (the errors haven.api.urls documents for
every operation included), and its body must be the documented media type and, when JSON,
validate against the documented schema, its $refs resolved within the schema document.

Each operation answered is recorded with its status, so that a whole run can tell which
operations no test ever saw succeed (see `full_run_problem` and tests/conftest.py).
"""

import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.http import HttpResponseBase
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_URI = "urn:haven:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_ERRORS_SHOWN = 5


class ContractBroken(AssertionError):
    """An API answer the OpenAPI schema does not describe."""


@dataclass(frozen=True)
class Operation:
    method: str  # lower case, as in the schema
    path: str  # the template, e.g. /api/threads/{thread_id}
    operation_id: str
    responses: dict  # status (a string) -> response object
    pattern: re.Pattern[str]
    literal_segments: int  # /api/checkins/summary beats /api/checkins/{checkin_id}

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.operation_id})"


def _pointer_part(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{regex}$")


def _media_type(response: HttpResponseBase) -> str:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _body_of(response: HttpResponseBase) -> bytes:
    """The body, read once; a streamed answer is put back so the test can still read it."""
    if not response.streaming:
        return response.content
    body = b"".join(response.streaming_content)
    response.streaming_content = [body]
    return body


class OpenAPIContract:
    def __init__(self, schema: dict, *, unlisted_paths: frozenset[str] = frozenset()) -> None:
        # As apps read it from /api/openapi.json (ninja's own status keys are integers).
        schema = json.loads(json.dumps(schema))
        self.schema = schema
        # Addresses under /api/ that are not operations: the schema itself, its docs page.
        self.unlisted_paths = unlisted_paths
        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SCHEMA_URI, resource)
        self.operations = [
            Operation(
                method=method,
                path=path,
                operation_id=spec.get("operationId", ""),
                responses=spec["responses"],
                pattern=_path_pattern(path),
                literal_segments=sum("{" not in seg for seg in path.split("/")),
            )
            for path, item in schema["paths"].items()
            for method, spec in item.items()
            if method in HTTP_METHODS
        ]
        self._validators: dict[str, Draft202012Validator] = {}
        self._lock = threading.Lock()
        # (method, template) -> every status seen for it in this run
        self.seen: dict[tuple[str, str], set[int]] = defaultdict(set)

    # --- Finding the operation

    def operations_at(self, path: str) -> list[Operation]:
        """The operations of the most specific template that matches a concrete path."""
        matching = [op for op in self.operations if op.pattern.match(path)]
        if not matching:
            return []
        best = max(op.literal_segments for op in matching)
        best_path = next(op.path for op in matching if op.literal_segments == best)
        return [op for op in matching if op.path == best_path]

    # --- Checking one answer

    def check(self, method: str, path: str, response: HttpResponseBase) -> None:
        """Raise ContractBroken when the answer to `method path` is not what the schema says."""
        if not path.startswith("/api/") or path in self.unlisted_paths:
            return
        method = method.lower()
        status = response.status_code
        at_path = self.operations_at(path)
        operation = next((op for op in at_path if op.method == method), None)
        if operation is None:
            self._check_unrouted(method, path, response, at_path)
            return
        with self._lock:
            self.seen[(operation.method, operation.path)].add(status)
        documented = operation.responses.get(str(status))
        if documented is None:
            raise ContractBroken(
                f"{operation.label} answered {status}, which the schema does not document "
                f"(documented: {', '.join(sorted(operation.responses))}). "
                f"Body: {_body_of(response)[:500]!r}"
            )
        problems = self._body_problems(operation, str(status), documented, method, response)
        if problems:
            shown = "\n".join(f"  - {problem}" for problem in problems[:MAX_ERRORS_SHOWN])
            more = len(problems) - MAX_ERRORS_SHOWN
            shown += f"\n  … and {more} more" if more > 0 else ""
            raise ContractBroken(
                f"{operation.label} answered {status} with a body the schema does not "
                f"describe:\n{shown}\nBody: {_body_of(response)[:1000]!r}"
            )

    def _check_unrouted(
        self, method: str, path: str, response: HttpResponseBase, at_path: list[Operation]
    ) -> None:
        """No operation answers this method at this address: the API's catch-all answers a
        JSON 404 (an id that is not a number, a typo), or ninja a 405 naming the methods the
        schema documents at that address."""
        status = response.status_code
        if status == 405 and at_path:
            allowed = {m.strip().lower() for m in response.get("Allow", "").split(",")}
            documented = {op.method for op in at_path}
            if allowed == documented:
                return
            raise ContractBroken(
                f"{method.upper()} {path} answered 405 allowing {sorted(allowed)}; the schema "
                f"documents {sorted(documented)} at {at_path[0].path}"
            )
        if status == 404 and _is_json(_media_type(response)):
            errors = self._errors(
                "#/components/schemas/Error", json.loads(_body_of(response) or b"null")
            )
            if not errors:
                return
        raise ContractBroken(
            f"{method.upper()} {path} matches no operation of the schema, yet answered "
            f"{status} {_media_type(response) or '(no content type)'} rather than the API's "
            f"JSON 404. Body: {_body_of(response)[:500]!r}"
        )

    def _body_problems(
        self,
        operation: Operation,
        status: str,
        documented: dict,
        method: str,
        response: HttpResponseBase,
    ) -> list[str]:
        content: dict = documented.get("content") or {}
        body = _body_of(response)
        media_type = _media_type(response)
        if not content:
            if body:
                return [f"no body is documented, yet it answered {media_type!r}: {body[:200]!r}"]
            return []
        if not body:
            if method == "head":
                return []
            return [f"a body ({', '.join(content)}) is documented, yet it answered none"]
        if media_type not in content:
            return [f"answered {media_type!r}; the schema documents {', '.join(content)}"]
        if not _is_json(media_type) or "schema" not in content[media_type]:
            return []
        try:
            instance = json.loads(body)
        except ValueError as error:
            return [f"answered {media_type!r} that is not JSON: {error}"]
        pointer = "/".join(
            _pointer_part(part)
            for part in ("paths", operation.path, operation.method, "responses", status)
        )
        pointer += f"/content/{_pointer_part(media_type)}/schema"
        return self._errors(f"#/{pointer}", instance)

    def _errors(self, pointer: str, instance: object) -> list[str]:
        with self._lock:
            validator = self._validators.get(pointer)
            if validator is None:
                validator = Draft202012Validator(
                    {"$ref": f"{SCHEMA_URI}{pointer}"},
                    registry=self.registry,
                    format_checker=Draft202012Validator.FORMAT_CHECKER,
                )
                self._validators[pointer] = validator
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [
            f"at {error.json_path}: {error.message} "
            f"(schema: {'/'.join(str(p) for p in error.absolute_schema_path)})"
            for error in errors
        ]

    # --- What a run exercised

    def never_succeeded(self) -> list[Operation]:
        """Operations no request answered with a 2xx in this run."""
        return [
            op
            for op in self.operations
            if not any(200 <= status < 300 for status in self.seen.get((op.method, op.path), ()))
        ]


@cache
def contract() -> OpenAPIContract:
    """The schema, loaded once per test session."""
    from django.urls import reverse

    from haven.api.urls import api

    unlisted = frozenset((reverse("api:openapi-json"), reverse("api:openapi-view")))
    return OpenAPIContract(api.get_openapi_schema(), unlisted_paths=unlisted)


# --- When a run is whole enough to say which operations no test exercised

# Browser tests drive a real Chromium against a live server, never Django's test client: a run
# may leave them out (as the usual `--ignore=tests/browser`) without losing any request counted.
NOT_COUNTED_DIRS = ("browser",)


def why_not_whole(
    *, tests_dir: Path, args: list[str], collected: set[Path], deselected: int, exitstatus: int
) -> str | None:
    """None when this run is the whole suite, so that an operation it never saw succeed is an
    operation no test exercises; otherwise the reason it is not. The rule:

    - every test passed (a failed or interrupted test may not have made its requests; a run
      with failures fails anyway),
    - nothing was deselected (-k, -m, --deselect, --lf all report deselections),
    - no single test was named (path::name), and
    - every test file under tests/ (outside NOT_COUNTED_DIRS) had tests collected, however the
      paths were given (none, tests/, several folders), so --ignore of any of them is noticed.
    """
    if exitstatus != 0:
        return "some tests did not pass"
    if deselected:
        return f"{deselected} tests were deselected"
    if any("::" in arg for arg in args):
        return "single tests were named"
    on_disk = {
        path.resolve()
        for path in tests_dir.rglob("test_*.py")
        if path.relative_to(tests_dir).parts[0] not in NOT_COUNTED_DIRS
    }
    left_out = on_disk - {path.resolve() for path in collected}
    if left_out:
        return f"{len(left_out)} test files were not collected"
    return None
