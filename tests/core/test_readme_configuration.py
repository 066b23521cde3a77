"""Every environment variable Haven reads is in the README's configuration table, so a host
never has to read the source to learn a setting exists."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READ = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list|environ\[)\(?\s*f?["']([A-Z][A-Z0-9_]+)["']"""
)
# env_rates("thread", ...) reads HAVEN_RATE_THREAD_MEMBER and friends: one row covers them all.
RATE_GROUP = "HAVEN_RATE_<GROUP>_"


def configuration_table() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Configuration")
    return readme[start : readme.index("\n## ", start + 1)]


def variables_read() -> set[str]:
    names = set()
    for path in [*(REPO / "haven").rglob("*.py"), REPO / "scripts" / "serve"]:
        names.update(READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_scan_finds_the_variables_it_should():
    found = variables_read()
    assert {"REDIS_URL", "HAVEN_DATA_DIR", "HAVEN_VECTOR_PATH", "HAVEN_TRUSTED_PROXIES"} <= found


def test_every_environment_variable_is_in_the_configuration_table():
    table = configuration_table()
    missing = sorted(name for name in variables_read() if f"`{name}`" not in table)
    assert missing == []
    assert RATE_GROUP in table
