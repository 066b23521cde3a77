"""In real browsers, with rate limits on: a visitor whose sign-up failed five times from one
address still reaches a listener through the quick start (two uvicorn processes sharing Redis,
as in production)."""

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.support.devservers import asgi_servers, haven, separate_database, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"

# An online listener and a session for them, made in the servers' own database.
SEED_LISTENER = """
import json
from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.guidelines import current_guidelines
from haven.chat.models import ListenerProfile
from tests.support.devservers import signed_in_session
guidelines = current_guidelines() or do_publish_guidelines("Be kind.")
user = do_create_user("listener_lee", None, guidelines_version=guidelines.version, role="listener")
ListenerProfile.objects.create(
    user=user, status=ListenerProfile.Status.LISTENER, is_online=True, languages=["en"]
)
print(json.dumps({"listener_session": signed_in_session(user)}))
"""


@pytest.fixture(scope="module")
def limited_servers():
    from django.conf import settings

    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        env["HAVEN_RATE_LIMITS_ENABLED"] = "true"
        haven(["migrate", "--noinput", "-v0"], env)
        seeded = json.loads(
            haven(["shell", "-v0", "-c", SEED_LISTENER], env).stdout.strip().splitlines()[-1]
        )
        with asgi_servers(2, env) as ports:
            yield seeded["listener_session"], ports


def test_a_visitor_whose_sign_up_failed_five_times_still_reaches_a_listener(
    browser, limited_servers, shot
):
    listener_session, (port_a, port_b) = limited_servers
    listener_context = browser.new_context(base_url=f"http://127.0.0.1:{port_b}")
    listener_context.add_cookies(
        [{"name": "sessionid", "value": listener_session, "domain": "127.0.0.1", "path": "/"}]
    )
    visitor_context = browser.new_context(base_url=f"http://127.0.0.1:{port_a}")
    for context in (listener_context, visitor_context):
        context.set_default_timeout(10_000)
    try:
        # The listener is on the site, their dashboard open, for the whole journey.
        listener = listener_context.new_page()
        listener.goto("/listen/dashboard/")
        expect(listener.get_by_role("heading", name="Listener dashboard")).to_be_visible()

        visitor = visitor_context.new_page()
        visitor.goto("/accounts/signup/")
        for attempt in range(5):
            visitor.get_by_label("Pseudonym").fill(f"QuietHarbour{attempt}")
            visitor.get_by_label("Password", exact=True).fill("short")
            visitor.get_by_role("button", name="Create my account").click()
            expect(visitor.locator("p.error").first).to_be_visible()
        shot(visitor, "sign-up-failed-five-times")

        visitor.get_by_role("link", name="Talk to someone now").first.click()
        expect(visitor.get_by_role("button", name="Start anonymously")).to_be_visible()
        visitor.get_by_label("I have read and accept the community guidelines").check()
        visitor.get_by_role("button", name="Start anonymously").click()
        expect(visitor.get_by_role("button", name="Find me a listener")).to_be_visible()

        visitor.get_by_label("What's on your mind? (optional)").fill("I can't sleep again.")
        visitor.get_by_role("button", name="Find me a listener").click()
        # The request is offered to the listener on the site, who takes it.
        offer = listener.locator("[data-chat-offer]")
        expect(offer).to_be_visible()
        offer.get_by_role("button", name="Accept").click()
        heading = visitor.get_by_role("heading", name=re.compile(r"^Chat with .*a listener$"))
        for _ in range(10):  # the waiting page, until the match lands
            if re.search(r"/chat/\d+/$", visitor.url):
                break
            visitor.wait_for_timeout(500)
            visitor.reload()
        expect(heading).to_be_visible()
        shot(visitor, "quick-start-reached-a-listener")

        visitor.get_by_label("Your message").fill("Hello. Thank you for being here.")
        visitor.get_by_role("button", name="Send").click()
        listener.goto(visitor.url.replace(f":{port_a}", f":{port_b}"))
        expect(listener.locator("[data-log]")).to_contain_text("Thank you for being here.")
    finally:
        visitor_context.close()
        listener_context.close()
