"""E-mail through SMTP, sent off the event loop (the standard library's client in a thread)."""

import asyncio
import smtplib
import ssl
from email.message import EmailMessage

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SmtpSettings(BaseSettings):
    """Where e-mail goes (EDUCLUSTER_SMTP_*); no host: none is sent."""

    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_SMTP_", extra="ignore")

    host: str = ""
    port: int = Field(default=25, ge=1, le=65535)
    sender: str = "EduCluster <no-reply@educluster.invalid>"
    username: str = ""
    password: SecretStr = SecretStr("")
    # STARTTLS with the server's certificate and host name verified; required in production.
    starttls: bool = False
    timeout_s: float = Field(default=10.0, gt=0)

    @property
    def enabled(self) -> bool:
        return bool(self.host)


async def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand ``message`` to the SMTP server; raises OSError or smtplib.SMTPException on failure."""
    await asyncio.to_thread(_send, settings, message)


def _send(settings: SmtpSettings, message: EmailMessage) -> None:
    if "From" not in message:
        message["From"] = settings.sender
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password.get_secret_value())
        smtp.send_message(message)
