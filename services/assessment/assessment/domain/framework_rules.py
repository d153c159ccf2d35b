"""Rules of a competency framework's content: unique codes, and which codes a rating may use."""

from collections.abc import Iterable
from typing import Any

from shared.platform.errors import RuleViolation

Path = tuple[str | int, ...]


def competency_codes(content: dict[str, Any]) -> set[str]:
    """The codes of every competency of the framework ``content``."""
    return {c["code"] for d in content["domains"] for c in d["competencies"]}


def check_codes_unique(content: dict[str, Any]) -> None:
    """Domain and competency codes are unique within a framework (ratings are keyed by them)."""
    seen: set[str] = set()
    for i, domain in enumerate(content["domains"]):
        _unique(domain["code"], seen, ("domains", i, "code"))
        for j, competency in enumerate(domain["competencies"]):
            _unique(competency["code"], seen, ("domains", i, "competencies", j, "code"))


def _unique(code: str, seen: set[str], path: Path) -> None:
    if code in seen:
        raise RuleViolation(path, f"code {code!r} is used twice in this framework")
    seen.add(code)


def check_known_codes(codes: Iterable[str], content: dict[str, Any], *, path: Path) -> None:
    """Every code must be a competency of the framework ``content``."""
    known = competency_codes(content)
    name = f"{content['code']} version {content['version']}"
    for code in codes:
        if code not in known:
            raise RuleViolation((*path, code), f"{code!r} is not a competency of {name}")
