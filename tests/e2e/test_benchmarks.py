"""The benchmarks run to the end and account for what they sent (never a time threshold)."""

import json

import pytest

from bench import freshness, ingestion, publication, rebuild, scoring_cost, sqlite_contention
from bench import reads as scorecard_reads

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


def test_the_scoring_cost_benchmark_counts_every_event_in_the_live_figures(tmp_path):
    written = tmp_path / "scoring.json"
    argv = ["--institutions=4", "--small=40", "--large=400", "--large-years=3", "--events=12"]

    figures = scoring_cost.main([*argv, "--batch=5", f"--json={written}"])

    for size in ("small", "large"):
        assert figures[size]["events_counted"] == 12, figures
        assert figures[size]["per_event_ms"] > 0
    assert figures["ratio"] > 0 and figures["peak_rss_mib"] > 0
    assert json.loads(written.read_text()) == figures


def test_the_rebuild_benchmark_counts_every_assessment_of_the_history(tmp_path):
    written = tmp_path / "rebuild.json"

    figures = rebuild.main(["--assessments=60", "--programs=5", f"--json={written}"])

    # A country's history: an institution, its programs, a graduate a submission with their
    # employments (some confirmed later), the submissions and a tenth of them revised.
    kinds = figures["events_by_kind"]
    assert figures["records"] == sum(kinds.values())
    assert kinds["organization.registered.v1"] == 1 and kinds["program.registered.v1"] == 5
    assert kinds["graduate.registered.v1"] == kinds["assessment.submitted.v1"] == 60
    assert kinds["employment.recorded.v1"] > 0 and kinds["assessment.revised.v1"] == 6
    assert figures["events_applied"] == figures["records"] and figures["events_failed"] == 0
    assert figures["batches_one_by_one"] == 0  # every kind of the history is staged
    assert figures["assessments_counted"] == 60
    assert figures["events_per_s"] > 0 and figures["peak_rss_mib"] > 0
    assert json.loads(written.read_text()) == figures


def _has_memory(figures):
    return set(figures["peak_rss_mib"]) == {"registry", "assessment", "quality", "gateway"}


def test_the_ingestion_benchmark_accepts_every_assessment_and_reports_the_lag(tmp_path):
    written = tmp_path / "ingestion.json"
    argv = ["--assessments=40", "--bulk=10", "--ceiling-seconds=0.5", f"--json={written}"]

    figures = ingestion.main(argv)

    assert figures["single"]["accepted"] == figures["bulk"]["accepted"] == 20
    assert figures["single"]["errors"] == figures["bulk"]["errors"] == 0, figures
    assert figures["single"]["statuses"] == {"201": 20} and figures["bulk"]["statuses"] == {
        "201": 2
    }
    assert figures["ceiling"]["rows"] > 0 and figures["single"]["ratio_to_ceiling"] is not None
    assert figures["lag"]["accepted"] == figures["lag"]["reflected_at_end"] == 40
    assert figures["lag"]["caught_up_after_s"] is not None
    assert _has_memory(figures)
    assert json.loads(written.read_text()) == figures


def test_the_freshness_benchmark_sees_every_accepted_assessment_in_the_national_figure(tmp_path):
    written = tmp_path / "freshness.json"

    figures = freshness.main(["--assessments=20", "--rate=10", f"--json={written}"])

    assert figures["accepted"] == 20 and figures["errors"] == 0, figures
    assert figures["measured"] == 20 and figures["not_reflected"] == 0, figures
    assert figures["freshness_p50_ms"] is not None and figures["freshness_p99_ms"] is not None
    assert _has_memory(figures)
    assert json.loads(written.read_text()) == figures


def test_the_reads_benchmark_reads_every_view_without_errors(tmp_path):
    written = tmp_path / "reads.json"
    argv = ["--scale=0.2", "--seconds=1", "--warmup=0.2", "--readers=2", f"--json={written}"]

    figures = scorecard_reads.main(argv)

    assert len(figures["reads"]) == 9  # 3 reads × the ministry, an employer, anonymous
    for read in figures["reads"]:
        assert read["requests"] > 0 and read["errors"] == 0, read
        assert read["p50_ms"] is not None and read["p99_ms"] is not None
    assert _has_memory(figures)
    assert json.loads(written.read_text()) == figures
