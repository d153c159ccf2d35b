"""Occupations (ISCO-08) against fields of study (ISCED-F 2013): graduate level and in field.

Graduate-level work is ISCO-08 major groups 1–3 (managers, professionals, technicians and
associate professionals), the skill levels 3–4 that ISCO defines as needing tertiary education.

In field is the platform's declared crosswalk: for each ISCED-F broad field (the first two
digits of a program's field code), the ISCO-08 groups whose work uses that field's knowledge,
named by code prefix (a sub-major, minor or unit group), from the ILO's descriptions of the
groups and UNESCO's of the fields. An occupation matches a program when its code starts with
one of the prefixes of the program's broad field; the generic field 00 matches nothing.
docs/methodology.md prints this table, and a test keeps the two the same.
"""

from collections.abc import Mapping
from types import MappingProxyType

GRADUATE_LEVEL_MAJOR_GROUPS = frozenset({"1", "2", "3"})

FIELD_OCCUPATIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "00": (),
        # Education: teaching professionals, education managers, child care and teachers' aides.
        "01": ("23", "1345", "5311", "5312"),
        # Arts and humanities: designers, archivists and curators, writers, translators,
        # religious professionals, creative and performing artists, artistic associates, crafts.
        "02": ("2163", "2166", "2621", "2636", "264", "265", "343", "731"),
        # Social sciences, journalism and information: librarians, social scientists,
        # psychologists, journalists, public relations.
        "03": ("2432", "262", "263", "2642"),
        # Business, administration and law: executives, administrative and commercial managers,
        # business and legal professionals and associates, office clerks.
        "04": ("11", "12", "24", "261", "33", "3411", "41", "43"),
        # Natural sciences, mathematics and statistics.
        "05": ("211", "212", "213", "311", "314"),
        # Information and communication technologies.
        "06": ("133", "2153", "25", "35"),
        # Engineering, manufacturing and construction: production managers, engineers,
        # architects, technicians, trades and operators.
        "07": ("132", "214", "215", "216", "31", "7", "8"),
        # Agriculture, forestry, fisheries and veterinary.
        "08": ("1311", "1312", "2132", "2250", "314", "3240", "6"),
        # Health and welfare: health professionals and associates, health and social services
        # managers, psychologists, social workers, personal care.
        "09": ("1342", "1343", "1344", "22", "2634", "2635", "32", "3412", "53"),
        # Services: hospitality and retail managers, transport controllers, sports and
        # fitness, chefs, personal and protective services, drivers.
        "10": ("14", "315", "342", "3434", "51", "54", "83"),
    }
)


def is_graduate_level(isco_code: str) -> bool:
    """True for ISCO-08 major groups 1–3."""
    return isco_code[:1] in GRADUATE_LEVEL_MAJOR_GROUPS


def is_in_field(isco_code: str, field_code: str) -> bool:
    """True when the occupation is one the crosswalk lists for the program's broad field."""
    return isco_code.startswith(FIELD_OCCUPATIONS.get(field_code[:2], ()))
