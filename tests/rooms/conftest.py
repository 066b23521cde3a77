"""Shared fixtures of the support room tests: a trained listener who hosts, an open room with
alice and bob in it, an anonymous room, and a way to open the room socket."""

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from haven.rooms.actions import do_create_room, do_join_room
from haven.rooms.models import Room
from haven.routing import websocket_urlpatterns
from tests.chat.conftest import make_listener

application = URLRouter(websocket_urlpatterns)
CRISIS_WORDS = "I've been saving my pills and I want to end my life tonight."


@pytest.fixture
def host_hana(guidelines):
    """A trained listener: listeners may host (the trust level counts for them)."""
    return make_listener("host_hana", guidelines, present=False).user


@pytest.fixture
def room(host_hana, alice, bob) -> Room:
    room = do_create_room(
        host_hana, title="Evening wind-down", topic="Slowing down before sleep.",
        rules="Be kind.\nWhat is shared here stays here.",
    )  # fmt: skip
    do_join_room(room, alice)
    do_join_room(room, bob)
    return room


@pytest.fixture
def anonymous_room(host_hana, alice, bob) -> Room:
    room = do_create_room(
        host_hana, title="Worry corner", topic="Anxious thoughts, said plainly.",
        rules="Be kind.", is_anonymous=True,
    )  # fmt: skip
    do_join_room(room, alice)
    do_join_room(room, bob)
    return room


async def join(user, room, after: int | None = None) -> tuple[WebsocketCommunicator, dict]:
    """An open room socket of `user` and its history frame."""
    path = f"/ws/rooms/{room.pk}/" + (f"?after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(application, path)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    history = await communicator.receive_json_from(timeout=5)
    assert history["type"] == "history", history
    return communicator, history


async def next_of(communicator: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict:
    """The next frame of this type, skipping others (presence comes and goes)."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def frames_until_quiet(communicator: WebsocketCommunicator, quiet: float = 0.4) -> list:
    frames = []
    while not await communicator.receive_nothing(timeout=quiet):
        frames.append(await communicator.receive_json_from(timeout=5))
    return frames
