"""Every service has the same shape: the same folders and file names (docs/architecture.md).

A newcomer who knows one service knows all four. A planted drift in a copy of a service shows
that the check bites.
"""

import shutil
from pathlib import Path

from shared.platform.names import SERVICES

ROOT = Path(__file__).resolve().parents[2]

REQUIRED = (
    "__init__.py",
    "config.py",
    "bootstrap.py",
    "events.py",
    "domain/__init__.py",
    "domain/access.py",
    "service_layer/__init__.py",
    "service_layer/unit_of_work.py",
    "adapters/__init__.py",
    "adapters/tables.py",
    "adapters/repositories.py",
    "adapters/sql_repositories.py",
    "entrypoints/__init__.py",
    "entrypoints/deps.py",
    "entrypoints/schemas.py",
    "entrypoints/consumers.py",
    "entrypoints/http/__init__.py",
    "migrations/env.py",
)
# What may sit at a service package's root besides the template, per service.
EXTRA_AT_ROOT = {"gateway": {"edge", "dashboard"}}
ENTRYPOINTS = {"__init__.py", "deps.py", "schemas.py", "consumers.py", "http"}


def drift(package: Path, service: str) -> list[str]:
    """What differs from the template in one service package."""
    problems = [f"{service}: missing {name}" for name in REQUIRED if not (package / name).exists()]
    allowed = {name.split("/")[0] for name in REQUIRED} | EXTRA_AT_ROOT.get(service, set())
    for entry in sorted(package.iterdir()):
        if entry.name not in allowed and entry.name != "__pycache__":
            problems.append(f"{service}: unexpected {entry.name} at the package root")
    entrypoints = package / "entrypoints"
    if entrypoints.is_dir():
        for entry in sorted(entrypoints.iterdir()):
            if entry.name not in ENTRYPOINTS and entry.name != "__pycache__":
                problems.append(
                    f"{service}: unexpected entrypoints/{entry.name} (routers go in http/)"
                )
    return problems


def test_every_service_has_the_template_s_folders_and_files():
    problems = [p for s in SERVICES for p in drift(ROOT / "services" / s / s, s)]
    assert problems == []


def test_a_planted_drift_fails_the_layout_check(tmp_path):
    package = tmp_path / "registry"
    shutil.copytree(ROOT / "services/registry/registry", package)
    (package / "entrypoints/deps.py").unlink()
    (package / "helpers.py").write_text("")
    (package / "entrypoints/organizations.py").write_text("")
    assert drift(package, "registry") == [
        "registry: missing entrypoints/deps.py",
        "registry: unexpected helpers.py at the package root",
        "registry: unexpected entrypoints/organizations.py (routers go in http/)",
    ]
