"""A full rebuild from the event history, compared with the live scores (`educluster quality
rebuild`).

A fresh database is migrated and fed every record of the registry and assessment topics
through the live consumer's handlers and inbox rule (a repeated event id is skipped), a few
thousand a transaction (replay.py: assessment events on rows staged in memory), then scored by
the live publisher until nothing is left to compute. Records are applied in timestamp order
merged across partitions, each partition kept in offset order: the live consumer guarantees
order per partition only, so this is a history it could have seen.

Methodology versions reach the live database through its API, not through these topics, so the
live ``methodologies`` rows are copied into the rebuild before it computes scores; the
ministry's ``exclusions`` (recorded in this database only) before the replay. Alerts are
not compared (they depend on the way a score moved, the rebuild sees only where it ended), and
what the rebuild's publisher queued in its outbox is dropped: the live service announced it.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from aiokafka.structs import ConsumerRecord
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from quality.adapters import rebuild_store
from quality.adapters.rebuild_store import LiveSnapshot, Scores
from quality.service_layer.publisher import publish_changes
from quality.service_layer.replay import SERVICE, RebuildResult, group_id, replay
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
from shared.platform.db.engine import create_engine, is_sqlite, session_factory
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.consumer import ConsumerSpec
from shared.platform.messaging.topic_reader import read_topic
from shared.platform.settings import KafkaSettings

_MAX_PUBLISH_ROUNDS = 10
_ABSENT = object()  # a key one scorecard has and the other has not


class RebuildRefused(ValueError):
    """The databases are not what a rebuild needs: an empty target, a live quality database."""


async def rebuild(
    *,
    consumers: Sequence[ConsumerSpec],
    kafka: KafkaSettings,
    live_url: str,
    into_url: str,
    progress: Callable[[str], None],
    batch_size: int = 5000,
) -> RebuildResult:
    """Rebuild the quality database at ``into_url`` (must be empty) from the history of the
    topics ``consumers`` (the live service's consumer specs) read, through their handlers, and
    compare its scores with the live database at ``live_url``."""
    if into_url == live_url:
        raise RebuildRefused("the rebuild must go into another database than the live one")
    if _no_sqlite_file(live_url):  # connecting would create an empty one
        raise RebuildRefused(f"there is no live quality database at {live_url}")
    groups = {group_id(c) for c in consumers}
    live, into = create_engine(live_url), create_engine(into_url)
    try:
        await _refuse_unsuitable(live, into)
        await upgrade(SERVICE, into_url)
        # The live state first: everything it applied is then on the topics read after it.
        snapshot = await rebuild_store.snapshot(live, consumers=groups)
        topics = _topics(consumers)
        progress(f"reading {' and '.join(topics)} from the beginning")
        records = await _history(kafka, topics)
        progress(f"{len(records)} records read")
        uow_factory = partial(SqlQualityUnitOfWork, session_factory(into), service=SERVICE)
        # Before the replay: an excluded assessment is never counted, as live (exclusions.py).
        await rebuild_store.copy_exclusions(into, snapshot.exclusions)
        result = await replay(
            uow_factory, records, consumers=consumers, progress=progress, batch_size=batch_size
        )
        progress("computing scorecards")
        await rebuild_store.copy_methodologies(into, snapshot.methodologies)
        await _publish_until_done(uow_factory, into)
        rebuilt = await rebuild_store.read_scores(into)
        result.scorecards = len(rebuilt)
        progress(f"comparing {len(rebuilt)} scorecards with {len(snapshot.scores)} live ones")
        result.differences = differences(snapshot.scores, rebuilt)
        result.notes = _notes(snapshot, await rebuild_store.applied_events(into, consumers=groups))
        return result
    finally:
        await live.dispose()
        await into.dispose()


def _no_sqlite_file(url: str) -> bool:
    return is_sqlite(url) and not Path(make_url(url).database or "").exists()


def _topics(consumers: Sequence[ConsumerSpec]) -> list[str]:
    return list(dict.fromkeys(topic for c in consumers for topic in c.topics))


async def _refuse_unsuitable(live: AsyncEngine, into: AsyncEngine) -> None:
    if "scores" not in await rebuild_store.table_names(live):
        raise RebuildRefused("the live database is not a quality database (no scores table)")
    if tables := await rebuild_store.table_names(into):
        raise RebuildRefused(f"the target database is not empty ({len(tables)} tables)")


async def _history(kafka: KafkaSettings, topics: list[str]) -> list[ConsumerRecord]:
    partitions: list[list[ConsumerRecord]] = []
    for topic in topics:
        by_partition: dict[int, list[ConsumerRecord]] = defaultdict(list)
        for record in await read_topic(kafka, topic):  # in offset order per partition
            by_partition[record.partition].append(record)
        partitions += [by_partition[p] for p in sorted(by_partition)]
    # merge() only ever takes the head of each partition's list: offset order is kept even
    # where timestamps are not monotonic; ties go to the earlier list.
    return list(heapq.merge(*partitions, key=lambda record: record.timestamp))


async def _publish_until_done(
    uow_factory: Callable[[], SqlQualityUnitOfWork], engine: AsyncEngine
) -> None:
    for _ in range(_MAX_PUBLISH_ROUNDS):
        changed = await publish_changes(uow_factory)
        async with uow_factory() as uow:
            pending = await uow.marks.pending()
        if not changed and not pending:
            break
    # The live service announced these scores already; the copy announces nothing.
    await rebuild_store.drop_outbox(engine)


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


def _paths_that_differ(live: Any, rebuilt: Any, path: str) -> Iterator[str]:
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


def _notes(snapshot: LiveSnapshot, replayed: set[tuple[str, str]]) -> list[str]:
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
