"""The development JWT secret: EDUCLUSTER_JWT_SECRET, or one generated once into a file.

The file is EDUCLUSTER_JWT_SECRET_FILE when set (docker-compose's `secrets-init`), else
`<data dir>/jwt-secret` (`educluster up`). Only its owner can read it, at every moment.
"""

import os
import secrets
from pathlib import Path

ENV = "EDUCLUSTER_JWT_SECRET"
FILE_ENV = "EDUCLUSTER_JWT_SECRET_FILE"


def dev_secret(data_dir: str | Path = "var", *, create: bool) -> str | None:
    """The secret in use; with ``create``, a new one is made when there is none yet."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    path = Path(os.environ.get(FILE_ENV) or Path(data_dir) / "jwt-secret")
    if not path.exists():
        if not create:
            return None
        _write_once(path)
    return path.read_text().strip()


def _write_once(path: Path) -> None:
    """Publish a new secret at ``path`` unless a concurrent first start already did."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)  # a folder we made holds only what we put in it
    # Written in full to a private temporary file (0600 whatever the umask), then linked into
    # place: the secret is never readable by others, never half-written, and the link fails
    # if another starter won the race, whose secret we then read.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink()
