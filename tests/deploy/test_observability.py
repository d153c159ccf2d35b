"""Observability in the kustomize overlays: Kafka and PostgreSQL metrics scraped like the
services' own, the monitoring namespace let in to scrape them, and a Grafana dashboard that
reads only metrics the services export."""

from __future__ import annotations

import json

import yaml
from test_deploy_manifests import (
    OVERLAYS,
    ROOT,
    Obj,
    exported_metrics,
    objects,
    service_metrics,
)

MONITORING = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
DASHBOARD = ROOT / "deploy" / "k8s" / "overlays" / "production" / "grafana" / "educluster.json"
PANELS = {
    "Requests per second",
    "Share of 5xx answers",
    "p99 latency",
    "Outbox backlog",
    "Oldest unpublished event",
    "Consumer lag",
    "Dead letters",
    "Broker reachable",
    "Database connections in use",
    "Resident memory",
}


def admits_monitoring(overlay: str, pod_labels: dict[str, str], port: int) -> bool:
    """Some ingress policy selecting the pod lets the monitoring namespace reach ``port``."""
    for policy in objects(overlay, "NetworkPolicy").values():
        spec = policy["spec"]
        if spec["podSelector"].get("matchLabels", {}).items() <= pod_labels.items():
            for rule in spec.get("ingress", []):
                if MONITORING in rule.get("from", []) and port in {
                    p["port"] for p in rule["ports"]
                }:
                    return True
    return False


# --- Kafka ---------------------------------------------------------------------------------


def test_kafka_exports_jmx_metrics_and_the_lag_of_every_educluster_group():
    # Found: no Kafka metrics at all (brokers, topics, consumer groups).
    for overlay in OVERLAYS:
        (kafka,) = objects(overlay, "Kafka").values()
        metrics = kafka["spec"]["kafka"]["metricsConfig"]
        assert metrics["type"] == "jmxPrometheusExporter"
        ref = metrics["valueFrom"]["configMapKeyRef"]
        config = yaml.safe_load(objects(overlay, "ConfigMap")[ref["name"]]["data"][ref["key"]])
        assert config["lowercaseOutputName"] is True and config["rules"]
        assert all("pattern" in rule for rule in config["rules"])
        exporter = kafka["spec"]["kafkaExporter"]
        assert exporter["groupRegex"] == exporter["topicRegex"] == r"educluster\..*"


def test_prometheus_scrapes_the_kafka_pods_and_may_reach_them_on_9404():
    (kafka,) = objects("production", "Kafka")
    monitor = objects("production", "PodMonitor")["educluster-kafka"]
    assert monitor["spec"]["selector"]["matchLabels"] == {"strimzi.io/cluster": kafka}
    assert [e["port"] for e in monitor["spec"]["podMetricsEndpoints"]] == ["tcp-prometheus"]
    for overlay in OVERLAYS:
        for name in (f"{kafka}-kafka", f"{kafka}-kafka-exporter"):  # brokers, Kafka Exporter
            labels = {
                "strimzi.io/cluster": kafka,
                "strimzi.io/kind": "Kafka",
                "strimzi.io/name": name,
            }
            assert admits_monitoring(overlay, labels, 9404), (overlay, name)


# --- PostgreSQL ----------------------------------------------------------------------------


def test_prometheus_scrapes_the_postgresql_instances_and_may_reach_their_exporter():
    # Found: CloudNativePG's exporter (9187) was blocked by the NetworkPolicy and unscraped.
    (cluster,) = objects("production", "Cluster")
    monitor = objects("production", "PodMonitor")["educluster-pg"]
    assert monitor["spec"]["selector"]["matchLabels"] == {"cnpg.io/cluster": cluster}
    assert [e["port"] for e in monitor["spec"]["podMetricsEndpoints"]] == ["metrics"]
    for overlay in OVERLAYS:
        # CloudNativePG advises against the PodMonitor it would manage itself.
        (spec,) = [c["spec"] for c in objects(overlay, "Cluster").values()]
        assert not spec.get("monitoring", {}).get("enablePodMonitor")
        assert admits_monitoring(overlay, {"cnpg.io/cluster": cluster}, 9187), overlay


# --- Grafana -------------------------------------------------------------------------------


def dashboard_config_map() -> Obj:
    (config_map,) = [
        c
        for c in objects("production", "ConfigMap").values()
        if c["metadata"].get("labels", {}).get("grafana_dashboard") == "1"
    ]
    return config_map


def test_production_ships_the_dashboard_as_a_config_map_for_grafanas_sidecar():
    shipped = dashboard_config_map()["data"]["educluster.json"]
    assert json.loads(shipped) == json.loads(DASHBOARD.read_text())


def test_the_dashboard_has_its_panels_and_reads_only_metrics_the_services_export():
    dashboard = json.loads(DASHBOARD.read_text())
    panels = {panel["title"]: panel for panel in dashboard["panels"]}
    assert set(panels) >= PANELS
    expressions = [t["expr"] for panel in panels.values() for t in panel["targets"]]
    variables = dashboard["templating"]["list"]
    expressions += [v["query"]["query"] for v in variables if v["type"] == "query"]
    for expression in expressions:
        names = service_metrics(expression)
        assert names, expression
        assert set(names) <= exported_metrics(), expression
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
