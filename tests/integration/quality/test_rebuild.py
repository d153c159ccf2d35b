"""A full rebuild from the event history gives the live numbers exactly (issue 5)."""

from quality.adapters.tables import dirty_cells, scores
from quality.domain.suppression import DOMINANCE_REASON
from quality.entrypoints.consumers import CONSUMERS
from quality.service_layer.rebuild import group_id, rebuild
from sqlalchemy import func, select, update

from shared.platform.messaging import outbox
from shared.platform.messaging.envelope import decode
from shared.platform.messaging.tables import inbox
from tests.integration.assessment.world import RATINGS
from tests.integration.ledger import kafka_settings
from tests.integration.quality.test_scores import assessed_program, scorecard
from tests.integration.registry.conftest import MINISTRY, drained
from tests.integration.topic_reader import read_topic
from tests.support import educluster, eventually

(SCORING,) = CONSUMERS
CONSUMER, HANDLERS, TOPICS = group_id(SCORING), SCORING.handlers, SCORING.topics


def url_of(client) -> str:
    return client.app.state.runtime.engine.url.render_as_string(hide_password=False)


async def caught_up(quality, broker) -> bool:
    """The live service applied every event on its topics and published what they changed."""
    on_topics = set()
    for topic in TOPICS:
        for record in await read_topic(
            kafka_settings(broker.bootstrap_servers), topic, quiet_polls=2, poll_ms=100
        ):
            event = decode(record.value)
            if event.type in HANDLERS:
                on_topics.add((event.source, event.id))
    async with quality.app.state.runtime.engine.connect() as conn:
        applied = await conn.execute(
            select(inbox.c.source, inbox.c.event_id).where(inbox.c.consumer == CONSUMER)
        )
        everything = on_topics <= {tuple(row) for row in applied}
        pending = await conn.scalar(select(func.count()).select_from(dirty_cells))
    return everything and pending == 0


async def settled(quality, broker) -> None:
    await eventually(lambda: caught_up(quality, broker), what="live quality service settled")


async def revised_withdrawn_and_republished(registry, assessment, quality, broker) -> str:
    """12 assessments, one revised down to 1, one withdrawn, the registry's outbox sent twice;
    returns the program id once the live service has settled."""
    # No waiting for the framework or the registry facts first: whatever order they reach the
    # live service in, its scores must end up equal to the rebuild's.
    world, _ = await assessed_program(registry, assessment)
    await settled(quality, broker)
    mine = (await assessment.get("/api/v1/assessments", headers=world.as_employer)).json()
    revised_id, withdrawn_id = (item["id"] for item in mine["items"])  # both rated 4 or more
    revised = await assessment.put(
        f"/api/v1/assessments/{revised_id}",
        headers=world.as_employer,
        json={
            "ratings": {**RATINGS, "digital.information_data_literacy": 2},
            "overall_satisfaction": 1,
            "preparedness": 2,
            "would_hire_again": False,
            "comment": None,
        },
    )
    assert revised.status_code == 200, revised.text
    withdrawn = await assessment.delete(
        f"/api/v1/assessments/{withdrawn_id}", headers=world.as_employer
    )
    assert withdrawn.status_code == 200, withdrawn.text
    program = world.program["id"]
    card = await scorecard(
        quality,
        "program",
        program,
        until=lambda c: c["indicators"]["employer_satisfaction"]["n"] == 11,
    )
    # 11 assessments by 6 employers: without any one of them 9 would remain, below the 10 a
    # share needs, so the figure is withheld (the dominance rule) while its n says 12 − 1.
    assert card["indicators"]["employer_satisfaction"]["reason"] == DOMINANCE_REASON

    async with registry.app.state.runtime.engine.begin() as conn:
        assert await outbox.mark_for_republish(conn) > 0  # every registry event goes out twice
    await drained(registry)
    await settled(quality, broker)
    return program


async def test_a_rebuild_from_the_event_history_gives_the_live_scores_exactly(
    services, broker, tmp_path
):
    registry, assessment, quality = services
    await revised_withdrawn_and_republished(registry, assessment, quality, broker)
    progress: list[str] = []

    result = await rebuild(
        consumers=CONSUMERS,
        kafka=kafka_settings(broker.bootstrap_servers),
        live_url=url_of(quality),
        into_url=f"sqlite+aiosqlite:///{tmp_path / 'rebuilt.db'}",
        progress=progress.append,
        batch_size=50,
    )

    assert result.differences == []
    assert result.notes == []  # the live service had applied exactly what is on the topics
    assert result.duplicates_skipped > 0  # the republished registry events
    assert result.scorecards > 0 and result.events_failed == 0
    assert result.events_applied + result.duplicates_skipped + result.events_ignored == (
        result.events_read
    )
    assert any("records replayed" in line for line in progress)


async def test_the_rebuild_command_exits_0_when_identical_and_1_listing_what_differs(
    services, broker
):
    registry, assessment, quality = services
    program = await revised_withdrawn_and_republished(registry, assessment, quality, broker)
    env = {
        "EDUCLUSTER_QUALITY_DATABASE_URL": url_of(quality),
        "EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
        "EDUCLUSTER_KAFKA_FETCH_MAX_WAIT_MS": "50",
    }

    code, out, err = await educluster("quality", "rebuild", env=env)
    assert code == 0, out + err
    assert "records replayed" in out
    assert "identical to the live database" in out.splitlines()[-1]

    # A live scorecard that no event explains is found.
    async with quality.app.state.runtime.engine.begin() as conn:
        await conn.execute(
            update(scores)
            .where(scores.c.scope == "program", scores.c.scope_id == program)
            .values(methodology_version=99)
        )
    code, out, err = await educluster("quality", "rebuild", env=env)
    assert code == 1, out + err
    assert "differ from the live database" in out
    assert f"program {program}" in out and "methodology version 99 live, 1 rebuilt" in out


async def test_a_rebuild_leaves_out_what_the_ministry_excluded_as_the_live_service_does(
    services, broker, tmp_path
):
    """Exclusions are the ministry's decisions recorded in the quality database, not events on
    the topics a rebuild reads: found counting an excluded employer's assessments again."""
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    await settled(quality, broker)
    body = {"employer_id": world.employer["id"], "reason": "integrity: straight-lining"}
    excluded = await quality.post("/api/v1/quality/exclusions", headers=MINISTRY, json=body)
    assert excluded.status_code == 201 and excluded.json()["excluded_assessments"] > 0
    await settled(quality, broker)

    result = await rebuild(
        consumers=CONSUMERS,
        kafka=kafka_settings(broker.bootstrap_servers),
        live_url=url_of(quality),
        into_url=f"sqlite+aiosqlite:///{tmp_path / 'rebuilt.db'}",
        progress=lambda _: None,
    )

    assert result.differences == []
