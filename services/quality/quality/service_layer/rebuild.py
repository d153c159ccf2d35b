"""A full rebuild from the event history, compared with the live scores (`educluster quality
rebuild`).

A fresh database is migrated and fed every record of the registry and assessment topics
through the live consumer's handlers and inbox rule (a repeated event id is skipped), then
scored by the live publisher until nothing is left to compute. Records are applied in
timestamp order merged across partitions, each partition kept in offset order: the live
consumer guarantees order per partition only, so this is a history it could have seen.

Methodology versions reach the live database through its API, not through these topics, so the
live ``methodologies`` rows are copied into the rebuild before it computes scores. Alerts are
not compared (they depend on the way a score moved, the rebuild sees only where it ended), and
what the rebuild's publisher queued in its outbox is dropped: the live service announced it.
"""

import heapq
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from aiokafka.structs import ConsumerRecord
from sqlalchemy import delete, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from quality.adapters.registry_projection import REGISTRY_HANDLERS
from quality.adapters.tables import dirty_cells, methodologies, scores
from quality.service_layer.aggregation import ASSESSMENT_HANDLERS
from quality.service_layer.publisher import publish_changes
from shared.platform.db.engine import create_engine, is_sqlite, session_factory
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.envelope import InvalidEvent, decode
from shared.platform.messaging.inbox_apply import apply_in, is_outage
from shared.platform.messaging.tables import inbox, outbox
from shared.platform.messaging.topic_reader import read_topic
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import ASSESSMENT_TOPIC, REGISTRY_TOPIC
from shared.platform.settings import KafkaSettings

log = logging.getLogger(__name__)

# What the live service consumes (bootstrap.py): its consumer group names the inbox rows.
CONSUMER = "educluster.quality.scoring"
TOPICS = (REGISTRY_TOPIC, ASSESSMENT_TOPIC)
HANDLERS = {**REGISTRY_HANDLERS, **ASSESSMENT_HANDLERS}
_MAX_PUBLISH_ROUNDS = 10
_ABSENT = object()  # a key one scorecard has and the other has not

ScoreKey = tuple[str, str, int, bool]  # scope, scope_id, period, pooled
Scores = dict[ScoreKey, tuple[int, dict[str, Any]]]  # → methodology version, card


class RebuildRefused(ValueError):
    """The databases are not what a rebuild needs: an empty target, a live quality database."""


@dataclass
class RebuildResult:
    events_read: int = 0
    events_applied: int = 0
    duplicates_skipped: int = 0
    events_ignored: int = 0  # types the quality service does not consume
    events_failed: int = 0  # not an event, or its handler fails: the live consumer dead-letters
    scorecards: int = 0
    differences: list[str] = field(default_factory=list)
    # Facts about the live database that explain differences (e.g. it had not caught up).
    notes: list[str] = field(default_factory=list)


@dataclass
class _LiveSnapshot:
    scores: Scores
    applied: set[tuple[str, str]]  # (source, id) in the live consumer's inbox
    pending_cells: int
    methodologies: list[dict[str, Any]]


async def rebuild(
    *,
    kafka: KafkaSettings,
    live_url: str,
    into_url: str,
    progress: Callable[[str], None],
    batch_size: int = 500,
) -> RebuildResult:
    """Rebuild the quality database at ``into_url`` (must be empty) from the topics' history
    and compare its scores with the live database at ``live_url``."""
    if into_url == live_url:
        raise RebuildRefused("the rebuild must go into another database than the live one")
    if _no_sqlite_file(live_url):  # connecting would create an empty one
        raise RebuildRefused(f"there is no live quality database at {live_url}")
    live, into = create_engine(live_url), create_engine(into_url)
    try:
        await _refuse_unsuitable(live, into)
        await upgrade("quality", into_url)
        # The live state first: everything it applied is then on the topics read after it.
        snapshot = await _snapshot(live)
        progress(f"reading {' and '.join(TOPICS)} from the beginning")
        records = await _history(kafka)
        progress(f"{len(records)} records read")
        uow_factory = partial(UnitOfWork, session_factory(into), service="quality")
        result = await _replay(uow_factory, records, progress=progress, batch_size=batch_size)
        progress("computing scorecards")
        await _copy_methodologies(into, snapshot.methodologies)
        await _publish_until_done(uow_factory, into)
        rebuilt = await _read_scores(into)
        result.scorecards = len(rebuilt)
        progress(f"comparing {len(rebuilt)} scorecards with {len(snapshot.scores)} live ones")
        result.differences = differences(snapshot.scores, rebuilt)
        result.notes = await _notes(snapshot, into)
        return result
    finally:
        await live.dispose()
        await into.dispose()


def _no_sqlite_file(url: str) -> bool:
    return is_sqlite(url) and not Path(make_url(url).database or "").exists()


async def _tables(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: inspect(sync).get_table_names())


async def _refuse_unsuitable(live: AsyncEngine, into: AsyncEngine) -> None:
    if "scores" not in await _tables(live):
        raise RebuildRefused("the live database is not a quality database (no scores table)")
    if tables := await _tables(into):
        raise RebuildRefused(f"the target database is not empty ({len(tables)} tables)")


async def _snapshot(engine: AsyncEngine) -> _LiveSnapshot:
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one consistent view of a database in use
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            return _LiveSnapshot(
                scores=await _scores_of(conn),
                applied=await _applied_of(conn),
                pending_cells=int(await conn.scalar(select(func.count()).select_from(dirty_cells))),
                methodologies=[
                    dict(row) for row in (await conn.execute(select(methodologies))).mappings()
                ],
            )


async def _history(kafka: KafkaSettings) -> list[ConsumerRecord]:
    partitions: list[list[ConsumerRecord]] = []
    for topic in TOPICS:
        by_partition: dict[int, list[ConsumerRecord]] = defaultdict(list)
        for record in await read_topic(kafka, topic):  # in offset order per partition
            by_partition[record.partition].append(record)
        partitions += [by_partition[p] for p in sorted(by_partition)]
    # merge() only ever takes the head of each partition's list: offset order is kept even
    # where timestamps are not monotonic; ties go to the earlier list.
    return list(heapq.merge(*partitions, key=lambda record: record.timestamp))


async def _replay(
    uow_factory: Callable[[], UnitOfWork],
    records: list[ConsumerRecord],
    *,
    progress: Callable[[str], None],
    batch_size: int,
) -> RebuildResult:
    result = RebuildResult(events_read=len(records))
    for start in range(0, len(records), batch_size):
        async with uow_factory() as uow:
            for record in records[start : start + batch_size]:
                await _apply(uow, record, result)
            await uow.commit()
        progress(f"{min(start + batch_size, len(records))} of {len(records)} records replayed")
    return result


async def _apply(uow: UnitOfWork, record: ConsumerRecord, result: RebuildResult) -> None:
    try:
        event = decode(record.value)
    except InvalidEvent:
        result.events_failed += 1
        return
    handler = HANDLERS.get(event.type)
    if handler is None:
        result.events_ignored += 1
        return
    try:
        # A savepoint per event: a failing handler leaves the rest of the batch intact.
        async with uow.session.begin_nested():
            applied = await apply_in(uow, consumer=CONSUMER, event=event, handler=handler)
    except Exception as error:
        if is_outage(error):
            raise
        log.warning(
            "event not applied in the rebuild",
            extra={"event_id": event.id, "type": event.type, "error": repr(error)},
        )
        result.events_failed += 1
        return
    if applied:
        result.events_applied += 1
    else:
        result.duplicates_skipped += 1


async def _copy_methodologies(engine: AsyncEngine, rows: list[dict[str, Any]]) -> None:
    if rows:
        async with engine.begin() as conn:
            await conn.execute(methodologies.insert(), rows)


async def _publish_until_done(uow_factory: Callable[[], UnitOfWork], engine: AsyncEngine) -> None:
    for _ in range(_MAX_PUBLISH_ROUNDS):
        changed = await publish_changes(uow_factory)
        async with engine.connect() as conn:
            pending = await conn.scalar(select(func.count()).select_from(dirty_cells))
        if not changed and not pending:
            break
    async with engine.begin() as conn:
        # The live service announced these scores already; the copy announces nothing.
        await conn.execute(delete(outbox))


async def _read_scores(engine: AsyncEngine) -> Scores:
    async with engine.connect() as conn:
        return await _scores_of(conn)


async def _scores_of(conn: AsyncConnection) -> Scores:
    rows = await conn.execute(
        select(
            scores.c.scope,
            scores.c.scope_id,
            scores.c.period,
            scores.c.pooled,
            scores.c.methodology_version,
            scores.c.card,
        )
    )
    return {(s, i, p, bool(pooled)): (v, card) for s, i, p, pooled, v, card in rows}


async def _applied_of(conn: AsyncConnection) -> set[tuple[str, str]]:
    rows = await conn.execute(
        select(inbox.c.source, inbox.c.event_id).where(inbox.c.consumer == CONSUMER)
    )
    return {(source, event_id) for source, event_id in rows}


def differences(live: Scores, rebuilt: Scores) -> list[str]:
    """One line per scorecard that is not the same in both, in a stable order."""
    found = []
    for key in sorted(set(live) | set(rebuilt)):
        scope, scope_id, period, pooled = key
        name = f"{scope} {scope_id} {period}{' pooled' if pooled else ''}"
        if key not in rebuilt:
            found.append(f"{name}: only in the live database")
        elif key not in live:
            found.append(f"{name}: only in the rebuild")
        elif live[key] != rebuilt[key]:
            found.append(f"{name}: {_describe(live[key], rebuilt[key])}")
    return found


def _describe(live: tuple[int, Any], rebuilt: tuple[int, Any]) -> str:
    if live[0] != rebuilt[0]:
        return f"methodology version {live[0]} live, {rebuilt[0]} rebuilt"
    paths = list(_paths_that_differ(live[1], rebuilt[1], ""))
    shown = "; ".join(paths[:3])
    return shown + (f" (and {len(paths) - 3} more)" if len(paths) > 3 else "")


def _paths_that_differ(live: Any, rebuilt: Any, path: str):  # type: ignore[no-untyped-def]
    if isinstance(live, dict) and isinstance(rebuilt, dict):
        for name in sorted(set(live) | set(rebuilt), key=str):
            yield from _paths_that_differ(
                live.get(name, _ABSENT), rebuilt.get(name, _ABSENT), f"{path}.{name}"
            )
    elif isinstance(live, list) and isinstance(rebuilt, list) and len(live) == len(rebuilt):
        for i, (a, b) in enumerate(zip(live, rebuilt, strict=True)):
            yield from _paths_that_differ(a, b, f"{path}[{i}]")
    elif live != rebuilt:
        yield f"{path.lstrip('.') or 'card'} {_short(live)} live, {_short(rebuilt)} rebuilt"


def _short(value: Any) -> str:
    text = "absent" if value is _ABSENT else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


async def _notes(snapshot: _LiveSnapshot, engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        replayed = await _applied_of(conn)
    notes = []
    if behind := len(replayed - snapshot.applied):
        notes.append(
            f"the live service had not applied {behind} events of the history when it was "
            "read: run again once it has caught up"
        )
    if gone := len(snapshot.applied - replayed):
        notes.append(
            f"{gone} events the live service applied are no longer on the topics (retention?): "
            "a rebuild cannot reproduce them"
        )
    if snapshot.pending_cells:
        notes.append(
            f"{snapshot.pending_cells} live cells were awaiting their next publication window"
        )
    return notes
