"""Settings of the assessment service (environment prefix EDUCLUSTER_ASSESSMENT_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.contracts.assessment_window import DEFAULT_WINDOW_MONTHS
from shared.platform.mail import SmtpSettings
from shared.platform.settings import ServiceSettings


class AssessmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_ASSESSMENT_", extra="ignore")

    service_name: str = "assessment"
    # An employer may assess a graduate whose employment ended at most this long ago.
    employment_window_months: int = Field(default=DEFAULT_WINDOW_MONTHS, ge=0, le=120)
    # Institutions see a program's assessments of a period only where at least this many exist,
    # of as many graduates, by at least min_employers employers, none dominant (docs/assessment.md).
    min_cell_size: int = Field(default=5, ge=2)
    min_employers: int = Field(default=3, ge=2)
    # Reminders to employers and institutions that asked for them (docs/reminders.md).
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    reminder_every_days: int = Field(default=7, ge=1, le=365)
    reminder_check_every_s: float = Field(default=3600.0, gt=0)
    # Where the e-mails' links point: the gateway's public address (dashboard and API).
    public_url: str = "http://127.0.0.1:8000"
