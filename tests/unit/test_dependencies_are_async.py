"""Every dependency of every route of the four services is a coroutine: FastAPI runs a plain
``def`` dependency, and makes a class dependency, in a worker thread — a hand-off per request
and dependency that cost a single submission more than the dependencies' own work (bench/README.md,
"Ingestion")."""

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from gateway.bootstrap import create_app as gateway_app

from educluster.documents import service_apps


def _in_a_thread(call: Any) -> bool:
    """Whether FastAPI would run ``call`` in its thread pool."""
    if inspect.isclass(call):
        return True
    function = call if inspect.isroutine(call) else type(call).__call__
    return not (inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function))


def _dependencies(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependencies(sub)


def test_no_route_dependency_runs_in_a_worker_thread():
    apps = {**{name: build() for name, build in service_apps().items()}, "gateway": gateway_app()}
    routes = [route for app in apps.values() for route in iter_route_contexts(app.routes)]
    threaded = {
        f"{name}: {getattr(call, '__qualname__', call)}"
        for name, app in apps.items()
        for route in iter_route_contexts(app.routes)  # included routers' routes too
        if (dependant := getattr(route, "dependant", None)) is not None
        for call in _dependencies(dependant)
        if _in_a_thread(call)
    }
    assert len(routes) > 100, "every route was looked at"
    assert threaded == set()
