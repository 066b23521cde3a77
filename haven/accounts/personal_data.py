"""A member's rights over their data: take all of it (the export) and have it gone (deletion).

Each app that keeps something about a member says so in its own `privacy.py`, found like
Django's admin modules (autodiscovery over INSTALLED_APPS), so accounts imports none of them:

- `export(user) -> dict`: the app's parts of the export, each under its own key. A part holds
  what the member wrote, what was sent to them and what they asked for; another member appears
  only as what the member already saw (a role in a chat, a pseudonym on a reply), never by id.
- `erase(user, *, erase_content)`: runs inside the deletion's transaction, before the user row
  goes: end what is still open (a live chat), and, when the member chose "erase everything I
  wrote", erase the words that outlive the account (rows kept through SET_NULL).
- `PERSONAL_DATA`: for every foreign key to the member in the app's models ("app.Model.field"),
  how it is exported and what deletion does to it. A test holds every such key to account.
"""

from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils import timezone

from haven.accounts.models import User


@cache
def privacy_modules() -> tuple[ModuleType, ...]:
    """Every installed app's privacy module, in INSTALLED_APPS order (lower apps first)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.privacy"
        if config.name.startswith("haven.") and find_spec(name) is not None:
            found.append(import_module(name))
    return tuple(found)


def export_user_data(user: User) -> dict[str, Any]:
    """Everything Haven holds about a member, in a form they can read and take elsewhere."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for module in privacy_modules():
        data.update(module.export(user))
    return data


def erase_user_data(user: User, *, erase_content: bool) -> None:
    """Higher apps first: a chat ends before the words under it are erased."""
    for module in reversed(privacy_modules()):
        module.erase(user, erase_content=erase_content)
