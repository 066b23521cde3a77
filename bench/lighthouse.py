"""Lighthouse scores of Haven's main pages on a phone, beside a minimal page in the same run.

Run: .venv/bin/python bench/lighthouse.py [--runs 1] [--port 0] [--keep]
Installs Lighthouse (exact version below) with npm into var/npm when it is missing, then starts
Haven the way `make run` does, on a fresh SQLite database in a temporary HAVEN_DATA_DIR: migrate,
safety_warmup --models-only, load_demo_data, collectstatic, then uvicorn as scripts/serve runs it
(without the background worker: no page here waits for it; the semantic crisis check is off, as
it only changes how new writes are screened). The bench opens a chat between the demo member and
a demo listener (the demo data has none) and signs in as the demo member through the login form.
Lighthouse runs through its Node API, as its CLI does, with the session cookie put in the
browser's cookie jar first (see RUN_LIGHTHOUSE for why not `--extra-headers`).

Lighthouse runs Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) headless, with its
default mobile form factor and simulated throttling, on: landing, help (signed out, as anyone in
trouble meets them), home, thread, community, talk, chat, wellness, mood chart and booking
(signed in). The baseline is the offline page (/offline/, a tiny page Haven renders with no
database work): its performance figures show what the machine manages at that moment. With
--runs N each page is run N times and the median score per category is kept.

Prints a table of the four category scores and the main timings per page, then, for every
score under 0.95, the audits that cost it points (with the elements or resources concerned).
The target is >= 0.95 in every category on every page. Exits 0 whatever the scores (a bench);
the last line is JSON. The reports are kept in bench/results/lighthouse/.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.devservers import free_port, server_environment, wait_for_port  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
NPM_PREFIX = ROOT / "var" / "npm"
NODE = shutil.which("node") or "node"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 0.95
DEMO_MEMBER = "demo"
RUN_TIMEOUT_S = 240
# (name, signed in?) in the order they are run; the addresses come from the demo data.
PAGES = (
    ("baseline", False),
    ("landing", False),
    ("help", False),
    ("home", True),
    ("thread", True),
    ("community", True),
    ("talk", True),
    ("chat", True),
    ("wellness", True),
    ("mood", True),
    ("booking", True),
)
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
}
# Where a timing's lost points come from: the diagnostic audit that names the elements.
DIAGNOSTICS = {
    "cumulative-layout-shift": "layout-shifts",
    "largest-contentful-paint": "largest-contentful-paint-element",
    "total-blocking-time": "long-tasks",
}

# Lighthouse through its Node API, as its CLI runs it (chrome-launcher with the same flags, the
# default mobile settings), with one difference: a signed-in page gets the session cookie in the
# browser's own cookie jar. Passed with --extra-headers instead, the cookie goes with the page's
# first request only: once the page sets a cookie of its own (the CSRF token), Chromium sends
# the jar's Cookie header instead, so every htmx panel the page loads is answered as for a
# visitor who is not signed in (a login form swapped into the page), and the scores measure that.
RUN_LIGHTHOUSE = """
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const job = JSON.parse(process.argv[1]);
const chrome = await chromeLauncher.launch({
  chromePath: job.chromePath, chromeFlags: job.chromeFlags,
});
try {
  if (Object.keys(job.cookies).length) {
    const browser = await puppeteer.connect({browserURL: `http://127.0.0.1:${chrome.port}`});
    const tab = await browser.newPage();
    const url = new URL(job.url).origin;
    const cookies = Object.entries(job.cookies).map(([name, value]) => ({name, value, url}));
    await tab.setCookie(...cookies);
    await tab.close();
    await browser.disconnect();
  }
  const result = await lighthouse(job.url, {
    port: chrome.port, output: "json", logLevel: "error", onlyCategories: job.categories,
    formFactor: "mobile",
  });
  fs.writeFileSync(job.output, result.report);
} finally {
  await chrome.kill();
}
"""

# Runs in the bench's database (`haven shell -c`): a chat for the demo member (with a demo
# listener, through the real actions), then the demo password and every page's address, as JSON.
FIND_PAGES = """
import json

from django.db.models import Count
from django.urls import reverse

from haven.accounts.models import User
from haven.care.models import TherapistProfile
from haven.chat.actions import do_request_chat, do_send_message, do_take_request
from haven.chat.models import Conversation, ListenerProfile
from haven.demo.management.commands.load_demo_data import DEMO_PASSWORD
from haven.forums.models import Thread

demo = User.objects.get(pseudonym="demo")
conversation = Conversation.objects.filter(seeker=demo).order_by("-pk").first()
if conversation is None:
    listener = ListenerProfile.objects.get(user__pseudonym="LanternKeeper")
    request = do_request_chat(
        demo, topics=["anxiety"], language="en", message="Evenings have been hard lately."
    )
    conversation = do_take_request(listener, request)
    for n, (sender, body) in enumerate([
        (listener.user, "Hi, thanks for reaching out. What are evenings like for you?"),
        (demo, "Quiet, and then my thoughts get loud. I keep replaying the day."),
        (listener.user, "That sounds tiring. What usually helps, even a little?"),
    ]):
        do_send_message(conversation, sender=sender, body=body, client_id=f"bench-{n}")
# The busiest thread in a community the demo member belongs to.
thread = (
    Thread.objects.filter(community__memberships__user=demo)
    .annotate(posts_count=Count("posts")).order_by("-posts_count", "pk").first()
)
therapist = TherapistProfile.objects.get(user__pseudonym="therapist_amara")
print(json.dumps({"password": DEMO_PASSWORD, "pages": {
    "baseline": reverse("offline"),
    "landing": reverse("core:landing"),
    "help": reverse("safety:help"),
    "home": reverse("forums:home"),
    "thread": thread.get_absolute_url(),
    "community": reverse("forums:community", args=[thread.community.slug]),
    "talk": reverse("chat:talk"),
    "chat": reverse("chat:conversation", args=[conversation.pk]),
    "wellness": reverse("wellness:overview"),
    "mood": reverse("wellness:mood"),
    "booking": reverse("care:book", args=[therapist.pk]),
}}))
"""


def ensure_lighthouse() -> str:
    """Lighthouse's version, installing it under var/npm first when it is not there."""
    package = NPM_PREFIX / "node_modules" / "lighthouse" / "package.json"
    if package.is_file() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return LIGHTHOUSE_VERSION
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "bench/lighthouse.py needs npm (Debian: apt-get install npm) to install Lighthouse"
        )
    print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {NPM_PREFIX}", flush=True)
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    # Saved in var/npm/package.json: npm removes what a later install there does not list
    # (scripts/fetch_axe installs axe-core beside it).
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "install", "--prefix", str(NPM_PREFIX), "--save-exact", "--no-audit",
         "--no-fund", "--loglevel=error", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )  # fmt: skip
    return LIGHTHOUSE_VERSION


def haven(args: list[str], env: dict[str, str]) -> str:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own commands
        [str(BIN / "haven"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"`haven {' '.join(args[:2])}` failed:\n{done.stdout}\n{done.stderr}")
    print(f"  haven {args[0]}: {time.perf_counter() - started:.1f} s", flush=True)
    return done.stdout


def prepare_site(data_dir: str) -> dict[str, str]:
    env = server_environment(f"sqlite:///{data_dir}/haven.sqlite3", "", data_dir)
    # As a host runs it: rate limits on (devservers turns them off for tests).
    env.pop("HAVEN_RATE_LIMITS_ENABLED", None)
    env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
    # The shipped models are read from the repository's var/models, as `make run` leaves them.
    env.setdefault("HAVEN_MODEL_DIR", str(ROOT / "var" / "models"))
    haven(["migrate", "--noinput", "-v0"], env)
    haven(["safety_warmup", "--models-only"], env)
    haven(["load_demo_data"], env)
    haven(["collectstatic", "--noinput", "-v0"], env)
    return env


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    """uvicorn as scripts/serve starts it (no proxy headers)."""
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "uvicorn"), "haven.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--lifespan", "on", "--no-proxy-headers", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_port(port)
    return server


def sign_in(base_url: str, pseudonym: str, password: str) -> dict[str, str]:
    """Through the login form, as a person would; the signed-in session's cookies."""
    with httpx.Client(base_url=base_url, follow_redirects=True, timeout=30) as client:
        form = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        answer = client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": pseudonym, "password": password},
            headers={"Referer": f"{base_url}/accounts/login/"},
        )
        if not answer.url.path.startswith("/home/"):
            sys.exit(f"Signing in as {pseudonym} ended on {answer.url}, not the home feed")
        return dict(client.cookies.items())


def check_pages_answer(base_url: str, pages: dict[str, str], cookies: dict[str, str]) -> None:
    """Every page answers 200 as Lighthouse will ask for it (no redirect to a login page)."""
    for name, signed_in in PAGES:
        with httpx.Client(base_url=base_url, cookies=cookies if signed_in else {}) as client:
            status = client.get(pages[name]).status_code
            if status != 200:
                sys.exit(f"{name} ({pages[name]}) answered {status} before Lighthouse ran")


def run_lighthouse(url: str, cookies: dict[str, str], report: Path) -> dict | str:
    """Lighthouse's result for one page, or why it failed (after a second try: a run now and
    then loses its trace on a busy machine)."""
    job = {
        "url": url,
        "chromePath": CHROME_PATH,
        "chromeFlags": ["--headless=new", "--no-sandbox"],
        "categories": list(CATEGORIES),
        "cookies": cookies,
        "output": str(report),
    }
    error = ""
    for _attempt in range(2):
        report.unlink(missing_ok=True)
        try:
            done = subprocess.run(  # noqa: S603 - Lighthouse on loopback addresses
                [NODE, "--input-type=module", "--eval", RUN_LIGHTHOUSE, json.dumps(job)],
                cwd=NPM_PREFIX,  # where `import "lighthouse"` is found
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            error = f"no result within {RUN_TIMEOUT_S} s"
            continue
        if done.returncode == 0 and report.is_file():
            return json.loads(report.read_text())
        error = (done.stderr.strip().splitlines() or ["(nothing on stderr)"])[-1][:300]
        print(f"    lighthouse failed on {url}: {error}", flush=True)
    return error


def where(item: dict) -> str:
    """What a failing audit's row points at: an element, a resource, or a message."""
    node = item.get("node") or {}
    if node.get("selector"):
        return node["selector"]
    for key in ("url", "source", "description", "label"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("url") or value.get("text") or value.get("value")
        if value:
            return str(value)[:140]
    return ""


def rows(details: dict | None) -> list[dict]:
    """A details block's rows, tables inside a list included."""
    details = details or {}
    if details.get("type") == "list":
        return [row for table in details.get("items", []) for row in rows(table)]
    return details.get("items") or []


def lost_points(result: dict, category: str) -> list[dict]:
    """The weighted audits of a category that did not score full marks, heaviest first, each
    with the elements or resources concerned (for a timing, from its diagnostic audit)."""
    audits = result["audits"]
    failing = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] <= 0 or audit.get("score") is None or audit["score"] >= 1:
            continue
        source = audits.get(DIAGNOSTICS.get(ref["id"], ""), audit)
        spots = [w for w in (where(row) for row in rows(source.get("details"))[:8]) if w]
        if source.get("errorMessage"):
            spots.append(f"({source['id']} unavailable: {source['errorMessage'][:120]})")
        failing.append(
            {
                "id": ref["id"],
                "score": audit["score"],
                "weight": ref["weight"],
                "value": audit.get("displayValue", ""),
                "where": spots,
            }
        )
    return sorted(failing, key=lambda audit: -audit["weight"])


def summarise(results: list[dict]) -> dict:
    """The median score per category over the runs, with the audits that cost points in the run
    that scored it; the timings of the run with the median performance score."""

    def median_run(category: str) -> dict:
        scores = [r["categories"][category]["score"] for r in results]
        return results[scores.index(statistics.median_low(scores))]

    typical = median_run("performance")
    return {
        "url": typical["finalDisplayedUrl"],
        "scores": {
            category: median_run(category)["categories"][category]["score"]
            for category in CATEGORIES
        },
        "metrics": {
            label: typical["audits"][audit_id].get("numericValue")
            for audit_id, label in METRICS.items()
        },
        "lost_points": {
            category: lost_points(median_run(category), category) for category in CATEGORIES
        },
        "warnings": typical.get("runWarnings", []),
    }


def print_table(summaries: dict[str, dict]) -> list[str]:
    """The table, then the lost points of every score under the target; pages that miss it."""
    print()
    # Markdown, so the table goes into the README as it is printed.
    print(
        "| page | signed in | performance | accessibility | best practices | SEO "
        "| FCP ms | LCP ms | TBT ms | CLS |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, summary in summaries.items():
        signed_in = "yes" if summary["signed_in"] else "no"
        if "error" in summary:
            print(f"| {name} | {signed_in} | no result: {summary['error']} |")
            continue
        scores = " | ".join(f"{summary['scores'][c]:.2f}" for c in CATEGORIES)
        metrics = summary["metrics"]
        timings = " | ".join(
            "-" if metrics[label] is None else f"{metrics[label]:.0f}"
            for label in ("FCP", "LCP", "TBT")
        )
        cls = "-" if metrics["CLS"] is None else f"{metrics['CLS']:.3f}"
        print(f"| {name} | {signed_in} | {scores} | {timings} | {cls} |")
    missing = []
    for name, summary in summaries.items():
        if name == "baseline":
            continue
        if "error" in summary:
            missing.append(f"{name} (no result)")
            continue
        for category in CATEGORIES:
            if summary["scores"][category] >= TARGET:
                continue
            missing.append(f"{name}/{category}")
            print(f"\n{name} {category} {summary['scores'][category]:.2f} < {TARGET}:")
            for audit in summary["lost_points"][category]:
                value = f" ({audit['value']})" if audit["value"] else ""
                print(f"  {audit['id']} score {audit['score']:.2f} weight {audit['weight']}{value}")
                for spot in audit["where"]:
                    print(f"      {spot}")
    # Points lost while still at the target: small, but each is a fix to make.
    small = [
        f"  {name} {category} {summary['scores'][category]:.2f}: "
        + "; ".join(
            f"{audit['id']}" + (f" ({', '.join(audit['where'][:3])})" if audit["where"] else "")
            for audit in summary["lost_points"][category]
        )
        for name, summary in summaries.items()
        if "error" not in summary
        for category in CATEGORIES
        if TARGET <= summary["scores"][category] < 1
    ]
    if small:
        print("\nUnder 1 but at the target:")
        print("\n".join(small))
    print()
    if missing:
        print(f"Under {TARGET}: {', '.join(missing)}")
    else:
        print(f"Every category is {TARGET} or more on every page.")
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--port", type=int, default=0, help="Haven's port (0: a free one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    if not Path(CHROME_PATH).is_file():
        sys.exit(f"No Chromium at {CHROME_PATH}: run `make browser` or set CHROME_PATH")

    started = time.perf_counter()
    version = ensure_lighthouse()
    data_dir = tempfile.mkdtemp(prefix="haven-lighthouse-")
    RESULTS.mkdir(parents=True, exist_ok=True)
    print(f"Preparing Haven in {data_dir}", flush=True)
    env = prepare_site(data_dir)
    found = json.loads(haven(["shell", "-v0", "-c", FIND_PAGES], env).strip().splitlines()[-1])
    pages = found["pages"]
    port = args.port or free_port()
    server = start_server(env, port)
    base_url = f"http://127.0.0.1:{port}"
    try:
        cookies = sign_in(base_url, DEMO_MEMBER, found["password"])
        check_pages_answer(base_url, pages, cookies)
        summaries = {}
        for name, signed_in in PAGES:
            page_started = time.perf_counter()
            runs = [
                run_lighthouse(
                    base_url + pages[name],
                    cookies if signed_in else {},
                    RESULTS / f"{name}-{run}.report.json",
                )
                for run in range(args.runs)
            ]
            results = [run for run in runs if isinstance(run, dict)]
            if results:
                summaries[name] = summarise(results)
                shown = " ".join(f"{c} {s:.2f}" for c, s in summaries[name]["scores"].items())
            else:
                summaries[name] = {"error": runs[-1]}
                shown = f"no result: {runs[-1]}"
            summaries[name]["signed_in"] = signed_in
            print(f"  {name}: {shown} ({time.perf_counter() - page_started:.0f} s)", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)

    missing = print_table(summaries)
    print(
        json.dumps(
            {
                "lighthouse": version,
                "chrome": CHROME_PATH,
                "form_factor": "mobile",
                "runs": args.runs,
                "target": TARGET,
                "seconds": round(time.perf_counter() - started),
                "under_target": missing,
                "pages": summaries,
            }
        )
    )


if __name__ == "__main__":
    main()
