"""/metrics as Prometheus reads it: only with the host's token; request latency by view (never
by URL), open sockets, messages stored, the safety pipeline's latency, and the figures read from
the database (queue depths, the oldest urgent item, waiting chats and jobs, the vector index).
Several processes add up in multiprocess mode."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

import haven.asgi
from haven.chat.actions import do_request_chat, do_send_message
from haven.core.metrics import SocketCounter
from haven.forums.actions import do_create_thread
from haven.moderation.models import QueueItem, QueueKind
from haven.routing import websocket_urlpatterns
from haven.safety.pipeline import screen
from tests.chat.conftest import accept_offer, make_listener
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
TOKEN = "prometheus-scrape-token"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def scraper(settings):
    settings.HAVEN_METRICS_TOKEN = TOKEN
    return Client(HTTP_HOST="10.0.0.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def samples(client: Client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[sample.name, tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_without_the_token_there_is_no_metrics_page(settings):
    assert Client().get("/metrics").status_code == 404  # no token configured: none exists
    settings.HAVEN_METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 404
    assert Client(HTTP_AUTHORIZATION="Bearer guess").get("/metrics").status_code == 404


def test_requests_are_timed_by_view_never_by_url(scraper, alice, members_of_anxiety):
    thread = do_create_thread(
        members_of_anxiety, title="Sleep", body="Up again at 3am.", acting_user=alice
    )
    key = (
        "haven_request_duration_seconds_count",
        (("method", "GET"), ("view", "forums:thread")),
    )
    before = samples(scraper).get(key, 0)
    page = client_for(alice).get(f"/c/anxiety/t/{thread.public_id}/")
    assert page.status_code == 200
    after = samples(scraper)
    assert after[key] == before + 1
    assert not any(thread.public_id in str(labels) for _, labels in after)


def test_database_figures_show_the_queue_and_the_oldest_urgent_item(scraper, alice):
    QueueItem.objects.create(
        kind=QueueKind.URGENT, member=alice, created_at=timezone.now() - timedelta(minutes=7)
    )
    QueueItem.objects.create(kind=QueueKind.REPORTED, member=alice)
    found = samples(scraper)
    assert found["haven_queue_items_open", (("kind", "urgent"),)] == 1
    assert found["haven_queue_items_open", (("kind", "reported"),)] == 1
    assert found["haven_queue_items_open", (("kind", "appeal"),)] == 0
    assert 7 * 60 <= found["haven_urgent_oldest_age_seconds", ()] < 8 * 60
    assert found["haven_chat_requests_waiting", ()] == 0
    assert ("haven_vector_index_vectors", (("kind", "post"),)) in found


def test_chat_messages_and_screening_are_counted(
    scraper, alice, guidelines, django_capture_on_commit_callbacks
):
    make_listener("listener_lee", guidelines, topics=["anxiety"])
    with django_capture_on_commit_callbacks(execute=True):
        chat_request = do_request_chat(alice, topics=["anxiety"], language="en", message="Hi.")
    conversation = accept_offer(chat_request, django_capture_on_commit_callbacks).conversation
    key = ("haven_messages_stored_total", (("kind", "chat"),))
    screened = ("haven_safety_screen_seconds_count", ())
    before = samples(scraper)
    with django_capture_on_commit_callbacks(execute=True):
        do_send_message(conversation, sender=alice, body="Thank you for listening.", client_id="1")
        # A retry stores nothing and counts nothing.
        do_send_message(conversation, sender=alice, body="Thank you for listening.", client_id="1")
    screen("Another text to screen.")
    after = samples(scraper)
    assert after[key] == before.get(key, 0) + 1
    assert after[screened] >= before.get(screened, 0) + 3


@pytest.mark.django_db(transaction=True)
async def test_open_sockets_count_from_acceptance_until_they_close(alice, settings):
    from asgiref.sync import sync_to_async

    settings.HAVEN_METRICS_TOKEN = TOKEN
    assert isinstance(haven.asgi.application.application_mapping["websocket"], SocketCounter)
    app = SocketCounter(URLRouter(websocket_urlpatterns))
    key = ("haven_open_sockets", (("kind", "notifications"),))
    scraper = Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    read = sync_to_async(lambda: samples(scraper).get(key, 0))
    before = await read()
    communicator = WebsocketCommunicator(app, "/ws/notifications/")
    communicator.scope["user"] = alice
    connected, _ = await communicator.connect()
    assert connected
    assert await read() == before + 1
    await communicator.disconnect()
    assert await read() == before


PROCESS = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
django.setup()
from haven.core.metrics import count_message
for _ in range({n}):
    count_message("room")
"""


def test_several_processes_add_up_in_multiprocess_mode(tmp_path, scraper, monkeypatch):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for n in (2, 3):
        subprocess.run(
            [sys.executable, "-c", PROCESS.format(n=n)], cwd=ROOT, env=env, check=True,
            timeout=120,
        )  # fmt: skip
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert samples(scraper)["haven_messages_stored_total", (("kind", "room"),)] == 5


def test_the_grafana_dashboard_reads_only_metrics_haven_exports(scraper):
    import json
    import re

    with open(os.path.join(ROOT, "deploy", "grafana", "haven-dashboard.json")) as file:
        dashboard = json.load(file)
    exported = {name for name, _ in samples(scraper)}
    queried = set()
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            queried.update(re.findall(r"\bhaven_[a-z_]+", target["expr"]))
    assert len(dashboard["panels"]) >= 10 and queried
    assert queried <= exported, queried - exported
