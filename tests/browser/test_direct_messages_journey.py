"""In a real browser, on the production set-up (uvicorn with a Redis channel layer, a database
of its own): a trusted member asks another for a conversation from their profile; the other sees
who asked but not the words, accepts, reads them, and replies live; then blocks the first, whose
open page closes the conversation without saying why."""

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.support.devservers import asgi_servers, haven, separate_database, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
FIRST_WORDS = "Hi, your post about night shifts helped me a lot. Could we talk?"


def seed_pair() -> None:
    """Print two settled members, with signed-in sessions: `asker` (trusted, here a month) and
    `answerer`, who follows the asker (by default only people you follow may ask you)."""
    from datetime import timedelta

    from django.utils import timezone

    from haven.accounts.actions import do_create_user, do_publish_guidelines
    from haven.accounts.guidelines import current_guidelines
    from haven.updates.models import Follow, FollowStatus
    from tests.support.devservers import signed_in_session

    guidelines = current_guidelines() or do_publish_guidelines("Be kind.")
    joined = timezone.now() - timedelta(days=30)
    asker, answerer = (
        do_create_user(name, None, guidelines_version=guidelines.version)
        for name in ("dm_ana", "dm_ben")
    )
    for member in (asker, answerer):
        member.trust_level, member.date_joined = 2, joined
        member.save(update_fields=["trust_level", "date_joined"])
    Follow.objects.create(follower=answerer, followed=asker, status=FollowStatus.ACCEPTED)
    print(
        json.dumps(
            {
                "asker_session": signed_in_session(asker),
                "answerer_session": signed_in_session(answerer),
            }
        )
    )


SEED = "from tests.browser.test_direct_messages_journey import seed_pair; seed_pair()"


@pytest.fixture(scope="module")
def server():
    from django.conf import settings

    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        haven(["migrate", "--noinput", "-v0"], env)
        sessions = json.loads(haven(["shell", "-v0", "-c", SEED], env).stdout)
        with asgi_servers(1, env) as (port,):
            yield sessions, port


def person(browser, port: int, session: str):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_request_accepted_read_answered_live_then_blocked(browser, server, shot):
    sessions, port = server
    ana_context, ana = person(browser, port, sessions["asker_session"])
    ben_context, ben = person(browser, port, sessions["answerer_session"])
    try:
        # Ana asks from Ben's profile.
        ana.goto("/members/dm_ben/")
        ana.get_by_role("link", name="Send a message").click()
        ana.get_by_label("Your first message").fill(FIRST_WORDS)
        ana.get_by_role("button", name="Send request").click()
        expect(ana.get_by_text("Waiting for dm_ben to accept")).to_be_visible()
        thread_url = ana.url

        # Ben sees who asked, with their level, and none of the words.
        ben.goto("/")
        ben.get_by_role("link", name="Messages").first.click()
        requests = ben.locator("[data-requests-for-you]")
        expect(requests).to_contain_text("dm_ana")
        expect(requests).to_contain_text("Member")
        expect(ben.get_by_text(FIRST_WORDS)).to_have_count(0)
        shot(ben, "request-without-text")
        requests.get_by_role("button", name="Accept").click()
        expect(ben.locator("[data-log]")).to_contain_text(FIRST_WORDS)

        # Both have the conversation open; Ben's reply reaches Ana without a reload.
        ana.goto(thread_url)
        ana.evaluate("window.havenStayedPut = true")
        ben.get_by_label("Your message").fill(
            "Of course. Night shifts are rough, I'm glad it helped."
        )
        ben.get_by_role("button", name="Send").click()
        expect(ana.locator("[data-log]")).to_contain_text("I'm glad it helped.")
        assert ana.evaluate("window.havenStayedPut === true")
        ana.get_by_label("Your message").fill("Thank you for saying yes.")
        ana.get_by_label("Your message").press("Enter")
        expect(ben.locator("[data-log]")).to_contain_text("Thank you for saying yes.")
        shot(ana, "conversation")

        # Ben blocks Ana: her open page shows only that the conversation closed.
        ben.get_by_text("Block dm_ana").click()
        ben.get_by_role("button", name="Block and close").click()
        expect(ben).to_have_url(re.compile(r"/messages/$"))
        expect(ana.get_by_text("This conversation has closed.")).to_be_visible()
        expect(ana.get_by_label("Your message")).to_have_count(0)
        ana.goto("/members/dm_ben/")
        expect(ana.get_by_text("They aren't taking messages right now.")).to_be_visible()
        shot(ana, "after-block")
    finally:
        ana_context.close()
        ben_context.close()
