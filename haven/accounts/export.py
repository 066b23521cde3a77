"""What higher apps add to a member's data export, without accounts importing them.

An app registers a part, `(user) -> data`, under a name (from its AppConfig.ready);
`export_user_data` adds each part under its name. A part holds what the member wrote, what was
sent to them and what they asked for; another member appears only as what the member already
saw (a role in a chat, a pseudonym on a reply), never by id.
"""

from collections.abc import Callable
from typing import Any

from haven.accounts.models import User

ExportPart = Callable[[User], Any]

_parts: dict[str, ExportPart] = {}


def register_export_part(name: str, part: ExportPart) -> ExportPart:
    """Registers a part under its name (a second `ready` replaces it rather than adding it)."""
    _parts[name] = part
    return part


def export_parts(user: User) -> dict[str, Any]:
    return {name: part(user) for name, part in _parts.items()}
