"""Migrations describe the schema, never one machine's paths."""

import os
import subprocess
import sys
from pathlib import Path

from haven.local_setup import prepare

ROOT = Path(__file__).resolve().parents[2]


def test_no_migration_is_missing_when_the_data_folder_is_elsewhere(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    prepare(elsewhere)
    env = {**os.environ, "HAVEN_DATA_DIR": str(elsewhere)}
    env.pop("HAVEN_EVIDENCE_DIR", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_licence_evidence_is_stored_under_the_evidence_setting(settings, tmp_path):
    from haven.care.models import Licence

    storage = Licence._meta.get_field("evidence").storage
    assert Path(storage.location) == Path(settings.HAVEN_EVIDENCE_DIR)
