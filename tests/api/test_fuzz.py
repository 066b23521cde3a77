"""Schemathesis over the whole API, in-process: generated requests, valid and invalid, as an
anonymous client and as a signed-in member (Bearer token). No answer may be a server error, and
every answer must follow the OpenAPI schema (its status codes, content types and bodies). The
suite runs on SQLite and on PostgreSQL in CI; scripts/fuzz-api runs the same checks longer."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from haven.accounts.actions import do_create_api_token

EXAMPLES = 4  # per operation, mode and client: ~1,600 requests in all, bounded for CI


@pytest.fixture
def api_schema(db, members_of_anxiety, settings):
    settings.HAVEN_RATE_LIMITS_ENABLED = False  # a fuzzer is a flood; 429s would hide the rest
    # As Django's test client does: a request must not close the connection holding the test's
    # transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django_app = get_wsgi_application()

    def app(environ, start_response):  # werkzeug's test client leaves out the client address
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return django_app(environ, start_response)

    yield schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzz(api_schema, headers=None) -> tuple[int, int, list[str]]:
    """Operations tested, requests sent, and one line per operation that broke its contract."""
    operations, sent, failures = 0, 0, []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                nonlocal sent
                sent += 1
                call_headers = headers() if callable(headers) else headers
                case.call_and_validate(headers=call_headers)

            try:
                run()
            except Unsatisfiable:
                pass  # nothing to make invalid: an operation without parameters or body
            except (Exception, BaseExceptionGroup) as error:  # report every operation that fails
                failures.append(f"{operation.label} ({mode}): {str(error)[:1500]}")
    print(f"schemathesis: {operations} operations, {sent} requests, {len(failures)} failures")
    return operations, sent, failures


def test_the_api_holds_its_contract_for_anonymous_clients(api_schema):
    operations, sent, failures = fuzz(api_schema)
    assert operations >= 90 and sent >= operations
    assert not failures, "\n\n".join(failures)


def test_the_api_holds_its_contract_for_a_signed_in_member(api_schema, alice):
    # A fresh token for each request: DELETE /api/auth/token may have revoked the last one.
    def headers():
        return {"Authorization": f"Bearer {do_create_api_token(alice, name='fuzz')}"}

    operations, sent, failures = fuzz(api_schema, headers)
    assert operations >= 90 and sent >= operations
    assert not failures, "\n\n".join(failures)
