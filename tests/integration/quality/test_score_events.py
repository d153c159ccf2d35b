"""Score events: at most one per scope per window, keyed by the scope; a new methodology
version recomputes every score."""

import json

from quality.adapters.tables import assessment_states, q_employments, q_organizations
from quality.service_layer.publisher import publish_changes
from sqlalchemy import func, select

from shared.platform.messaging import outbox
from shared.platform.names import QUALITY_LIVE_TOPIC, QUALITY_TOPIC
from tests.integration.assessment.conftest import running_assessment
from tests.integration.assessment.world import PERIOD
from tests.integration.ledger import kafka_settings
from tests.integration.quality.conftest import running_quality
from tests.integration.quality.test_scores import assessed_program
from tests.integration.registry.conftest import MINISTRY, headers, running_registry
from tests.integration.topic_reader import read_topic
from tests.support import eventually


async def counted(quality) -> tuple[int, int, int]:
    """(assessments, employments, organizations) the quality service has taken in."""
    async with quality.app.state.runtime.engine.connect() as conn:
        return tuple(
            [
                await conn.scalar(select(func.count()).select_from(table))
                for table in (assessment_states, q_employments, q_organizations)
            ]
        )


async def quality_events(
    quality, broker, topics=(QUALITY_TOPIC, QUALITY_LIVE_TOPIC)
) -> list[tuple[str, dict]]:
    """The events the quality service published on ``topics`` (the public and the live one)."""

    async def backlog() -> int:
        async with quality.app.state.runtime.engine.connect() as conn:
            return await outbox.backlog(conn)

    await eventually(backlog, until=lambda n: n == 0, what="quality outbox drained")
    settings = kafka_settings(broker.bootstrap_servers)
    records = [record for topic in topics for record in await read_topic(settings, topic)]
    return [(r.key.decode(), json.loads(r.value)) for r in records]


async def test_one_window_announces_each_changed_scope_once(make_database_url, broker):
    servers = broker.bootstrap_servers
    async with (
        running_registry(await make_database_url("registry"), servers) as registry,
        running_assessment(await make_database_url("assessment"), servers) as assessment,
        running_quality(
            await make_database_url("quality"), servers, score_window_s=3600
        ) as quality,
    ):
        world, _ = await assessed_program(registry, assessment)
        # Topics are read side by side: wait for the registry facts too, not just assessments.
        await eventually(
            lambda: counted(quality), until=lambda n: n == (12, 12, 7), what="all taken in"
        )
        publish = quality.app.state.runtime.uow_factory
        # 4 scopes × 2024 (the graduates' cohort), 2025 and 2026 (the cohort still counts in
        # their coverage), each as a year and as the 3-year pool ending there
        assert await publish_changes(publish) == 24
        assert await publish_changes(publish) == 0  # nothing new: nothing announced

        events = await quality_events(quality, broker)
        kinds = [e["type"] for _, e in events]
        assert kinds.count("educluster.quality.methodology.published.v1") == 1
        updates = [(key, e["data"]) for key, e in events if e["type"].endswith("score.updated.v1")]
        assert len(updates) == 24
        this_year = [(key, d) for key, d in updates if d["period"] == PERIOD and not d["pooled"]]
        expected_keys = {world.program["id"], world.institution["id"], "UZ-SA", "UZ"}
        assert sorted(key for key, _ in this_year) == sorted(expected_keys)
        for key, data in this_year:
            assert data["scope_id"] == key
            assert data["indicators"]["employer_satisfaction"]["value"] == 0.75
            assert data["methodology_version"] == 1

        refused = await quality.post(
            "/api/v1/quality/methodology",
            headers=headers("institution", org=world.institution["id"]),
            json={"interval_level": 0.95},
        )
        assert refused.status_code == 403
        invalid = await quality.post(
            "/api/v1/quality/methodology", headers=MINISTRY, json={"interval_level": 2}
        )
        assert invalid.status_code == 422
        partial_index = await quality.post(
            "/api/v1/quality/methodology",
            headers=MINISTRY,
            json={"min_published_weight_share": 0.5},
        )
        assert partial_index.status_code == 422
        assert "min_published_weight_share" in partial_index.text
        published = await quality.post(
            "/api/v1/quality/methodology",
            headers=MINISTRY,
            json={"interval_level": 0.95, "weights": {"employer_satisfaction": 1.0}},
        )
        assert published.status_code == 201, published.text
        assert published.json()["version"] == 2
        assert published.json()["weights"] == {"employer_satisfaction": 1.0}
        assert await publish_changes(publish) == 24  # every scored period, again
        card = (
            await quality.get(
                f"/api/v1/quality/program/{world.program['id']}?period={PERIOD}", headers=MINISTRY
            )
        ).json()
        assert card["methodology_version"] == 2
        assert card["index"]["value"] == 75.0  # employer satisfaction alone, 0.75 → 75
        assert card["index"]["ci_low"] < 75.0 < card["index"]["ci_high"]
        current = await quality.get("/api/v1/quality/methodology", headers=MINISTRY)
        assert current.json()["version"] == 2
        # The ministry's change is in the quality service's audit trail; its scoring is not.
        trail = (await quality.get("/api/v1/audit/quality", headers=MINISTRY)).json()["items"]
        assert [(e["action"], e["actor_role"], e["after"]["version"]) for e in trail] == [
            ("educluster.quality.methodology.published.v1", "ministry", 2)
        ]
