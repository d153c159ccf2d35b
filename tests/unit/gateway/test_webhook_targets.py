"""Receiver URLs: IPv4 wrapped in IPv6 is judged as the IPv4 it leads to."""

import pytest
from gateway.domain.subscriptions import check_target, is_private_address

from shared.platform.errors import RuleViolation


@pytest.mark.parametrize(
    "host",
    [
        "::127.0.0.1",  # IPv4-compatible
        "::10.1.2.3",
        "::169.254.169.254",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:0:a9fe:a9fe",  # SIIT IPv4-translated
        "64:ff9b::7f00:1",  # NAT64, well-known prefix: 127.0.0.1
        "64:ff9b::192.168.1.10",
        "64:ff9b::a9fe:a9fe",  # the cloud metadata address
        "64:ff9b:1::a00:1",  # NAT64, local-use prefix: never public
        "64:ff9b:1:ffff::8.8.8.8",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
        "2002:c0a8:10a::1",  # 6to4 of 192.168.1.10
        "224.0.0.1",
    ],
)
def test_an_ipv6_literal_leading_to_a_private_ipv4_is_not_a_public_address(host):
    assert is_private_address(host)
    assert is_private_address(f"[{host}]")
    with pytest.raises(RuleViolation) as refused:
        check_target(
            f"http://[{host}]:8080/hooks" if ":" in host else f"http://{host}/hooks",
            allow_private=False,
        )
    assert refused.value.loc == ["body", "url"]


@pytest.mark.parametrize(
    "host", ["8.8.8.8", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:4860::8888"]
)
def test_an_address_leading_to_a_public_ipv4_or_ipv6_host_is_public(host):
    assert not is_private_address(host)
    check_target(
        f"https://[{host}]/hooks" if ":" in host else f"https://{host}/", allow_private=False
    )
