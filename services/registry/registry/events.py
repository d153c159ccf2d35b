"""Registry rows → integration events (one mapping per event; ids and codes, no people's names)."""

from typing import Any

from shared.contracts.catalogue import registry as ev


def region_upserted(row: dict[str, Any]) -> ev.RegionUpserted:
    return ev.RegionUpserted(
        code=row["code"],
        country=row["country"],
        name_uz=row["name_uz"],
        name_ru=row["name_ru"],
        name_en=row["name_en"],
    )


def organization(row: dict[str, Any], *, created: bool) -> ev.RegistryEvent:
    cls = ev.OrganizationRegistered if created else ev.OrganizationUpdated
    return cls(
        organization_id=row["id"],
        kind=row["kind"],
        subtype=row["subtype"],
        name=row["name"],
        region_code=row["region_code"],
        tax_id=row["tax_id"],
        active=row["active"],
    )


def cluster(row: dict[str, Any], *, created: bool) -> ev.RegistryEvent:
    cls = ev.ClusterCreated if created else ev.ClusterUpdated
    return cls(
        cluster_id=row["id"],
        name=row["name"],
        region_code=row["region_code"],
        sectors=list(row["sectors"]),
        coordinator_id=row["coordinator_id"],
        status=row["status"],
    )


def member_joined(row: dict[str, Any]) -> ev.ClusterMemberJoined:
    return ev.ClusterMemberJoined(
        cluster_id=row["cluster_id"],
        organization_id=row["organization_id"],
        role=row["role"],
        joined_on=row["joined_on"],
    )


def member_left(row: dict[str, Any]) -> ev.ClusterMemberLeft:
    return ev.ClusterMemberLeft(
        cluster_id=row["cluster_id"],
        organization_id=row["organization_id"],
        role=row["role"],
        joined_on=row["joined_on"],
        left_on=row["left_on"],
    )


def program(row: dict[str, Any], *, created: bool) -> ev.RegistryEvent:
    cls = ev.ProgramRegistered if created else ev.ProgramUpdated
    return cls(
        program_id=row["id"],
        institution_id=row["institution_id"],
        code=row["code"],
        name=row["name"],
        level=row["level"],
        field_code=row["field_code"],
        language=row["language"],
        active=row["active"],
    )


def graduate(row: dict[str, Any], *, created: bool) -> ev.RegistryEvent:
    cls = ev.GraduateRegistered if created else ev.GraduateUpdated
    return cls(
        graduate_id=row["id"],
        institution_id=row["institution_id"],
        program_id=row["program_id"],
        graduation_year=row["graduation_year"],
        active=row["active"],
    )


def employment(
    row: dict[str, Any], graduate_row: dict[str, Any], *, ended: bool
) -> ev.RegistryEvent:
    cls = ev.EmploymentEnded if ended else ev.EmploymentRecorded
    return cls(
        employment_id=row["id"],
        graduate_id=row["graduate_id"],
        institution_id=graduate_row["institution_id"],
        program_id=graduate_row["program_id"],
        employer_id=row["employer_id"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        isco_code=row["isco_code"],
        in_field=row["in_field"],
    )
