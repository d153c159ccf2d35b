"""The ``educluster`` command."""

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.devtools.generator.sizes import SIZES
from shared.platform.names import (
    CONSUMING_SERVICES,
    DEFAULT_PORTS,
    PUBLISHING_SERVICES,
    ROLES,
    SERVICES,
)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    result = args.handler(args)
    return int(result or 0)


T = TypeVar("T")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="educluster", description="EduCluster platform tools")
    commands = parser.add_subparsers(title="commands")

    up = commands.add_parser("up", help="run the whole platform locally (Ctrl-C stops it)")
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--data-dir", default="var", help="SQLite files and logs (default: var)")
    up.add_argument(
        "--demo",
        action="store_true",
        help="also load a synthetic region through the API (educluster generate --size region)",
    )
    up.add_argument(
        "--port",
        action="append",
        default=[],
        type=_service_port,
        metavar="SERVICE=PORT",
        help="run a service on another port than its default (repeatable)",
    )
    up.set_defaults(handler=_up)

    generate = commands.add_parser(
        "generate",
        help="load a seeded synthetic world through the gateway (progress on stderr)",
        description="Draws a reproducible world (regions, institutions, programs, employers, "
        "clusters, five graduate cohorts, employments, requirements, assessments) and loads "
        "it through the gateway's public API; a rerun with the same size and seed creates "
        "nothing twice. See docs/generator.md.",
    )
    generate.add_argument("--size", choices=tuple(SIZES), default="region")
    generate.add_argument(
        "--scale", type=_positive, default=1.0, help="multiply the size's counts (default: 1)"
    )
    generate.add_argument("--seed", type=int, default=2026, help="the same seed, the same world")
    generate.add_argument(
        "--publish",
        action="store_true",
        help="then, once scored, make an interim publication of each assessed year",
    )
    generate.add_argument("--year", type=int, help="the world's current year (default: this year)")
    generate.add_argument(
        "--url", default=f"http://127.0.0.1:{DEFAULT_PORTS['gateway']}", help="the gateway"
    )
    generate.add_argument(
        "--concurrency", type=_positive_int, default=8, help="requests at once (default: 8)"
    )
    generate.add_argument(
        "--data-dir", default="var", help="where `educluster up` keeps its secret"
    )
    generate.set_defaults(handler=_generate)

    migrate = commands.add_parser(
        "migrate", help="migrate databases up to head, or up or down to a revision"
    )
    migrate.add_argument("--service", choices=SERVICES, help="one service (default: all four)")
    migrate.add_argument(
        "--to",
        "--revision",
        dest="revision",
        default="head",
        help="a revision of the service's history (default: head); below the database's "
        "revision this downgrades, with the scripts of this code (run it before rolling back)",
    )
    migrate.set_defaults(handler=_migrate)

    topics = commands.add_parser("topics", help="Kafka topics").add_subparsers(title="actions")
    create = topics.add_parser("create", help="create the platform's missing topics")
    create.set_defaults(handler=_topics_create)

    outbox = commands.add_parser("outbox", help="a service's outbox").add_subparsers(
        title="actions"
    )
    republish = outbox.add_parser("republish", help="queue retained, sent events again")
    republish.add_argument("--service", choices=PUBLISHING_SERVICES, required=True)
    republish.add_argument(
        "--since",
        type=datetime.fromisoformat,
        help="only events created at or after this ISO 8601 time",
    )
    republish.set_defaults(handler=_outbox_republish)
    status = outbox.add_parser("status", help="how many committed events await the broker")
    status.add_argument("--service", choices=PUBLISHING_SERVICES, required=True)
    status.set_defaults(handler=_outbox_status)

    dlq = commands.add_parser("dlq", help="a service's dead letters").add_subparsers(
        title="actions"
    )
    listing = dlq.add_parser("list", help="list dead letters as JSON lines")
    listing.add_argument("--service", choices=CONSUMING_SERVICES, required=True)
    listing.add_argument("--pending", action="store_true", help="only those not re-driven")
    listing.set_defaults(handler=_dlq_list)
    redrive = dlq.add_parser("redrive", help="put pending dead letters back on their topics")
    redrive.add_argument("--service", choices=CONSUMING_SERVICES, required=True)
    redrive.set_defaults(handler=_dlq_redrive)

    token = commands.add_parser("token", help="print a development bearer token (HS256)")
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--org", help="organization id (institution and employer roles)")
    token.add_argument("--region", help="ISO 3166-2 code (regional_authority role)")
    token.add_argument("--sub", help="subject (default: dev-<role>-<random>, one per token)")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    token.add_argument("--data-dir", default="var", help="where `educluster up` keeps its secret")
    token.set_defaults(handler=_token)

    registry = commands.add_parser("registry", help="registry data").add_subparsers(title="actions")
    load = registry.add_parser(
        "load-regions",
        help="add or rename regions from a CSV file (code,country,name_uz,name_ru,name_en)",
    )
    load.add_argument("file")
    load.set_defaults(handler=_load_regions)

    quality = commands.add_parser("quality", help="quality scores").add_subparsers(title="actions")
    rebuild = quality.add_parser(
        "rebuild", help="rebuild the scores from the event history and compare with the live ones"
    )
    rebuild.add_argument("--into", help="an empty database URL (default: a temporary SQLite file)")
    rebuild.add_argument("--keep", action="store_true", help="keep the temporary database")
    rebuild.set_defaults(handler=_quality_rebuild)
    audit = quality.add_parser(
        "audit",
        help="what anyone holding the publications can infer of each figure a publication hides",
    )
    audit.add_argument(
        "--publication", type=_positive_int, help="its number (default: the latest published)"
    )
    audit.set_defaults(handler=_quality_audit)

    events = commands.add_parser("events", help="the event catalogue").add_subparsers(
        title="actions"
    )
    schema = events.add_parser("schema", help="write a JSON Schema per event type")
    schema.add_argument("--out", default="docs/events")
    schema.set_defaults(handler=_events_schema)
    return parser


def _up(args: argparse.Namespace) -> int:
    from educluster.up import run_up

    return run_up(host=args.host, data_dir=args.data_dir, demo=args.demo, ports=dict(args.port))


def _service_port(text: str) -> tuple[str, int]:
    service, _, port = text.partition("=")
    if service not in SERVICES or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(
            f"expected SERVICE=PORT with SERVICE one of {', '.join(SERVICES)}, got {text!r}"
        )
    return service, int(port)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, got {text!r}")
    return int(text)


def _existing_secret(data_dir: str) -> str | None:
    """The development secret already in use; None (said on stderr) when there is none."""
    from shared.devtools.dev_secret import dev_secret

    secret = dev_secret(data_dir, create=False)
    if not secret:
        print(
            "educluster: no secret: set EDUCLUSTER_JWT_SECRET or run `educluster up` first",
            file=sys.stderr,
        )
    return secret or None


def _generate(args: argparse.Namespace) -> int:
    from shared.devtools.generator import GenerationError, generate, size_named
    from shared.devtools.generator.run import publish

    secret = _existing_secret(args.data_dir)
    if not secret:
        return 2
    size = size_named(args.size, scale=args.scale)
    try:
        report = asyncio.run(
            generate(
                args.url,
                size=size,
                seed=args.seed,
                secret=secret,
                year=args.year,
                concurrency=args.concurrency,
            )
        )
    except GenerationError as error:
        print(f"educluster: {error}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(f"generate: {line}")
    if args.publish:
        periods = report.world.calendar.periods
        numbers = asyncio.run(publish(args.url, secret=secret, periods=periods))
        print(f"generate: published interim publications {numbers} of {list(periods)}")
    return 0 if report.clean else 1


def _migrate(args: argparse.Namespace) -> None:
    from educluster.services import load_settings
    from shared.platform.db.migrations import migrate_to

    async def run() -> None:
        for service in [args.service] if args.service else SERVICES:
            url = load_settings(service).resolved_database_url()
            went = await migrate_to(service, url, args.revision)
            print(f"{service}: {went} to {args.revision}")

    asyncio.run(run())


def _topics_create(_args: argparse.Namespace) -> None:
    from shared.platform.messaging.kafka import ensure_topics
    from shared.platform.settings import KafkaSettings

    created = asyncio.run(ensure_topics(KafkaSettings()))
    print(f"created: {', '.join(created)}" if created else "all topics exist")


def _outbox_republish(args: argparse.Namespace) -> None:
    from shared.platform.messaging import outbox

    async def run(conn: AsyncConnection) -> int:
        return await outbox.mark_for_republish(conn, since=args.since)

    count = asyncio.run(_with_connection(args.service, run))
    print(
        f"{args.service}: {count} events queued for re-publishing; the running relay sends "
        "them in their original order"
    )


def _outbox_status(args: argparse.Namespace) -> None:
    from shared.platform.messaging import outbox

    count = asyncio.run(_with_connection(args.service, outbox.backlog))
    print(f"{args.service}: {count} committed events not yet acknowledged by the broker")


def _dlq_list(args: argparse.Namespace) -> None:
    from educluster.services import load_settings
    from shared.platform.messaging.dead_letter_ops import list_dead_letters

    letters = asyncio.run(list_dead_letters(load_settings(args.service).kafka, args.service))
    for letter in letters:
        if letter.pending or not args.pending:
            print(json.dumps(letter.as_dict()))
    print(
        f"{len(letters)} dead letters, {sum(x.pending for x in letters)} pending", file=sys.stderr
    )


def _dlq_redrive(args: argparse.Namespace) -> None:
    from educluster.services import load_settings
    from shared.platform.messaging.dead_letter_ops import redrive_dead_letters

    count = asyncio.run(redrive_dead_letters(load_settings(args.service).kafka, args.service))
    print(f"{args.service}: re-drove {count} dead letters to their original topics")


def _token(args: argparse.Namespace) -> int:
    from shared.platform.auth import mint_token
    from shared.platform.auth_settings import AuthSettings

    secret = _existing_secret(args.data_dir)
    if not secret:
        return 2
    if args.role in ("institution", "employer") and not args.org:
        print(f"educluster: --org is required for role {args.role}", file=sys.stderr)
        return 2
    if args.role == "regional_authority" and not args.region:
        print("educluster: --region is required for role regional_authority", file=sys.stderr)
        return 2
    settings = AuthSettings(secret=secret)
    try:
        token = mint_token(
            settings, role=args.role, sub=args.sub, org=args.org, region=args.region, ttl_s=args.ttl
        )
    except ValueError as error:  # a lifetime the services would refuse
        print(f"educluster: {error}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _load_regions(args: argparse.Namespace) -> int:
    from registry.service_layer.regions import upsert_regions
    from registry.service_layer.unit_of_work import SqlRegistryUnitOfWork

    from educluster.services import load_settings
    from shared.contracts import reference
    from shared.platform.db.engine import create_engine, session_factory

    try:
        items = reference.load_regions_file(args.file)
    except (OSError, ValueError) as error:
        print(f"educluster: {error}", file=sys.stderr)
        return 2

    async def run() -> int:
        engine = create_engine(load_settings("registry").resolved_database_url())
        try:
            async with SqlRegistryUnitOfWork(session_factory(engine), service="registry") as uow:
                changed = await upsert_regions(uow, items)
                await uow.commit()
                return changed
        finally:
            await engine.dispose()

    changed = asyncio.run(run())
    print(
        f"registry: {len(items)} regions read, {changed} added or renamed "
        "(their events go out with the registry's relay)"
    )
    return 0


def _quality_audit(args: argparse.Namespace) -> int:
    from quality.service_layer.publication_audit import audit_report
    from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
    from sqlalchemy.exc import SQLAlchemyError

    from educluster.services import load_settings
    from shared.platform.db.engine import create_engine, session_factory
    from shared.platform.errors import NotFound

    settings = load_settings("quality")

    async def run() -> dict[str, Any]:
        engine = create_engine(settings.resolved_database_url())
        try:
            async with SqlQualityUnitOfWork(session_factory(engine), service="quality") as uow:
                number = args.publication
                if number is None:
                    published = await uow.publications.published()
                    if not published:
                        raise NotFound("published publication", "(none yet)")
                    number = published[-1].number
                return await audit_report(uow, number)
        finally:
            await engine.dispose()

    try:
        report = asyncio.run(run())
    except (NotFound, SQLAlchemyError, OSError) as error:
        print(f"educluster: {error}", file=sys.stderr)
        return 2
    print(
        f"quality: publication {report['publication']} ({report['period']}): "
        f"{len(report['figures'])} hidden figures of {', '.join(report['indicators'])} checked "
        "against "
        f"{report['earlier_publications']} earlier publications "
        f"(protection width ±{report['protection_width']:.2f})"
    )
    for figure in report["figures"]:
        low, high = figure["share_range"]
        state = "protected" if figure["protected"] else "EXPOSED"
        name = f"{figure['indicator']} {figure['figure']}"
        print(f"  {name:<72} share {low:.3f}–{high:.3f}  {state}")
    print("quality: every hidden figure protected" if report["protected"] else "quality: EXPOSED")
    return 0 if report["protected"] else 1


def _quality_rebuild(args: argparse.Namespace) -> int:
    import shutil
    import tempfile
    import time

    from aiokafka.errors import KafkaError
    from quality.entrypoints.consumers import CONSUMERS
    from quality.service_layer.rebuild import RebuildRefused, rebuild
    from sqlalchemy.exc import SQLAlchemyError

    from educluster.services import load_settings

    settings = load_settings("quality")
    temporary = None if args.into else tempfile.mkdtemp(prefix="educluster-rebuild-")
    into = args.into or f"sqlite+aiosqlite:///{temporary}/quality.db"
    started = time.monotonic()
    try:
        result = asyncio.run(
            rebuild(
                consumers=CONSUMERS,
                kafka=settings.kafka,
                live_url=settings.resolved_database_url(),
                into_url=into,
                progress=lambda line: print(f"quality: {line}", flush=True),
            )
        )
    except (RebuildRefused, KafkaError, SQLAlchemyError, OSError) as error:
        print(f"educluster: {error}", file=sys.stderr)
        return 2
    finally:
        if temporary and not args.keep:
            shutil.rmtree(temporary, ignore_errors=True)
    for note in result.notes:
        print(f"quality: note: {note}")
    if temporary and args.keep:
        print(f"quality: the rebuilt database is kept at {into}")
    outcome = (
        f"{len(result.differences)} differ from the live database"
        if result.differences
        else "identical to the live database"
    )
    print(
        f"quality: rebuilt from {result.events_read} records ({result.events_applied} applied, "
        f"{result.duplicates_skipped} duplicates skipped, {result.events_ignored} ignored, "
        f"{result.events_failed} failed) in {time.monotonic() - started:.1f} s: "
        f"{result.scorecards} scorecards, {outcome}"
    )
    for line in result.differences[:20]:
        print(f"  {line}")
    return 1 if result.differences else 0


def _events_schema(args: argparse.Namespace) -> None:
    from shared.contracts.schema import write_schemas

    written = write_schemas(args.out)
    print(f"wrote {len(written)} schemas to {args.out}")


async def _with_connection(service: str, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    from educluster.services import load_settings
    from shared.platform.db.engine import create_engine

    engine = create_engine(load_settings(service).resolved_database_url())
    try:
        async with engine.begin() as conn:
            return await work(conn)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
