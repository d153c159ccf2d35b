"""Which code a database schema serves: the expand/contract rule of upgrades and rollbacks.

A migration that only adds (a table, a nullable column, an index) declares
``backward_compatible = True``: the code of the revision before it still works on the schema it
leaves. Anything else (a drop, a rename, a NOT NULL without default) does not, and its code is
the oldest that may run on it. Each upgrade records, for every revision of the service's
history, its *floor* — the oldest revision whose code works on that schema — in
messaging_state, because code older than the database does not have the newer scripts to ask.
Code is ready on a database at its own head, or ahead of it where the database's floor is a
revision the code knows (docs/deploy.md, "Upgrades and rollbacks").
"""

from dataclasses import dataclass

from alembic.script import ScriptDirectory
from sqlalchemy import delete, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.platform.db.migrations import current_revisions
from shared.platform.db.queries import now
from shared.platform.messaging.state import get_state
from shared.platform.messaging.tables import messaging_state

FLOOR_KEY = "schema.floor."  # + revision


def floors(script: ScriptDirectory) -> dict[str, str]:
    """Each revision → the oldest revision whose code works on its schema."""
    found: dict[str, str] = {}
    for revision in reversed(list(script.walk_revisions())):  # from the base up
        before = revision.down_revision
        compatible = getattr(revision.module, "backward_compatible", False)
        if compatible and isinstance(before, str):
            found[revision.revision] = found[before]
        else:
            found[revision.revision] = revision.revision
    return found


def record_floors(connection: Connection, script: ScriptDirectory) -> None:
    """Write every revision's floor (in the migration's transaction; nothing before the first
    migration made the table)."""
    if not inspect(connection).has_table(messaging_state.name):
        return
    rows = [
        {"key": FLOOR_KEY + revision, "value": floor, "updated_at": now()}
        for revision, floor in floors(script).items()
    ]
    connection.execute(delete(messaging_state).where(messaging_state.c.key.startswith(FLOOR_KEY)))
    connection.execute(messaging_state.insert(), rows)


@dataclass(frozen=True)
class SchemaFit:
    """Whether this code may run on the database's schema, and why (for /readyz)."""

    ok: bool
    detail: str


async def schema_fit(engine: AsyncEngine, script: ScriptDirectory) -> SchemaFit:
    heads = set(script.get_heads())
    current = await current_revisions(engine)
    head = ",".join(sorted(heads))
    if current == heads:
        return SchemaFit(True, f"at head {head}")
    known = {revision.revision for revision in script.walk_revisions()}
    if not current or current <= known:
        at = ",".join(sorted(current)) or "nothing"
        return SchemaFit(False, f"at {at}, head is {head}: migrations pending")
    (newer,) = current  # one linear history per service
    async with engine.connect() as conn:
        floor = await get_state(conn, FLOOR_KEY + newer)
    if floor is not None and floor in known:
        return SchemaFit(True, f"at {newer}, ahead of head {head} and compatible (from {floor})")
    needs = f"code at {floor} or later" if floor else "newer code"
    return SchemaFit(False, f"at {newer}, ahead of head {head} and not compatible: needs {needs}")
