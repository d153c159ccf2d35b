"""Transport in the kustomize overlays: Kafka over TLS with a SCRAM user and ACLs per service,
PostgreSQL verified against its CA, and the gateway published through a TLS Ingress."""

from __future__ import annotations

from assessment.entrypoints.consumers import CONSUMERS as ASSESSMENT_CONSUMERS
from gateway.entrypoints.consumers import CONSUMERS as GATEWAY_CONSUMERS
from quality.entrypoints.consumers import CONSUMERS as QUALITY_CONSUMERS
from registry.entrypoints.consumers import CONSUMERS as REGISTRY_CONSUMERS
from test_deploy_manifests import (
    OVERLAYS,
    Obj,
    config,
    container,
    env,
    objects,
    pod_spec,
    policies_selecting,
    workloads,
)

from shared.contracts.asyncapi import PUBLISHERS
from shared.platform.messaging.consumer import ConsumerSpec
from shared.platform.names import EPOCH_TOPIC, SERVICES, all_topics, dead_letter_topic
from shared.platform.settings import KafkaSettings

CONSUMERS: dict[str, tuple[ConsumerSpec, ...]] = {
    "registry": tuple(REGISTRY_CONSUMERS),
    "assessment": tuple(ASSESSMENT_CONSUMERS),
    "quality": tuple(QUALITY_CONSUMERS),
    "gateway": tuple(GATEWAY_CONSUMERS),
}


def mounted_file(workload: Obj, path: str) -> tuple[str, str]:
    """The (Secret name, key) a pod sees at ``path``, from its volumes and mounts."""
    c, volumes = container(workload), {v["name"]: v for v in pod_spec(workload)["volumes"]}
    for mount in c.get("volumeMounts", []):
        directory = mount["mountPath"].rstrip("/") + "/"
        if path.startswith(directory):
            assert mount.get("readOnly") is True, mount
            secret = volumes[mount["name"]]["secret"]
            (item,) = [i for i in secret["items"] if i["path"] == path[len(directory) :]]
            return secret["secretName"], item["key"]
    raise AssertionError(f"nothing mounted at {path}")


# --- Kafka -------------------------------------------------------------------------------


def kafka(overlay: str) -> Obj:
    (only,) = objects(overlay, "Kafka").values()
    return only


def test_kafka_listens_only_with_tls_and_scram_and_authorizes_every_request():
    # Found: a plain listener without users or ACLs: any pod could read or write any topic.
    for overlay in OVERLAYS:
        spec = kafka(overlay)["spec"]
        listeners = spec["kafka"]["listeners"]
        assert listeners and all(listener["tls"] is True for listener in listeners)
        assert all(li["authentication"]["type"] == "scram-sha-512" for li in listeners)
        assert spec["kafka"]["authorization"]["type"] == "simple"
        assert "userOperator" in spec["entityOperator"]
        (port,) = {listener["port"] for listener in listeners}
        name = kafka(overlay)["metadata"]["name"]
        assert config(overlay)["EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS"] == (
            f"{name}-kafka-bootstrap:{port}"
        )


def users(overlay: str) -> dict[str, Obj]:
    return objects(overlay, "KafkaUser")


def allowed(user: Obj, resource_type: str, name: str) -> set[str]:
    """The operations ``user``'s ACLs allow on one topic or group."""
    operations: set[str] = set()
    for acl in user["spec"]["authorization"]["acls"]:
        resource = acl["resource"]
        if resource["type"] != resource_type or acl.get("type", "allow") != "allow":
            continue
        literal = resource.get("patternType", "literal") == "literal"
        if name == resource["name"] if literal else name.startswith(resource["name"]):
            operations |= set(acl["operations"])
    return operations


def writes(service: str) -> set[str]:
    """Its event topics, its dead-letter topic, and the epoch topic (its relay's watch may
    write the broker's first marker)."""
    own = {topic for topic, publisher in PUBLISHERS.items() if publisher == service}
    dead_letters = {dead_letter_topic(service)} if CONSUMERS[service] else set()
    return own | dead_letters | {EPOCH_TOPIC}


def reads(service: str) -> set[str]:
    consumed = {topic for spec in CONSUMERS[service] for topic in spec.topics}
    # Its own dead letters are listed with `educluster dlq list` from its pod.
    dead_letters = {dead_letter_topic(service)} if CONSUMERS[service] else set()
    return consumed | dead_letters | {EPOCH_TOPIC}


def test_every_service_has_a_scram_kafka_user_allowed_exactly_its_topics_and_groups():
    for overlay in OVERLAYS:
        cluster = kafka(overlay)["metadata"]["name"]
        for service in SERVICES:
            user = users(overlay)[f"educluster-{service}"]
            assert user["metadata"]["labels"]["strimzi.io/cluster"] == cluster
            assert user["spec"]["authentication"]["type"] == "scram-sha-512"
            assert user["spec"]["authorization"]["type"] == "simple"
            for topic in [*all_topics(), EPOCH_TOPIC]:
                operations = allowed(user, "topic", topic)
                # Every topic is visible, so the startup check creates none (KafkaTopics do).
                assert "Describe" in operations, (service, topic)
                assert ("Write" in operations) == (topic in writes(service)), (service, topic)
                assert ("Read" in operations) == (topic in reads(service)), (service, topic)
                assert "Create" not in operations and "Delete" not in operations
            for spec in CONSUMERS[service]:
                assert "Read" in allowed(user, "group", spec.group_id(service)), spec.purpose
            for other in set(SERVICES) - {service}:
                assert not allowed(user, "group", f"educluster.{other}.x")


def test_every_platform_topic_is_a_kafka_topic_resource_since_services_create_none():
    # Found: educluster.quality.live.v1 had no KafkaTopic; services created it themselves,
    # which their users may no longer do.
    for overlay in OVERLAYS:
        topics = {t["spec"]["topicName"] for t in objects(overlay, "KafkaTopic").values()}
        assert {*all_topics(), EPOCH_TOPIC} <= topics


def test_every_service_pod_connects_to_kafka_as_its_own_user_with_the_cluster_ca():
    for overlay in OVERLAYS:
        cluster = kafka(overlay)["metadata"]["name"]
        for name, deployment in objects(overlay, "Deployment").items():
            variables = env(deployment)
            assert variables["EDUCLUSTER_KAFKA_SECURITY_PROTOCOL"]["value"] == "SASL_SSL"
            assert variables["EDUCLUSTER_KAFKA_SASL_USERNAME"]["value"] == f"educluster-{name}"
            password = variables["EDUCLUSTER_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]
            # The User Operator's Secret is named after the KafkaUser.
            assert password == {"name": f"educluster-{name}", "key": "password"}
            cafile = variables["EDUCLUSTER_KAFKA_SSL_CAFILE"]["value"]
            assert mounted_file(deployment, cafile) == (f"{cluster}-cluster-ca-cert", "ca.crt")
            # What the pod is given is a complete SASL_SSL configuration.
            KafkaSettings(
                security_protocol="SASL_SSL",
                sasl_username=f"educluster-{name}",
                sasl_password="from-the-secret",
                ssl_cafile=cafile,
            )


def test_pods_reach_kafka_only_on_its_tls_listener():
    for overlay in OVERLAYS:
        (port,) = {listener["port"] for listener in kafka(overlay)["spec"]["kafka"]["listeners"]}
        labels = {"app.kubernetes.io/part-of": "educluster"}
        kafka_ports = {
            p["port"]
            for spec in policies_selecting(overlay, labels, "Egress")
            for rule in spec.get("egress", [])
            if any("strimzi.io/cluster" in str(peer) for peer in rule.get("to", []))
            for p in rule["ports"]
        }
        assert kafka_ports == {port}


# --- PostgreSQL ----------------------------------------------------------------------------


def test_every_pod_verifies_postgresql_against_the_cluster_ca():
    # Found: TLS without server verification (asyncpg's default at best: no CA, no host check).
    for overlay in OVERLAYS:
        (cluster,) = objects(overlay, "Cluster")
        cafile = config(overlay)["EDUCLUSTER_DB_SSL_ROOT_CERT"]
        for workload in workloads(overlay):
            # Only the certificate: the same Secret holds the CA's private key.
            assert mounted_file(workload, cafile) == (f"{cluster}-ca", "ca.crt")


# --- Ingress -------------------------------------------------------------------------------


def test_production_publishes_the_gateway_through_a_tls_ingress_with_a_cert_manager_issuer():
    # Found: no Ingress or TLS manifest.
    (ingress,) = objects("production", "Ingress").values()
    annotations = ingress["metadata"]["annotations"]
    assert annotations["cert-manager.io/cluster-issuer"]
    assert ingress["spec"]["ingressClassName"]
    (tls,) = ingress["spec"]["tls"]
    (rule,) = ingress["spec"]["rules"]
    assert tls["hosts"] == [rule["host"]] and tls["secretName"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/" and path["pathType"] == "Prefix"
    service = objects("production", "Service")["gateway"]
    assert path["backend"]["service"]["name"] == "gateway"
    assert path["backend"]["service"]["port"]["name"] in {
        p["name"] for p in service["spec"]["ports"]
    }


def test_production_lets_only_the_ingress_controller_reach_the_gateway():
    labels = {
        "app.kubernetes.io/name": "gateway",
        "app.kubernetes.io/component": "api",
        "app.kubernetes.io/part-of": "educluster",
    }
    rules = [
        rule
        for spec in policies_selecting("production", labels, "Ingress")
        for rule in spec.get("ingress", [])
        if 8000 in {p["port"] for p in rule["ports"]}
    ]
    assert rules and all(rule.get("from") for rule in rules), "8000 is open to anywhere"
    namespaces = {
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for rule in rules
        for peer in rule["from"]
        if "namespaceSelector" in peer
    }
    assert len(namespaces) == 1  # the ingress controller's
    # The proxies whose X-Forwarded-For the rate limiter believes: the controller's pods.
    assert config("production")["EDUCLUSTER_GATEWAY_TRUSTED_PROXIES"]


# --- Operations port -----------------------------------------------------------------------


def test_metrics_and_readiness_details_are_on_an_ops_port_no_service_exposes():
    # Found: /metrics and the detailed /readyz on the gateway's public port.
    for overlay in OVERLAYS:
        ops_port = int(config(overlay)["EDUCLUSTER_OPS_PORT"])
        for deployment in objects(overlay, "Deployment").values():
            ports = {p["name"]: p["containerPort"] for p in container(deployment)["ports"]}
            assert ports["ops"] == ops_port
        for service in objects(overlay, "Service").values():
            assert ops_port not in {p["port"] for p in service["spec"]["ports"]}
            assert "ops" not in {p["targetPort"] for p in service["spec"]["ports"]}
        # Prometheus (namespace "monitoring") may reach the ops port, and nothing else may.
        for name in SERVICES:
            labels = {
                "app.kubernetes.io/name": name,
                "app.kubernetes.io/component": "api",
                "app.kubernetes.io/part-of": "educluster",
            }
            for spec in policies_selecting(overlay, labels, "Ingress"):
                for rule in spec.get("ingress", []):
                    if {p["port"] for p in rule["ports"]} & {"ops", ops_port}:
                        (peer,) = rule["from"]
                        assert peer == {
                            "namespaceSelector": {
                                "matchLabels": {"kubernetes.io/metadata.name": "monitoring"}
                            }
                        }
                        assert [p["port"] for p in rule["ports"]] == ["ops"]
    monitor = objects("production", "PodMonitor")["educluster"]
    assert [(e["port"], e["path"]) for e in monitor["spec"]["podMetricsEndpoints"]] == [
        ("ops", "/metrics")
    ]
