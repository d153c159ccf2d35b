"""Who may see, assess and publish what: object-level rules, each raising Forbidden.

The gateway checks roles coarsely per route; these rules decide per object (this employer's
assessment, this cluster's requirement, this institution's program).
"""

from dataclasses import dataclass, field

from assessment.domain.model import Cluster, Organization, Program, Requirement
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden


def acts_for(identity: Identity, employer_id: str) -> None:
    """Only the employer itself submits, revises, withdraws or reads its assessments."""
    if not (identity.is_("employer") and identity.org == employer_id):
        raise Forbidden("only the employer itself may assess its employees or see its assessments")


def may_list_assessments(identity: Identity) -> None:
    """Individual assessments are listed to employers only (and then only their own)."""
    if not identity.is_("employer"):
        raise Forbidden("only employers see individual assessments, and only their own")


def may_see_integrity_checks(identity: Identity) -> None:
    """Integrity flags name employers and programs: they are for the ministry only."""
    if not identity.is_("ministry"):
        raise Forbidden("only the ministry sees integrity checks")


def may_read_frameworks(identity: Identity | None) -> None:
    """Frameworks are public reference data (None: a caller without a token); operators run
    the platform and read none of its content."""
    if identity is not None and identity.is_("operator"):
        raise Forbidden("operators have no access to frameworks")


def may_publish_frameworks(identity: Identity) -> None:
    if not identity.is_("ministry"):
        raise Forbidden("only the ministry publishes competency frameworks")


def speaks_for_employer(identity: Identity, employer_id: str) -> None:
    """An employer's requirements are stated by that employer only."""
    if not (identity.is_("employer") and identity.org == employer_id):
        raise Forbidden("only the employer itself states its requirements")


def coordinates(identity: Identity, cluster: Cluster) -> None:
    """A cluster's requirements are stated by its coordinator organization only."""
    if identity.org is None or identity.org != cluster.coordinator_id:
        raise Forbidden("only the cluster's coordinator states the cluster's requirements")


def sees_every_requirement(identity: Identity) -> bool:
    """True for institutions and authorities (seeing what is asked is what they are for);
    False for an employer, which sees its own and its clusters'; Forbidden for anyone else."""
    if identity.is_("ministry", "regional_authority", "institution"):
        return True
    if identity.is_("employer"):
        return False
    raise Forbidden(f"the {identity.role} role has no access to requirements")


@dataclass(frozen=True)
class RequirementScope:
    """The requirements one caller may see: every one (``employer_id`` None), or an employer's
    own and those of the clusters it coordinates."""

    employer_id: str | None = None
    cluster_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def everything(self) -> bool:
        return self.employer_id is None

    def covers(self, requirement: Requirement) -> bool:
        return (
            self.everything
            or requirement.employer_id == self.employer_id
            or requirement.cluster_id in self.cluster_ids
        )


def may_see_requirement(scope: RequirementScope, requirement: Requirement) -> None:
    if not scope.covers(requirement):
        raise Forbidden("this requirement is another employer's")


def may_see_program_summary(
    identity: Identity, program: Program, institution: Organization | None
) -> None:
    """A program's summary is for its institution, the authority of the institution's region
    and the ministry."""
    if identity.is_("ministry"):
        return
    if identity.is_("institution") and identity.org == program.institution_id:
        return
    if (
        identity.is_("regional_authority")
        and institution is not None
        and institution.region_code == identity.region
    ):
        return
    raise Forbidden("an institution sees the assessments of its own programs only")


def may_ask_for_reminders(identity: Identity) -> tuple[str, str]:
    """An employer's reminders (of pending assessments) and an institution's (of claims
    awaiting its confirmation) are its own; returns (role, organization id)."""
    if not (identity.is_("employer", "institution") and identity.org):
        raise Forbidden("only an employer or an institution asks for reminders, each its own")
    return identity.role, identity.org
