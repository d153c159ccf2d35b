"""Outgoing integration events of the gateway: none.

The gateway publishes no events (its ServiceSpec says ``publishes=False``). It consumes the
quality service's events and passes them on to clients as server-sent events and webhooks
(service_layer/quality_events.py), which are HTTP, not integration events.
"""
