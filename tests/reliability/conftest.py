"""The running services the reliability suites attack (the integration suites' fixtures)."""

from tests.integration.assessment.conftest import platform
from tests.integration.registry.conftest import registry

__all__ = ["platform", "registry"]
