"""HTTP requests take turns (haven.core.request_turns): a few views at a time per process, the
others waiting in arrival order; the crisis help page and the probes never wait."""

import asyncio

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings

from haven.core import metrics
from haven.core.request_turns import RequestTurns


def http_scope(path: str, method: str = "GET") -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


class Views:
    """A stand-in for Django: each request's view runs until the test lets it finish."""

    def __init__(self) -> None:
        self.running: list[str] = []
        self.finished: list[str] = []
        self.release: dict[str, asyncio.Event] = {}
        self.fail: set[str] = set()

    async def __call__(self, scope, receive, send) -> None:
        while (await receive()).get("more_body"):
            pass
        path = scope["path"]
        self.running.append(path)
        await self.release.setdefault(path, asyncio.Event()).wait()
        self.running.remove(path)
        if path in self.fail:
            raise RuntimeError("the view failed")
        self.finished.append(path)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def finish(self, path: str) -> None:
        self.release.setdefault(path, asyncio.Event()).set()


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def start(app, path: str, body_chunks: int = 1) -> ApplicationCommunicator:
    communicator = ApplicationCommunicator(app, http_scope(path))
    for n in range(body_chunks):
        await communicator.send_input(
            {"type": "http.request", "body": b"x", "more_body": n < body_chunks - 1}
        )
    await settle()
    return communicator


async def status_of(communicator: ApplicationCommunicator) -> int:
    start = await communicator.receive_output(timeout=5)
    await communicator.receive_output(timeout=5)
    return start["status"]


async def test_requests_beyond_the_limit_wait_and_run_in_arrival_order():
    views = Views()
    app = RequestTurns(views, limit=2)
    requests = [await start(app, f"/page/{n}/") for n in range(4)]
    assert views.running == ["/page/0/", "/page/1/"]
    assert metrics.HTTP_WAITING._value.get() == 2

    views.finish("/page/3/")  # ready, but not its turn yet
    await settle()
    assert views.running == ["/page/0/", "/page/1/"]
    views.finish("/page/1/")
    await settle()
    # The second to arrive goes first, the last one after it.
    assert views.running == ["/page/0/", "/page/2/"]
    views.finish("/page/2/")
    await settle()
    assert views.finished == ["/page/1/", "/page/2/", "/page/3/"]
    assert views.running == ["/page/0/"]
    views.finish("/page/0/")
    await settle()
    assert [await status_of(r) for r in requests] == [200, 200, 200, 200]
    assert metrics.HTTP_WAITING._value.get() == 0


async def test_a_request_whose_body_is_still_arriving_holds_no_turn():
    views = Views()
    app = RequestTurns(views, limit=1)
    upload = ApplicationCommunicator(app, http_scope("/upload/", "POST"))
    await upload.send_input({"type": "http.request", "body": b"first", "more_body": True})
    page = await start(app, "/page/")
    assert views.running == ["/page/"]
    views.finish("/page/")
    assert await status_of(page) == 200

    await upload.send_input({"type": "http.request", "body": b"last", "more_body": False})
    await settle()
    assert views.running == ["/upload/"]
    views.finish("/upload/")
    assert await status_of(upload) == 200


async def test_a_view_that_fails_gives_its_turn_back():
    views = Views()
    views.fail.add("/broken/")
    app = RequestTurns(views, limit=1)
    broken = await start(app, "/broken/")
    waiting = await start(app, "/page/")
    assert views.running == ["/broken/"]
    views.finish("/broken/")
    with pytest.raises(RuntimeError):
        await broken.wait(timeout=5)
    await settle()
    assert views.running == ["/page/"]
    views.finish("/page/")
    assert await status_of(waiting) == 200


async def test_a_request_given_up_while_waiting_takes_no_turn_away():
    views = Views()
    app = RequestTurns(views, limit=1)
    first = await start(app, "/page/1/")
    gone = await start(app, "/page/2/")
    gone.future.cancel()  # the server stops it: the client went away
    await settle()
    assert metrics.HTTP_WAITING._value.get() == 0
    views.finish("/page/1/")
    assert await status_of(first) == 200
    third = await start(app, "/page/3/")
    assert views.running == ["/page/3/"]
    views.finish("/page/3/")
    assert await status_of(third) == 200


async def test_the_crisis_page_and_the_probes_never_wait_and_zero_means_no_limit():
    views = Views()
    app = RequestTurns(views, limit=1, never_wait=["/help/"])
    held = await start(app, "/page/")
    help_page = await start(app, "/help/")
    assert views.running == ["/page/", "/help/"]
    views.finish("/help/")
    assert await status_of(help_page) == 200

    unlimited = RequestTurns(views, limit=0)
    other = await start(unlimited, "/other/")
    assert "/other/" in views.running
    views.finish("/other/")
    views.finish("/page/")
    assert await status_of(other) == 200
    assert await status_of(held) == 200


@pytest.mark.django_db(transaction=True)
async def test_the_served_application_queues_pages_but_never_the_crisis_page():
    """Through haven.asgi's own application and Django: with every turn taken, the crisis page
    and the health probe answer at once; an ordinary page answers when a turn comes free."""
    from haven.asgi import application

    turns = application.application_mapping["http"]
    assert turns.limit == settings.HAVEN_HTTP_CONCURRENCY > 0
    held = turns.turns()
    for _ in range(turns.limit):
        await held.acquire()
    try:
        for path in ("/help/", "/healthz"):
            communicator = ApplicationCommunicator(application, http_scope(path))
            await communicator.send_input({"type": "http.request", "body": b""})
            assert await status_of(communicator) == 200, path
        page = ApplicationCommunicator(application, http_scope("/healthz/"))
        await page.send_input({"type": "http.request", "body": b""})
        assert await page.receive_nothing(timeout=0.3)
        assert metrics.HTTP_WAITING._value.get() == 1
    finally:
        for _ in range(turns.limit):
            held.release()
    assert await status_of(page) == 200
