"""In real browsers, on the production set-up (two uvicorn processes sharing a Redis channel
layer, a database of their own): a moderator takes an escalated chat and joins it, and the
seeker and the listener both see it live; then the moderator checks in privately with the
author of a crisis post, and the author answers."""

import json
import os
import re
import textwrap

import pytest
from playwright.sync_api import expect

from tests.support.devservers import asgi_servers, haven, separate_database, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
CRISIS = "I can't do this anymore. I've been saving my pills and tonight I want to end my life."

SEED = textwrap.dedent(
    """
    import json
    from haven.accounts.actions import do_create_user, do_publish_guidelines
    from haven.chat.actions import do_escalate, do_send_message
    from haven.chat.models import Conversation, ListenerProfile
    from haven.communities.actions import do_join_community, do_save_community
    from haven.communities.models import Community
    from tests.support.devservers import signed_in_session
    from haven.forums.actions import do_create_thread

    guidelines = do_publish_guidelines("Be kind.")
    people = {
        name: do_create_user(name, None, guidelines_version=guidelines.version, role=role)
        for name, role in [("sam", "member"), ("lee", "listener"), ("wren", "member"),
                           ("mod_kim", "moderator")]
    }
    ListenerProfile.objects.create(user=people["lee"], status="listener", max_chats=1)
    chat = Conversation.objects.create(seeker=people["sam"], listener=people["lee"])
    do_send_message(chat, sender=people["sam"], body="I have pills saved up.", client_id="s1")
    do_escalate(chat, listener=people["lee"], details="They have pills saved up.")
    community = do_save_community(slug="anxiety", name="Anxiety", description="Worry.")
    do_join_community(people["wren"], community)
    thread = do_create_thread(community, title="Tonight", body=CRISIS, acting_user=people["wren"])
    print(json.dumps({
        "chat": chat.pk,
        "sessions": {name: signed_in_session(user) for name, user in people.items()},
    }))
    """
)


@pytest.fixture(scope="module")
def outreach_servers():
    from django.conf import settings

    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        haven(["migrate", "--noinput", "-v0"], env)
        seeded = haven(["shell", "-c", f"CRISIS = {CRISIS!r}\n{SEED}"], env).stdout
        scene = json.loads(seeded.strip().splitlines()[-1])
        with asgi_servers(2, env) as ports:
            yield scene, ports


def person(browser, port: int, session: str):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_moderator_joins_an_escalated_chat_and_checks_in_with_a_crisis_poster(
    browser, outreach_servers, shot
):
    scene, (port_a, port_b) = outreach_servers
    sessions = scene["sessions"]
    contexts = []
    try:
        seeker_context, seeker = person(browser, port_a, sessions["sam"])
        listener_context, listener = person(browser, port_b, sessions["lee"])
        moderator_context, moderator = person(browser, port_b, sessions["mod_kim"])
        writer_context, writer = person(browser, port_a, sessions["wren"])
        contexts = [seeker_context, listener_context, moderator_context, writer_context]
        chat_url = f"/chat/{scene['chat']}/"
        seeker.goto(chat_url)
        listener.goto(chat_url)
        expect(
            seeker.get_by_role("heading", name=re.compile(r"^Chat with .*a listener$"))
        ).to_be_visible()

        # The moderator takes the escalated chat from the urgent queue, with its wait shown.
        moderator.goto("/moderation/?kind=urgent")
        expect(moderator.get_by_text("with nobody reaching out yet").first).to_be_visible()
        moderator.get_by_role("link", name="A reported chat").click()
        expect(moderator.get_by_text("I have pills saved up.")).to_be_visible()
        moderator.get_by_role("button", name="Join the chat").click()
        expect(
            moderator.get_by_role(
                "heading", name="An escalated chat you joined as a Haven moderator"
            )
        ).to_be_visible()

        # Both people in the chat see it live, on the other server process too.
        for participant in (seeker, listener):
            expect(participant.get_by_text("A Haven moderator joined this chat.")).to_be_visible()
        moderator.get_by_label("Your message").fill("Hi, I'm from Haven's team. I'm here with you.")
        moderator.get_by_role("button", name="Send").click()
        for participant in (seeker, listener):
            log = participant.locator("[data-log]")
            expect(log).to_contain_text("Haven moderator:")
            expect(log).to_contain_text("I'm here with you.")
        expect(seeker.locator("[data-log]")).not_to_contain_text("mod_kim")
        shot(seeker, "seeker-sees-the-moderator")

        # Next, the crisis post: a private check-in to its author.
        moderator.goto("/moderation/?kind=urgent")
        moderator.get_by_role("link", name=re.compile("Thread “Tonight”")).click()
        expect(moderator.get_by_role("heading", name="Reach out")).to_be_visible()
        moderator.get_by_label("Your message").fill(
            "Hi, I'm one of Haven's moderators. I read your post. How are you right now?"
        )
        moderator.get_by_role("button", name="Send check-in").click()
        expect(moderator.get_by_role("heading", name="Check-in with wren")).to_be_visible()
        shot(moderator, "check-in-sent")

        writer.goto("/notifications/")
        writer.get_by_role(
            "link", name=re.compile("A Haven moderator sent you a private message")
        ).click()
        expect(
            writer.get_by_role("heading", name="A Haven moderator checked in with you")
        ).to_be_visible()
        expect(writer.get_by_text("How are you right now?")).to_be_visible()
        lines = writer.get_by_role("complementary", name="If you need someone right now")
        expect(lines.get_by_role("link", name="Talk to someone now")).to_be_visible()
        writer.get_by_label("Your message").fill("Thank you. My sister is coming over tonight.")
        writer.get_by_role("button", name="Send my answer").click()
        expect(writer.get_by_text("My sister is coming over tonight.")).to_be_visible()
        shot(writer, "author-answered")

        moderator.reload()
        expect(moderator.get_by_text("My sister is coming over tonight.")).to_be_visible()
    finally:
        for context in contexts:
            context.close()
