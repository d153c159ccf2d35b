"""National personal identifiers (Uzbekistan's PINFL: 14 digits), kept only as a keyed hash.

The registry never stores, logs or returns a graduate's national identifier: it keeps
HMAC-SHA256(key, identifier), the *person key*, so that register extracts naming people by
the identifier can be matched. Only 10^14 identifiers exist, so an unkeyed hash would be
reversed by trying them all: the key is the registry's secret, and without one identifiers
are refused.
"""

import hashlib
import hmac
import re

_PINFL = re.compile(r"\d{14}")


def normalized(text: str) -> str | None:
    """The identifier's 14 digits (spaces dropped), or None if it is not one."""
    digits = text.replace(" ", "")
    return digits if _PINFL.fullmatch(digits) else None


class PersonKeys:
    """Turns identifiers into person keys with the registry's secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def of(self, national_id: str) -> str:
        """The person key of an identifier already ``normalized``."""
        return hmac.new(self._secret, national_id.encode(), hashlib.sha256).hexdigest()
