"""One-time codes a graduate uses to confirm an employment: what they look like and how they
are kept (only a hash; 60 random bits make guessing hopeless, so a plain digest suffices)."""

import hashlib
import secrets

# Crockford's base32: no I, L, O or U to misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP = 3, 4
VALID_DAYS = 30


def new_code() -> str:
    """A fresh code, e.g. ``7KQ2-M9XD-4TZR``."""
    characters = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(characters[i : i + _GROUP] for i in range(0, len(characters), _GROUP))


def code_hash(code: str) -> str:
    """The digest a code is kept and found by; case, spaces and dashes do not matter."""
    normal = "".join(c for c in code.upper() if c not in " -")
    return hashlib.sha256(normal.encode()).hexdigest()
