"""A publication's graduate flows leave it the ways its other figures do: in its open-data
download (for the readers who may read them) and in the ministry's disclosure audit report.
Through the real services (registry, assessment, quality, the broker; SQLite and PostgreSQL)."""

import csv
import io

import frictionless
from quality.domain.scorecard import SECONDARY_REASON

from tests.integration.quality.conftest import publish_interim
from tests.integration.quality.test_graduate_flows import COHORT, employed
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_organization,
    create_program,
    headers,
)
from tests.integration.registry.test_cluster_activities import a_cluster
from tests.support import eventually

AUTHORITY = headers("regional_authority", region="UZ-SA")
FLOW_ROWS = (
    "flow_member_employers",
    "flow_focus_sectors",
    "flow_other_in_region",
    "flow_elsewhere",
)


async def a_released_cohort(registry, quality):
    """test_graduate_flows' region less its cluster: the cluster's ten graduates at software
    firms of the region, a school's one at another; the cluster renamed to a formula. The
    ministry publishes the census year; the cluster and the publication's number."""
    cluster = await a_cluster(registry)
    firms = [
        await create_organization(registry, kind="employer", subtype="J", tax_id=f"30400000{e}")
        for e in range(5)
    ]
    for g in range(10):
        await employed(registry, cluster.institution, cluster.program, firms[g % 5], f"F-{g}")
    school = await create_organization(registry, tax_id="201000078")
    program = await create_program(registry, school, code="60610178")
    await employed(registry, school, program, cluster.outsider, "B-1")
    renamed = await registry.patch(
        f"/api/v1/clusters/{cluster.id}", headers=MINISTRY, json={"name": "=Samarkand IT"}
    )
    assert renamed.status_code == 200, renamed.text

    async def seen() -> tuple:
        region = await quality.get(
            f"/api/v1/quality/regions/UZ-SA/flows?cohort={COHORT}", headers=MINISTRY
        )
        names = (await quality.get("/api/v1/quality/names", headers=MINISTRY)).json()
        return (
            region.json().get("n") if region.status_code == 200 else None,
            [c["name"] for c in names["clusters"]],
        )

    await eventually(
        seen, until=lambda s: s == (11, ["=Samarkand IT"]), what="the employed and the name"
    )
    made = await publish_interim(quality, COHORT + 1)
    return cluster, made["number"]


async def flow_rows(quality, number: int, auth: dict) -> list[dict]:
    data = await quality.get(f"/api/v1/quality/publications/{number}/data.csv", headers=auth)
    assert data.status_code == 200, data.text
    return [r for r in csv.DictReader(io.StringIO(data.text)) if r["indicator"] in FLOW_ROWS]


async def test_a_publications_flows_are_in_its_open_data_for_those_who_may_read_them(
    services, tmp_path
):
    registry, _, quality = services
    cluster, number = await a_released_cohort(registry, quality)
    base = f"/api/v1/quality/publications/{number}"

    rows = await flow_rows(quality, number, AUTHORITY)
    by_key = {(r["scope"], r["scope_id"], r["indicator"]): r for r in rows}
    assert len(rows) == len(by_key) == 8  # the region's four flows and its cluster's
    for scope, path in (("region", "regions/UZ-SA"), ("cluster", f"clusters/{cluster.id}")):
        read = await quality.get(f"/api/v1/quality/{path}/flows?cohort={COHORT}", headers=AUTHORITY)
        assert read.json()["publication"]["number"] == number
        for flow in read.json()["flows"]:
            row = by_key[(scope, read.json()["scope_id"], f"flow_{flow['flow']}")]
            as_stated = {
                "value": "" if flow["value"] is None else str(flow["value"]),
                "ci_low": "" if flow["ci_low"] is None else str(flow["ci_low"]),
                "ci_high": "" if flow["ci_high"] is None else str(flow["ci_high"]),
                "n": str(flow["n"]),
                "suppressed": str(flow["suppressed"]).lower(),
                "reason": flow["reason"] or "",
            }
            assert {k: row[k] for k in as_stated} == as_stated
            assert (row["period"], row["pooled"], row["publication"]) == (
                str(COHORT + 1),
                "false",
                str(number),
            )
    # The region's focus flow less the cluster's would place the school's graduate: hidden,
    # and its n stated as for every figure.
    focus = by_key[("region", "UZ-SA", "flow_focus_sectors")]
    assert (focus["value"], focus["n"], focus["reason"]) == ("", "11", SECONDARY_REASON)
    # A spreadsheet takes no name of the download for a formula.
    assert by_key[("cluster", cluster.id, "flow_elsewhere")]["name"] == "'=Samarkand IT"
    assert by_key[("region", "UZ-SA", "flow_elsewhere")]["name_en"] == "Samarkand Region"

    # As the flows' reads: a cluster's member reads its cluster's, an outsider and another
    # region's authority none.
    member = await flow_rows(quality, number, as_institution(cluster.institution))
    assert {(r["scope"], r["scope_id"]) for r in member} == {("cluster", cluster.id)}
    outsider = headers("employer", org=cluster.outsider["id"])
    assert await flow_rows(quality, number, outsider) == []
    other = headers("regional_authority", region="UZ-TO")
    assert await flow_rows(quality, number, other) == []
    assert len(await flow_rows(quality, number, MINISTRY)) == 8

    as_json = (await quality.get(f"{base}/data.json", headers=AUTHORITY)).json()
    assert sum(1 for r in as_json["rows"] if r["indicator"] in FLOW_ROWS) == 8
    package = await quality.get(f"{base}/datapackage.json", headers=AUTHORITY)
    data = await quality.get(f"{base}/data.csv", headers=AUTHORITY)
    (tmp_path / "datapackage.json").write_text(package.text)
    (tmp_path / "data.csv").write_text(data.text)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


async def test_the_audit_report_shows_how_the_publications_flows_were_checked(services):
    registry, _, quality = services
    cluster, number = await a_released_cohort(registry, quality)

    audit = await quality.get(f"/api/v1/quality/publications/{number}/audit", headers=MINISTRY)
    assert audit.status_code == 200, audit.text
    flows = audit.json()["flows"]
    assert (flows["cohort"], flows["released_in"]) == (COHORT, number)
    assert flows["checked"] > 0 and flows["unprotected"] == 0 and flows["protected"] is True
    cells = {(c["scope"], c["scope_id"], c["flow"]): c for c in flows["cells"]}
    assert len(cells) == len(flows["cells"]) == 8
    assert cells[("region", "UZ-SA", "focus_sectors")] == {
        "scope": "region",
        "scope_id": "UZ-SA",
        "flow": "focus_sectors",
        "n": 11,
        "suppressed": True,
        "reason": SECONDARY_REASON,
    }
    assert cells[("cluster", cluster.id, "focus_sectors")]["suppressed"] is False
    assert flows["suppressed_flows"] == sum(c["suppressed"] for c in cells.values())
    assert audit.json()["protected"] is True
