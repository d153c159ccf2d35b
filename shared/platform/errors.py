"""The errors domain rules and use cases raise: plain Python, no web framework.

Only the web edge (shared/platform/web/problems.py) turns them into RFC 9457 problems:
``NotFound`` → 404, ``Forbidden`` → 403, ``Unauthenticated`` → 401, ``Conflict`` → 409,
``NotKnownYet`` → 409 with Retry-After, ``RuleViolation`` → 422, ``InvalidQuery`` → 400,
``Refused`` → 422 (or 409 with Retry-After when every refusal may pass later), ``Unavailable``
→ 503 with Retry-After (busy or out of time; nothing was saved).
"""

from collections.abc import Sequence

Loc = tuple[str | int, ...]


class DomainError(Exception):
    """A well-formed request the platform refuses. ``loc`` names the culprit, when there is one:
    ``("body", "tax_id")``, ``("body", "items", 3, "graduate_id")``, ``("query", "cursor")``."""

    def __init__(self, message: str, *, loc: Loc | None = None) -> None:
        super().__init__(message)
        self.loc: list[str | int] | None = list(loc) if loc is not None else None

    @property
    def message(self) -> str:
        return str(self)

    def error(self) -> dict[str, object]:
        """This refusal as one entry of a problem's ``errors`` list."""
        return {"loc": list(self.loc or ()), "msg": str(self)}


def _body_loc(field: str | Loc) -> Loc:
    return ("body", *((field,) if isinstance(field, str) else field))


class NotFound(DomainError):
    """The thing named in the path does not exist (or is not the caller's to know of)."""

    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"{what} {key} does not exist")


class Unauthenticated(DomainError):
    """No valid credentials."""


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a closed cluster, a concurrent
    change); ``field`` names the body field when one is to blame."""

    def __init__(self, message: str, *, field: str | Loc | None = None) -> None:
        super().__init__(message, loc=_body_loc(field) if field is not None else None)


class RuleViolation(DomainError):
    """A request that is well-formed but breaks a rule; ``field`` names the culprit.

    ``field`` is a name in the body, or a path into it (``("items", 3, "graduate_id")``).
    """

    def __init__(self, field: str | Loc, message: str) -> None:
        super().__init__(message, loc=_body_loc(field))

    @property
    def field(self) -> str | int:
        assert self.loc
        return self.loc[-1]


class NotKnownYet(RuleViolation):
    """A refusal that may pass later, e.g. while a projection catches up (409 + Retry-After)."""

    def __init__(self, field: str | Loc, message: str, *, retry_after: int) -> None:
        super().__init__(field, message)
        self.retry_after = retry_after


class InvalidQuery(DomainError):
    """A query or header parameter that cannot be used (400), e.g. a cursor we never issued."""

    def __init__(self, loc: Loc, message: str, *, title: str = "Bad Request") -> None:
        super().__init__(message, loc=loc)
        self.title = title


class Unavailable(DomainError):
    """The platform could not do it now (the database busy, the request out of time) and did
    nothing: retry after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Refused(DomainError):
    """Several refusals of one all-or-nothing request (a bulk submission, a CSV file)."""

    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[dict[str, object]],
        title: str = "Invalid request",
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.errors = list(errors)
        self.title = title
        self.retry_after = retry_after
