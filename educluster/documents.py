"""The platform's generated API documents, built from the services' apps at build time.

``python -m educluster.documents openapi`` prints the merged OpenAPI document (docs/openapi.json,
``make schemas``): the gateway's own routes and every service's /api/v1 routes, merged by the
gateway's merge function. The running gateway serves the same merge, fetched from the services
over HTTP. The apps are built (each build sets up logging for its service), never started.
"""

import argparse
import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI


def service_apps() -> dict[str, Callable[[], FastAPI]]:
    """The app factory of each service behind the gateway, in the merge's order."""
    from assessment.bootstrap import create_app as assessment
    from quality.bootstrap import create_app as quality
    from registry.bootstrap import create_app as registry

    return {"registry": registry, "assessment": assessment, "quality": quality}


def merged_openapi() -> dict[str, Any]:
    """The OpenAPI document of every public route, as the gateway serves it."""
    from gateway.bootstrap import create_app as gateway
    from gateway.edge.openapi import gateway_document, merge_openapi

    own = gateway_document(gateway().routes)
    return merge_openapi(own, {name: build().openapi() for name, build in service_apps().items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m educluster.documents", description="print a generated API document"
    )
    parser.add_argument("document", choices=["openapi"])
    parser.parse_args(argv)
    print(json.dumps(merged_openapi(), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
