"""Sockets ask for the second factor as pages and the API do: a community moderator's or a site
moderator's socket opens only from a session that passed it."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from haven.accounts.middleware import CLOSE_TWO_FACTOR_REQUIRED
from haven.asgi import application
from tests.conftest import client_for, refused_with

pytestmark = pytest.mark.django_db(transaction=True)


def socket_for(session_id: str) -> WebsocketCommunicator:
    """The real ASGI stack: origin check, session cookie, the second-factor gate, the router."""
    return WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[(b"cookie", f"sessionid={session_id}".encode()), (b"origin", b"http://localhost")],
    )


async def session_of(user, *, second_factor: bool) -> str:
    client = await sync_to_async(client_for)(user, second_factor=second_factor)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("who", ["community_mod_maya", "moderator_kim"])
async def test_a_moderators_socket_needs_the_second_factor(who, request):
    user = await sync_to_async(request.getfixturevalue)(who)
    without = socket_for(await session_of(user, second_factor=False))
    assert await refused_with(without) == CLOSE_TWO_FACTOR_REQUIRED
    with_code = socket_for(await session_of(user, second_factor=True))
    connected, _ = await with_code.connect()
    assert connected
    assert (await with_code.receive_json_from(timeout=5))["type"] == "unread_notifications"
    await with_code.disconnect()


async def test_a_members_socket_needs_no_second_factor(alice):
    socket = socket_for(await session_of(alice, second_factor=False))
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from(timeout=5))["type"] == "unread_notifications"
    await socket.disconnect()
