"""The processes the bench measures: a real registry, a trivial stand-in and the gateway.

Each runs in its own uvicorn process (as `educluster up` runs them), bound to a free port.
"""

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from shared.devtools.local_broker import die_with_parent, free_port
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings

FACTORIES = {
    "registry": "registry.bootstrap:create_app",
    "trivial": "bench.trivial_service:create_app",
    "gateway": "gateway.bootstrap:create_app",
}
# What answers 200 once a process can take load. Regions are seeded in one transaction, so
# one region answering means all are there.
READY_PATHS = {
    "registry": "/api/v1/regions/UZ-TO",
    "trivial": "/api/v1/quality/methodology",
    "gateway": "/healthz",
}


@dataclass(frozen=True)
class Platform:
    urls: dict[str, str]  # process name → base URL
    token: str  # a ministry bearer token the registry accepts


def _environment(data_dir: Path, secret: str, urls: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUCLUSTER_")}
    return {
        **env,
        "EDUCLUSTER_JWT_SECRET": secret,
        "EDUCLUSTER_LOG_LEVEL": "WARNING",
        # One client at hundreds or thousands of requests a second: the gateway's default
        # per-client rate limit would throttle what is being measured.
        "EDUCLUSTER_GATEWAY_RATE_LIMIT_PER_S": "1000000",
        "EDUCLUSTER_GATEWAY_RATE_LIMIT_BURST": "1000000",
        # No broker: nothing listens on this port. The relay is off, so a registry write costs
        # what its request costs, and nothing is published to anybody's broker.
        "EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
        "EDUCLUSTER_REGISTRY_RELAY_ENABLED": "false",
        "EDUCLUSTER_REGISTRY_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir}/registry.db",
        "EDUCLUSTER_GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir}/gateway.db",
        "EDUCLUSTER_GATEWAY_REGISTRY_URL": urls["registry"],
        # The stand-in answers on the quality service's paths.
        "EDUCLUSTER_GATEWAY_QUALITY_URL": urls["trivial"],
    }


@contextmanager
def _serving(name: str, *, url: str, env: dict[str, str], log: Path) -> Iterator[None]:
    port = url.rsplit(":", 1)[1]
    command = [sys.executable, "-m", "uvicorn", "--factory", FACTORIES[name]]
    # uvicorn's access log stays on under the services' JSON logging even with
    # --no-access-log; the level is what silences it (PERF.md measured without access logs).
    command += ["--host", "127.0.0.1", "--port", port, "--no-access-log", "--log-level", "warning"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(url: str, *, token: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(timeout=2, headers={"Authorization": f"Bearer {token}"}) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
    raise RuntimeError(f"{url} did not answer 200 within 60 s; {log.name} ends:\n{tail}")


@contextmanager
def running_platform(data_dir: Path) -> Iterator[Platform]:
    """Registry (migrated, regions seeded), the stand-in, and the gateway; stopped on exit."""
    secret = secrets.token_urlsafe(32)
    urls = {name: f"http://127.0.0.1:{free_port()}" for name in FACTORIES}
    env = _environment(data_dir, secret, urls)
    subprocess.run(
        [sys.executable, "-m", "educluster.main", "migrate", "--service", "registry"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    token = mint_token(AuthSettings(secret=secret), role="ministry", sub="bench", ttl_s=3600)
    with ExitStack() as stack:
        for name, url in urls.items():
            stack.enter_context(_serving(name, url=url, env=env, log=data_dir / f"{name}.log"))
        for name, url in urls.items():
            _wait_until_ready(url + READY_PATHS[name], token=token, log=data_dir / f"{name}.log")
        yield Platform(urls=urls, token=token)
