"""The gateway's own HTTP routes: quality events (SSE), webhook subscriptions, the dashboard."""

from fastapi import APIRouter

from gateway.entrypoints.http import dashboard, events, subscriptions

ROUTERS: tuple[APIRouter, ...] = (events.router, subscriptions.router, dashboard.router)
