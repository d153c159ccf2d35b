"""Registry rules that need no database: what may be combined with what."""

from datetime import date

from shared.contracts import reference
from shared.platform.errors import RuleViolation

ORGANIZATION_KINDS = ("education", "employer", "research", "private", "government")
MEMBER_ROLES = ("coordinator", "education", "employer", "research", "private_partner")
CLUSTER_STATUSES = ("active", "suspended", "closed")
# Which kind of organization may take which cluster role (the coordinator may be any kind).
ROLE_KINDS = {
    "education": "education",
    "employer": "employer",
    "research": "research",
    "private_partner": "private",
}


def allowed_subtypes(kind: str) -> tuple[str, ...]:
    if kind == "employer":
        return tuple(reference.isic_rev4_sections())
    return {
        "education": reference.education_subtypes(),
        "research": reference.research_subtypes(),
        "private": reference.private_subtypes(),
        "government": reference.government_subtypes(),
    }[kind]


def check_subtype(kind: str, subtype: str) -> None:
    allowed = allowed_subtypes(kind)
    if subtype not in allowed:
        hint = "an ISIC Rev.4 section letter" if kind == "employer" else ", ".join(allowed)
        raise RuleViolation("subtype", f"a {kind} organization's subtype must be {hint}")


def check_tax_id(tax_id: str) -> None:
    if not reference.valid_uz_tax_id(tax_id):
        raise RuleViolation("tax_id", "a taxpayer id (STIR) is 9 digits, starting with 2-7")


def check_member_role(role: str, organization_kind: str) -> None:
    needed = ROLE_KINDS.get(role)
    if needed is not None and organization_kind != needed:
        raise RuleViolation(
            "role", f"the {role} role is for {needed} organizations, not {organization_kind}"
        )


def check_sectors(sectors: list[str]) -> None:
    sections = reference.isic_rev4_sections()
    unknown = [s for s in sectors if s not in sections]
    if unknown:
        raise RuleViolation("sectors", f"not ISIC Rev.4 sections: {', '.join(unknown)}")


def check_program_classification(*, level: str | None, field_code: str | None) -> None:
    if level is not None and level not in reference.isced_2011_levels():
        raise RuleViolation("level", "level must be an ISCED 2011 level (0-8)")
    if field_code is not None and field_code not in reference.isced_f_detailed_fields():
        raise RuleViolation("field_code", "field_code must be an ISCED-F 2013 detailed field")


def check_isco(code: str) -> None:
    if code not in reference.isco08_unit_groups():
        raise RuleViolation("isco_code", "isco_code must be an ISCO-08 unit group (4 digits)")


def periods_overlap(start_a: date, end_a: date | None, start_b: date, end_b: date | None) -> bool:
    """Closed date ranges; an open end runs forever."""
    return start_a <= (end_b or date.max) and start_b <= (end_a or date.max)
