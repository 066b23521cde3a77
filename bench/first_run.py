"""A new host's first run: `make run` on a fresh data folder, timed to the first page served.

Run: .venv/bin/python bench/first_run.py [--port 8765]
After the install step (the virtualenv exists): the bench points HAVEN_DATA_DIR at an empty
temporary folder, so the database, the trained safety models, the semantic index and the static
files are all made from scratch, exactly as on a fresh clone; then it runs `make run` and asks
for `/` until it answers 200. It prints when each step's first line appeared, the time to the
first page and, as the baseline measured in the same run, the time the same machine takes just
to start Django (`haven check`), so a busy machine shows as a larger baseline. Afterwards it
waits (up to --index-timeout) for the background semantic index and reports that too. The
target is 60 s to the first page on a quiet 2-core machine. The last line is JSON.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
MILESTONES = {
    "migrate": "Operations to perform",
    "safety models": "Safety models ready",
    "demo data": "Demo data ready",
    "server": "Haven is starting",
    "uvicorn": "Uvicorn running",
}


def django_start_seconds(env: dict[str, str]) -> float:
    # The check needs the secret key file, which `make run`'s first step creates anyway.
    subprocess.run([BIN / "python", "-m", "haven.local_setup"], env=env, check=True)  # noqa: S603
    started = time.perf_counter()
    subprocess.run([BIN / "haven", "check"], env=env, capture_output=True, check=True)  # noqa: S603
    return time.perf_counter() - started


def first_page(port: int, deadline: float) -> float | None:
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.25)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--index-timeout", type=float, default=600)
    args = parser.parse_args()
    if not (BIN / "haven").exists():
        print("Run `make install` first: this bench times what comes after it.", file=sys.stderr)
        return 2

    data_dir = Path(tempfile.mkdtemp(prefix="haven-first-run-"))
    env = {**os.environ, "HAVEN_DATA_DIR": str(data_dir), "PORT": str(args.port)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    baseline = django_start_seconds(env)

    seen: dict[str, float] = {}
    lines: list[str] = []
    started = time.perf_counter()
    run = subprocess.Popen(
        ["make", "--no-print-directory", "run"],  # noqa: S607
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def follow() -> None:
        assert run.stdout is not None
        for line in run.stdout:
            lines.append(line.rstrip())
            for name, marker in MILESTONES.items():
                if marker in line and name not in seen:
                    seen[name] = time.perf_counter() - started
            if "Semantic crisis index ready" in line:
                seen["semantic index (background)"] = time.perf_counter() - started

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    try:
        served = first_page(args.port, started + args.timeout)
        to_first_page = None if served is None else served - started
        index_deadline = time.perf_counter() + args.index_timeout
        while "semantic index (background)" not in seen and time.perf_counter() < index_deadline:
            if run.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        try:
            run.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)

    print(f"Django start-up alone (haven check), the baseline: {baseline:6.1f} s")
    for name, at in sorted(seen.items(), key=lambda item: item[1]):
        print(f"  {name:<30} first seen at {at:6.1f} s")
    if to_first_page is None:
        print("No page was served in time; the last lines were:")
        print("\n".join(lines[-30:]))
    else:
        print(f"First page served after      {to_first_page:6.1f} s (target: 60 s)")
    print(
        json.dumps(
            {
                "bench": "first_run",
                "first_page_s": None if to_first_page is None else round(to_first_page, 1),
                "django_start_s": round(baseline, 1),
                "milestones_s": {name: round(at, 1) for name, at in seen.items()},
                "target_s": 60,
            }
        )
    )
    return 0 if to_first_page is not None else 1


if __name__ == "__main__":
    sys.exit(main())
