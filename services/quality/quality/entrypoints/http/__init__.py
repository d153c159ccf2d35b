"""The quality service's HTTP routers, one per resource.

Order matters: the fixed paths (``/methodology``, ``/alerts``, ``/clusters/…``) come before
``/{scope}/{scope_id}``, whose scope would otherwise refuse them.
"""

from fastapi import APIRouter

from quality.entrypoints.http import analysis, methodology, scores

ROUTERS: tuple[APIRouter, ...] = (methodology.router, analysis.router, scores.router)
