"""The community guidelines in force, cached briefly because every request asks for them."""

from django.core.cache import cache

from haven.accounts.models import Guidelines

_CACHE_KEY = "guidelines:current-version"


def current_guidelines() -> Guidelines | None:
    return Guidelines.objects.order_by("-version").first()


def current_guidelines_version() -> int:
    version = cache.get(_CACHE_KEY)
    if version is None:
        latest = current_guidelines()
        version = latest.version if latest else 0
        cache.set(_CACHE_KEY, version, 60)
    return version


def forget_cached_version() -> None:
    cache.delete(_CACHE_KEY)


def needs_to_accept_guidelines(user) -> bool:
    return user.is_authenticated and user.guidelines_version < current_guidelines_version()
