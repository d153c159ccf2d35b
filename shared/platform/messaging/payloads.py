"""Typed event payloads: the integration-event contracts every service shares.

Each payload class names its CloudEvents ``type`` (``educluster.<service>.<entity>.<verb>.v<N>``)
and registers itself, so a consumer can turn any envelope into its typed payload and the JSON
Schema export can list every type. Payloads carry primitive fields only.
"""

import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

# educluster.<service>.<entity>[.<sub-entity>].<verb>.v<N>
_TYPE_PATTERN = re.compile(r"^educluster\.[a-z]+(\.[a-z_]+){2,}\.v[0-9]+$")
_REGISTRY: dict[str, type["EventPayload"]] = {}


class EventPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is None:
            return  # an abstract intermediate class
        if not _TYPE_PATTERN.match(event_type):
            raise TypeError(f"{cls.__name__}: event type {event_type!r} breaks the naming rule")
        if event_type in _REGISTRY and _REGISTRY[event_type] is not cls:
            raise TypeError(f"event type {event_type!r} is declared twice")
        _REGISTRY[event_type] = cls

    def partition_key(self) -> str:
        """The Kafka key: the id whose events must stay in order (each event type says)."""
        raise NotImplementedError(f"{type(self).__name__} declares no partition key")

    def subject(self) -> str | None:
        """The CloudEvents ``subject``: the resource the event is about."""
        return None


def payload_model(event_type: str) -> type[EventPayload] | None:
    return _REGISTRY.get(event_type)


def registered_types() -> dict[str, type[EventPayload]]:
    """Every payload type declared so far, by CloudEvents ``type``."""
    return dict(sorted(_REGISTRY.items()))
