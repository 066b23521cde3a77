"""Which accounts were deleted, kept outside the database so a restore cannot undo a deletion.

A backup taken before someone deleted their account still holds it; restoring that backup would
bring them back. Each deletion appends one line here: a digest of the account's id and the
moment it joined (never its pseudonym or anything it wrote), and whether its posts were erased
or kept as "a deleted member". `haven restore` then runs `haven apply_deletion_ledger`, which
deletes again every restored account whose digest is listed, the way the member chose.

The digest only confirms a deletion to someone who already holds the account's row: without a
database copy it says nothing about who anyone was.
"""

import hashlib
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

ERASE = "erase"
KEEP = "keep"


def account_digest(user_id: int, date_joined: datetime) -> str:
    moment = date_joined.astimezone(UTC).isoformat(timespec="microseconds")
    return hashlib.sha256(f"haven-account:{user_id}:{moment}".encode()).hexdigest()


def record_deletion(digest: str, *, erase_content: bool, path: Path | None = None) -> None:
    """One line, written with a single append: processes deleting at once never interleave."""
    path = path or settings.HAVEN_DELETION_LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    line = f"{digest} {ERASE if erase_content else KEEP}\n".encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def read_ledgers(paths: Iterable[Path]) -> dict[str, bool]:
    """digest -> erase_content, from every ledger that exists (a missing one is empty). A line
    that is not a ledger line is skipped rather than trusted."""
    deleted: dict[str, bool] = {}
    for path in paths:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            digest, _, choice = line.strip().partition(" ")
            if len(digest) == 64 and choice in (ERASE, KEEP):
                deleted[digest] = deleted.get(digest, False) or choice == ERASE
    return deleted
