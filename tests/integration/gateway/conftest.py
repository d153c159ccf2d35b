"""A real registry and the gateway in front of it, each its own uvicorn process, over real HTTP.

No broker: the registry serves requests without one (its relay is off), and nothing listens on
the Kafka port they are given, so no test publishes into a broker somebody else runs.
"""

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from educluster.up import service_command
from shared.devtools.local_broker import die_with_parent, free_port
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from tests.integration.gateway.stubs import StubServer, echo, silent
from tests.support import TEST_TOKEN_TTL_S

SECRET = "test-secret-for-gateway-tests-only"
MINISTRY = {
    "Authorization": "Bearer "
    + mint_token(
        AuthSettings(secret=SECRET), role="ministry", sub="gateway-tests", ttl_s=TEST_TOKEN_TTL_S
    )
}
# Small, so the timeout tests are quick; the services here answer in milliseconds.
READ_TIMEOUT_S = 1.0
_tax_ids = itertools.count(200_000_001)


def fresh_tax_id() -> str:
    """A taxpayer id (9 digits, starting with 2-7) not used before in this test run."""
    return str(next(_tax_ids))


@dataclass
class Served:
    """A service process: its base URL, and its log for when a test fails."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def peak_memory_kib(self) -> int:
        """The process's peak resident set size so far (VmHWM), in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise AssertionError("no VmHWM in /proc status")


def environment(data_dir: Path, **gateway: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUCLUSTER_")}
    env |= {
        "EDUCLUSTER_JWT_SECRET": SECRET,
        "EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
        "EDUCLUSTER_REGISTRY_RELAY_ENABLED": "false",
        "EDUCLUSTER_REGISTRY_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir}/registry.db",
        "EDUCLUSTER_GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir}/gateway.db",
    }
    return env | {f"EDUCLUSTER_GATEWAY_{key.upper()}": value for key, value in gateway.items()}


def serve(name: str, *, env: dict[str, str], data_dir: Path, ready_path: str) -> Served:
    """Start ``<name>.bootstrap:create_app`` under uvicorn and wait until ready_path gives 200."""
    port = free_port()
    log = data_dir / f"{name}-{port}.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            service_command(name, "127.0.0.1", port),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
    served = Served(name, f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_ready(served, ready_path)
    except BaseException:
        served.stop()
        raise
    return served


def _wait_until_ready(served: Served, path: str) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=served.url, headers=MINISTRY, timeout=2) as client:
        while time.monotonic() < deadline:
            if served.process.poll() is not None:
                raise AssertionError(f"{served.name} exited:\n{served.log.read_text()[-3000:]}")
            try:
                if client.get(path).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise AssertionError(f"{served.name} not ready in 60 s:\n{served.log.read_text()[-3000:]}")


def migrate(service: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "educluster.main", "migrate", "--service", service],
        env=env,
        check=True,
        capture_output=True,
    )


@contextmanager
def running_registry(data_dir: Path) -> Iterator[Served]:
    env = environment(data_dir)
    migrate("registry", env)
    # Regions are seeded in one transaction: one of them answering means all are there.
    registry = serve("registry", env=env, data_dir=data_dir, ready_path="/api/v1/regions/UZ-TO")
    try:
        yield registry
    finally:
        registry.stop()


@contextmanager
def running_gateway(data_dir: Path, **settings: str) -> Iterator[Served]:
    """A gateway with these settings (e.g. registry_url=...) on its migrated database (until
    then it refuses every request: the schema gate), waited for on /healthz."""
    env = environment(data_dir, **settings)
    migrate("gateway", env)
    gateway = serve("gateway", env=env, data_dir=data_dir, ready_path="/healthz")
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gateway")


@pytest.fixture(scope="module")
def registry(data_dir) -> Iterator[Served]:
    with running_registry(data_dir) as served:
        yield served


@pytest.fixture(scope="module")
def echo_service() -> Iterator[StubServer]:
    with StubServer(echo) as server:
        yield server


@pytest.fixture(scope="module")
def silent_service() -> Iterator[StubServer]:
    with StubServer(silent) as server:
        yield server


@pytest.fixture(scope="module")
def gateway(data_dir, registry, echo_service, silent_service) -> Iterator[Served]:
    """The real registry behind it; the echo stands in for quality, the silent one for assessment."""
    with running_gateway(
        data_dir,
        registry_url=registry.url,
        quality_url=echo_service.url,
        assessment_url=silent_service.url,
        connect_timeout_s="1",
        read_timeout_s=str(READ_TIMEOUT_S),
    ) as served:
        yield served


def assert_problem(response: httpx.Response, status: int, *, mentioning: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert mentioning in problem["detail"]
    return problem
