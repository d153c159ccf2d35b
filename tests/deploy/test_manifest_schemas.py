"""Every object the overlays render validates strictly against its kind's schema, offline.

The schemas are committed in tests/fixtures/k8s-schemas/ (README.md there): Kubernetes 1.32's for
the built-in kinds, and for the custom resources (Strimzi, CloudNativePG, the Barman Cloud
plugin, the Prometheus Operator) their CRDs' schemas from the releases docs/deploy.md requires.
Strict as `kubeconform -strict`: a field the schema does not name is an error (a typo the API
server would drop, or a field of another version), except where a CRD preserves unknown fields.
A kind without a committed schema, built-in or custom, is an error, so a new one cannot slip in
unvalidated.
"""

from __future__ import annotations

import copy
import gzip
import json
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from test_deploy_manifests import OVERLAYS, ROOT, Obj, render

SCHEMAS = ROOT / "tests" / "fixtures" / "k8s-schemas"
OBJECT_META = {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
COMBINATORS = ("allOf", "anyOf", "oneOf", "not")


def strict(schema: Any, *, alternative: bool = False) -> Any:
    """``schema`` with ``additionalProperties: false`` wherever it lists properties.

    Not inside allOf/anyOf/oneOf/not: there properties only constrain the enclosing object,
    which (structural schemas) names them all itself.
    """
    if isinstance(schema, list):
        return [strict(item, alternative=alternative) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = dict(schema)
    for key in ("properties", "patternProperties", "$defs"):
        if key in schema:
            result[key] = {name: strict(sub) for name, sub in schema[key].items()}
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict | list):
            result[key] = strict(schema[key])
    for key in COMBINATORS:
        if key in schema:
            result[key] = strict(schema[key], alternative=True)
    if (
        "properties" in schema
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
        and not alternative
    ):
        result["additionalProperties"] = False
    return result


@cache
def validators() -> dict[str, Draft202012Validator]:
    """A validator per "<apiVersion>/<Kind>"; custom resources' metadata is ObjectMeta."""
    documents = [json.loads(gzip.decompress(f.read_bytes())) for f in SCHEMAS.glob("*.json.gz")]
    defs = {name: strict(s) for d in documents for name, s in d.get("$defs", {}).items()}
    found: dict[str, Draft202012Validator] = {}
    for document in documents:
        for key, schema in document["kinds"].items():
            assert key not in found, f"{key} is vendored twice"
            schema = strict(schema)
            if "$ref" not in schema:  # a CRD's schema leaves metadata to the API server
                schema["properties"]["metadata"] = OBJECT_META
            found[key] = Draft202012Validator({**schema, "$defs": defs})
    return found


def problems(obj: Obj) -> list[str]:
    name = f"{obj.get('kind')} {obj.get('metadata', {}).get('name')}"
    api_version = str(obj.get("apiVersion"))
    validator = validators().get(f"{api_version}/{obj.get('kind')}")
    if validator is None:
        return [f"{name}: no committed schema for {api_version} (generate.py)"]
    return [
        f"{name}: {error.json_path}: {error.message}"
        for error in sorted(validator.iter_errors(obj), key=lambda e: e.json_path)
    ]


def first(overlay: str, kind: str) -> Obj:
    return copy.deepcopy(next(o for o in render(overlay) if o["kind"] == kind))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_object_validates_strictly_against_its_kinds_schema(overlay):
    found = [problem for obj in render(overlay) for problem in problems(obj)]
    assert found == []


def test_an_unknown_field_in_a_kubernetes_object_is_an_error():
    deployment = first("production", "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    deployment["metadata"]["label"] = {"a": "b"}
    (metadata_error, container_error) = problems(deployment)
    assert "'readinessprobe' was unexpected" in container_error
    assert "$.metadata" in metadata_error and "'label' was unexpected" in metadata_error


def test_a_kind_without_a_committed_schema_is_an_error_built_in_or_custom():
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "l"}}
    assert problems(lease) == [
        "Lease l: no committed schema for coordination.k8s.io/v1 (generate.py)"
    ]
    # A CRD kind the overlays do not render yet: its schema is not committed.
    connect = {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaConnect",
        "metadata": {"name": "c"},
    }
    assert problems(connect) == [
        "KafkaConnect c: no committed schema for kafka.strimzi.io/v1 (generate.py)"
    ]


def test_a_misspelled_field_in_a_strimzi_resource_is_an_error():
    kafka = first("production", "Kafka")
    kafka["spec"]["entityOperator"]["topicOperater"] = {}
    (error,) = problems(kafka)
    assert error.startswith("Kafka educluster: $.spec.entityOperator: ")
    assert "'topicOperater' was unexpected" in error


def test_a_misspelled_field_in_a_cloudnative_pg_resource_is_an_error():
    cluster = first("production", "Cluster")
    cluster["spec"]["storage"]["sizee"] = cluster["spec"]["storage"].pop("size")
    (error,) = problems(cluster)
    assert error.startswith("Cluster educluster-pg: $.spec.storage: ")
    assert "'sizee' was unexpected" in error


def test_strictness_leaves_alternatives_to_the_object_that_names_every_field():
    # Strimzi's "one of these fields" rules: each alternative names only its own field.
    schema = {
        "type": "object",
        "properties": {"kind": {"type": "string"}, "a": {}, "b": {}},
        "oneOf": [{"properties": {"a": {}}, "required": ["a"]}, {"required": ["b"]}],
    }
    validator = Draft202012Validator(strict(schema))
    assert validator.is_valid({"kind": "k", "a": 1})
    assert not validator.is_valid({"kind": "k", "a": 1, "c": 1})
