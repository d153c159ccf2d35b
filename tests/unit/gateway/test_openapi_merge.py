"""The gateway's merge of the services' OpenAPI documents into its own (edge/openapi.py)."""

import copy

import pytest
from gateway.edge.openapi import merge_openapi

GATEWAY = {
    "openapi": "3.1.0",
    "info": {"title": "EduCluster API", "version": "1.0.0"},
    "paths": {"/api/v1/events": {"get": {"tags": ["events"]}}},
    "components": {"schemas": {"HTTPValidationError": {"type": "object"}}},
}


def service(path: str, schema: str, **extra_schemas) -> dict:
    return {
        "paths": {
            path: {"get": {"tags": ["things"], "summary": "x"}, "post": {"summary": "untagged"}},
            "/healthz": {"get": {"tags": ["operations"]}},
        },
        "components": {"schemas": {schema: {"type": "object"}, **extra_schemas}},
    }


def test_service_api_paths_join_the_gateways_with_their_tags_named_by_service():
    merged = merge_openapi(
        GATEWAY,
        {
            "registry": service("/api/v1/regions", "RegionPublic"),
            "quality": service("/api/v1/quality/scores", "ScorePublic"),
        },
    )
    assert list(merged["paths"]) == [
        "/api/v1/events",
        "/api/v1/quality/scores",
        "/api/v1/regions",
    ]
    assert merged["paths"]["/api/v1/regions"]["get"]["tags"] == ["registry: things"]
    assert merged["paths"]["/api/v1/regions"]["post"]["tags"] == []
    assert merged["paths"]["/api/v1/events"]["get"]["tags"] == ["events"]
    assert list(merged["components"]["schemas"]) == [
        "HTTPValidationError",
        "RegionPublic",
        "ScorePublic",
    ]
    assert merged["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    assert merged["security"] == [{"bearer": []}]


def test_the_documents_given_are_left_as_they_were():
    gateway, registry = copy.deepcopy(GATEWAY), service("/api/v1/regions", "RegionPublic")
    before = copy.deepcopy(registry)
    merge_openapi(gateway, {"registry": registry})
    assert gateway == GATEWAY and registry == before


def test_a_schema_name_two_services_define_alike_is_merged_and_one_defined_apart_refused():
    same = {"Figure": {"type": "number"}}
    merged = merge_openapi(
        GATEWAY,
        {"a": service("/api/v1/a", "A", **same), "b": service("/api/v1/b", "B", **same)},
    )
    assert merged["components"]["schemas"]["Figure"] == {"type": "number"}
    with pytest.raises(ValueError, match="'Figure' of b differs"):
        merge_openapi(
            GATEWAY,
            {
                "a": service("/api/v1/a", "A", Figure={"type": "number"}),
                "b": service("/api/v1/b", "B", Figure={"type": "string"}),
            },
        )
