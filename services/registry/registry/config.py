"""Settings of the registry service (environment prefix EDUCLUSTER_REGISTRY_)."""

import hashlib
import hmac

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from registry.domain.person_key import PersonKeys
from shared.contracts.assessment_window import DEFAULT_WINDOW_MONTHS
from shared.platform.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_REGISTRY_", extra="ignore")

    service_name: str = "registry"
    # How long after an employment ends its employer still reads the graduate's name: the
    # assessment service's window (EDUCLUSTER_ASSESSMENT_EMPLOYMENT_WINDOW_MONTHS), kept equal.
    employment_window_months: int = Field(default=DEFAULT_WINDOW_MONTHS, ge=0, le=120)
    # The key of graduates' person keys (domain/person_key.py). Unset: derived from the
    # development token secret where there is one; otherwise national identifiers are refused.
    person_key_secret: SecretStr | None = Field(default=None, min_length=32)
    # An employer's lookups of graduates by national identifier in any hour (the audit trail
    # counts them): enough to claim its hires, too few to try a person's plausible PINFLs.
    graduate_lookups_per_hour: int = Field(default=100, ge=1, le=10_000)

    def person_keys(self) -> PersonKeys | None:
        """What turns national identifiers into person keys (None: no key configured)."""
        if self.person_key_secret is not None:
            return PersonKeys(self.person_key_secret.get_secret_value().encode())
        if self.auth.secret:
            label = b"educluster registry person key"
            return PersonKeys(hmac.new(self.auth.secret.encode(), label, hashlib.sha256).digest())
        return None
