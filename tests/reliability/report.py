"""docs/reliability.md from what `make reliability` recorded: each run's figures (JSON, written
by tests/reliability/harness.record) and pytest's JUnit XML.

    python -m tests.reliability.report FIGURES_DIR docs/reliability.md
"""

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path
from typing import Any

from bench.country import table

METHOD = """\
How each fault is injected (tests/reliability/harness.py, `Faults`), while clients submit one
assessment per request through the gateway, each with its own `Idempotency-Key`, retrying a
transport error, 502, 503, 504 or a 409 with `Retry-After` with the same key (any other answer
is *unexpected* and not retried). The whole platform runs as `educluster up` runs it
(`bench.country.running`: bundled Tansu broker, four uvicorn processes, 127.0.0.1 only), seeded
through the APIs with one institution, program and employer and a graduate per two assessments
(`bench.assessment_world.seed`, which also submits one assessment per graduate for their cohort).
Fault moments are drawn from `random.Random(f"{seed}-{fault}")`.

- **quality killed twice**: SIGKILL, restart (migrations, then the launcher's own command and
  environment), wait until `/readyz` says `ready` (its consumers joined), then the second kill at
  the later of its drawn moment and that.
- **relay killed between publish and mark-sent**: no failpoint in shipped code. The test holds
  the assessment SQLite database's write lock (`BEGIN IMMEDIATE`), so the relay — which reads
  unsent rows in a WAL snapshot and publishes them — cannot mark them sent; as soon as an event
  id that is unsent in the outbox is read back from the topic, the assessment service gets
  SIGKILL, the lock is released and the service restarted. `caught` is how many such events it
  left; each must be on the topic at least twice afterwards (published again) and counted once.
- **broker restarted empty**: the bundled broker stopped for 10 s and started on its port with
  memory storage (empty: topics, records and offsets gone).
- **quality restored to an earlier point**: the quality database backed up while the stream
  flows (SQLite's online backup, or `pg_dump`), then the service SIGKILLed, the copy put back
  (`pg_restore --clean --single-transaction`) and the service started; then
  `educluster outbox republish` for the registry and the assessment service, as docs/deploy.md
  tells an operator to do after restoring a consumer's database.
- **database refuses connections** (PostgreSQL, a database per service): `ALTER DATABASE …
  ALLOW_CONNECTIONS false` and `pg_terminate_backend` of its sessions, 10 s, then allowed again.

Afterwards (polled, with a deadline) every service must be `ready`, the assessment outbox empty,
and the active assessments in the assessment database must match the quality service's cell
tallies graduate by graduate, cell by cell, with equal sums of overall, preparedness and
competency ratings — and go on matching for 3 s. **lost**: told 2xx but not stored, or stored
and not counted; **duplicated**: counted more often than stored, or two ids for one key;
**unexpected**: counted but not stored, stored though no client was told, an answer not retried,
or an assessment given up. Dead letters: records on each dead-letter topic after the run plus
"event dead-lettered" lines in the services' logs (which outlive a broker restarted empty).
"""


def _outcomes(junit: Path) -> dict[str, str]:
    """pytest's outcome of each test: passed, failed, xfailed, xpassed or skipped."""
    if not junit.exists():
        return {}
    found = {}
    for case in ElementTree.parse(junit).iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            found[name] = "failed"
        elif skipped is not None:
            kind = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
            found[name] = f"{kind}: {skipped.get('message', '')}"
        else:
            found[name] = "passed"
    return found


def _statuses(statuses: dict[str, int], *, keep: str) -> str:
    picked = {s: n for s, n in statuses.items() if s.startswith(keep)}
    return ", ".join(f"{n:,} × {s}" for s, n in picked.items()) or "0"


def _fault_rows(runs: dict[str, dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for name, f in runs.items():
        database = f["machine"].rsplit(", ", 1)[-1].split(" (")[0]
        others = {s: n for s, n in f["statuses"].items() if not s.startswith(("2", "5"))}
        rows.append(
            [
                name.removeprefix("fault-"),
                database,
                f["sent"],
                f["requests"],
                f["accepted"],
                _statuses(f["statuses"], keep="5"),
                ", ".join(f"{n:,} × {s}" for s, n in others.items()) or "0",
                f["lost"],
                f["duplicated"],
                f["unexpected"],
                f["sum_mismatches"],
                f["settled_after_s"],
                sum(f["dead_letters"].values()),
                "all ready" if set(f["readyz"].values()) == {"200 ready"} else str(f["readyz"]),
            ]
        )
    return rows


def _load_rows(runs: dict[str, dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for name, f in runs.items():
        r, w = f["reads"], f["writes"]
        rows.append(
            [
                name.removeprefix("load-"),
                f["clients"],
                f["seconds"],
                r["requests"],
                r["p50_ms"],
                r["p99_ms"],
                _statuses(r["statuses"], keep="5"),
                w["requests"],
                w["accepted"],
                w["p50_ms"],
                w["p99_ms"],
                _statuses(w["statuses"], keep="5"),
                f"{w['lost']} / {w['duplicated']} / {w['unexpected']}",
            ]
        )
    return rows


def _samples(runs: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for name, f in runs.items():
        for part in (f, f.get("reads", {}), f.get("writes", {})):
            for status, sample in part.get("error_samples", {}).items():
                lines.append(f"- {name}, first {status}: `{sample[:240]}`")
    return lines


def render(folder: Path) -> str:
    runs = {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}
    faults = {n: f for n, f in runs.items() if n.startswith("fault-")}
    loads = {n: f for n, f in runs.items() if n.startswith("load-")}
    outcomes = _outcomes(folder / "junit.xml")
    any_run: dict[str, Any] = next(iter(runs.values()), {})
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    machine = any_run.get("machine", "unknown").rsplit(", ", 1)[0]
    lines = [
        "# Reliability: delivery under faults and load",
        "",
        f"Generated by `make reliability` on {date.today().isoformat()}, commit {commit}; "
        f"machine: {machine} (shared with other work). Seed {any_run.get('seed')}.",
        "",
        "## Faults",
        "",
        table(
            [
                "fault",
                "database",
                "assessments",
                "requests",
                "2xx",
                "5xx answers (retried)",
                "other non-2xx",
                "lost",
                "duplicated",
                "unexpected",
                "sum mismatches",
                "settled after s",
                "dead letters",
                "/readyz",
            ],
            _fault_rows(faults),
        ),
        "",
    ]
    for name, f in faults.items():
        lines.append(
            f"`{name.removeprefix('fault-')}`: " + "; ".join(s.strip() for s in f["injected"])
        )
        if "caught_unmarked" in f:
            lines.append(
                f"(published and not marked sent when killed: {f['caught_unmarked']}; "
                f"on the topic again afterwards: {f['caught_published_again']})"
            )
        lines.append("")
    lines += [
        "## Load",
        "",
        "50 clients through the gateway, each "
        "request a write (an assessment with its Idempotency-Key) one time in five, otherwise "
        "one of four reads (the ministry's live national figure, the organization ranking, "
        "organizations; the employer's assessments). Latencies are reported, not asserted.",
        "",
        table(
            [
                "database",
                "clients",
                "s",
                "reads",
                "read p50 ms",
                "read p99 ms",
                "read 5xx",
                "write requests",
                "writes accepted",
                "write p50 ms",
                "write p99 ms",
                "write 5xx",
                "lost / duplicated / unexpected",
            ],
            _load_rows(loads),
        ),
        "",
        "## Test outcomes",
        "",
        "Hostile input (tests/reliability/test_hostile_input.py) and malformed events "
        "(test_malformed_events.py) run at the same time, with the database-refusal "
        "regression test (test_database_refusal.py):",
        "",
        table(["test", "outcome"], [[n, o] for n, o in outcomes.items()]),
        "",
        "## First error of each kind",
        "",
        *(_samples(runs) or ["none"]),
        "",
        "## Method",
        "",
        METHOD,
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    folder, target = Path(argv[0]), Path(argv[1])
    target.write_text(render(folder))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
