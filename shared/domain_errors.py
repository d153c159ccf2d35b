"""The one domain error every service raises for a well-formed request that breaks a rule.

Plain Python (no web framework), so domain modules can raise it; shared/web/problems.py turns it
into an RFC 9457 problem naming the field.
"""


class RuleViolation(ValueError):
    """A request that is well-formed but breaks a rule; ``field`` names the culprit.

    ``field`` is a name in the body, or a path into it (``("items", 3, "graduate_id")``).
    ``retry_after`` (seconds) marks a refusal that may pass later, e.g. while a projection
    catches up; it becomes the ``Retry-After`` header.
    """

    def __init__(
        self,
        field: str | tuple[str | int, ...],
        message: str,
        *,
        status: int = 422,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.loc: list[str | int] = ["body", *((field,) if isinstance(field, str) else field)]
        self.status = status
        self.retry_after = retry_after

    @property
    def field(self) -> str | int:
        return self.loc[-1]

    def error(self) -> dict[str, object]:
        """This violation as one entry of a problem's ``errors`` list."""
        return {"loc": self.loc, "msg": str(self)}
