"""PostgreSQL connections verify the server against the cluster's CA (sslmode verify-full)."""

import ssl

import pytest
from sqlalchemy import text

from shared.platform.db.engine import create_engine, postgres_connect_args
from shared.platform.settings import ServiceSettings
from tests.unit.transport_support import write_ca_certificate

LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def test_with_a_root_certificate_the_server_certificate_and_host_name_are_verified(tmp_path):
    # Found: production connected over TLS without verifying the server (sslmode require at
    # best): anyone on the path could pose as the database.
    ca = write_ca_certificate(tmp_path / "ca.crt")
    args = postgres_connect_args(lock_timeout_ms="5000", ssl_root_cert=str(ca))
    context = args["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs()[0]["subject"] == ((("commonName", "educluster test CA"),),)
    assert args["server_settings"] == {"lock_timeout": "5000"}


def test_without_a_root_certificate_no_tls_is_configured():
    assert "ssl" not in postgres_connect_args(lock_timeout_ms="5000", ssl_root_cert="")


def test_the_root_certificate_is_read_from_the_platform_wide_setting(monkeypatch):
    monkeypatch.setenv("EDUCLUSTER_DB_SSL_ROOT_CERT", "/etc/educluster/postgres-ca/ca.crt")
    assert ServiceSettings().db_ssl_root_cert == "/etc/educluster/postgres-ca/ca.crt"


def test_a_missing_root_certificate_is_refused_naming_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.crt"):
        postgres_connect_args(lock_timeout_ms="5000", ssl_root_cert=str(tmp_path / "missing.crt"))


async def test_an_engine_with_a_root_certificate_refuses_a_server_that_cannot_prove_itself(
    tmp_path,
):
    # The local PostgreSQL speaks no TLS: a verifying engine must not fall back to plain text.
    engine = create_engine(
        LOCAL_POSTGRES, ssl_root_cert=str(write_ca_certificate(tmp_path / "ca.crt"))
    )
    try:
        with pytest.raises(Exception, match="(?i)ssl|tls"):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    plain = create_engine(LOCAL_POSTGRES)
    try:
        async with plain.connect() as connection:
            assert (await connection.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await plain.dispose()
