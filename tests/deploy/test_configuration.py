"""The files of deploy/ agree with Haven and with each other: the example environment names only
variables Haven reads and sets all that `haven check --deploy` asks for; the systemd units and
compose run commands that exist, with scripts/serve's uvicorn flags, under the same user,
environment file and hardening; compose serves the site file and static folder a host does.
tests/deploy/test_proxy.py runs them; compose itself is not run (no container runtime in CI)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from tests.core.test_deploy_checks import production_environment
from tests.support.deployment import (
    COMPOSE,
    DEPLOY,
    ENV_EXAMPLE,
    ROOT,
    SITE_FILE,
    UNIT_BIN,
    UNITS,
    env_file_names,
    env_file_values,
    exec_start,
)

SERVICES = sorted(path.name for path in UNITS.glob("*.service"))


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_every_variable_the_example_environment_names_is_one_haven_reads():
    sources = "\n".join(path.read_text() for path in (ROOT / "haven").rglob("*.py"))
    read_by_libraries = {"DATABASE_URL"}  # dj_database_url.config() in haven/settings.py
    unknown = [
        name
        for name in sorted(env_file_names())
        if name not in read_by_libraries and f'"{name}"' not in sources
    ]
    assert not unknown, f"{ENV_EXAMPLE} names variables Haven never reads: {unknown}"


def test_the_example_environment_sets_what_check_deploy_asks_for():
    example = env_file_values()
    clean = {
        name: value
        for name, value in production_environment().items()
        if name.startswith(("HAVEN_", "DJANGO_"))
    }
    assert set(clean) <= set(example), set(clean) - set(example)
    for name in (
        "HAVEN_PRODUCTION",
        "HAVEN_HTTPS",
        "HAVEN_TRUSTED_PROXIES",
        "DJANGO_EMAIL_BACKEND",
    ):
        assert example[name] == clean[name], name


def test_the_web_processes_run_uvicorn_with_the_flags_of_scripts_serve_in_units_and_compose():
    (web,) = exec_start("haven-web@.service")
    assert web[:2] == [f"{UNIT_BIN}uvicorn", "haven.asgi:application"]
    serve = (ROOT / "scripts" / "serve").read_text()
    for flags in ("--lifespan on", "--ws-per-message-deflate false"):
        assert flags in serve and flags in " ".join(web), flags

    # Compose runs the same command, its port set per service.
    unit_args = " ".join(web[1:]).replace(" --port %i", "")
    unit_args = unit_args.replace("${HAVEN_TRUSTED_PROXIES}", "127.0.0.1")
    services = compose()["services"]
    upstream = re.findall(r"^\s*server 127\.0\.0\.1:(\d+);", SITE_FILE.read_text(), re.MULTILINE)
    assert upstream == ["8001", "8002"]
    for service, port in zip(("web1", "web2"), upstream, strict=True):
        entrypoint = services[service]["entrypoint"]
        assert entrypoint[0] == "uvicorn" and " ".join(entrypoint[1:]) == unit_args
        assert services[service]["command"] == ["--port", port]
        assert services[service]["network_mode"] == "service:nginx"  # the site file's 127.0.0.1


def test_every_haven_command_the_units_dockerfile_and_compose_run_exists():
    commands = get_commands()
    run = [argv[1] for unit in SERVICES for argv in exec_start(unit) if argv[0].endswith("/haven")]
    run += re.findall(r"\bhaven (\w+)", (DEPLOY / "Dockerfile").read_text())
    for service in compose()["services"].values():
        command = service.get("command", [])
        run += re.findall(r"\bhaven (\w+)", " ".join(command))
    assert {"worker", "worker_schedule", "migrate", "collectstatic"} <= set(run)
    assert set(run) <= set(commands), set(run) - set(commands)


def test_compose_serves_the_site_file_and_static_folder_a_host_does():
    services = compose()["services"]
    static_root = re.search(r"alias (\S+)/;", SITE_FILE.read_text()).group(1)
    # Volumes as source:target; the official image includes conf.d/*.conf inside http {}.
    mounts = {
        target: source
        for source, target, *_ in (volume.split(":") for volume in services["nginx"]["volumes"])
    }
    assert (DEPLOY / mounts["/etc/nginx/conf.d/haven.conf"]).resolve() == SITE_FILE
    assert mounts[static_root] == "static"
    assert services["setup"]["environment"]["HAVEN_STATIC_ROOT"] == static_root
    assert env_file_values()["HAVEN_STATIC_ROOT"] == static_root
    assert f"HAVEN_STATIC_ROOT={static_root}" in (DEPLOY / "Dockerfile").read_text()
    assert services["postgres"]["image"] == "pgvector/pgvector:pg16"


@pytest.mark.parametrize("unit", SERVICES)
def test_each_unit_runs_as_haven_with_the_environment_file_and_hardening(unit):
    text = (UNITS / unit).read_text()
    for line in (
        "User=haven",
        "EnvironmentFile=/etc/haven/haven.env",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=",
        # The nightly backup runs by its timer, and a restart of Haven must not cut it off.
        *(["PartOf=haven.target"] if unit != "haven-backup.service" else []),
    ):
        assert re.search(rf"^{re.escape(line)}$", text, re.MULTILINE), (unit, line)


def test_systemd_finds_nothing_to_say_about_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        if os.environ.get("CI") == "true":
            message = "systemd-analyze is missing: install Debian's 'systemd' package."
            pytest.fail(message, pytrace=False)
        pytest.skip("needs systemd-analyze (Debian's 'systemd' package)")
    # The units as shipped, but for their programs, which are this virtualenv's here.
    here = str(Path(sys.executable).parent) + "/"
    for path in [*UNITS.glob("*.service"), *UNITS.glob("*.target"), *UNITS.glob("*.timer")]:
        (tmp_path / path.name).write_text(path.read_text().replace(UNIT_BIN, here))
    (tmp_path / "haven-web@8001.service").write_text((tmp_path / "haven-web@.service").read_text())
    units = [str(tmp_path / name) for name in ("haven.target", "haven-web@8001.service")]
    units += [str(tmp_path / name) for name in SERVICES if name != "haven-web@.service"]
    units += [str(tmp_path / path.name) for path in UNITS.glob("*.timer")]
    verified = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60
    )
    assert verified.returncode == 0 and not (verified.stdout + verified.stderr), verified
