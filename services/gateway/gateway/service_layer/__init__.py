"""Use cases of the gateway's own: quality events for SSE and webhooks."""
