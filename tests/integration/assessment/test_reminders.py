"""Reminders: an employer asks for them of pending assessments, an institution of claims
awaiting its confirmation, each in its language; the service sends them through SMTP (a real
local server), never twice within the interval, retries a failed send later, and stops at the
one-click unsubscribe link."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from assessment.adapters.tables import (
    projected_employments,
    reminder_deliveries,
    reminder_subscriptions,
)
from assessment.service_layer.reminders import send_due_reminders
from assessment.service_layer.unit_of_work import assessment_uow
from sqlalchemy import column, func, insert, select, table, text

from shared.devtools.local_broker import free_port
from shared.devtools.smtp_sink import smtp_sink
from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import downgrade, upgrade
from shared.platform.db.queries import now
from shared.platform.mail import SmtpSettings
from tests.integration.assessment.conftest import running_assessment
from tests.integration.assessment.world import build_world, employ, settled
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    headers,
    running_registry,
)
from tests.support import eventually

REMINDERS = "/api/v1/reminders/subscription"


def sending_to(assessment, port: int):
    """(unit-of-work factory, settings) of the running service, its SMTP set to ``port``."""
    runtime = assessment.app.state.runtime
    settings = runtime.settings.model_copy(
        update={"smtp": SmtpSettings(host="127.0.0.1", port=port, timeout_s=2)}
    )
    return (lambda: assessment_uow(runtime.uow_factory())), settings


async def subscribe(world, language="ru", email="hr@employer.example"):
    answer = await world.assessment.put(
        REMINDERS, headers=world.as_employer, json={"email": email, "language": language}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def assess(world, graduate):
    answer = await world.assessment.post(
        "/api/v1/assessments", headers=world.as_employer, json=world.assessment_body(graduate)
    )
    assert answer.status_code == 201, answer.text


async def test_a_reminder_goes_out_in_the_employers_language_once_per_interval(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=3)
    await subscribe(world, language="ru")
    await assess(world, world.graduates[0])
    at = now()
    with smtp_sink() as sink:
        uow_factory, settings = sending_to(assessment, sink.port)
        assert await send_due_reminders(uow_factory, settings, at=at) == 1
        (message,) = sink.received
        assert message["To"] == "hr@employer.example"
        assert message["Content-Language"] == "ru"
        assert f"за {at.year} год ожидают оценки: 2" in message["Subject"]
        body = message.get_content()
        assert "Здравствуйте" in body and "/#/employer" in body
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/api/v1/reminders/unsubscribe?token=" in message["List-Unsubscribe"]

        # Within the interval nothing more goes out, however often the loop looks.
        assert await send_due_reminders(uow_factory, settings, at=at + timedelta(days=6)) == 0
        # After it, the employer is reminded again of what is still pending.
        await assess(world, world.graduates[1])
        assert await send_due_reminders(uow_factory, settings, at=at + timedelta(days=8)) == 1
        assert "ожидают оценки: 1" in sink.received[-1]["Subject"]
        # Nothing pending: nothing sent.
        await assess(world, world.graduates[2])
        assert await send_due_reminders(uow_factory, settings, at=at + timedelta(days=16)) == 0
        assert len(sink.received) == 2


async def test_the_one_click_link_stops_reminders_without_signing_in(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=1)
    await subscribe(world, language="uz")
    at = now()
    with smtp_sink() as sink:
        uow_factory, settings = sending_to(assessment, sink.port)
        assert await send_due_reminders(uow_factory, settings, at=at) == 1
        link = sink.received[0]["List-Unsubscribe"].strip("<>")
        assert "baholash kutilmoqda" in sink.received[0]["Subject"]
        token = parse_qs(urlparse(link).query)["token"][0]

        stopped = await assessment.post("/api/v1/reminders/unsubscribe", params={"token": token})
        assert stopped.status_code == 204, stopped.text
        mine = await assessment.get(REMINDERS, headers=world.as_employer)
        assert mine.json()["enabled"] is False
        assert await send_due_reminders(uow_factory, settings, at=at + timedelta(days=30)) == 0

    unknown = await assessment.post("/api/v1/reminders/unsubscribe", params={"token": "x" * 43})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert "x" * 43 not in unknown.text  # a token is never echoed back


async def test_a_failed_send_is_retried_later_and_then_delivered(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=1)
    await subscribe(world, language="en")
    port = free_port()  # nothing listens there yet: the SMTP server is down
    uow_factory, settings = sending_to(assessment, port)
    at = now()
    assert await send_due_reminders(uow_factory, settings, at=at) == 0
    async with assessment.app.state.runtime.engine.connect() as conn:
        row = (await conn.execute(select(reminder_deliveries))).one()
    assert row.attempts == 1 and row.last_sent_at is None
    assert row.last_error == "ConnectionRefusedError"  # the kind of failure, no server text
    assert row.next_attempt_at > at

    with smtp_sink(port) as sink:
        # Not before its retry time, even with the server back.
        assert await send_due_reminders(uow_factory, settings, at=at) == 0
        assert await send_due_reminders(uow_factory, settings, at=at + timedelta(minutes=2)) == 1
        assert "1 assessments pending" in sink.received[0]["Subject"]


async def test_reminders_are_off_until_asked_and_bad_input_names_the_field(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=0, wait=False)
    none_yet = await assessment.get(REMINDERS, headers=world.as_employer)
    assert none_yet.status_code == 200
    assert (none_yet.json()["email"], none_yet.json()["enabled"]) == (None, False)
    refused = await assessment.put(
        REMINDERS, headers=MINISTRY, json={"email": "a@b.example", "language": "en"}
    )
    assert refused.status_code == 403
    for body, field in (
        ({"email": "not-an-address", "language": "en"}, "email"),
        ({"email": "a@b.example", "language": "fr"}, "language"),
        ({"email": "a@b.example", "language": "en", "extra": 1}, "extra"),
    ):
        answer = await assessment.put(REMINDERS, headers=world.as_employer, json=body)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert any(field in str(e) for e in answer.json()["errors"]), answer.json()
    short = await assessment.post("/api/v1/reminders/unsubscribe", params={"token": "abc"})
    assert short.status_code == 422


async def test_the_service_sends_reminders_in_the_background(make_database_url, broker):
    with smtp_sink() as sink:
        async with running_registry(
            await make_database_url("registry"), broker.bootstrap_servers
        ) as registry:
            async with running_assessment(
                await make_database_url("assessment"),
                broker.bootstrap_servers,
                smtp=SmtpSettings(host="127.0.0.1", port=sink.port),
                reminder_check_every_s=0.2,
            ) as assessment:
                world = await build_world(registry, assessment, employed=1)
                await subscribe(world, language="en")
                await eventually(
                    lambda: _received(sink), until=lambda n: n == 1, what="a reminder sent"
                )


async def _received(sink) -> int:
    return len(sink.received)


async def claims_projected(world, count: int) -> None:
    """Wait until the assessment service knows ``count`` claims awaiting the institution."""
    c = projected_employments.c

    async def claimed() -> int:
        async with world.assessment.app.state.runtime.engine.connect() as conn:
            return await conn.scalar(
                select(func.count())
                .select_from(projected_employments)
                .where(c.institution_id == world.institution["id"], c.state == "claimed")
            )

    await eventually(claimed, until=lambda n: n == count, what=f"{count} claims projected")


async def test_an_institution_is_told_how_many_claims_await_its_confirmation(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=1)
    claims = [
        await employ(
            world,
            await create_graduate(registry, world.program, student_ref=f"C-{i}"),
            confirm=False,
        )
        for i in range(3)
    ]
    as_institution_of_world = as_institution(world.institution)
    answer = await assessment.put(
        REMINDERS,
        headers=as_institution_of_world,
        json={"email": "registrar@institution.example", "language": "uz"},
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["organization_id"], answer.json()["role"]) == (
        world.institution["id"],
        "institution",
    )
    await subscribe(world, language="en")  # the employer's own reminders go on as before
    # A claim confirmed before the send awaits nothing.
    confirmed = await registry.post(
        f"/api/v1/employments/{claims[0]['id']}/confirm", headers=as_institution_of_world
    )
    assert confirmed.status_code == 200, confirmed.text
    await claims_projected(world, 2)
    await settled(world, employments=2)
    at = now()
    with smtp_sink() as sink:
        uow_factory, settings = sending_to(assessment, sink.port)
        assert await send_due_reminders(uow_factory, settings, at=at) == 2
        by_address = {message["To"]: message for message in sink.received}
        mine = by_address["registrar@institution.example"]
        assert mine["Content-Language"] == "uz"
        assert "2 ta" in mine["Subject"] and "tasdiqlash" in mine["Subject"]
        body = mine.get_content()
        assert "/#/workspace/institution/confirmations" in body
        assert "2" in body
        for claim in claims:  # how many, never who
            assert claim["graduate_id"] not in body and claim["id"] not in body
        assert mine["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        employers = by_address["hr@employer.example"]
        assert f"2 assessments pending for {at.year}" in employers["Subject"]

        # Within the interval nothing more goes out to either.
        assert await send_due_reminders(uow_factory, settings, at=at + timedelta(days=6)) == 0
        # After it, the institution hears of what still awaits it.
        await registry.post(
            f"/api/v1/employments/{claims[1]['id']}/confirm", headers=as_institution_of_world
        )
        await claims_projected(world, 1)
        await settled(world, employments=3)
        assert await send_due_reminders(uow_factory, settings, at=at + timedelta(days=8)) == 2
        by_address = {message["To"]: message for message in sink.received[2:]}
        assert "1 ta" in by_address["registrar@institution.example"]["Subject"]
        assert "3 assessments pending" in by_address["hr@employer.example"]["Subject"]

        # Its one-click link stops them, as an employer's does.
        link = by_address["registrar@institution.example"]["List-Unsubscribe"].strip("<>")
        token = parse_qs(urlparse(link).query)["token"][0]
        stopped = await assessment.post("/api/v1/reminders/unsubscribe", params={"token": token})
        assert stopped.status_code == 204, stopped.text
        shown = await assessment.get(REMINDERS, headers=as_institution_of_world)
        assert shown.json()["enabled"] is False
        assert (await assessment.get(REMINDERS, headers=world.as_employer)).json()["enabled"]


async def test_only_employers_and_institutions_ask_for_reminders(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=0, wait=False)
    body = {"email": "a@b.example", "language": "en"}
    for role, extra in (
        ("ministry", {}),
        ("regional_authority", {"region": "UZ-TK"}),
        ("operator", {}),
    ):
        for method in ("GET", "PUT"):
            answer = await assessment.request(
                method,
                REMINDERS,
                headers=headers(role, **extra),
                json=body if method == "PUT" else None,
            )
            assert answer.status_code == 403, (role, method, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
    none_yet = await assessment.get(REMINDERS, headers=as_institution(world.institution))
    assert none_yet.status_code == 200, none_yet.text
    assert (none_yet.json()["email"], none_yet.json()["enabled"]) == (None, False)


async def test_employers_subscriptions_and_deliveries_survive_the_move_to_organizations(
    make_database_url,
):
    url = await make_database_url("assessment")
    await upgrade("assessment", url, "assessment_0007")
    at = now()
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(table("reminder_subscriptions", *(column(n) for n in OLD_SUBSCRIPTION))),
                {
                    "employer_id": "e1",
                    "email": "hr@employer.example",
                    "language": "ru",
                    "enabled": True,
                    "unsubscribe_token": "t" * 43,
                    "updated_at": at,
                },
            )
            await conn.execute(
                insert(table("reminder_deliveries", *(column(n) for n in OLD_DELIVERY))),
                {"employer_id": "e1", "period": 2026, "attempts": 0, "next_attempt_at": at},
            )
        await upgrade("assessment", url, "assessment_0008")
        async with engine.connect() as conn:
            (subscription,) = (await conn.execute(select(reminder_subscriptions))).all()
            (delivery,) = (await conn.execute(select(reminder_deliveries))).all()
        assert (subscription.organization_id, subscription.role) == ("e1", "employer")
        assert (subscription.email, subscription.unsubscribe_token) == (
            "hr@employer.example",
            "t" * 43,
        )
        assert subscription.updated_at == at
        assert (delivery.organization_id, delivery.role, delivery.period) == (
            "e1",
            "employer",
            2026,
        )

        await downgrade("assessment", url, "assessment_0007")  # employers' rows go back
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT employer_id FROM reminder_subscriptions"))
            ).all()
        assert [tuple(row) for row in rows] == [("e1",)]
    finally:
        await engine.dispose()


OLD_SUBSCRIPTION = (
    "employer_id",
    "email",
    "language",
    "enabled",
    "unsubscribe_token",
    "updated_at",
)
OLD_DELIVERY = ("employer_id", "period", "attempts", "next_attempt_at")
