"""With an operations port, /metrics and the detailed /readyz are served there, not on the
service's own (public) port, which keeps /healthz and a /readyz that says only its status."""

import httpx
import pytest

from shared.devtools.local_broker import free_port
from shared.platform.db.migrations import upgrade
from shared.platform.settings import ServiceSettings
from tests.integration.test_service_app import running, settings_for
from tests.support import eventually


def with_ops_port(service: str, url: str) -> tuple[ServiceSettings, int]:
    port = free_port()
    settings = settings_for(service, url, f"127.0.0.1:{free_port()}")  # broker away: degraded
    return settings.model_copy(update={"ops_port": port, "ops_host": "127.0.0.1"}), port


async def ready(client: httpx.AsyncClient) -> httpx.Response:
    return await eventually(
        lambda: client.get("/readyz"),
        until=lambda r: r.status_code == 200,
        what="ready",
    )


@pytest.mark.parametrize("service", ["gateway", "registry"])
async def test_the_public_port_serves_no_metrics_and_a_readyz_without_details(
    service, make_database_url
):
    # Found: /metrics and the detailed /readyz (database dialect, broker address, consumer
    # groups) were served on the gateway's public port, to anyone on the internet.
    url = await make_database_url(service)
    await upgrade(service, url)
    settings, _ = with_ops_port(service, url)

    async with running(service, settings) as public:
        readyz = await ready(public)
        metrics = await public.get("/metrics")
        healthz = await public.get("/healthz")

    assert readyz.json() == {"status": "degraded"}  # the broker is away; no checks named
    assert metrics.status_code == 404
    assert (healthz.status_code, healthz.json()) == (200, {"status": "ok"})


async def test_the_ops_port_serves_metrics_and_the_detailed_readyz_over_http(make_database_url):
    url = await make_database_url("gateway")
    await upgrade("gateway", url)
    settings, port = with_ops_port("gateway", url)

    async with running("gateway", settings) as public:
        await ready(public)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as ops:
            readyz = await ops.get("/readyz")
            metrics = await ops.get("/metrics")
            api = await ops.get("/api/v1/subscriptions")

    assert readyz.status_code == 200
    report = readyz.json()
    assert report["status"] == "degraded"
    assert {"database", "migrations", "broker", "consumers"} == set(report["checks"])
    assert metrics.status_code == 200 and "educluster_broker_reachable 0.0" in metrics.text
    assert api.status_code == 404  # only the operational endpoints, never the API
    with pytest.raises(httpx.ConnectError):  # closed with the service
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as ops:
            await ops.get("/healthz")


async def test_an_unmigrated_service_says_only_not_ready_on_its_public_port(make_database_url):
    url = await make_database_url("registry")
    settings, port = with_ops_port("registry", url)

    async with running("registry", settings) as public:
        readyz = await public.get("/readyz")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as ops:
            detailed = await ops.get("/readyz")

    assert readyz.status_code == 503
    assert "checks" not in readyz.json() and "migrations" not in readyz.text
    assert detailed.status_code == 503
    assert detailed.json()["checks"]["migrations"]["ok"] is False


def test_the_ops_port_is_read_from_the_platform_wide_setting(monkeypatch):
    monkeypatch.setenv("EDUCLUSTER_OPS_PORT", "9000")
    assert ServiceSettings().ops_port == 9000
    monkeypatch.delenv("EDUCLUSTER_OPS_PORT")
    assert ServiceSettings().ops_port == 0  # off: everything on the service's own port
