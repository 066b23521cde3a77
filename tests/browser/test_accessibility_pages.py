"""Axe-core in a real browser on the pages people use most: landing, home feed, a thread, a
community, talk, a chat, wellness, the mood chart, a therapist's booking page and crisis help,
each on a phone (390 x 844, touch) and a desktop (1280 x 800), in light and dark. No page may
break a rule of WCAG 2.0/2.1/2.2 A and AA or axe's best practices; every page is also
photographed to test-artifacts/screenshots/<page>-<phone|desktop>-<light|dark>.png.

The site runs as it does in production (uvicorn, one process) on a database of its own, seeded
once for the module with realistic content through the test factories: a member with a month
of check-ins, a listener in an accepted chat with them, a community thread with replies, an
approved therapist with free hours. axe-core comes from npm (scripts/fetch_axe) and is injected
into each page by the test: the site never serves it.

One test per width and theme walks all ten pages and fails once, listing every violation with
its rule, impact, selectors, page, width and theme; the full axe results are written beside the
screenshots, to test-artifacts/accessibility/.
"""

import contextlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import REPO_ROOT, SCREENSHOT_DIR, TIMEOUT_MS, log_in
from tests.conftest import PASSWORD
from tests.support.devservers import asgi_servers, haven, server_environment

pytestmark = pytest.mark.browser

AXE = REPO_ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
RESULTS_DIR = REPO_ROOT / "test-artifacts" / "accessibility"
MEMBER = "sam_by_the_sea"
# Pages for people who are not signed in, checked first (signed in, / leads to the home feed).
SIGNED_OUT = ("landing",)
WIDTHS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
THEMES = ("light", "dark")
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations', 'incomplete'],
  });
  // What axe could not decide alone (text over an image, say), for a person to look at: kept in
  // the results file, never a failure.
  const incomplete = results.incomplete.map((rule) => ({
    id: rule.id,
    nodes: rule.nodes.map((node) => ({
      target: node.target,
      why: [...node.any, ...node.all, ...node.none].map((check) => check.message).join(' '),
    })),
  }));
  return {violations: results.violations, incomplete, url: results.url,
          engine: results.testEngine.version};
}"""
# htmx panels and the chat's history load after the page: wait for the network to settle,
# but no longer than this (a page that keeps polling is checked as it stands then).
SETTLE_MS = 5_000

# Runs in the server's database (`haven shell -c`) and prints the pages' addresses as JSON.
SEED = f"""
import datetime
import json
from decimal import Decimal

from django.urls import reverse

from haven.accounts.actions import do_publish_guidelines
from haven.accounts.zones import member_today
from haven.care.models import WeeklyAvailability
from haven.chat.actions import do_request_chat, do_send_message, do_take_request
from haven.communities.actions import do_join_community, do_save_community
from haven.forums.actions import do_create_reply, do_create_thread
from haven.safety.resources import load_crisis_resources
from haven.wellness.models import MoodCheckIn
from tests.care.conftest import make_therapist
from tests.chat.conftest import make_listener
from tests.conftest import make_member

load_crisis_resources()
guidelines = do_publish_guidelines("# Be kind\\n\\nTreat each other gently.")
member = make_member({MEMBER!r}, guidelines)
friend = make_member("quiet_fern", guidelines)
listener = make_listener("listener_lee", guidelines, topics=["anxiety", "sleep"])

anxiety = do_save_community(
    slug="anxiety", name="Anxiety", rules="- Be kind\\n- No advice about medication",
    description="For worry, panic and the racing thoughts that keep you up at night.",
)
sleep = do_save_community(slug="sleep", name="Sleep", description="For restless nights.")
for person in (member, friend, listener.user):
    do_join_community(person, anxiety)
do_join_community(member, sleep)

thread = do_create_thread(
    anxiety, acting_user=member, tags=["evenings"],
    title="Evenings are the hardest part of my day",
    body=(
        "Mornings are fine, but once it gets dark my mind starts racing about everything I "
        "didn't get done.\\n\\nDoes anyone have a small routine that helps them wind down?"
    ),
)
first = do_create_reply(
    thread, acting_user=friend,
    body="Same here. I write three things down on paper before bed, so they are out of my head.",
)
do_create_reply(
    thread, acting_user=listener.user, parent=first,
    body="That's a lovely idea. A short walk after dinner helps me too, even ten minutes.",
)
do_create_reply(thread, acting_user=member, body="Thank you both, I'll try the paper tonight.")
do_create_thread(
    sleep, acting_user=friend, title="Waking at 4am every night",
    body="I fall asleep fine, then I'm wide awake at four. What do you do when that happens?",
)

chat_request = do_request_chat(
    member, topics=["anxiety"], language="en", message="Evenings have been hard lately."
)
conversation = do_take_request(listener, chat_request)
for n, (sender, body) in enumerate([
    (listener.user, "Hi, I'm Lee. Thanks for reaching out. What are evenings like for you?"),
    (member, "Quiet, and then my thoughts get loud. I keep replaying the day."),
    (listener.user, "That sounds tiring. What usually helps, even a little?"),
]):
    do_send_message(conversation, sender=sender, body=body, client_id=f"seed-{{n}}")

today = member_today(member)
MoodCheckIn.objects.bulk_create(
    MoodCheckIn(
        member=member,
        mood=min(10, 3 + round(i * 6 / 29) + (1 if i % 3 == 2 else 0)),
        feelings=[["calm"], ["tired", "worried"], ["hopeful"]][i % 3],
        sleep_hours=Decimal("6.5") + Decimal(i % 4) / 2,
        note="A walk by the sea." if i % 7 == 0 else "",
        created_at=datetime.datetime.combine(
            today - datetime.timedelta(days=29 - i), datetime.time(9), tzinfo=datetime.UTC
        ),
        local_date=today - datetime.timedelta(days=29 - i),
    )
    for i in range(30)
)

# Free hours every day, so the booking page has times whatever day the test runs.
therapist = make_therapist("therapist_tess", guidelines, hours=None)
for weekday in range(7):
    WeeklyAvailability.objects.create(
        therapist=therapist, weekday=weekday,
        start_time=datetime.time(9), end_time=datetime.time(17),
    )

print(json.dumps({{
    "landing": "/",
    "home": reverse("forums:home"),
    "thread": thread.get_absolute_url(),
    "community": reverse("forums:community", args=[anxiety.slug]),
    "talk": reverse("chat:talk"),
    "chat": reverse("chat:conversation", args=[conversation.pk]),
    "wellness": reverse("wellness:overview"),
    "mood": reverse("wellness:mood") + "?period=month",
    "booking": reverse("care:book", args=[therapist.pk]),
    "help": reverse("safety:help"),
}}))
"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    """axe-core's axe.min.js from var/npm. Missing, it is a failure with instructions, never a
    skip: a run that checked nothing must not pass."""
    if AXE.is_file():
        return AXE
    if shutil.which("npm") is None:
        reason = "npm is missing: install Node.js and npm (Debian: apt-get install npm), then"
    else:
        reason = "it is not installed yet:"
    pytest.fail(
        f"The accessibility tests need axe-core at {AXE.relative_to(REPO_ROOT)}, and {reason} "
        "run `scripts/fetch_axe` (`make test` runs it), then run the tests again.",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def haven_site() -> tuple[str, dict[str, str]]:
    """(base URL, {page name: address}): Haven under uvicorn on a seeded SQLite database."""
    with tempfile.TemporaryDirectory() as data_dir:
        # No REDIS_URL: one process, an in-memory channel layer (the chat's socket works).
        env = server_environment(f"sqlite:///{data_dir}/haven.sqlite3", "", data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        try:
            haven(["migrate", "--noinput", "-v0"], env)
            output = haven(["shell", "-v0", "-c", SEED], env).stdout.strip().splitlines()
        except subprocess.CalledProcessError as error:
            pytest.fail(f"Seeding the site failed:\n{error.stderr}", pytrace=False)
        pages = json.loads(output[-1])
        with asgi_servers(1, env) as (port,):
            yield f"http://127.0.0.1:{port}", pages


def describe(violation: dict, where: str) -> list[str]:
    """One line for the rule, then one per element: its selector and what axe found there."""
    lines = [
        f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"
        f" [{len(violation['nodes'])} element(s)]"
    ]
    for node in violation["nodes"]:
        target = " ".join(" >> ".join(part) if isinstance(part, list) else part
                          for part in node["target"])  # fmt: skip
        checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
        found = next((check["message"] for check in checks if check.get("message")), "")
        lines.append(f"    {target}" + (f"  -- {found[:200]}" if found else ""))
    return lines


def settle(page) -> None:
    # Still busy after that (a poll, a socket's retries): checked as it stands.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=SETTLE_MS)


def check_page(page, address: str, axe: Path, label: str) -> tuple[list[str], dict]:
    """Load one page, photograph it as <label>.png, run axe; (problems as lines, axe's answer)."""
    where = f"{label} ({address})"
    response = page.goto(address)
    if response is None or response.status != 200:
        status = response.status if response else "no response"
        return [f"{where}: {address} answered {status} (at {page.url})"], {}
    settle(page)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{label}.png"), full_page=True)
    page.add_script_tag(path=str(axe))
    answer = page.evaluate(RUN_AXE, RULE_TAGS)
    problems = []
    for violation in answer["violations"]:
        problems.extend(describe(violation, where))
    return problems, answer


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_main_page_passes_axe_on_a_phone_and_a_desktop_in_light_and_dark(
    browser, haven_site, axe_script, width, theme
):
    base_url, pages = haven_site
    # The page's CSP allows only its own nonce'd scripts; axe is injected by the test alone.
    context = browser.new_context(
        base_url=base_url, color_scheme=theme, bypass_csp=True, **WIDTHS[width]
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    results: dict[str, dict] = {}
    try:
        order = sorted(pages, key=lambda name: name not in SIGNED_OUT)
        for n, name in enumerate(order):
            address = pages[name]
            if name not in SIGNED_OUT and (n == 0 or order[n - 1] in SIGNED_OUT):
                log_in(page, MEMBER, PASSWORD)
            label = f"{name}-{width}-{theme}"
            try:
                found, results[name] = check_page(page, address, axe_script, label)
            except PlaywrightError as error:
                first_line = error.message.splitlines()[0]
                found = [f"{label} ({address}): could not be checked: {first_line}"]
            problems.extend(found)
    finally:
        context.close()
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / f"axe-{width}-{theme}.json").write_text(json.dumps(results, indent=1))

    if problems:
        # Without a traceback: the list itself is the report.
        pytest.fail(
            f"axe-core found {sum(not line.startswith(' ') for line in problems)} problem(s) "
            f"on a {width} in {theme} (rules: {', '.join(RULE_TAGS)}):\n" + "\n".join(problems),
            pytrace=False,
        )
