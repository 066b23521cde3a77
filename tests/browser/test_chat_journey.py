"""In real browsers: a seeker and a listener chat live, each on a different server process of
the production set-up (two uvicorn processes sharing a Redis channel layer)."""

import json
import os
import re
import tempfile

import pytest
from playwright.sync_api import expect

from tests.support.devservers import asgi_servers, haven, seed_chat_pairs_args, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"


@pytest.fixture(scope="module")
def chat_servers():
    from django.conf import settings

    with tempfile.TemporaryDirectory() as data_dir:
        env = server_environment(f"sqlite:///{data_dir}/haven.sqlite3", REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        haven(["migrate", "--noinput", "-v0"], env)
        pair = json.loads(haven(seed_chat_pairs_args(1, "web"), env).stdout)
        with asgi_servers(2, env) as ports:
            yield pair, ports


def person(browser, port: int, session: str):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_seeker_and_listener_chat_in_real_time(browser, chat_servers, shot):
    pair, (port_a, port_b) = chat_servers
    seeker_context, seeker = person(browser, port_a, pair["seeker_session"])
    listener_context, listener = person(browser, port_b, pair["listener_session"])
    try:
        url = f"/chat/{pair['conversation']}/"
        seeker.goto(url)
        listener.goto(url)
        expect(
            seeker.get_by_role("heading", name=re.compile(r"^Chat with .*a listener$"))
        ).to_be_visible()
        expect(listener.get_by_text("If someone may be in crisis")).to_be_visible()

        seeker.get_by_label("Your message").fill("Hi. I haven't slept properly in weeks.")
        seeker.get_by_role("button", name="Send").click()
        expect(listener.locator("[data-log]")).to_contain_text("I haven't slept properly in weeks.")

        # The listener types: the seeker sees it, live, then the reply.
        listener.get_by_label("Your message").press_sequentially("That sounds ")
        expect(seeker.get_by_text("typing…")).to_be_visible()
        listener.get_by_label("Your message").press_sequentially("exhausting. I'm here.")
        listener.get_by_role("button", name="Send").click()
        expect(seeker.locator("[data-log]")).to_contain_text("That sounds exhausting. I'm here.")
        # The seeker read it: the listener sees "Seen".
        expect(listener.get_by_text("Seen")).to_be_visible()
        shot(seeker, "seeker")
        shot(listener, "listener")

        # A reload keeps the whole conversation, once each.
        seeker.reload()
        expect(seeker.locator("[data-log] li")).to_have_count(2)

        # Crisis words: help for the seeker at once, the crisis protocol for the listener.
        seeker.get_by_label("Your message").fill(
            "I've been saving my pills. I want to end it tonight."
        )
        seeker.get_by_role("button", name="Send").click()
        expect(
            seeker.get_by_role("heading", name="You don't have to face this alone")
        ).to_be_visible()
        protocol = listener.locator("[data-crisis-protocol]")
        expect(protocol).to_have_js_property("open", True)
        expect(protocol.get_by_role("button", name="Escalate to a moderator")).to_be_visible()
        shot(listener, "listener-crisis-protocol")

        # Ending the chat reaches both sides; the seeker is offered feedback.
        seeker.get_by_role("button", name="End the chat").click()
        expect(seeker.get_by_role("heading", name="How was it?")).to_be_visible()
        expect(listener.get_by_text("This chat has ended.")).to_be_visible()
        assert re.search(r"/chat/\d+/$", listener.url)
    finally:
        seeker_context.close()
        listener_context.close()
