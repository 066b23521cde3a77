"""Shared fixtures: named members in named roles, a couple of communities, signed-in clients."""

import pytest
from django.core.cache import cache
from django.test import Client

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

PASSWORD = "a-long-calm-password-42"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    reset_index()  # each test's vectors come from its own database, never a previous test's
    yield
    cache.clear()


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
