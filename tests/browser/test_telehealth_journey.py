"""In real browsers: a member and their therapist meet in a telehealth room, each on a different
server process of the production set-up (two uvicorn processes sharing a Redis channel layer),
with Chromium's fake camera and microphone. Each sees and hears the other peer to peer; a third
member is turned away."""

import json
import os
import tempfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.support.devservers import asgi_servers, haven, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
# Finding each other and decoding the first frames takes a few seconds on a slow machine.
VIDEO_TIMEOUT_MS = 30_000

# Runs in the servers' database (`haven shell -c`): a member, a stranger and a therapist, a video
# appointment starting in five minutes (so its room is open), and a signed-in session each. The
# appointment is created directly: booking would ask for more notice.
SEED = """
import json
from datetime import timedelta

from django.utils import timezone

from haven.accounts.actions import do_publish_guidelines
from haven.care.booking.actions import relationship_for
from haven.care.models import Appointment
from tests.support.devservers import signed_in_session
from tests.care.conftest import make_therapist
from tests.conftest import make_member

guidelines = do_publish_guidelines("Be kind.")
member = make_member("room_member", guidelines)
stranger = make_member("room_stranger", guidelines)
therapist = make_therapist("room_therapist", guidelines)
starts_at = timezone.now() + timedelta(minutes=5)
appointment = Appointment.objects.create(
    therapist=therapist, member=member, relationship=relationship_for(member, therapist),
    starts_at=starts_at, ends_at=starts_at + timedelta(minutes=50), format="video",
)
print(json.dumps({
    "appointment": appointment.pk,
    "therapist_name": therapist.professional_name,
    "member_session": signed_in_session(member),
    "stranger_session": signed_in_session(stranger),
    "therapist_session": signed_in_session(therapist.user),
}))
"""


@pytest.fixture(scope="module")
def media_browser():
    """Chromium with a fake camera and microphone that never asks for permission."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: run `make browser`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def room_servers():
    from django.conf import settings

    with tempfile.TemporaryDirectory() as data_dir:
        env = server_environment(f"sqlite:///{data_dir}/haven.sqlite3", REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        haven(["migrate", "--noinput", "-v0"], env)
        output = haven(["shell", "-c", SEED], env).stdout.strip().splitlines()
        seed = json.loads(output[-1])
        with asgi_servers(2, env) as ports:
            yield seed, ports


def person(browser, port: int, session: str):
    context = browser.new_context(
        base_url=f"http://127.0.0.1:{port}", viewport={"width": 1280, "height": 900}
    )
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # The page's console, for the failure message: signalling problems show up there.
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(f"{message.type}: {message.text}"))
    return context, page


REMOTE = "document.querySelector('[data-remote-video]')"
LIVE_REMOTE_VIDEO = f"""(oldStream) => {{
    const video = {REMOTE};
    const stream = video && video.srcObject;
    if (!stream || stream.id === oldStream) return false;
    const track = stream.getVideoTracks()[0];
    return track && track.readyState === "live" && video.videoWidth > 0 && !video.paused;
}}"""
ROOM_STATE = f"""() => {{
    const video = {REMOTE};
    return {{
        status: document.querySelector("[data-status]").textContent,
        connection: document.querySelector("[data-room]").dataset.connection,
        width: video.videoWidth, paused: video.paused, muted: video.muted,
        tracks: (video.srcObject ? video.srcObject.getTracks() : []).map((t) => t.readyState),
    }};
}}"""


def remote_video_is_live(page, *, not_stream: str | None = None) -> str:
    """Wait until the other person's video plays with real frames (a decoded picture, a live
    track, a frame count that keeps going up; a new stream when `not_stream` is given);
    returns the remote stream's id."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(LIVE_REMOTE_VIDEO, arg=not_stream, timeout=VIDEO_TIMEOUT_MS)
    except PlaywrightTimeout:
        console = "\n".join(page.console_lines)
        raise AssertionError(
            f"No live remote video on {page.url}: {page.evaluate(ROOM_STATE)}\n{console}"
        ) from None
    frames = page.evaluate(f"{REMOTE}.getVideoPlaybackQuality().totalVideoFrames")
    page.wait_for_function(
        f"(seen) => {REMOTE}.getVideoPlaybackQuality().totalVideoFrames > seen + 5",
        arg=frames,
        timeout=VIDEO_TIMEOUT_MS,
    )
    return page.evaluate(f"{REMOTE}.srcObject.id")


def test_member_and_therapist_meet_by_video_and_a_stranger_is_refused(
    media_browser, room_servers, shot
):
    seed, (port_a, port_b) = room_servers
    doctor = seed["therapist_name"]
    url = f"/care/appointments/{seed['appointment']}/room/"
    member_context, member = person(media_browser, port_a, seed["member_session"])
    therapist_context, therapist = person(media_browser, port_b, seed["therapist_session"])
    stranger_context, stranger = person(media_browser, port_a, seed["stranger_session"])
    try:
        # Before the first session: informed consent and where the member is.
        member.goto(url)
        expect(member.get_by_role("heading", name="Before your video session")).to_be_visible()
        expect(member.get_by_role("heading", name="The emergency plan")).to_be_visible()
        member.get_by_label("I have read this, and I agree").check()
        member.get_by_label("Which country are you in for this session?").select_option("GB")
        shot(member, "consent")
        member.get_by_role("button", name="I agree, continue to the room").click()

        # The member joins first and waits.
        expect(member.get_by_role("heading", name="Waiting room")).to_be_visible()
        member.get_by_role("button", name="Join with camera and microphone").click()
        member_status = member.locator("[data-status]")
        expect(member_status).to_have_text(
            "You're in the waiting room. Your therapist will join you here."
        )
        member.wait_for_function(
            "() => document.querySelector('[data-local-video]').videoWidth > 0",
            timeout=VIDEO_TIMEOUT_MS,
        )

        # The therapist, on the other server process, sees them waiting and joins.
        therapist.goto(url)
        therapist_status = therapist.locator("[data-status]")
        expect(therapist_status).to_contain_text("room_member is in the call, waiting for you")
        therapist.get_by_role("button", name="Join with camera and microphone").click()

        # Each receives the other's video, with frames coming in.
        remote_video_is_live(member)
        therapist_sees = remote_video_is_live(therapist)
        expect(member_status).to_have_text(f"You're connected with {doctor}.")
        expect(therapist_status).to_have_text("You're connected with room_member.")
        expect(member.get_by_role("heading", name="Session room")).to_be_visible()
        # Only the controls that make sense now are shown (a click gave the sound its start).
        for page in (member, therapist):
            expect(page.get_by_role("button", name="Leave the call")).to_be_visible()
            expect(
                page.get_by_role("button", name="Join with camera and microphone")
            ).to_be_hidden()
            expect(page.get_by_role("button", name="Turn on their sound")).to_be_hidden()
        shot(member, "member-in-call")
        shot(therapist, "therapist-in-call")

        # The text chat works beside the video, both ways.
        therapist.get_by_label("Your message").fill("If the video drops, we can type here.")
        therapist.get_by_role("button", name="Send").click()
        expect(member.locator("[data-chat-log]")).to_contain_text("we can type here")
        member.get_by_label("Your message").fill("Got it, thank you.")
        member.get_by_label("Your message").press("Enter")
        expect(therapist.locator("[data-chat-log]")).to_contain_text("Got it, thank you.")

        # Muting is shown to the other side; the button, still focused, says what it does next.
        member.get_by_role("button", name="Mute my microphone").click()
        expect(member.get_by_role("button", name="Unmute my microphone")).to_be_focused()
        expect(therapist.locator("[data-peer-media]")).to_have_text(
            "room_member: their microphone is muted."
        )

        # A reload during the call: the member is back in it, with new video both ways.
        member.reload()
        remote_video_is_live(member)
        remote_video_is_live(therapist, not_stream=therapist_sees)
        expect(member_status).to_have_text(f"You're connected with {doctor}.")

        # A third member gets neither the page nor the socket.
        response = stranger.goto(url)
        assert response is not None and response.status == 404
        code = stranger.evaluate(
            """(path) => new Promise((resolve) => {
                const socket = new WebSocket("ws://" + location.host + path);
                socket.onclose = (event) => resolve(event.code);
            })""",
            f"/ws/care/rooms/{seed['appointment']}/",
        )
        assert code == 4403

        # The therapist leaves the call: the member is told, and can keep typing.
        therapist.get_by_role("button", name="Leave the call").click()
        expect(member_status).to_have_text(
            f"{doctor} left the call but is still here. They can rejoin while the room is open."
        )
        expect(therapist.get_by_role("button", name="Rejoin the call")).to_be_focused()
        member.wait_for_function(f"() => {REMOTE}.srcObject === null")
    finally:
        member_context.close()
        therapist_context.close()
        stranger_context.close()
