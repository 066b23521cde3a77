"""`haven check --deploy`: clean on the documented production configuration, and on the default
one each of Haven's warnings says what to set. The worker's check reads the database."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.utils import timezone

from haven.jobs.models import WorkerHeartbeat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAVEN_WARNINGS = {f"haven.W00{n}" for n in (1, 2, 3, 4, 5, 6, 8)}


def production_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", "DJANGO_"))}
    return env | {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "HAVEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "HAVEN_PRODUCTION": "true",
        "HAVEN_HTTPS": "true",
        "DJANGO_ALLOWED_HOSTS": "haven.example.org",
        "HAVEN_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }


def check_deploy(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return result.stdout + result.stderr


def test_the_documented_production_configuration_is_clean():
    output = check_deploy(production_environment())
    assert "System check identified no issues" in output, output


def test_the_default_configuration_explains_each_warning():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", "DJANGO_"))}
    output = check_deploy(env)
    for warning in HAVEN_WARNINGS:
        assert f"({warning})" in output, (warning, output)
    assert output.count("HINT:") >= len(HAVEN_WARNINGS)
    assert "set HAVEN_HTTPS=true" in output and "Set DJANGO_SECRET_KEY" in output


@pytest.mark.django_db
def test_a_worker_not_seen_in_the_last_minute_is_a_warning():
    def worker_warnings() -> list[str]:
        found = run_checks(include_deployment_checks=True, databases=["default"])
        return [message.id for message in found if message.id == "haven.W007"]

    assert worker_warnings() == ["haven.W007"]
    beat = WorkerHeartbeat.objects.create(
        worker_id="w1", last_seen_at=timezone.now() - timedelta(minutes=5)
    )
    assert worker_warnings() == ["haven.W007"]
    beat.last_seen_at = timezone.now()
    beat.save()
    assert worker_warnings() == []
