"""The import rules: no package imports one above it, no service imports another.

Layers, lowest first: shared.platform (plain modules < db < messaging < web < runtime),
shared.contracts, shared.devtools, the four services (each on its own), the educluster
command. Inside a service: domain < adapters, service_layer < entrypoints/edge < bootstrap,
and domain and service_layer import no web framework. Every import counts, also those inside
functions. A planted violation in a copy of the tree shows that the check bites.
"""

import ast
import shutil
from pathlib import Path

from shared.platform.names import SERVICES

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("shared", "educluster", *SERVICES)
WEB_FRAMEWORKS = ("fastapi", "starlette", "uvicorn")
IO_LIBRARIES = ("sqlalchemy", "aiokafka", "aiohttp", "httpx", "asyncpg", "aiosqlite", "alembic")
PLATFORM_PLAIN = tuple(
    f"shared.platform.{m}"
    for m in ("errors", "ids", "names", "settings", "auth_settings", "auth", "deadline")
) + ("shared.platform.logging",)


def source_roots(root: Path) -> dict[str, Path]:
    """Top-level package name → its folder."""
    roots = {"shared": root / "shared", "educluster": root / "educluster"}
    roots |= {s: root / "services" / s / s for s in SERVICES}
    return roots


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name → file, for every first-party module (migrations excluded)."""
    found = {}
    for package, folder in source_roots(root).items():
        for path in folder.rglob("*.py"):
            relative = path.relative_to(folder).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = [p for p in relative.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def imports_of(path: Path, module: str) -> set[str]:
    """Every module ``path`` imports, absolute, including imports inside functions."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _platform_allowed(module: str) -> tuple[str, ...]:
    """What a module of shared.platform may import of shared.platform."""
    if _under(module, *PLATFORM_PLAIN):
        return PLATFORM_PLAIN
    order = ("shared.platform.db", "shared.platform.messaging", "shared.platform.web")
    for depth, layer in enumerate(order):
        if _under(module, layer):
            return (*PLATFORM_PLAIN, *order[: depth + 1])
    return ("shared.platform",)  # runtime and the migration environment sit on top


def _service_rules(module: str, service: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(first-party prefixes allowed, third-party prefixes forbidden) inside one service."""
    base = ("shared.platform", "shared.contracts")
    own = lambda *parts: tuple(f"{service}.{p}" for p in parts)  # noqa: E731
    if _under(module, f"{service}.domain"):
        return (*base, *own("domain")), (*WEB_FRAMEWORKS, *IO_LIBRARIES)
    if _under(module, f"{service}.adapters"):
        return (*base, *own("domain", "adapters", "config")), WEB_FRAMEWORKS
    if _under(module, f"{service}.service_layer", f"{service}.events"):
        layers = own("domain", "adapters", "service_layer", "events", "config")
        return (*base, *layers), WEB_FRAMEWORKS
    return (*base, service), ()  # entrypoints, edge, config, bootstrap


def violations(root: Path) -> list[str]:
    """Every import that breaks the layering, as "module imports name" lines."""
    found = []
    for module, path in sorted(modules(root).items()):
        forbidden_third_party: tuple[str, ...] = ()
        top = module.split(".")[0]
        if top == "educluster":
            allowed: tuple[str, ...] = FIRST_PARTY
        elif _under(module, "shared.platform"):
            allowed = _platform_allowed(module)
            if not _under(module, "shared.platform.web", "shared.platform.runtime"):
                forbidden_third_party = WEB_FRAMEWORKS
        elif _under(module, "shared.contracts"):
            allowed, forbidden_third_party = ("shared.platform", "shared.contracts"), WEB_FRAMEWORKS
        elif _under(module, "shared.devtools"):
            allowed = ("shared.platform", "shared.contracts", "shared.devtools")
        elif top in SERVICES:
            allowed, forbidden_third_party = _service_rules(module, top)
        else:
            allowed = ("shared",)
        wiring = f"{top}.bootstrap"  # nothing inside a service imports its wiring
        for name in sorted(imports_of(path, module)):
            if name.split(".")[0] in FIRST_PARTY:
                bad = not _under(name, *allowed) or (_under(name, wiring) and module != wiring)
            else:
                bad = _under(name, *forbidden_third_party)
            if bad:
                found.append(f"{module} imports {name}")
    return found


def test_no_package_imports_one_above_it_and_no_service_imports_another():
    assert violations(ROOT) == []


def _copy_tree(tmp_path: Path) -> Path:
    for folder in ("shared", "educluster", "services"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    return tmp_path


def test_a_planted_upward_import_fails_the_rule(tmp_path):
    root = _copy_tree(tmp_path)
    (root / "shared/platform/db/planted.py").write_text(
        "def late():\n    from shared.platform.web.problems import ProblemError\n"
    )
    (root / "services/registry/registry/domain/planted.py").write_text(
        "import fastapi\nfrom quality.domain import intervals\n"
    )
    (root / "shared/contracts/planted.py").write_text("from registry import events\n")
    found = violations(root)
    for expected in (
        "shared.platform.db.planted imports shared.platform.web.problems.ProblemError",
        "registry.domain.planted imports fastapi",
        "registry.domain.planted imports quality.domain.intervals",
        "shared.contracts.planted imports registry.events",
    ):
        assert expected in found


def test_relative_imports_are_resolved_before_the_rules_apply(tmp_path):
    root = _copy_tree(tmp_path)
    (root / "services/quality/quality/domain/planted.py").write_text(
        "from ..entrypoints import consumers\n"
    )
    assert "quality.domain.planted imports quality.entrypoints.consumers" in violations(root)
