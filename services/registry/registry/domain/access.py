"""Object-level access rules of the registry (the gateway already refused what is out of role).

ministry: everything. regional_authority: organizations and clusters of its own region.
institution: its own organization, programs and graduates. employer: its own organization and
the employments it records. operator: no registry data.
"""

from shared.platform.auth import Identity, forbidden


def require(condition: bool, detail: str) -> None:
    if not condition:
        raise forbidden(detail)


def can_read_registry(identity: Identity) -> None:
    require(identity.role != "operator", "operators have no access to registry data")


def can_manage_in_region(identity: Identity, region_code: str, what: str) -> None:
    require(
        identity.is_("ministry")
        or (identity.is_("regional_authority") and identity.region == region_code),
        f"only the ministry or region {region_code}'s authority may manage {what}",
    )


def can_edit_organization(identity: Identity, *, organization_id: str, region_code: str) -> None:
    if identity.is_("institution", "employer") and identity.org == organization_id:
        return
    can_manage_in_region(identity, region_code, "this organization")


def acts_for_institution(identity: Identity, institution_id: str) -> None:
    require(
        identity.is_("ministry")
        or (identity.is_("institution") and identity.org == institution_id),
        "an institution manages only its own programs and graduates",
    )


def acts_for_employer(identity: Identity, employer_id: str) -> None:
    require(
        identity.is_("ministry") or (identity.is_("employer") and identity.org == employer_id),
        "an employer records employments only for itself",
    )
