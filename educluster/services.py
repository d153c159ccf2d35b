"""Finding the four services and their settings from the command line."""

import importlib

from shared.platform.names import SERVICES
from shared.platform.settings import ServiceSettings


def load_settings(service: str) -> ServiceSettings:
    """The service's settings as its process would read them from the environment."""
    if service not in SERVICES:
        raise SystemExit(f"unknown service {service!r}; choose one of {', '.join(SERVICES)}")
    module = importlib.import_module(f"{service}.config")
    classes = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value is not ServiceSettings
    ]
    return classes[0]()
