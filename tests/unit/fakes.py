"""In-memory fakes of the platform's ports, for service-layer unit tests (no database, no broker).

A service's fake unit of work subclasses ``FakeUnitOfWork`` and adds its fake repositories;
fake repositories subclass the service's abstract repositories (the real ports), not mocks.
"""

from typing import Any

from shared.platform.messaging.payloads import EventPayload
from shared.platform.messaging.unit_of_work import AbstractUnitOfWork


class FakeUnitOfWork(AbstractUnitOfWork):
    """Records what a use case published; events count only once ``commit()`` is called."""

    def __init__(self) -> None:
        self.published: list[EventPayload] = []
        self.commits = 0
        self._pending: list[EventPayload] = []
        # Audit entries written explicitly (events are audited by the SQL unit of work).
        self.audited: list[tuple[str, str, dict[str, Any] | None]] = []
        self._pending_audit: list[tuple[str, str, dict[str, Any] | None]] = []

    def publish(self, payload: EventPayload) -> None:
        self._pending.append(payload)

    def audit(self, action: str, subject: str, after: dict[str, Any] | None) -> None:
        self._pending_audit.append((action, subject, after))

    async def commit(self) -> None:
        self.published += self._pending
        self.audited += self._pending_audit
        self._pending, self._pending_audit = [], []
        self.commits += 1

    async def rollback(self) -> None:
        self._pending, self._pending_audit = [], []

    @property
    def committed(self) -> bool:
        return self.commits > 0
