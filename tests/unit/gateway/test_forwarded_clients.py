"""Anonymous clients behind the ingress: keyed by the forwarded address, never a forged one."""

import pytest
from gateway.config import GatewaySettings
from gateway.edge.limits import client_key, trusted_networks


def request(peer: str, forwarded: str | None = None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"client": (peer, 5555), "headers": headers}


INGRESS = trusted_networks(["10.0.0.0/8"])


def test_a_client_behind_a_trusted_proxy_is_keyed_by_its_forwarded_address():
    # Found: behind an ingress every anonymous client was the ingress's address, one bucket.
    assert client_key(request("10.1.2.3", "203.0.113.9"), None, trusted=INGRESS) == (
        "ip:203.0.113.9"
    )


def test_the_right_most_untrusted_forwarded_address_is_the_client():
    # The client may send any X-Forwarded-For; only what our proxies appended is believed.
    forged = request("10.1.2.3", "198.51.100.1, 203.0.113.9, 10.4.5.6")
    assert client_key(forged, None, trusted=INGRESS) == "ip:203.0.113.9"


def test_the_header_from_an_untrusted_peer_is_ignored():
    direct = request("203.0.113.50", "198.51.100.1")
    assert client_key(direct, None, trusted=INGRESS) == "ip:203.0.113.50"
    assert client_key(request("10.1.2.3", "198.51.100.1"), None) == "ip:10.1.2.3"


def test_a_chain_of_trusted_proxies_only_or_garbage_falls_back_to_the_peer_or_last_proxy():
    assert client_key(request("10.1.2.3", "10.9.9.9"), None, trusted=INGRESS) == "ip:10.9.9.9"
    assert client_key(request("10.1.2.3", "not-an-ip"), None, trusted=INGRESS) == "ip:10.1.2.3"
    assert client_key(request("10.1.2.3", ""), None, trusted=INGRESS) == "ip:10.1.2.3"


def test_trusted_proxies_are_read_as_addresses_or_networks_from_the_environment(monkeypatch):
    monkeypatch.setenv("EDUCLUSTER_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5")
    assert GatewaySettings().trusted_proxies == ["10.0.0.0/8", "192.168.1.5"]
    assert GatewaySettings(trusted_proxies=[]).trusted_proxies == []
    with pytest.raises(ValueError, match="trusted_proxies"):
        GatewaySettings(trusted_proxies=["ingress.local"])
