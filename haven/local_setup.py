"""The one step that writes the embedded default's local files, so that importing the settings
never writes anything: `python -m haven.local_setup` (`make run` and `make test` call it).

It creates, once, in the data folder (HAVEN_DATA_DIR, `var/` by default): the folder itself,
`secret_key` (Django's signing key) and `encryption_keys` (the Fernet key private texts are
encrypted with, kept outside the database), both readable by their owner only, and the static
files folder. Running it again changes nothing. A production deployment (HAVEN_PRODUCTION)
brings its own secrets in the environment and never runs this.
"""

import os
import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
SETUP_COMMAND = "python -m haven.local_setup"


def data_dir() -> Path:
    return Path(os.environ.get("HAVEN_DATA_DIR", BASE_DIR / "var"))


def _write_once(path: Path, text: str) -> bool:
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created with owner-only permissions from the start: never world-readable, even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(text)
    return True


def prepare(folder: Path | None = None) -> list[Path]:
    """Create what is missing; return the files created."""
    folder = folder or data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    Path(os.environ.get("HAVEN_STATIC_ROOT", folder / "static")).mkdir(parents=True, exist_ok=True)
    created = []
    secret = folder / "secret_key"
    if _write_once(secret, secrets.token_urlsafe(50)):
        created.append(secret)
    keys = Path(os.environ.get("HAVEN_ENCRYPTION_KEY_FILE", folder / "encryption_keys"))
    if _write_once(keys, Fernet.generate_key().decode() + "\n"):
        created.append(keys)
    return created


if __name__ == "__main__":
    for path in prepare():
        print(f"Created {path}", file=sys.stderr)
