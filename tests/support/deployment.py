"""Reading the files of deploy/ as nginx, systemd and docker compose read them, so the tests run
the shipped files themselves: the site file, the units' commands, the example environment."""

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
DEPLOY = ROOT / "deploy"
SITE_FILE = DEPLOY / "nginx" / "haven.conf"
UNITS = DEPLOY / "systemd"
ENV_EXAMPLE = DEPLOY / "haven.env.example"
COMPOSE = DEPLOY / "compose.yaml"
# Where the units expect Haven's virtualenv; its programs are this interpreter's modules here.
UNIT_BIN = "/opt/haven/.venv/bin/"
MODULES = {"uvicorn": "uvicorn", "haven": "haven.cli"}


def env_file_values(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """The KEY=value lines an environment file sets (comments left out), as systemd reads it."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, separator, value = line.partition("=")
            assert separator, f"{path}: not KEY=value: {line!r}"
            values[key.strip()] = value.strip()
    return values


def env_file_names(path: Path = ENV_EXAMPLE) -> set[str]:
    """Every variable the file names, set or offered in a comment (`#KEY=value`)."""
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", path.read_text(), flags=re.MULTILINE))


def exec_start(unit: str) -> list[list[str]]:
    """The unit's ExecStart= command lines, each split into its arguments as systemd does."""
    text = (UNITS / unit).read_text().replace("\\\n", " ")
    return [
        shlex.split(line.removeprefix("ExecStart="))
        for line in text.splitlines()
        if line.startswith("ExecStart=")
    ]


def local_command(argv: list[str], env: dict[str, str], instance: str = "") -> list[str]:
    """A unit's command for this machine: the program from this virtualenv, systemd's `%i`
    (the instance) and `${VAR}` (from the environment file) filled in."""
    program = argv[0]
    assert program.startswith(UNIT_BIN), f"{program} is not in {UNIT_BIN}"
    module = MODULES[program.removeprefix(UNIT_BIN)]
    args = [
        re.sub(r"\$\{(\w+)\}", lambda name: env.get(name.group(1), ""), arg.replace("%i", instance))
        for arg in argv[1:]
    ]
    return [sys.executable, "-m", module, *args]
