"""Alembic, driven from code: one history per service under services/<svc>/migrations."""

import asyncio
import importlib.util
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.platform.db.engine import create_engine
from shared.platform.names import SERVICES


def migrations_dir(service: str) -> Path:
    """The service package's own Alembic history (shipped inside the package)."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SERVICES)}")
    spec = importlib.util.find_spec(service)
    assert spec is not None and spec.submodule_search_locations
    return Path(spec.submodule_search_locations[0]) / "migrations"


def alembic_config(service: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir(service)))
    config.set_main_option("version_table", "alembic_version")
    config.attributes["database_url"] = database_url
    config.attributes["service"] = service
    return config


async def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    # Alembic's env.py runs its own event loop: keep it off ours.
    await asyncio.to_thread(command.upgrade, alembic_config(service, database_url), revision)


async def downgrade(service: str, database_url: str, revision: str = "base") -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(service, database_url), revision)


def script_directory(service: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(service, ""))


def head_revisions(service: str) -> set[str]:
    return set(script_directory(service).get_heads())


async def current_revisions(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(
            await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_heads())
        )


async def migrate_to(service: str, database_url: str, revision: str) -> str:
    """Upgrade to ``revision``, or downgrade when it is below the database's revision; says
    which ("migrated" or "downgraded"). An unknown revision is refused naming it."""
    script = script_directory(service)
    try:
        target = script.get_revision(revision)  # None for "base"
    except CommandError as error:
        raise SystemExit(f"{service}: {error}") from None
    engine = create_engine(database_url)
    try:
        current = await current_revisions(engine)
    finally:
        await engine.dispose()
    below = (
        {r.revision for r in script.iterate_revisions(tuple(current), "base")} - current
        if current
        else set()
    )
    if current and (target is None or target.revision in below):
        await downgrade(service, database_url, revision)
        return "downgraded"
    await upgrade(service, database_url, revision)
    return "migrated"
