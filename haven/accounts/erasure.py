"""What higher apps do when an account is deleted, without accounts importing them.

An app registers a function `(user, erase_content) -> None` (from its AppConfig.ready);
`do_delete_account` runs them all inside its transaction, before the user row goes, so each
app can end what is still open (a live chat, a waiting request) and, when the member chose
"erase everything I wrote", erase the words it keeps (rows that outlive the user through
SET_NULL keep their text otherwise).
"""

from collections.abc import Callable

from haven.accounts.models import User

Eraser = Callable[[User, bool], None]

_erasers: list[Eraser] = []


def register_eraser(eraser: Eraser) -> Eraser:
    """Registers once (a second `ready` does not add it twice); usable as a decorator."""
    if eraser not in _erasers:
        _erasers.append(eraser)
    return eraser


def run_erasers(user: User, *, erase_content: bool) -> None:
    for eraser in list(_erasers):
        eraser(user, erase_content)
