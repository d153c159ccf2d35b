"""The development JWT secret: EDUCLUSTER_JWT_SECRET, or one generated once into the data dir."""

import os
import secrets
from pathlib import Path

ENV = "EDUCLUSTER_JWT_SECRET"


def dev_secret(data_dir: str | Path = "var", *, create: bool) -> str | None:
    if os.environ.get(ENV):
        return os.environ[ENV]
    path = Path(data_dir) / "jwt-secret"
    if path.exists():
        return path.read_text().strip()
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_urlsafe(32) + "\n")
    path.chmod(0o600)
    return path.read_text().strip()
