"""`educluster up` on a fresh data directory: the README's run command."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from shared.devtools.local_broker import free_port
from shared.platform.names import SERVICES

pytestmark = pytest.mark.slow

READY_WITHIN_S = 60


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_educluster_up_makes_all_four_services_ready_and_stops_them_all_on_sigterm(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUCLUSTER_")}
    env["EDUCLUSTER_LOCAL_BROKER_PORT"] = str(free_port())
    # Free ports, never the fixed ones a developer's running platform uses.
    ports = {service: free_port() for service in SERVICES}
    launcher = subprocess.Popen(
        [sys.executable, "-m", "educluster.main", "up", "--data-dir", str(tmp_path / "var")]
        + [f"--port={service}={port}" for service, port in ports.items()],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = time.monotonic()
        pending = set(ports.values())
        with httpx.Client(timeout=2) as client:
            while pending and time.monotonic() - started < READY_WITHIN_S:
                assert launcher.poll() is None, launcher.stdout.read()
                for port in sorted(pending):
                    try:
                        if client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                            pending.discard(port)
                    except httpx.HTTPError:
                        pass
                time.sleep(0.5)
        assert not pending, f"ports not ready within {READY_WITHIN_S} s: {sorted(pending)}"
        children = _children(launcher.pid)
        assert len(children) == 5  # the broker and four services

        token = subprocess.run(
            [
                sys.executable,
                "-m",
                "educluster.main",
                "token",
                "--role",
                "ministry",
                "--data-dir",
                str(tmp_path / "var"),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        regions = httpx.get(
            f"http://127.0.0.1:{ports['registry']}/api/v1/regions",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
        assert regions.status_code == 200
        assert len(regions.json()["items"]) == 14

        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(timeout=40) == 0
        output = launcher.stdout.read()
    finally:
        if launcher.poll() is None:
            launcher.kill()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)], "orphaned processes"
    assert "EduCluster is running" in output
    assert "stopped" in output
    assert sorted(p.name for p in (tmp_path / "var").glob("*.db")) == [
        "assessment.db",
        "gateway.db",
        "quality.db",
        "registry.db",
    ]
