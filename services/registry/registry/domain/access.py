"""Object-level access rules of the registry (the gateway already refused what is out of role).

ministry: everything. regional_authority: organizations and clusters of its own region.
institution: its own organization, programs and graduates. employer: its own organization, the
employments it records, and the graduates it employs under a confirmed or verified employment
(current, or ended within the assessment window). operator: no registry data. Which fields of a
graduate each role reads is ``GRADUATE_FIELDS`` (docs/registry.md has the matrix). A cluster's
activities: its coordinator and the members involved record them; its goals: the coordinator
sets them; the ministry, the region's authority and the cluster's members read both.

Pure: a refusal is the framework-free ``Forbidden`` (the web edge answers it with a 403).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Literal

from registry.domain.model import Organization
from shared.platform.auth import Identity, forbidden


def require(condition: bool, detail: str) -> None:
    if not condition:
        raise forbidden(detail)


def can_read_registry(identity: Identity) -> None:
    require(identity.role != "operator", "operators have no access to registry data")


def can_manage_regions(identity: Identity) -> None:
    require(identity.is_("ministry"), "only the ministry manages regions")


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


def can_import_register(identity: Identity) -> None:
    """Register extracts (national personal data) come from the ministry or its operators."""
    require(identity.is_("ministry", "operator"), "only the ministry or an operator imports")


def acts_for_employer(identity: Identity, employer_id: str) -> None:
    require(
        identity.is_("ministry") or (identity.is_("employer") and identity.org == employer_id),
        "an employer records employments only for itself",
    )


def can_look_up_graduates(identity: Identity) -> None:
    """An employer finds the graduate it employs by the person's national identifier; nobody
    else does (the others list the graduates they may read)."""
    require(identity.is_("employer"), "only an employer looks up graduates by national identifier")


def _acts_for(identity: Identity, organizations: Collection[str]) -> bool:
    return identity.is_("institution", "employer") and identity.org in organizations


def can_record_activity(
    identity: Identity, *, coordinator_id: str, member_ids: Collection[str]
) -> None:
    """The cluster's coordinator and the members involved record and change an activity."""
    require(
        _acts_for(identity, {coordinator_id, *member_ids}),
        "only the cluster's coordinator and the members involved record its activities",
    )


def can_set_goals(identity: Identity, *, coordinator_id: str) -> None:
    require(
        _acts_for(identity, {coordinator_id}),
        "only the cluster's coordinator sets its strategy goals",
    )


def can_read_cluster_work(identity: Identity, *, region_code: str, is_member: bool) -> None:
    """A cluster's activities and goals: the ministry, the region's authority and the
    cluster's members (``is_member``: the caller's organization is one) read them."""
    can_read_registry(identity)
    require(
        identity.is_("ministry")
        or (identity.is_("regional_authority") and identity.region == region_code)
        or (identity.is_("institution", "employer") and is_member),
        "only the ministry, the region's authority and the cluster's members read its work",
    )


@dataclass(frozen=True)
class ReadScope:
    """Which people data (graduates, employments) a reader sees.

    ``everything``; or what belongs to one ``institution`` (its graduates and their
    employments), to the institutions of one ``region``, or to one ``employer`` (the graduates
    it employs and the employments it recorded). ``key`` is that institution, region or
    employer; what "belongs" means for each kind of row is the repository's to say.
    """

    by: Literal["everything", "institution", "region", "employer"]
    key: str = ""
    # An employer's graduates: those under a counting employment that ends on or after this.
    since: date = date.min

    @property
    def everything(self) -> bool:
        return self.by == "everything"


def read_scope(identity: Identity, what: str, *, since: date = date.min) -> ReadScope:
    """The part of ``what`` (graduates, employments) ``identity`` may read; Forbidden if none.
    ``since``: the earliest end of an employment that still shows an employer its graduate."""
    can_read_registry(identity)
    if identity.is_("ministry"):
        return ReadScope("everything")
    if identity.is_("institution"):
        return ReadScope("institution", identity.org or "")
    if identity.is_("regional_authority"):
        return ReadScope("region", identity.region or "")
    if identity.is_("employer"):
        return ReadScope("employer", identity.org or "", since)
    raise forbidden(f"the {identity.role} role has no access to {what}")


_GRADUATE_BASICS = frozenset({"id", "institution_id", "program_id", "graduation_year", "active"})
_RECORD_TIMES = frozenset({"created_at", "updated_at"})
# What of a graduate each role reads: the institution everything of its own; an employer the
# least that identifies its employee (never the student reference, nor what the institution
# learnt in a follow-up); a region the structure it oversees, no person; the ministry
# everything, as it registers and corrects any graduate and matches register imports by the
# reference.
_FOLLOW_UP = frozenset({"follow_up_outcome", "follow_up_on"})
_EVERYTHING = _GRADUATE_BASICS | _RECORD_TIMES | _FOLLOW_UP | {"full_name", "student_ref"}
GRADUATE_FIELDS: dict[str, frozenset[str]] = {
    "institution": _EVERYTHING,
    "employer": _GRADUATE_BASICS | {"full_name"},
    "regional_authority": _GRADUATE_BASICS | _RECORD_TIMES,
    "ministry": _EVERYTHING,
}


def graduate_fields(identity: Identity) -> frozenset[str]:
    """The fields of a graduate ``identity`` reads (the others are withheld)."""
    return GRADUATE_FIELDS.get(identity.role, frozenset())


_CONTACT = frozenset({"contact_email", "contact_phone"})


def organization_withheld(
    identity: Identity, organization: Organization, *, coordinates_it: bool
) -> frozenset[str]:
    """The fields of ``organization`` ``identity`` may not read (docs/registry.md's matrix).

    Its contact and taxpayer id are for the ministry, the organization itself and its region's
    authority; the coordinator of a cluster it is a member of (``coordinates_it``) reads the
    contact. Anyone else reads who it is and where, not how to reach it nor its taxpayer id.
    """
    if (
        identity.is_("ministry")
        or (identity.org is not None and identity.org == organization.id)
        or (identity.is_("regional_authority") and identity.region == organization.region_code)
    ):
        return frozenset()
    if coordinates_it:
        return frozenset({"tax_id"})
    return _CONTACT | {"tax_id"}
