"""The benchmarks run to the end and account for what they sent (never a time threshold)."""

import json

import pytest

from bench import publication, sqlite_contention

pytestmark = pytest.mark.slow

TINY = {"graduates": 20, "readers": 2, "writers": 1, "bulk": 10, "seconds": 1, "warmup": 0.2}


def test_sqlite_contention_benchmark_accepts_every_item_once_and_reports_its_figures(tmp_path):
    written = tmp_path / "figures.json"
    argv = [f"--{name}={value}" for name, value in TINY.items()] + [f"--json={written}"]

    figures = sqlite_contention.main(argv)

    writes = figures["writes"]
    items = TINY["graduates"] * len(sqlite_contention.PERIODS)
    assert writes["items"] == items
    assert writes["answers"]["201"] * TINY["bulk"] == items, writes
    assert writes["accepted_items"] == writes["stored"] == items, writes
    assert writes["unresolved"] == 0, writes
    assert writes["answers"]["other"] == 0, writes
    for reads in (figures["reads_alone"], figures["reads_during_writes"]):
        assert reads["requests"] > 0
        assert reads["p50_ms"] is not None and reads["p99_ms"] is not None
    assert writes["bulk_p50_ms"] is not None and writes["bulk_p99_ms"] is not None
    assert figures["read_p99_ratio"] is not None
    assert json.loads(written.read_text()) == figures


def test_the_publication_benchmark_publishes_every_year_protected_and_reports_its_figures(
    tmp_path,
):
    written = tmp_path / "publication.json"
    argv = ["--institutions=6", "--programs=2", "--assessments=150", "--years=2"]

    figures = publication.main([*argv, f"--json={written}"])

    assert figures["publications"] == 2  # one per year with a batch to release
    assert figures["released_cells"] > 0 and figures["figures"] > 0
    assert figures["unprotected"] == 0
    assert figures["round_s"] >= 0 and figures["peak_rss_mib"] > 0
    assert json.loads(written.read_text()) == figures
