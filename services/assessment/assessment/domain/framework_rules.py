"""Rules of a competency framework's content: unique codes, and which codes a rating may use."""

from collections.abc import Iterable, Mapping, Sequence
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


def _name(content: dict[str, Any]) -> str:
    return f"{content['code']} version {content['version']}"


def check_known_codes(codes: Iterable[str], content: dict[str, Any], *, path: Path) -> None:
    """Every code must be a competency of the framework ``content``."""
    known = competency_codes(content)
    for code in codes:
        if code not in known:
            raise RuleViolation((*path, code), f"{code!r} is not a competency of {_name(content)}")


def check_not_required(
    codes: Sequence[str],
    ratings: Mapping[str, int | None],
    content: dict[str, Any],
    *,
    path: Path,
) -> None:
    """Each code marked "not required" must be a competency of the framework ``content`` rated
    null in ``ratings``: it says why there is no rating, it is never one. Refusals name the
    code's position in the list."""
    known = competency_codes(content)
    for index, code in enumerate(codes):
        if code not in known:
            raise RuleViolation((*path, index), f"{code!r} is not a competency of {_name(content)}")
        if code not in ratings or ratings[code] is not None:
            raise RuleViolation(
                (*path, index), f"{code!r} may be marked not required only with a null rating"
            )
