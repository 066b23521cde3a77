"""Shared fixtures: named members in named roles, a couple of communities, signed-in clients.
Every /api/ answer any test receives through Django's test client is checked against the
OpenAPI schema (tests/support/openapi.py), and a whole run fails when some operation of the
schema was never seen to succeed."""

import threading

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import AsyncClient, Client
from django.utils import translation

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.models import Role, User
from haven.accounts.two_factor import requires_two_factor
from haven.communities.actions import (
    do_join_community,
    do_save_community,
    do_set_community_moderator,
)
from haven.communities.models import Community
from haven.matching.vectors import reset_index
from haven.wellness.library import do_grant_library_role
from tests.support.openapi import ContractBroken, contract, why_not_whole

PASSWORD = "a-long-calm-password-42"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_deletion_ledger(settings, tmp_path):
    """Each test's deleted accounts are its own, never written into the checkout's var/."""
    settings.HAVEN_DELETION_LEDGER = tmp_path / "deleted-accounts.ledger"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request in another one (a Spanish reader)
    leaves its language active in this thread, as Django's LocaleMiddleware does, and code a
    later test calls directly would speak it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    reset_index()  # each test's vectors come from its own database, never a previous test's
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _api_answers_follow_the_schema(monkeypatch):
    """Wrap the test clients' request(), through which every get/post/…, and each redirect
    followed, passes: an answer the schema does not describe fails the test at the request.
    A request made in another thread fails the test when it ends instead."""
    broken_in_threads: list[ContractBroken] = []

    def checked(response):
        request = response.wsgi_request
        try:
            contract().check(request.method, request.path_info, response)
        except ContractBroken as broken:
            if threading.current_thread() is threading.main_thread():
                raise
            broken_in_threads.append(broken)
        return response

    sync_request, async_request = Client.request, AsyncClient.request

    def request(self, **kwargs):
        return checked(sync_request(self, **kwargs))

    async def arequest(self, **kwargs):
        return checked(await async_request(self, **kwargs))

    monkeypatch.setattr(Client, "request", request)
    monkeypatch.setattr(AsyncClient, "request", arequest)
    yield
    if broken_in_threads:
        pytest.fail("\n\n".join(str(broken) for broken in broken_in_threads), pytrace=False)


_deselected = pytest.StashKey[int]()
_operations_report = pytest.StashKey[tuple[str | None, list[str]]]()


def pytest_deselected(items):
    if items:
        config = items[0].config
        config.stash[_deselected] = config.stash.get(_deselected, 0) + len(items)


def pytest_sessionfinish(session, exitstatus):
    """In a whole run (see why_not_whole for the rule), fail when an operation of the schema was
    never answered with a 2xx: some operation no test exercises."""
    config = session.config
    if hasattr(config, "workerinput") or config.option.collectonly:
        return  # an xdist worker sees a share of the requests; collecting runs none
    reason = why_not_whole(
        tests_dir=config.rootpath / "tests",
        args=config.args,
        collected={item.path for item in session.items},
        deselected=config.stash.get(_deselected, 0),
        exitstatus=exitstatus,
    )
    missing = [operation.label for operation in contract().never_succeeded()]
    config.stash[_operations_report] = (reason, missing)
    if reason is None and missing:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _operations_report not in config.stash:
        return
    reason, missing = config.stash[_operations_report]
    total = len(contract().operations)
    succeeded = f"OpenAPI: {total - len(missing)} of {total} operations answered a 2xx"
    if reason is not None:
        terminalreporter.write_line(f"{succeeded} (not a whole run, so not checked: {reason}).")
    elif not missing:
        terminalreporter.write_line(f"{succeeded}.")
    else:
        terminalreporter.section("OpenAPI operations no test saw succeed", red=True)
        terminalreporter.write_line(
            f"{succeeded}; add a test that makes each of these succeed through the test client:"
        )
        for label in missing:
            terminalreporter.write_line(f"  {label}")


@pytest.fixture
def guidelines(db):
    return do_publish_guidelines("# Be kind\n\nTreat each other gently.")


def make_member(pseudonym: str, guidelines, role: str = Role.MEMBER) -> User:
    return do_create_user(pseudonym, PASSWORD, guidelines_version=guidelines.version, role=role)


@pytest.fixture
def alice(guidelines) -> User:
    return make_member("alice", guidelines)


@pytest.fixture
def bob(guidelines) -> User:
    return make_member("bob", guidelines)


@pytest.fixture
def carol(guidelines) -> User:
    return make_member("carol", guidelines)


@pytest.fixture
def moderator_kim(guidelines) -> User:
    """A site moderator: may moderate every community."""
    return make_member("moderator_kim", guidelines, role=Role.MODERATOR)


@pytest.fixture
def anxiety(db) -> Community:
    return do_save_community(
        slug="anxiety", name="Anxiety", description="For worry and panic.", rules="- Be kind"
    )


@pytest.fixture
def grief(db) -> Community:
    return do_save_community(slug="grief", name="Grief", description="For loss.")


@pytest.fixture
def community_mod_maya(guidelines, anxiety) -> User:
    """Moderates the anxiety community only."""
    maya = make_member("community_mod_maya", guidelines)
    do_set_community_moderator(maya, anxiety, is_moderator=True, acting_user=None)
    return maya


@pytest.fixture
def members_of_anxiety(alice, bob, carol, anxiety):
    for member in (alice, bob, carol):
        do_join_community(member, anxiety)
    return anxiety


def client_for(user: User, *, second_factor: bool = True) -> Client:
    """A signed-in client. Roles that need two-factor authentication get a confirmed
    authenticator and a session that has passed it, unless second_factor=False."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if second_factor and requires_two_factor(user):
        pass_second_factor(client, user)
    return client


def token_client_for(user: User) -> Client:
    """An app signed in with an API token; roles that need it passed the second factor when the
    token was issued (as POST /api/auth/token with a code does)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from haven.accounts.tokens import do_create_api_token

    needs_code = requires_two_factor(user)
    if needs_code and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    token = do_create_api_token(user, with_two_factor=needs_code)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def crisis_lines(db) -> None:
    """Haven's crisis lines, as every site has them (a test database starts without)."""
    from haven.safety.resources import load_crisis_resources

    load_crisis_resources()


def crisis_line_names(user: User) -> list[str]:
    """The crisis lines a member is shown at once: their country's, or the site's default."""
    from haven.safety.resources import resources_for_country

    _, local, _, _ = resources_for_country("", user)
    names = [line.name for line in local]
    assert names, "no crisis lines for the member's country: use the crisis_lines fixture"
    return names


def pass_second_factor(client: Client, user: User) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def alice_client(alice) -> Client:
    return client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return client_for(bob)


@pytest.fixture
def carol_client(carol) -> Client:
    return client_for(carol)


async def refused_with(communicator) -> int:
    """The close code of a socket that is accepted and closed at once (so browsers see it)."""
    connected, _ = await communicator.connect()
    assert connected
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    return output["code"]


@pytest.fixture
def site_admin(guidelines) -> User:
    """An admin with the admin site: staff and superuser."""
    admin = make_member("site_admin", guidelines, role=Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


# The resource library's staff: an editor who writes, a licensed reviewer who publishes.
LIBRARY_CREDENTIAL = "licensed clinical social worker"


@pytest.fixture
def editor_eve(guidelines) -> User:
    eve = make_member("editor_eve", guidelines)
    do_grant_library_role(eve, "editor", acting_user=None)
    return eve


@pytest.fixture
def reviewer_rosa(guidelines) -> User:
    rosa = make_member("reviewer_rosa", guidelines)
    do_grant_library_role(rosa, "reviewer", credential=LIBRARY_CREDENTIAL, acting_user=None)
    return rosa
