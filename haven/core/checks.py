"""Haven's own deployment checks, run by `haven check --deploy` beside Django's: each warning
says what is wrong and what to set. Clean on the configuration docs/deploy.md describes.

The worker's check lives with the worker (haven.jobs.checks): it reads the database."""

import os

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}
UNCONFIGURED_MAIL = "haven.accounts.mail.UnconfiguredEmailBackend"


@register(Tags.security, deploy=True)
def check_haven_deployment(app_configs=None, **kwargs) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if not os.environ.get("DJANGO_SECRET_KEY"):
        found.append(
            CheckWarning(
                "The secret key comes from a file on this machine (var/secret_key).",
                hint="Set DJANGO_SECRET_KEY from your secret store, so every process and every "
                "rebuilt machine signs sessions with the same key.",
                id="haven.W001",
            )
        )
    if not os.environ.get("HAVEN_ENCRYPTION_KEYS"):
        found.append(
            CheckWarning(
                "The keys that encrypt journals and safety plans come from a file on this machine.",
                hint="Set HAVEN_ENCRYPTION_KEYS and keep a copy apart from the database backups: "
                "a backup without its keys cannot be read, and without them neither can you.",
                id="haven.W002",
            )
        )
    if not settings.HTTPS:
        found.append(
            CheckWarning(
                "HTTPS is off: sessions, passwords and private messages would cross the network "
                "readable.",
                hint="Serve Haven behind a TLS proxy and set HAVEN_HTTPS=true (secure cookies, "
                "HSTS, redirect to https).",
                id="haven.W003",
            )
        )
    if not set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS:
        found.append(
            CheckWarning(
                "DJANGO_ALLOWED_HOSTS names only this machine, so requests for your domain are "
                "refused.",
                hint="Set DJANGO_ALLOWED_HOSTS to your domain (comma-separated).",
                id="haven.W004",
            )
        )
    if not settings.HAVEN_TRUSTED_PROXIES:
        found.append(
            CheckWarning(
                "No trusted proxy is set: behind a proxy, every member would seem to come from "
                "its address and share one rate limit.",
                hint="Set HAVEN_TRUSTED_PROXIES to the proxy's address (127.0.0.1 for nginx on "
                "the same machine); leave it empty only when clients connect directly.",
                id="haven.W005",
            )
        )
    if settings.MAILERS["default"]["BACKEND"] == UNCONFIGURED_MAIL:
        found.append(
            CheckWarning(
                "No e-mail is configured: members who gave an address get no password-reset or "
                "reminder mail.",
                hint="Set DJANGO_EMAIL_BACKEND (for example "
                "django.core.mail.backends.smtp.EmailBackend, through the mail server on this "
                "machine), or accept that Haven runs without e-mail.",
                id="haven.W006",
            )
        )
    if not settings.PRODUCTION:
        found.append(
            CheckWarning(
                "HAVEN_PRODUCTION is not set, so missing secrets fall back to files made on this "
                "machine instead of stopping the start.",
                hint="Set HAVEN_PRODUCTION=true on a server.",
                id="haven.W008",
            )
        )
    return found
