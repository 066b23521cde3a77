"""In real browsers, on the production set-up (two uvicorn processes sharing Redis, on a
database of their own): crisis words in a chat bring the seeker a banner and the listener the
protocol beside the conversation, with no page reloading; "Send crisis lines" delivers the
seeker's lines; Enter sends and Shift+Enter starts a new line."""

import json
import os

import pytest
from playwright.sync_api import expect

from tests.support.devservers import (
    asgi_servers,
    haven,
    seed_chat_pairs_args,
    separate_database,
    server_environment,
)

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
LOAD_CRISIS_LINES = (
    "from haven.safety.resources import load_crisis_resources; load_crisis_resources()"
)
CRISIS_WORDS = "I've been saving my pills. I want to end it tonight."


@pytest.fixture(scope="module")
def chat_servers():
    from django.conf import settings

    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        haven(["migrate", "--noinput", "-v0"], env)
        haven(["shell", "-c", LOAD_CRISIS_LINES], env)
        pair = json.loads(haven(seed_chat_pairs_args(1, "sos"), env).stdout)
        with asgi_servers(2, env) as ports:
            yield pair, ports


def person(browser, port: int, session: str, **options):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}", **options)
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page


def open_chat(page, url: str) -> None:
    page.goto(url)
    # A reload or navigation would drop this: its survival shows the page stayed put.
    page.evaluate("window.havenStayedPut = true")


def stayed_put(page) -> bool:
    return page.evaluate("window.havenStayedPut === true")


def test_crisis_help_arrives_inside_the_chat_on_both_sides(browser, chat_servers, shot):
    pair, (port_a, port_b) = chat_servers
    seeker_context, seeker = person(browser, port_a, pair["seeker_session"])
    listener_context, listener = person(browser, port_b, pair["listener_session"])
    try:
        url = f"/chat/{pair['conversation']}/"
        open_chat(seeker, url)
        open_chat(listener, url)
        seeker_box = seeker.get_by_label("Your message")
        listener_box = listener.get_by_label("Your message")

        # Shift+Enter starts a new line; Enter sends the whole message.
        seeker_box.press_sequentially("Hi. I can't sleep.")
        seeker_box.press("Shift+Enter")
        seeker_box.press_sequentially("And it's getting worse.")
        expect(seeker_box).to_have_value("Hi. I can't sleep.\nAnd it's getting worse.")
        seeker_box.press("Enter")
        expect(seeker_box).to_have_value("")
        last = listener.locator("[data-log] li").last
        expect(last).to_contain_text("Hi. I can't sleep.")
        assert "Hi. I can't sleep.\nAnd it's getting worse." in last.inner_text()

        # The listener is halfway through a reply when the seeker writes crisis words.
        listener_box.fill("I'm right here with")
        listener_box.focus()
        seeker_box.fill(CRISIS_WORDS)
        seeker_box.press("Enter")

        # The seeker: a banner inside the chat with their country's lines and their plan.
        banner = seeker.locator("[data-crisis-banner]")
        expect(banner).to_be_visible()
        expect(
            banner.get_by_role("heading", name="You don't have to face this alone")
        ).to_be_visible()
        expect(banner).to_contain_text("988 Suicide & Crisis Lifeline")
        expect(banner.get_by_role("link", name="988").first).to_have_attribute("href", "tel:988")
        expect(banner.get_by_role("link", name="Open my safety plan")).to_be_visible()
        expect(banner.get_by_role("link", name="Talk to someone now")).to_have_count(0)
        assert stayed_put(seeker)
        shot(seeker, "seeker-banner")
        seeker_box.fill("still here")
        banner.get_by_role("button", name="Close this message").click()
        expect(banner).to_be_hidden()
        expect(seeker_box).to_have_value("still here")
        expect(seeker_box).to_be_focused()

        # The listener: the protocol opens beside the conversation; their draft is untouched.
        protocol = listener.locator("[data-crisis-protocol]")
        expect(protocol).to_have_js_property("open", True)
        expect(protocol.get_by_role("button", name="Escalate to a moderator")).to_be_visible()
        expect(listener_box).to_have_value("I'm right here with")
        assert stayed_put(listener)
        chat_box = listener.locator("[data-chat]").bounding_box()
        panel_box = protocol.bounding_box()
        assert panel_box["x"] >= chat_box["x"] + chat_box["width"]  # beside, not above
        assert panel_box["y"] < chat_box["y"] + chat_box["height"]
        shot(listener, "listener-protocol-beside-the-chat")

        # "Send crisis lines": an ordinary message from the listener, delivered live.
        protocol.get_by_role("button", name="Send crisis lines").click()
        expect(seeker.locator("[data-log]")).to_contain_text(
            "988 Suicide & Crisis Lifeline: call 988 · Text 988 (24/7)"
        )
        expect(listener.locator("[data-log] li").last).to_contain_text("Crisis Text Line")
        expect(listener_box).to_have_value("I'm right here with")
        assert stayed_put(listener) and stayed_put(seeker)

        # On a phone the protocol is a drawer over the chat, closed with its own button.
        listener.set_viewport_size({"width": 375, "height": 740})
        assert protocol.evaluate("element => getComputedStyle(element).position") == "fixed"
        shot(listener, "listener-protocol-drawer")
        protocol.get_by_role("button", name="Close the protocol").click()
        expect(protocol).to_have_js_property("open", False)
        expect(listener_box).to_be_visible()
        assert stayed_put(listener)
    finally:
        seeker_context.close()
        listener_context.close()
