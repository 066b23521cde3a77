"""In real browsers, on two server processes sharing Redis: a listener who closed their tab is
not offered the next request; one who never accepts is passed over when the offer runs out; the
seeker reaches the next listener, who accepts and answers."""

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.support.devservers import asgi_servers, haven, separate_database, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
OFFER_SECONDS = 4

SEED = """
import json
from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.chat.models import ListenerProfile
from tests.support.devservers import signed_in_session
g = do_publish_guidelines("Be kind.")
sessions = {}
for name in ("gone_gus", "never_nia", "ready_rae"):
    user = do_create_user(name, None, guidelines_version=g.version, role="listener")
    ListenerProfile.objects.create(user=user, status="listener", is_online=True, max_chats=1)
    sessions[name] = signed_in_session(user)
seeker = do_create_user("seeker_sky", None, guidelines_version=g.version)
sessions["seeker_sky"] = signed_in_session(seeker)
print(json.dumps(sessions))
"""

PASSED = """
from haven.accounts.models import User
from haven.chat.models import ChatRequest
r = ChatRequest.objects.get(seeker__pseudonym="seeker_sky")
names = User.objects.filter(pk__in=r.passed_listener_ids).values_list("pseudonym", flat=True)
print(r.status, ",".join(sorted(names)))
"""


@pytest.fixture(scope="module")
def servers():
    from django.conf import settings

    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        env["HAVEN_CHAT_OFFER_SECONDS"] = str(OFFER_SECONDS)
        haven(["migrate", "--noinput", "-v0"], env)
        sessions = json.loads(haven(["shell", "-c", SEED], env).stdout.strip().splitlines()[-1])
        with asgi_servers(2, env) as ports:
            yield sessions, ports, env


def person(browser, port: int, session: str):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_a_request_skips_a_closed_tab_and_a_silent_listener_and_reaches_one_who_answers(
    browser, servers, shot
):
    sessions, (port_a, port_b), env = servers
    contexts = []
    try:
        # Gus opens Haven, then closes his tab: he is gone at once.
        gus_context, gus = person(browser, port_a, sessions["gone_gus"])
        contexts.append(gus_context)
        gus.goto("/listen/dashboard/")
        gus.wait_for_timeout(500)
        gus_context.close()
        contexts.remove(gus_context)
        # Nia has Haven open on one process and never answers; Rae on the other.
        nia_context, nia = person(browser, port_a, sessions["never_nia"])
        rae_context, rae = person(browser, port_b, sessions["ready_rae"])
        contexts += [nia_context, rae_context]
        nia.goto("/listen/dashboard/")
        rae.goto("/chat/")  # any page: the offer comes to wherever the listener is
        nia.wait_for_timeout(500)

        seeker_context, seeker = person(browser, port_b, sessions["seeker_sky"])
        contexts.append(seeker_context)
        seeker.goto("/talk/")
        seeker.get_by_label("What's on your mind? (optional)").fill(
            "I've had a really hard week and need to talk."
        )
        seeker.get_by_role("button", name="Find me a listener").click()
        expect(seeker.get_by_text("Waiting for a listener to join…")).to_be_visible()

        # The offer goes to Nia (Gus's tab is closed), live; she lets it run out.
        expect(nia.locator("[data-chat-offer]")).to_be_visible()
        expect(rae.locator("[data-chat-offer]")).to_be_visible(timeout=(OFFER_SECONDS + 10) * 1000)
        expect(nia.locator("[data-chat-offer]")).to_have_count(0)
        shot(rae, "offer")
        rae.locator("[data-chat-offer]").get_by_role("button", name="Accept").click()
        expect(rae).to_have_url(re.compile(r"/chat/\d+/$"))

        expect(seeker.get_by_text("ready_rae has joined")).to_be_visible()
        expect(seeker).to_have_url(re.compile(r"/chat/\d+/$"))
        expect(
            seeker.get_by_role("heading", name="Chat with ready_rae, a listener")
        ).to_be_visible()
        # The opening words are the first message, on both sides.
        for page in (seeker, rae):
            expect(page.locator("[data-log] li").first).to_contain_text("a really hard week")
        rae.get_by_label("Your message").fill("I'm here. Tell me about your week.")
        rae.get_by_role("button", name="Send").click()
        expect(seeker.locator("[data-log]")).to_contain_text("Tell me about your week.")
        shot(seeker, "seeker")

        status = haven(["shell", "-c", PASSED], env).stdout.strip().splitlines()[-1]
        assert status == "matched never_nia"  # offered to Nia, passed on; never to Gus
    finally:
        for context in contexts:
            context.close()
