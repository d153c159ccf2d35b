"""Reminders of pending assessments: an employer asks for them in its language, the service
sends them through SMTP (a real local server), never twice within the interval, retries a
failed send later, and stops at the one-click unsubscribe link."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from assessment.adapters.tables import reminder_deliveries
from assessment.service_layer.reminders import send_due_reminders
from assessment.service_layer.unit_of_work import assessment_uow
from sqlalchemy import select

from shared.devtools.local_broker import free_port
from shared.devtools.smtp_sink import smtp_sink
from shared.platform.db.queries import now
from shared.platform.mail import SmtpSettings
from tests.integration.assessment.conftest import running_assessment
from tests.integration.assessment.world import build_world
from tests.integration.registry.conftest import MINISTRY, running_registry
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


async def test_only_an_employer_asks_for_reminders_and_bad_input_names_the_field(platform):
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
