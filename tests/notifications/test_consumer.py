"""The notification socket pushes a member's unread count as it changes."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from haven.core.realtime import CLOSE_NOT_SIGNED_IN
from haven.forums.actions import do_create_thread, do_toggle_reaction
from haven.notifications.consumers import NotificationConsumer
from tests.conftest import refused_with

pytestmark = pytest.mark.django_db(transaction=True)


def connect(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = user
    return communicator


async def test_a_signed_in_member_gets_live_unread_counts(members_of_anxiety, alice, bob):
    thread = await sync_to_async(do_create_thread)(
        members_of_anxiety, title="t", body="b", acting_user=alice
    )
    communicator = connect(alice)
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "unread_notifications",
        "count": 0,
    }
    await sync_to_async(do_toggle_reaction)(thread.first_post, "hug", acting_user=bob)
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "unread_notifications",
        "count": 1,
    }
    await communicator.disconnect()


async def test_others_do_not_hear_a_members_notifications(members_of_anxiety, alice, bob, carol):
    thread = await sync_to_async(do_create_thread)(
        members_of_anxiety, title="t", body="b", acting_user=alice
    )
    eavesdropper = connect(carol)
    await eavesdropper.connect()
    await eavesdropper.receive_json_from(timeout=5)
    await sync_to_async(do_toggle_reaction)(thread.first_post, "hug", acting_user=bob)
    assert await eavesdropper.receive_nothing(timeout=0.5)
    await eavesdropper.disconnect()


async def test_the_socket_refuses_visitors_who_are_not_signed_in(db):
    communicator = connect(AnonymousUser())
    assert await refused_with(communicator) == CLOSE_NOT_SIGNED_IN


async def test_the_socket_closes_when_the_members_access_ends(alice, bob):
    from haven.accounts.revocation import do_revoke_access
    from haven.notifications.sockets import CLOSE_SIGNED_OUT

    mine, other = connect(alice), connect(bob)
    for communicator in (mine, other):
        assert (await communicator.connect())[0]
        await communicator.receive_json_from(timeout=5)
    await sync_to_async(do_revoke_access)(alice, reason="password_changed")
    closed = await mine.receive_output(timeout=5)
    assert (closed["type"], closed["code"]) == ("websocket.close", CLOSE_SIGNED_OUT)
    assert await other.receive_nothing(timeout=0.3)  # nobody else is signed out
    await other.disconnect()
