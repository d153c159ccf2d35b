"""The deployment files: docker-compose.yml and the kustomize overlays (images: test_images.py).

No container engine or cluster is needed: the overlays are rendered with `kubectl kustomize`
and the rendered objects are checked for what operators and the services rely on.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.platform.auth_settings import AuthSettings
from shared.platform.runtime import ServiceSpec, build_runtime, create_service_app
from shared.platform.settings import ServiceSettings
from shared.platform.web.middleware import HttpMetricsMiddleware

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"gateway": 8000, "registry": 8001, "assessment": 8002, "quality": 8003}
BACKENDS = ("registry", "assessment", "quality")
TOPIC_PARTITIONS = {
    "educluster.registry.v1": 6,
    "educluster.assessment.v1": 6,
    "educluster.quality.v1": 6,
    "educluster.quality.live.v1": 6,
    "educluster.assessment.dlq.v1": 6,
    "educluster.quality.dlq.v1": 6,
    "educluster.gateway.dlq.v1": 6,
    "educluster.epoch.v1": 1,
}
OVERLAYS = ("dev", "production")
PROBE_PATHS = {"readinessProbe": "/readyz", "livenessProbe": "/healthz", "startupProbe": "/healthz"}
SECRET_LIKE = re.compile(r"SECRET|PASSWORD|TOKEN|PRIVATE|CREDENTIAL", re.IGNORECASE)

Obj = dict[str, Any]


@cache
def render(overlay: str) -> tuple[Obj, ...]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl (with kustomize) is needed to render deploy/k8s"
    result = subprocess.run(
        [kubectl, "kustomize", str(ROOT / "deploy" / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def objects(overlay: str, kind: str) -> dict[str, Obj]:
    return {o["metadata"]["name"]: o for o in render(overlay) if o["kind"] == kind}


def pod_spec(workload: Obj) -> Obj:
    return workload["spec"]["template"]["spec"]


def container(workload: Obj) -> Obj:
    (only,) = pod_spec(workload)["containers"]
    return only


def env(workload: Obj) -> dict[str, Obj]:
    return {e["name"]: e for e in container(workload).get("env", [])}


def config_map_name(overlay: str) -> str:
    """The services' ConfigMap (kustomize adds a hash); the others carry metrics settings."""
    (name,) = [n for n in objects(overlay, "ConfigMap") if n.startswith("educluster-config-")]
    return name


def config(overlay: str) -> dict[str, str]:
    return objects(overlay, "ConfigMap")[config_map_name(overlay)]["data"]


def workloads(overlay: str) -> list[Obj]:
    return [*objects(overlay, "Deployment").values(), *objects(overlay, "Job").values()]


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return request.param


# --- Kubernetes: workloads ---------------------------------------------------------------


def test_each_overlay_deploys_exactly_the_four_services_into_the_educluster_namespace(overlay):
    assert set(objects(overlay, "Deployment")) == set(SERVICES)
    for obj in render(overlay):
        assert obj["metadata"]["namespace"] == "educluster", obj["metadata"]["name"]


def test_production_archives_wal_backs_up_nightly_and_replicates_synchronously():
    # Found: no ScheduledBackup, WAL archive or point-in-time recovery for any database, and
    # asynchronous replication (a failover could lose acknowledged commits and their events).
    (cluster,) = objects("production", "Cluster").values()
    (plugin,) = cluster["spec"]["plugins"]
    assert plugin["name"] == "barman-cloud.cloudnative-pg.io" and plugin["isWALArchiver"]
    (store,) = objects("production", "ObjectStore").values()
    assert plugin["parameters"]["barmanObjectName"] == store["metadata"]["name"]
    assert store["spec"]["retentionPolicy"].endswith("d")
    credentials = store["spec"]["configuration"]["s3Credentials"]
    assert all(set(ref) == {"name", "key"} for ref in credentials.values())  # Secret refs only
    (backup,) = objects("production", "ScheduledBackup").values()
    assert backup["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert backup["spec"]["method"] == "plugin"
    assert backup["spec"]["pluginConfiguration"]["name"] == plugin["name"]
    assert cluster["spec"]["postgresql"]["synchronous"]["number"] >= 1
    egress = objects("production", "NetworkPolicy")["postgres-backup-egress"]
    assert egress["spec"]["podSelector"]["matchLabels"] == {"cnpg.io/cluster": "educluster-pg"}


def test_production_scrapes_every_pod_and_alerts_only_on_metrics_the_services_export():
    # Found: no PodMonitor and no alert rules. Each rule's EduCluster metric must be one a
    # service really exports (names as prometheus_client writes them).
    monitor = objects("production", "PodMonitor")["educluster"]
    assert monitor["spec"]["selector"]["matchLabels"] == {
        "app.kubernetes.io/part-of": "educluster",
        "app.kubernetes.io/component": "api",
    }
    (rules,) = objects("production", "PrometheusRule").values()
    alerts = [rule for group in rules["spec"]["groups"] for rule in group["rules"]]
    assert {
        "EduClusterEventsDeadLettered",
        "EduClusterOutboxBacklog",
        "EduClusterServerErrors",
        "EduClusterConsumerLag",
        "EduClusterOutboxStale",
        "EduClusterDatabasePoolExhausted",
    } <= {rule["alert"] for rule in alerts}
    for rule in alerts:
        if rule["alert"] != "EduClusterPodNotReady":  # kube-state-metrics' own
            assert service_metrics(rule["expr"]), rule["alert"]
        for name in service_metrics(rule["expr"]):
            assert name in exported_metrics(), name


# Metrics the services export: their own, the process's and the Python runtime's.
SERVICE_METRIC = re.compile(r"\b(?:educluster|process|python)_[a-z_]+")


def service_metrics(expression: str) -> list[str]:
    """The names of service metrics a PromQL expression reads."""
    return SERVICE_METRIC.findall(expression)


@cache
def exported_metrics() -> frozenset[str]:
    """Every metric name a service exports, as prometheus_client writes it: a real service
    app's registry (HTTP, process and Python metrics) with its runtime's (messaging, pool)."""
    settings = ServiceSettings(database_url="sqlite+aiosqlite:///:memory:")
    spec = ServiceSpec(name="registry", title="registry", settings=settings)
    registry = create_service_app(spec).state.metrics_registry
    build_runtime(spec, registry)
    # The app builds its middleware (which registers the HTTP metrics) on its first request.
    HttpMetricsMiddleware(lambda *_: None, registry=registry)  # type: ignore[arg-type]
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}
    return frozenset(
        metric.name + suffix
        for metric in registry.collect()
        for suffix in suffixes.get(metric.type, ("",))
    )


def test_no_overlay_owns_the_namespace_or_lets_topics_be_deleted(overlay):
    # Found: the Namespace was part of the kustomization, so `kubectl delete -k` or a GitOps
    # prune deleted every volume, Kafka's too; and a deleted KafkaTopic deleted its records.
    assert objects(overlay, "Namespace") == {}
    (namespace,) = yaml.safe_load_all((ROOT / "deploy" / "k8s" / "namespace.yaml").read_text())
    assert namespace["kind"] == "Namespace" and namespace["metadata"]["name"] == "educluster"
    (kafka,) = objects(overlay, "Kafka").values()
    assert kafka["spec"]["kafka"]["config"]["delete.topic.enable"] is False


def test_every_deployment_is_ready_on_readyz_and_alive_on_healthz_at_its_own_port(overlay):
    for name, deployment in objects(overlay, "Deployment").items():
        c = container(deployment)
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        # Besides its own port, the ops port (test_transport_manifests.py).
        assert ports["http"] == SERVICES[name] and set(ports) == {"http", "ops"}
        for probe, path in PROBE_PATHS.items():
            get = c[probe]["httpGet"]
            assert get["path"] == path, (name, probe)
            assert ports.get(get["port"], get["port"]) == SERVICES[name], (name, probe)


def test_every_deployment_runs_the_image_of_its_own_service_with_requests_and_limits(overlay):
    for name, deployment in objects(overlay, "Deployment").items():
        c = container(deployment)
        assert re.search(rf"(^|/)educluster/{name}:", c["image"]), c["image"]
        assert {"cpu", "memory"} <= set(c["resources"]["requests"])
        assert "memory" in c["resources"]["limits"]


def test_every_pod_runs_as_non_root_on_a_read_only_root_filesystem_with_a_writable_tmp(overlay):
    for workload in workloads(overlay):
        spec, c = pod_spec(workload), container(workload)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] != 0
        assert spec["automountServiceAccountToken"] is False
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
        assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
        tmp = {m["name"] for m in c["volumeMounts"] if m["mountPath"] == "/tmp"}
        assert any(v["name"] in tmp and "emptyDir" in v for v in spec["volumes"])


def test_every_service_routes_its_own_port_to_its_api_pods_only(overlay):
    services = objects(overlay, "Service")
    assert set(services) == set(SERVICES)
    for name, service in services.items():
        assert [p["port"] for p in service["spec"]["ports"]] == [SERVICES[name]]
        assert service["spec"]["selector"] == {
            "app.kubernetes.io/name": name,
            "app.kubernetes.io/component": "api",
        }


def test_every_service_has_a_migration_job_running_educluster_migrate_with_its_image(overlay):
    jobs = {container(j)["command"][-1]: j for j in objects(overlay, "Job").values()}
    assert set(jobs) == set(SERVICES)
    deployments = objects(overlay, "Deployment")
    for name, job in jobs.items():
        assert container(job)["command"] == ["educluster", "migrate", "--service", name]
        assert container(job)["image"] == container(deployments[name])["image"]
        assert pod_spec(job)["restartPolicy"] == "Never"
        assert job["spec"]["backoffLimit"] >= 3

        # Found: Jobs are immutable, so a GitOps tool re-applying a new release failed on them.
        annotations = job["metadata"]["annotations"]
        assert annotations["argocd.argoproj.io/hook"] == "Sync"
        assert annotations["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation"
        assert annotations["kustomize.toolkit.fluxcd.io/force"] == "enabled"


def test_every_pod_gets_only_its_own_database_url_with_credentials_from_its_secret(overlay):
    for workload in workloads(overlay):
        name = workload["metadata"]["labels"]["app.kubernetes.io/name"]
        variables = env(workload)
        urls = {k for k in variables if k.endswith("_DATABASE_URL")}
        assert urls == {f"EDUCLUSTER_{name.upper()}_DATABASE_URL"}
        url = variables[urls.pop()]["value"]
        assert url.startswith("postgresql+asyncpg://$(DATABASE_USER):$(DATABASE_PASSWORD)@")
        assert url.endswith(f"/{name}")
        for part in ("DATABASE_USER", "DATABASE_PASSWORD"):
            ref = variables[part]["valueFrom"]["secretKeyRef"]
            assert ref["name"] == f"educluster-db-{name}"
        assert [s["configMapRef"]["name"] for s in container(workload)["envFrom"]] == [
            config_map_name(overlay)
        ]


def test_every_deployment_has_an_autoscaler_and_a_disruption_budget(overlay):
    autoscalers = objects(overlay, "HorizontalPodAutoscaler")
    budgets = objects(overlay, "PodDisruptionBudget")
    partitions = int(config(overlay)["EDUCLUSTER_KAFKA_PARTITIONS"])
    for name, deployment in objects(overlay, "Deployment").items():
        assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
        target = autoscalers[name]["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        # More consumers than partitions would sit idle.
        assert autoscalers[name]["spec"]["maxReplicas"] <= partitions
        selector = budgets[name]["spec"]["selector"]["matchLabels"]
        assert selector == deployment["spec"]["selector"]["matchLabels"]


def test_config_points_every_service_at_kafka_and_the_gateway_at_the_three_services(overlay):
    data = config(overlay)
    (kafka,) = objects(overlay, "Kafka")
    assert data["EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS"] == f"{kafka}-kafka-bootstrap:9093"  # TLS
    for backend in BACKENDS:
        url = data[f"EDUCLUSTER_GATEWAY_{backend.upper()}_URL"]
        assert url == f"http://{backend}:{SERVICES[backend]}"
    assert data["EDUCLUSTER_LOG_LEVEL"]


# --- Kubernetes: Kafka and PostgreSQL ----------------------------------------------------


def test_every_topic_has_a_kafka_topic_with_its_partition_count(overlay):
    (kafka,) = objects(overlay, "Kafka")
    topics = {t["spec"]["topicName"]: t for t in objects(overlay, "KafkaTopic").values()}
    assert set(topics) == set(TOPIC_PARTITIONS)
    for name, topic in topics.items():
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == kafka
        assert topic["spec"]["partitions"] == TOPIC_PARTITIONS[name]
    partitions = int(config(overlay)["EDUCLUSTER_KAFKA_PARTITIONS"])
    assert topics["educluster.registry.v1"]["spec"]["partitions"] == partitions
    assert topics["educluster.epoch.v1"]["spec"]["config"]["retention.ms"] == -1


def test_kafka_runs_in_kraft_mode_from_node_pools_without_topic_auto_creation(overlay):
    (kafka,) = objects(overlay, "Kafka").values()
    pools = objects(overlay, "KafkaNodePool").values()
    assert kafka["apiVersion"] == "kafka.strimzi.io/v1"
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    assert "topicOperator" in kafka["spec"]["entityOperator"]
    assert {"controller", "broker"} <= {role for pool in pools for role in pool["spec"]["roles"]}
    for pool in pools:
        assert pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]


def test_topic_replication_matches_what_kafka_and_the_services_are_told(overlay):
    (kafka,) = objects(overlay, "Kafka").values()
    settings = kafka["spec"]["kafka"]["config"]
    factor = int(config(overlay)["EDUCLUSTER_KAFKA_REPLICATION_FACTOR"])
    assert settings["default.replication.factor"] == factor
    assert settings["min.insync.replicas"] < factor or factor == 1
    nodes = sum(p["spec"]["replicas"] for p in objects(overlay, "KafkaNodePool").values())
    assert nodes >= factor
    assert {t["spec"]["replicas"] for t in objects(overlay, "KafkaTopic").values()} == {factor}


def test_postgres_has_one_database_and_one_secret_backed_role_per_service(overlay):
    (cluster,) = objects(overlay, "Cluster").values()
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    assert re.search(r":16(\.|$)", cluster["spec"]["imageName"])
    roles = {r["name"]: r for r in cluster["spec"]["managed"]["roles"]}
    assert set(roles) == set(SERVICES)
    for name, role in roles.items():
        assert role["login"] is True
        assert role["passwordSecret"]["name"] == f"educluster-db-{name}"
    databases = {d["spec"]["name"]: d["spec"] for d in objects(overlay, "Database").values()}
    assert set(databases) == set(SERVICES)
    for name, spec in databases.items():
        assert spec["owner"] == name
        assert spec["cluster"]["name"] == cluster["metadata"]["name"]


# --- Kubernetes: network policies --------------------------------------------------------


def policies_selecting(overlay: str, labels: dict[str, str], direction: str) -> list[Obj]:
    found = []
    for policy in objects(overlay, "NetworkPolicy").values():
        spec = policy["spec"]
        selector = spec["podSelector"].get("matchLabels", {})
        if direction in spec["policyTypes"] and selector.items() <= labels.items():
            found.append(spec)
    return found


def api_labels(name: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/component": "api",
        "app.kubernetes.io/part-of": "educluster",
    }


def test_the_namespace_denies_all_traffic_by_default(overlay):
    deny = [
        p
        for p in objects(overlay, "NetworkPolicy").values()
        if p["spec"]["podSelector"] == {}
        and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    assert len(deny) == 1


def ingress_rules(overlay: str, name: str) -> list[Obj]:
    specs = policies_selecting(overlay, api_labels(name), "Ingress")
    return [rule for spec in specs for rule in spec.get("ingress", [])]


def from_gateway(rule: Obj) -> bool:
    selectors = [peer.get("podSelector", {}).get("matchLabels", {}) for peer in rule["from"]]
    return any(labels.get("app.kubernetes.io/name") == "gateway" for labels in selectors)


def test_the_gateway_accepts_traffic_from_anywhere_on_8000_and_services_only_from_it(overlay):
    open_rules = [r for r in ingress_rules(overlay, "gateway") if "from" not in r]
    # Production: from its ingress controller only (test_transport_manifests.py).
    expected = [] if overlay == "production" else [[8000]]
    assert [[p["port"] for p in rule["ports"]] for rule in open_rules] == expected
    for backend in BACKENDS:
        rules = ingress_rules(overlay, backend)
        assert all(rule.get("from") for rule in rules), f"{backend} is open to anywhere"
        gateway_rules = [rule for rule in rules if from_gateway(rule)]
        assert [[p["port"] for p in r["ports"]] for r in gateway_rules] == [[SERVICES[backend]]]
        # Apart from the gateway, only Prometheus (another namespace) may connect, for /metrics.
        for rule in rules:
            if rule not in gateway_rules:
                assert all("namespaceSelector" in peer for peer in rule["from"])
                assert [p["port"] for p in rule["ports"]] == ["ops"]


def test_every_educluster_pod_may_reach_kafka_postgres_and_dns(overlay):
    labels = {"app.kubernetes.io/part-of": "educluster", "app.kubernetes.io/component": "migration"}
    ports = {
        port["port"]
        for spec in policies_selecting(overlay, labels, "Egress")
        for rule in spec.get("egress", [])
        for port in rule.get("ports", [])
    }
    assert {9093, 5432, 53} <= ports


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_at_the_autoscalers_maximum_fits_postgresql_max_connections(overlay):
    # Found: 20 connections per pod (pool 10 + overflow 10) × 3–6 pods × 4 services against
    # PostgreSQL's default of 100.
    settings = ServiceSettings()
    per_pod = settings.db_pool_size + settings.db_max_overflow
    pods = sum(
        h["spec"]["maxReplicas"] for h in objects(overlay, "HorizontalPodAutoscaler").values()
    )
    jobs = len(objects(overlay, "Job"))  # a migration Job per service, one connection each
    (cluster,) = objects(overlay, "Cluster").values()
    max_connections = int(cluster["spec"]["postgresql"]["parameters"]["max_connections"])
    reserved = 10  # superuser and replication slots, CloudNativePG's own connections
    assert pods * per_pod + jobs + reserved <= max_connections, (pods, per_pod, max_connections)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_dns_is_allowed_to_kube_dns_nodelocal_dnscache_and_openshift_dns(overlay):
    # Found: DNS went only to kube-dns pods; with NodeLocal DNSCache (169.254.20.10) or on
    # OpenShift (openshift-dns pods on 5353) every lookup was dropped.
    (dns,) = [
        p["spec"]
        for p in render(overlay)
        if p["kind"] == "NetworkPolicy" and p["metadata"]["name"] == "allow-dns"
    ]
    peers = [(peer, rule["ports"]) for rule in dns["egress"] for peer in rule["to"]]
    blocks = {peer["ipBlock"]["cidr"] for peer, _ in peers if "ipBlock" in peer}
    assert "169.254.20.10/32" in blocks
    namespaces = {
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]: {
            port["port"] for port in ports
        }
        for peer, ports in peers
        if "namespaceSelector" in peer
    }
    assert namespaces["kube-system"] == {53}
    assert namespaces["openshift-dns"] == {5353}


# --- Kubernetes: secrets and overlays ----------------------------------------------------


def test_rendered_manifests_contain_no_secret_values(overlay):
    assert not objects(overlay, "Secret")
    assert not [key for key in config(overlay) if SECRET_LIKE.search(key)]
    for workload in workloads(overlay):
        for name, variable in env(workload).items():
            if SECRET_LIKE.search(name):
                assert "secretKeyRef" in variable.get("valueFrom", {}), name
            assert not re.search(r"://[^:/@$]+:[^@$]+@", variable.get("value", "")), name


def test_dev_verifies_tokens_with_a_secret_reference_and_production_with_jwks_only():
    for deployment in objects("dev", "Deployment").values():
        ref = env(deployment)["EDUCLUSTER_JWT_SECRET"]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "educluster-jwt", "key": "secret"}
    assert "EDUCLUSTER_JWT_JWKS_URL" not in config("dev")
    production = config("production")
    assert production["EDUCLUSTER_JWT_JWKS_URL"].startswith("https://")
    # Found: only the JWKS URL was set, so the algorithms stayed ["HS256"] and the issuer and
    # audience the development ones: every token of the identity provider got 401. The
    # settings the services build from this ConfigMap now load and name RS256 alone.
    settings = AuthSettings(
        jwks_url=production["EDUCLUSTER_JWT_JWKS_URL"],
        algorithms=json.loads(production["EDUCLUSTER_JWT_ALGORITHMS"]),
        issuer=production["EDUCLUSTER_JWT_ISSUER"],
        audience=production["EDUCLUSTER_JWT_AUDIENCE"],
    )
    assert settings.algorithms == ["RS256"] and settings.issuer.startswith("https://")
    for deployment in objects("production", "Deployment").values():
        assert "EDUCLUSTER_JWT_SECRET" not in env(deployment)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_registry_keys_national_identifiers_with_its_own_secret_in_every_overlay(overlay):
    # Found: production verifies tokens by JWKS, so there is no token secret to derive the
    # person key from, and without EDUCLUSTER_REGISTRY_PERSON_KEY_SECRET the registry refused
    # every national identifier.
    deployments = objects(overlay, "Deployment")
    for name, deployment in deployments.items():
        variables = env(deployment)
        if name == "registry":
            ref = variables["EDUCLUSTER_REGISTRY_PERSON_KEY_SECRET"]["valueFrom"]["secretKeyRef"]
            assert ref == {"name": "educluster-registry-person-key", "key": "secret"}
        else:  # only the registry may turn national identifiers into person keys
            assert "EDUCLUSTER_REGISTRY_PERSON_KEY_SECRET" not in variables


def test_production_runs_more_replicas_of_everything_than_dev():
    def minimum(overlay: str) -> int:
        autoscalers = objects(overlay, "HorizontalPodAutoscaler").values()
        return min(autoscaler["spec"]["minReplicas"] for autoscaler in autoscalers)

    def kafka_nodes(overlay: str) -> int:
        return sum(p["spec"]["replicas"] for p in objects(overlay, "KafkaNodePool").values())

    def postgres_instances(overlay: str) -> int:
        return objects(overlay, "Cluster")["educluster-pg"]["spec"]["instances"]

    assert minimum("production") >= 3 > minimum("dev")
    assert kafka_nodes("production") >= 3 > kafka_nodes("dev")
    assert postgres_instances("production") >= 3 > postgres_instances("dev")


def test_production_images_are_pinned_to_one_release_tag():
    images = {container(w)["image"] for w in workloads("production")}
    tags = {image.rsplit(":", 1)[1] for image in images}
    assert len(tags) == 1
    assert re.fullmatch(r"\d+\.\d+\.\d+", tags.pop())


# --- docker-compose.yml ------------------------------------------------------------------


@cache
def compose() -> Obj:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose_service(name: str) -> Obj:
    return compose()["services"][name]


def test_compose_runs_kafka_postgres_one_shot_inits_and_the_four_services():
    assert set(compose()["services"]) == {
        "kafka",
        "postgres",
        "secrets-init",
        "init",
        *SERVICES,
    }


def test_compose_kafka_runs_in_kraft_mode_without_topic_auto_creation():
    kafka = compose_service("kafka")
    assert kafka["image"].startswith("apache/kafka:")
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert str(kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]).lower() == "false"
    assert "PLAINTEXT://kafka:9092" in kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert "healthcheck" in kafka


def test_compose_postgres_is_16_and_its_init_script_creates_every_service_database():
    postgres = compose_service("postgres")
    assert postgres["image"].startswith("postgres:16")
    mount = next(v for v in postgres["volumes"] if "/docker-entrypoint-initdb.d" in v)
    scripts = (ROOT / mount.split(":")[0]).glob("*.sql")
    sql = "\n".join(path.read_text() for path in scripts)
    assert set(re.findall(r"CREATE DATABASE (\w+)", sql)) == set(SERVICES)
    assert "healthcheck" in postgres


def test_compose_init_creates_topics_and_migrates_every_service_once_infrastructure_is_healthy():
    init = compose_service("init")
    script = init["command"][-1]
    assert "educluster topics create" in script
    for name in SERVICES:
        assert f"educluster migrate --service {name}" in script
        assert f"EDUCLUSTER_{name.upper()}_DATABASE_URL" in init["environment"]
    assert init["depends_on"] == {
        "kafka": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
    }
    assert init["restart"] == "no"


def test_compose_services_start_after_init_succeeds_and_check_their_own_port():
    for name, port in SERVICES.items():
        service = compose_service(name)
        assert service["depends_on"]["init"] == {"condition": "service_completed_successfully"}
        assert f"127.0.0.1:{port}/" in " ".join(service["healthcheck"]["test"])


def test_compose_gives_each_service_the_broker_and_only_its_own_database():
    for name in SERVICES:
        environment = compose_service(name)["environment"]
        assert environment["EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        urls = {k: v for k, v in environment.items() if k.endswith("_DATABASE_URL")}
        assert list(urls) == [f"EDUCLUSTER_{name.upper()}_DATABASE_URL"]
        assert re.fullmatch(rf"postgresql\+asyncpg://[^@]+@postgres:5432/{name}", urls.popitem()[1])


def test_compose_publishes_only_the_gateway_on_loopback_and_points_it_at_the_services():
    # Found: "8000:8000" listened on every interface, so anyone on the network reached it.
    services = compose()["services"]
    published = {name: s["ports"] for name, s in services.items() if "ports" in s}
    assert published == {"gateway": ["127.0.0.1:8000:8000"]}
    environment = compose_service("gateway")["environment"]
    for backend in BACKENDS:
        url = environment[f"EDUCLUSTER_GATEWAY_{backend.upper()}_URL"]
        assert url == f"http://{backend}:{SERVICES[backend]}"


def test_compose_holds_no_token_secret_and_generates_one_at_first_start():
    # Found: a fixed HS256 secret in the file let anyone who read it mint a ministry token.
    assert "EDUCLUSTER_JWT_SECRET:" not in (ROOT / "docker-compose.yml").read_text()
    maker = compose_service("secrets-init")
    script = " ".join(maker["command"])
    assert "dev_secret" in script and "create=True" in script
    assert "chown" in script and "10001:10001" in script  # the services' user (Dockerfiles)
    assert maker["environment"] == {"EDUCLUSTER_JWT_SECRET_FILE": "/secrets/jwt-secret"}
    assert maker["volumes"] == ["secrets:/secrets"]
    assert maker["restart"] == "no"
    assert "secrets" in compose()["volumes"]
    for name in ("init", *SERVICES):
        service = compose_service(name)
        assert "EDUCLUSTER_JWT_SECRET" not in service["environment"]
    for name in SERVICES:
        service = compose_service(name)
        assert service["depends_on"]["secrets-init"] == {
            "condition": "service_completed_successfully"
        }
        assert service["environment"]["EDUCLUSTER_JWT_SECRET_FILE"] == "/secrets/jwt-secret"
        assert service["volumes"] == ["secrets:/secrets:ro"]


def test_compose_has_no_other_literal_credential_but_the_local_database_password():
    # Kafka and PostgreSQL are reachable only inside the compose network (not published).
    for name, service in compose()["services"].items():
        for key in service.get("environment", {}):
            if SECRET_LIKE.search(key) and not key.endswith("_FILE"):
                assert (name, key) == ("postgres", "POSTGRES_PASSWORD")


@pytest.mark.parametrize("where", [*OVERLAYS, "compose"])
def test_every_shipped_configuration_limits_the_gateways_request_rate(where):
    # Found: the gateway's default was no limit at all, and only some configurations set one.
    from gateway.config import GatewaySettings

    given = compose_service("gateway")["environment"] if where == "compose" else config(where)
    defaults = GatewaySettings.model_fields
    rate = float(
        given.get("EDUCLUSTER_GATEWAY_RATE_LIMIT_PER_S", defaults["rate_limit_per_s"].default)
    )
    burst = int(
        given.get("EDUCLUSTER_GATEWAY_RATE_LIMIT_BURST", defaults["rate_limit_burst"].default)
    )
    assert rate > 0 and burst >= 1


@pytest.mark.parametrize("where", [*OVERLAYS, "compose"])
def test_the_gateway_keeps_idle_connections_longer_than_clients_and_ingresses_do(where):
    # Found under load: uvicorn's 5 s default closed a client's idle connection just as the
    # next request went out on it (tests/integration/gateway/test_keep_alive.py).
    from educluster.up import GATEWAY_KEEP_ALIVE_S

    if where == "compose":
        value = compose_service("gateway")["environment"]["UVICORN_TIMEOUT_KEEP_ALIVE"]
    else:
        value = env(objects(where, "Deployment")["gateway"])["UVICORN_TIMEOUT_KEEP_ALIVE"]["value"]
    assert int(value) == GATEWAY_KEEP_ALIVE_S > 60  # ingress-nginx keeps upstreams idle 60 s
