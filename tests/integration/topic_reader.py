"""Tests read topics with the same reader operators use (``educluster dlq list``)."""

from shared.platform.messaging.topic_reader import read_topic

__all__ = ["read_topic"]
