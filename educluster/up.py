"""``educluster up``: the whole platform on one machine, with one clean Ctrl-C.

Starts the bundled broker unless EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS names one, creates the
topics, applies every service's migrations, runs the four services as child processes, waits
until each is ready and says where everything is. SIGINT or SIGTERM stops all of it; the
children also get SIGTERM if this process dies (PR_SET_PDEATHSIG), so nothing is orphaned.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from educluster.services import load_settings
from shared.devtools.dev_secret import ENV, dev_secret
from shared.devtools.local_broker import LocalBroker, die_with_parent, free_port
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.kafka import ensure_topics
from shared.platform.names import DEFAULT_PORTS as PORTS
from shared.platform.names import SERVICES
from shared.platform.settings import KafkaSettings

_READY_TIMEOUT_S = 60.0


def say(message: str) -> None:
    print(f"educluster: {message}", flush=True)


class Launcher:
    def __init__(self, *, host: str, data_dir: Path, demo: bool = False) -> None:
        self.host = host
        self.data_dir = data_dir
        self.demo = demo
        self.broker: LocalBroker | None = None
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def run(self) -> int:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        try:
            self._start_broker()
            self._dev_secret()
            asyncio.run(self._prepare())
            self._start_services()
            self._wait_until_ready()
            if self.demo:
                self._load_demo()
            self._print_summary()
            return self._watch()
        except KeyboardInterrupt:
            return 0
        except Exception as error:
            say(f"failed: {error}")
            return 1
        finally:
            self._stop_everything()

    def _on_signal(self, signum: int, _frame) -> None:  # type: ignore[no-untyped-def]
        if not self.stopping:
            self.stopping = True
            say(f"received {signal.Signals(signum).name}, stopping")
            raise KeyboardInterrupt

    def _start_broker(self) -> None:
        if os.environ.get("EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS"):
            say(f"using Kafka at {os.environ['EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS']}")
            return
        port = int(os.environ.get("EDUCLUSTER_LOCAL_BROKER_PORT", "9092"))
        if not _port_free(port):
            port = free_port()
        self.broker = LocalBroker(port=port, log_path=self.data_dir / "broker.log").start()
        os.environ["EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS"] = self.broker.bootstrap_servers
        say(f"started the bundled broker (memory only) on {self.broker.bootstrap_servers}")

    def _dev_secret(self) -> None:
        if not os.environ.get(ENV):
            os.environ[ENV] = dev_secret(self.data_dir, create=True) or ""
            say(
                f"development token secret in {self.data_dir / 'jwt-secret'}; "
                "mint a token with: educluster token --role ministry"
            )

    async def _prepare(self) -> None:
        created = await ensure_topics(KafkaSettings())
        say(f"topics ready ({len(created)} created)")
        for service in SERVICES:
            os.environ.setdefault(
                f"EDUCLUSTER_{service.upper()}_DATABASE_URL",
                f"sqlite+aiosqlite:///{self.data_dir / service}.db",
            )
            await upgrade(service, load_settings(service).resolved_database_url())
        say("migrations applied")

    def _start_services(self) -> None:
        for service in SERVICES:
            port = PORTS[service]
            log = (self.data_dir / f"{service}.log").open("ab")
            self.children[service] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    f"{service}.bootstrap:create_app",
                    "--host",
                    self.host,
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--timeout-graceful-shutdown",
                    "10",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,
            )
            say(f"starting {service} on port {port} (log: {self.data_dir / service}.log)")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + _READY_TIMEOUT_S
        waiting = set(SERVICES)
        with httpx.Client(timeout=2.0) as client:
            while waiting:
                for service in sorted(waiting):
                    self._check_alive(service)
                    url = f"http://{self.host}:{PORTS[service]}/readyz"
                    try:
                        if client.get(url).status_code == 200:
                            waiting.discard(service)
                            say(f"{service} is ready")
                    except httpx.HTTPError:
                        pass
                if waiting and time.monotonic() > deadline:
                    raise RuntimeError(
                        f"not ready after {_READY_TIMEOUT_S:.0f} s: "
                        f"{', '.join(sorted(waiting))} (see their logs)"
                    )
                time.sleep(0.25)

    def _check_alive(self, service: str) -> None:
        code = self.children[service].poll()
        if code is not None:
            raise RuntimeError(
                f"{service} exited with code {code}; see {self.data_dir / service}.log"
            )

    def _load_demo(self) -> None:
        from shared.devtools.demo import load_demo

        say("loading the demo region set through the gateway (about a minute)")
        gateway = f"http://{self.host}:{PORTS['gateway']}"
        asyncio.run(load_demo(gateway, secret=os.environ[ENV], say=say))

    def _print_summary(self) -> None:
        base = f"http://{self.host}"
        print(
            "\nEduCluster is running:\n"
            f"  gateway (one API)        {base}:{PORTS['gateway']}/  (OpenAPI: /docs)\n"
            + "".join(f"  {s:<24} {base}:{PORTS[s]}/readyz\n" for s in SERVICES)
            + f"  Kafka                    {os.environ['EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS']}\n"
            f"  data and logs            {self.data_dir}/\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )

    def _watch(self) -> int:
        while True:
            for service in SERVICES:
                code = self.children[service].poll()
                if code is not None:
                    say(f"{service} exited with code {code}; stopping everything")
                    return 1
            time.sleep(0.5)

    def _stop_everything(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for service, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{service} did not stop in time; killing it")
                child.kill()
                child.wait()
        if self.broker is not None:
            self.broker.stop()
        if self.children or self.broker:
            say("stopped")


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def run_up(*, host: str, data_dir: str, demo: bool = False) -> int:
    return Launcher(host=host, data_dir=Path(data_dir).resolve(), demo=demo).run()
