"""In real browsers, on the production set-up (uvicorn with a Redis channel layer, a database of
its own, the jobs run as the worker runs them): a member signs up for a sharing circle; the
reminder job runs and the reminder is in her notifications; the room opens and she joins; the
host pauses another member; her crisis words reach the host live and the urgent queue."""

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.support.devservers import asgi_servers, haven, separate_database, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
CRISIS_WORDS = "I've been saving my pills and I want to end my life tonight."


def seed_circle() -> None:
    """Print the circle's id and signed-in sessions: a trained listener who hosts it in an
    hour and a half, `mia` (who signs up in the browser), `noah` (signed up already) and a
    moderator."""
    from datetime import timedelta

    from django.utils import timezone

    from haven.accounts.actions import do_create_user, do_publish_guidelines
    from haven.accounts.guidelines import current_guidelines
    from haven.chat.models import ListenerProfile
    from haven.rooms.circles import do_schedule_circle, do_sign_up
    from haven.safety.resources import load_crisis_resources
    from tests.support.devservers import signed_in_session

    load_crisis_resources()
    guidelines = current_guidelines() or do_publish_guidelines("Be kind.")
    people = {
        name: do_create_user(name, None, guidelines_version=guidelines.version, role=role)
        for name, role in [
            ("host_hana", "listener"), ("mia", "member"), ("noah", "member"),
            ("mod_kim", "moderator"),
        ]
    }  # fmt: skip
    ListenerProfile.objects.create(user=people["host_hana"], status="listener")
    circle = do_schedule_circle(
        people["host_hana"], title="Evening sharing circle",
        topic="How the week went, said out loud with people who get it.",
        starts_at=timezone.now() + timedelta(minutes=90), size_limit=4,
    )  # fmt: skip
    do_sign_up(circle, people["noah"])
    print(
        json.dumps(
            {"circle": circle.pk, **{name: signed_in_session(u) for name, u in people.items()}}
        )
    )


SEED = "from tests.browser.test_circle_journey import seed_circle; seed_circle()"
RUN_REMINDERS = (
    "from haven.rooms.circle_tasks import send_circle_reminders; "
    "print(send_circle_reminders.call())"
)
RUN_OPENING = (
    "from haven.rooms.circle_tasks import open_and_close_circle_rooms; "
    "print(open_and_close_circle_rooms.call())"
)
NOAH_JOINS = (
    "from haven.accounts.models import User; from haven.rooms.models import Circle; "
    "from haven.rooms.circles import do_join_circle_room; "
    "do_join_circle_room(Circle.objects.get(), User.objects.get(pseudonym='noah'))"
)


@pytest.fixture(scope="module")
def server():
    from django.conf import settings

    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        # The circle starts in 90 minutes: its reminder and its room are due at once.
        env["HAVEN_CIRCLE_REMINDER_MINUTES_BEFORE"] = "120"
        env["HAVEN_CIRCLE_OPENS_MINUTES_BEFORE"] = "100"
        haven(["migrate", "--noinput", "-v0"], env)
        seeded = json.loads(
            haven(["shell", "-v0", "-c", SEED], env).stdout.strip().splitlines()[-1]
        )
        with asgi_servers(1, env) as (port,):
            yield seeded, port, env


def person(browser, port: int, session: str):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def job(env, code: str) -> str:
    return haven(["shell", "-v0", "-c", code], env).stdout.strip()


def test_sign_up_reminder_open_join_mute_and_crisis_reach_the_host(browser, server, shot):
    seeded, port, env = server
    circle_url = f"/circles/{seeded['circle']}/"
    mia_context, mia = person(browser, port, seeded["mia"])
    host_context, host = person(browser, port, seeded["host_hana"])
    mod_context, moderator = person(browser, port, seeded["mod_kim"])
    try:
        # Mia finds the circle and signs up.
        mia.goto("/circles/")
        mia.get_by_role("link", name="Evening sharing circle").click()
        expect(mia).to_have_url(re.compile(re.escape(circle_url) + "$"))
        mia.get_by_role("button", name="Sign up").click()
        expect(mia.get_by_text("You have a place.")).to_be_visible()
        expect(mia.get_by_text("The room opens 100 minutes before the start")).to_be_visible()

        # The reminder job runs; the reminder is in her notifications and leads to the circle.
        assert job(env, RUN_REMINDERS) == "2"  # mia and noah
        mia.goto("/notifications/")
        reminder = mia.get_by_role("link", name=re.compile("A reminder: the sharing circle"))
        expect(reminder).to_be_visible()
        shot(mia, "reminder")

        # The room opens; she reads its rules and joins from the circle's page.
        assert job(env, RUN_OPENING) == "1"
        reminder.click()
        expect(mia).to_have_url(re.compile(re.escape(circle_url) + "$"))
        mia.get_by_label("I've read the rules and I'll follow them").check()
        mia.get_by_role("button", name="Join the room").click()
        expect(mia).to_have_url(re.compile(r"/rooms/\d+/$"))
        room_url = mia.url.split(str(port), 1)[1]
        expect(mia.get_by_role("heading", name="Evening sharing circle")).to_be_visible()

        # The host is in the room as its host; noah comes in too; the host pauses him.
        job(env, NOAH_JOINS)
        host.goto(room_url)
        expect(host.get_by_role("heading", name="Host tools")).to_be_visible()
        noah_row = host.locator("[data-members] li", has_text="noah")
        noah_row.get_by_text("Host tools").click()
        noah_row.get_by_label("Pause their messages for").select_option("15")
        noah_row.get_by_role("button", name="Pause").click()
        expect(host.locator("[data-members] li", has_text="noah")).to_contain_text("(paused)")
        expect(mia.locator("[data-members] li", has_text="noah")).to_contain_text("(paused)")

        # Mia's crisis words: help for her in place, a private alert for the host, live.
        host.goto(room_url)
        expect(host.locator("[data-members]")).to_contain_text("mia")
        box = mia.get_by_label("Your message")
        box.fill(CRISIS_WORDS)
        mia.get_by_role("button", name="Send").click()
        expect(mia.locator("[data-crisis-banner]")).to_be_visible()
        alert = host.locator("[data-host-alert]")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("mia")
        shot(host, "host-alert")

        # The urgent queue holds it for the moderators.
        moderator.goto("/moderation/?kind=urgent")
        expect(moderator.locator("main")).to_contain_text("saving my pills")
        shot(moderator, "urgent-queue")
    finally:
        mia_context.close()
        host_context.close()
        mod_context.close()
