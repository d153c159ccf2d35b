"""Seeded randomness: one stream per part of the world, so that what one part draws never
shifts what another draws, and any part can be drawn again, alone, identically."""

import math
import random
from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


def stream(seed: int, *parts: object) -> random.Random:
    """The random stream of one part of the world (a string seed: stable across runs and
    processes, unlike ``hash``)."""
    return random.Random("|".join(str(part) for part in (seed, *parts)))


def weighted(rng: random.Random, shares: Mapping[T, float]) -> T:
    """One key of ``shares``, drawn in proportion to its value."""
    keys = list(shares)
    return rng.choices(keys, weights=[shares[key] for key in keys])[0]


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def rating(value: float) -> int:
    """A latent value on the 1..5 scale, rounded and held to the scale."""
    return min(5, max(1, round(value)))


def sample_at_most(rng: random.Random, items: Sequence[T], count: int) -> list[T]:
    return rng.sample(list(items), min(count, len(items)))
