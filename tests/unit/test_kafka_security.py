"""Kafka clients authenticate with SCRAM-SHA-512 over TLS when the settings say so."""

import ssl

import pytest
from pydantic import ValidationError

from shared.platform.messaging.kafka import (
    connection_options,
    new_admin,
    new_consumer,
    new_producer,
)
from shared.platform.settings import KafkaSettings
from tests.unit.transport_support import write_ca_certificate


def sasl_ssl(tmp_path, **changes) -> KafkaSettings:
    values = {
        "security_protocol": "SASL_SSL",
        "sasl_username": "registry",
        "sasl_password": "from-the-kafkauser-secret",
        "ssl_cafile": str(write_ca_certificate(tmp_path / "ca.crt")),
        **changes,
    }
    return KafkaSettings(**values)


def test_plaintext_stays_the_default_for_the_bundled_broker():
    assert connection_options(KafkaSettings()) == {"security_protocol": "PLAINTEXT"}


def test_sasl_ssl_gives_scram_credentials_and_a_verifying_tls_context(tmp_path):
    # Found: Kafka plaintext, without users or ACLs: any pod could read or write any topic.
    options = connection_options(sasl_ssl(tmp_path))
    context = options.pop("ssl_context")
    assert options == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "registry",
        "sasl_plain_password": "from-the-kafkauser-secret",
    }
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


async def test_every_client_the_platform_creates_gets_the_credentials(tmp_path):
    settings = sasl_ssl(tmp_path)
    producer = new_producer(settings)
    consumer = new_consumer(settings, group_id="educluster.registry.test")
    admin = new_admin(settings)
    try:
        # aiokafka keeps the connection settings on each client's network client.
        for client in (producer.client, consumer._client, admin._client):
            assert client._security_protocol == "SASL_SSL"
            assert client._sasl_mechanism == "SCRAM-SHA-512"
            assert client._sasl_plain_username == "registry"
            assert isinstance(client._ssl_context, ssl.SSLContext)
    finally:
        await producer.stop()
        await consumer.stop()
        await admin.close()


@pytest.mark.parametrize("missing", ["sasl_username", "sasl_password", "ssl_cafile"])
def test_sasl_ssl_without_username_password_or_ca_is_refused_naming_the_setting(tmp_path, missing):
    with pytest.raises(ValidationError, match=f"EDUCLUSTER_KAFKA_{missing.upper()}"):
        sasl_ssl(tmp_path, **{missing: ""})


def test_an_unknown_protocol_or_mechanism_is_refused():
    with pytest.raises(ValidationError, match="security_protocol"):
        KafkaSettings(security_protocol="SSL_PLEASE")
    with pytest.raises(ValidationError, match="sasl_mechanism"):
        KafkaSettings(sasl_mechanism="PLAIN")
