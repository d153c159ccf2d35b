"""``educluster up``: the whole platform on one machine, with one clean Ctrl-C.

Starts the bundled broker unless EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS names one, a local
OpenID Connect provider unless EDUCLUSTER_OIDC_ISSUER names one, creates the
topics, applies every service's migrations, runs the four services as child processes, waits
until each is ready and says where everything is. SIGINT or SIGTERM stops all of it; the
children also get SIGTERM if this process dies (PR_SET_PDEATHSIG), so nothing is orphaned.
"""

import asyncio
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

import httpx

from shared.devtools.dev_secret import ENV, dev_secret
from shared.devtools.local_broker import LocalBroker, die_with_parent, free_port
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.kafka import ensure_topics
from shared.platform.names import DEFAULT_PORTS, SERVICES
from shared.platform.settings import KafkaSettings

_READY_TIMEOUT_S = 60.0
# The local identity provider's one-click users; an institution's and an employer's need an
# organization of the registry, so they are added by the person (docs/identity.md).
DEV_USERS = (
    {"sub": "ministry", "role": "ministry", "name": "Ministry analyst"},
    {"sub": "operator", "role": "operator", "name": "Platform operator"},
    {"sub": "region-sa", "role": "regional_authority", "region": "UZ-SA", "name": "Samarqand"},
)
_BOOTSTRAP = "EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS"


def say(message: str) -> None:
    print(f"educluster: {message}", flush=True)


class Launcher:
    """The platform's processes on this machine: ``start()`` and ``stop()`` for tests and tools,
    ``run()`` for the command (start, summary, watch, stop on Ctrl-C).

    ``env`` is the environment the services get (default: this process's); the launcher adds
    the broker, the secret, the database URLs and, for ports other than the defaults, the
    gateway's upstream URLs to its own copy and never changes ``os.environ``.
    """

    def __init__(
        self,
        *,
        host: str,
        data_dir: Path,
        demo: bool = False,
        ports: Mapping[str, int] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.host = host
        self.data_dir = data_dir
        self.demo = demo
        self.ports = {**DEFAULT_PORTS, **(ports or {})}
        self.env = dict(os.environ if env is None else env)
        self.broker: LocalBroker | None = None
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.identity: subprocess.Popen[bytes] | None = None
        self.mail: subprocess.Popen[bytes] | None = None
        self.stopping = False

    @property
    def gateway_url(self) -> str:
        return f"http://{self.host}:{self.ports['gateway']}"

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        try:
            self.start()
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
            self.stop()

    def start(self) -> None:
        """Broker, secret, topics, migrations, the four services; returns once all are ready."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # holds the secret
        try:
            self._start_broker()
            self._start_identity_provider()
            self._start_mail_sink()
            self._dev_secret()
            asyncio.run(self._prepare())
            self._start_services()
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if not self.stopping:
            self.stopping = True
            say(f"received {signal.Signals(signum).name}, stopping")
            raise KeyboardInterrupt

    def _start_broker(self) -> None:
        if self.env.get(_BOOTSTRAP):
            say(f"using Kafka at {self.env[_BOOTSTRAP]}")
            return
        port = int(self.env.get("EDUCLUSTER_LOCAL_BROKER_PORT", "9092"))
        if not _port_free(port):
            port = free_port()
        self.broker = LocalBroker(port=port, log_path=self.data_dir / "broker.log").start()
        self.env[_BOOTSTRAP] = self.broker.bootstrap_servers
        say(f"started the bundled broker (memory only) on {self.broker.bootstrap_servers}")

    def _start_identity_provider(self) -> None:
        """A local OpenID Connect provider (oidc-provider-mock, the dev-identity extra) with a
        user per role, unless EDUCLUSTER_OIDC_ISSUER names a real one; the dashboard's "Sign
        in" then goes there and a newcomer picks a role with one click."""
        if (
            self.env.get("EDUCLUSTER_OIDC_ISSUER")
            or importlib.util.find_spec("oidc_provider_mock") is None
        ):
            return
        port = int(self.env.get("EDUCLUSTER_LOCAL_IDENTITY_PORT", "9400"))
        if not _port_free(port):
            port = free_port()
        users = [arg for claims in DEV_USERS for arg in ("--user-claims", json.dumps(claims))]
        log = (self.data_dir / "identity.log").open("ab")
        self.identity = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), *users],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        # The provider names itself after the address it is reached at: always this one.
        issuer = f"http://127.0.0.1:{port}"
        self.env |= {
            "EDUCLUSTER_OIDC_ISSUER": issuer,
            "EDUCLUSTER_OIDC_JWKS_URL": f"{issuer}/jwks",
            "EDUCLUSTER_OIDC_AUTHORIZATION_URL": f"{issuer}/oauth2/authorize",
            "EDUCLUSTER_OIDC_TOKEN_URL": f"{issuer}/oauth2/token",
            "EDUCLUSTER_OIDC_END_SESSION_URL": f"{issuer}/oauth2/end_session",
            # The mock takes any secret; the gateway is the confidential client, as in production.
            "EDUCLUSTER_OIDC_CLIENT_SECRET": "local-identity-provider",
        }
        say(f"started the local identity provider on {issuer} (a user per role)")

    def _start_mail_sink(self) -> None:
        """A local SMTP server (aiosmtpd, a dev extra) keeping every e-mail the platform sends
        (reminders) in the Maildir <data>/mail, unless EDUCLUSTER_SMTP_HOST names a real one."""
        if self.env.get("EDUCLUSTER_SMTP_HOST") or importlib.util.find_spec("aiosmtpd") is None:
            return
        port = free_port()
        maildir = self.data_dir / "mail"
        log = (self.data_dir / "mail.log").open("ab")
        self.mail = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(maildir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        self.env |= {
            "EDUCLUSTER_SMTP_HOST": "127.0.0.1",
            "EDUCLUSTER_SMTP_PORT": str(port),
            "EDUCLUSTER_ASSESSMENT_PUBLIC_URL": self.gateway_url,
        }
        say(f"started a local mail server on 127.0.0.1:{port} (e-mails kept in {maildir}/)")

    def _dev_secret(self) -> None:
        if not self.env.get(ENV):
            self.env[ENV] = dev_secret(self.data_dir, create=True) or ""
            say(
                f"development token secret in {self.data_dir / 'jwt-secret'}; "
                "mint a token with: educluster token --role ministry"
            )

    async def _prepare(self) -> None:
        created = await ensure_topics(KafkaSettings(bootstrap_servers=self.env[_BOOTSTRAP]))
        say(f"topics ready ({len(created)} created)")
        for service in SERVICES:
            url = self.env.setdefault(
                f"EDUCLUSTER_{service.upper()}_DATABASE_URL",
                f"sqlite+aiosqlite:///{self.data_dir / service}.db",
            )
            await upgrade(service, url)
            if service != "gateway" and self.ports[service] != DEFAULT_PORTS[service]:
                self.env[f"EDUCLUSTER_GATEWAY_{service.upper()}_URL"] = (
                    f"http://{self.host}:{self.ports[service]}"
                )
        say("migrations applied")

    def _start_services(self) -> None:
        for service in SERVICES:
            port = self.ports[service]
            log = (self.data_dir / f"{service}.log").open("ab")
            self.children[service] = subprocess.Popen(
                service_command(service, self.host, port),
                env=self.env,
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
                    url = f"http://{self.host}:{self.ports[service]}/readyz"
                    try:
                        # Ready and connected: locally the broker is ours, so wait for it too
                        # ("degraded" means ready to serve, with events waiting).
                        answer = client.get(url)
                        if answer.status_code == 200 and answer.json()["status"] == "ready":
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
        from shared.devtools.generator import load_demo

        say("loading the demo region through the gateway (progress below; under a minute)")
        report = asyncio.run(load_demo(self.gateway_url, secret=self.env[ENV], say=say))
        if not report.clean:
            say("demo: loaded with errors (above); the platform keeps running")
        if self.identity is not None:
            self._add_demo_users()

    def _add_demo_users(self) -> None:
        """One-click users of the local provider for the demo's first institution and first
        employer (their organization ids exist only once the demo is loaded)."""
        from shared.platform.auth import mint_token
        from shared.platform.auth_settings import AuthSettings

        token = mint_token(AuthSettings(secret=self.env[ENV]), role="ministry", sub="up")
        headers = {"Authorization": f"Bearer {token}"}
        issuer = self.env["EDUCLUSTER_OIDC_ISSUER"]
        for kind, role in (("education", "institution"), ("employer", "employer")):
            found = httpx.get(
                f"{self.gateway_url}/api/v1/organizations",
                params={"kind": kind, "limit": 1},
                headers=headers,
                timeout=10,
            ).json()["items"]
            if found:
                claims = {"role": role, "org": found[0]["id"], "name": found[0]["name"]}
                httpx.put(f"{issuer}/users/{role}-demo", json=claims, timeout=10)
                say(f"sign-in user {role}-demo acts for {found[0]['name']}")

    def _print_summary(self) -> None:
        base = f"http://{self.host}"
        print(
            "\nEduCluster is running:\n"
            f"  gateway (one API)        {base}:{self.ports['gateway']}/  (OpenAPI: /docs)\n"
            + "".join(f"  {s:<24} {base}:{self.ports[s]}/readyz\n" for s in SERVICES)
            + f"  Kafka                    {self.env[_BOOTSTRAP]}\n"
            + (
                f"  sign-in (local provider) {self.env['EDUCLUSTER_OIDC_ISSUER']}\n"
                if self.identity is not None
                else ""
            )
            + (f"  e-mail (local, Maildir)  {self.data_dir / 'mail'}/\n" if self.mail else "")
            + f"  data and logs            {self.data_dir}/\n"
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

    def stop(self) -> None:
        """Stop the services (SIGTERM, then SIGKILL after 15 s) and the bundled broker; Ctrl-C
        and SIGTERM are ignored meanwhile (a second Ctrl-C must not leave orphans), then the
        caller's handlers are back."""
        handlers = {
            sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            self._stop_children()
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    def _stop_children(self) -> None:
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
        for helper in (self.identity, self.mail):
            if helper is not None:
                helper.terminate()
                helper.wait(timeout=15)
        if self.broker is not None:
            self.broker.stop()
        if self.children or self.broker:
            say("stopped")
        self.children, self.broker, self.identity, self.mail = {}, None, None, None


# Longer than any client or proxy keeps an idle connection (ingress-nginx upstreams: 60 s), so
# the gateway never closes one just as the next request is sent on it (uvicorn's default: 5 s).
# The services are called by the gateway only, whose pool drops idle connections after 4 s.
GATEWAY_KEEP_ALIVE_S = 75


def service_command(service: str, host: str, port: int) -> list[str]:
    """How the launcher runs ``service`` (uvicorn, as the images do)."""
    keep_alive = ["--timeout-keep-alive", str(GATEWAY_KEEP_ALIVE_S)] if service == "gateway" else []
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        f"{service}.bootstrap:create_app",
        "--host",
        host,
        "--port",
        str(port),
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "10",
        *keep_alive,
    ]


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def run_up(
    *, host: str, data_dir: str, demo: bool = False, ports: Mapping[str, int] | None = None
) -> int:
    return Launcher(host=host, data_dir=Path(data_dir).resolve(), demo=demo, ports=ports).run()
