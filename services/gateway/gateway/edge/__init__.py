"""The gateway's edge: what every /api/v1 request passes before a service sees it.

The route table (routes.py), the role × route matrix (access.py), authentication and the
access decision (identity.py), rate, body and header limits (limits.py, headers.py), the proxy
itself (proxy.py) with its pool of upstream connections (upstreams.py), and the merged API
documents (openapi.py).
"""
