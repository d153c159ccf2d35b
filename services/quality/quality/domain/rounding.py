"""Rounding of published figures, declared per methodology version.

Publications state shares to whole percent, means to two decimals and the index to one
(the defaults); intervals are computed from the unrounded counts and then rounded outward, so a
rounded interval still covers what the exact one covers. n is never rounded. The live figures
(the ministry's) stay unrounded. scorecard.rounded_card applies it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rounding:
    share_decimals: int = 2  # of a share 0..1: 2 = whole percent
    mean_decimals: int = 2  # of a mean rating 1..5
    index_decimals: int = 1  # of the 0..100 index

    def __post_init__(self) -> None:
        for name, decimals in vars(self).items():
            if not 0 <= decimals <= 6:
                raise ValueError(f"rounding {name} is between 0 and 6 decimals")

    def share_half_width(self) -> float:
        """How far a published share may lie from the exact one."""
        return 0.5 * 10.0**-self.share_decimals
