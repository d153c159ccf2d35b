"""Who is calling, and whether their role may call this route at all: decided before forwarding.

The bearer token is verified with shared.platform.auth's TokenVerifier; verified tokens are kept
in a bounded LRU cache until their ``exp``, so a client's requests after its first cost a dictionary
lookup instead of a signature check and two JSON decodes. The role × route matrix is
gateway.edge.access: indexed here by method and resource, so a request is matched against the few
rules of its own resource rather than all of them. The Authorization header travels on
unchanged: each service verifies the token again for its object-level rules.
"""

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jwt
from starlette.responses import Response
from starlette.types import Scope

from gateway.edge.access import CODE_HOLDER, PUBLIC, RULES, Rule
from gateway.edge.routes import API_PREFIX
from shared.platform.auth import Identity, TokenVerifier
from shared.platform.auth_settings import AuthSettings, OidcSettings
from shared.platform.errors import DomainError
from shared.platform.web.problem_texts import request_language
from shared.platform.web.problems import domain_problem, problem_response

_AUTHORIZATION = b"authorization"
_BEARER = b"bearer "
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class TokenCache:
    """Verified tokens and who they identify, least recently used first out, each until its exp."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[bytes, tuple[Identity, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: bytes, *, now: float) -> Identity | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        identity, expires_at = entry
        if now >= expires_at:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return identity

    def put(self, token: bytes, identity: Identity, *, expires_at: float, now: float) -> None:
        if self.size <= 0 or now >= expires_at:
            return
        self._entries[token] = (identity, expires_at)
        self._entries.move_to_end(token)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)


class CachingTokenVerifier(TokenVerifier):
    """shared.platform.auth's TokenVerifier with a cache of the tokens it has verified.

    A cached token is trusted until its ``exp`` (a token that verified once stays valid until
    then: its signature, issuer, audience and ``nbf`` do not change). Also on ``app.state``, so
    the gateway's own routes (``CurrentIdentity``) share the cache.
    """

    def __init__(
        self,
        settings: AuthSettings,
        oidc: OidcSettings | None = None,
        *,
        cache_size: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(settings, oidc)
        self.cache = TokenCache(cache_size)
        self._clock = clock

    def verify(self, token: str) -> Identity:
        raw = token.encode("latin-1", "replace")
        identity = self.cache.get(raw, now=self._clock())
        if identity is None:
            identity = super().verify(token)
            self._remember(raw, token, identity)
        return identity

    async def identify(self, token: bytes) -> Identity:
        """Who the token identifies (cached); a 401 ProblemError when it is not valid."""
        identity = self.cache.get(token, now=self._clock())
        if identity is not None:
            return identity
        text = token.decode("latin-1")
        if self.fetches_keys:  # PyJWKClient fetches a stale key set with blocking I/O
            identity = await asyncio.to_thread(super().verify, text)
        else:
            identity = super().verify(text)
        self._remember(token, text, identity)
        return identity

    def _remember(self, raw: bytes, token: str, identity: Identity) -> None:
        # Verified a moment ago, so the payload decodes and carries an integer exp.
        expires_at = jwt.decode(token, options={"verify_signature": False})["exp"]
        self.cache.put(raw, identity, expires_at=float(expires_at), now=self._clock())


class AccessIndex:
    """gateway.edge.access.rule_for, indexed by (method, resource) with patterns compiled once.

    rule_for tries every rule in turn and builds each rule's pattern per call (~40 µs for a path
    matching none); here a request is tried only against its own resource's rules, in the same
    order, so the first match is the same rule (a unit test holds the two to each other).
    """

    def __init__(self, rules: Iterable[Rule] = RULES) -> None:
        compiled = [(rule, _resource(rule.path), _pattern(rule.path)) for rule in rules]
        keys = {(rule.method, resource) for rule, resource, _ in compiled}
        self._index: dict[tuple[str, str | None], tuple[tuple[re.Pattern[str], Rule], ...]] = {
            (method, resource): tuple(
                (pattern, rule)
                for rule, own, pattern in compiled
                if rule.method == method and own in (resource, None)
            )
            for method, resource in keys | {(rule.method, None) for rule, _, _ in compiled}
        }

    def rule_for(self, method: str, path: str) -> Rule | None:
        method = "GET" if method == "HEAD" else method
        path = path.rstrip("/") or "/"
        candidates = self._index.get((method, _resource(path)))
        if candidates is None:
            candidates = self._index.get((method, None), ())
        for pattern, rule in candidates:
            if pattern.fullmatch(path) is not None:
                return rule
        return None

    def methods_for(self, path: str) -> list[str]:
        """The methods some rule lists for ``path`` (HEAD with GET), sorted: a 405's Allow."""
        methods = {method for method, _ in self._index if self.rule_for(method, path)}
        return sorted(methods | ({"HEAD"} if "GET" in methods else set()))


def _resource(path: str) -> str | None:
    """The first segment under /api/v1, or None when it is not a literal one."""
    if not path.startswith(API_PREFIX):
        return None
    resource = path[len(API_PREFIX) :].partition("/")[0]
    return None if "*" in resource else resource


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path).replace(r"\*", "[^/]+"))


@dataclass(frozen=True, slots=True)
class Caller:
    """The outcome of authentication: who, or nobody, or why the token was refused."""

    identity: Identity | None = None
    refusal: Response | None = None
    # An Authorization header that is not a usable bearer token; dropped if forwarded anonymously.
    stray_authorization: bool = False


class Access:
    """Authentication (bearer JWT) and the coarse role × route decision for /api/v1 requests."""

    def __init__(
        self,
        verifier: CachingTokenVerifier,
        *,
        public_scores: bool,
        index: AccessIndex | None = None,
    ) -> None:
        self.verifier = verifier
        self.public_scores = public_scores
        self.index = index or AccessIndex()

    async def authenticate(self, scope: Scope) -> Caller:
        header = _authorization(scope)
        if header is None:
            return Caller()
        if header[:7].lower() != _BEARER or not header[7:].strip():
            return Caller(stray_authorization=True)
        try:
            return Caller(identity=await self.verifier.identify(header[7:].strip()))
        except DomainError as error:
            refusal = domain_problem(
                error, instance=scope["path"], language=request_language(scope)
            )
            return Caller(refusal=refusal)

    def authorize(self, scope: Scope, caller: Caller) -> Response | None:
        """None when the request may go on; otherwise the 401, 403, 404 or 405 problem."""
        if caller.refusal is not None:
            return caller.refusal
        method, path = scope["method"], scope["path"]
        language = request_language(scope)
        rule = self.index.rule_for(method, path)
        if rule is None:
            return self._unlisted(method, path, language)
        identity = caller.identity
        if identity is None:
            public = PUBLIC in rule.roles and self.public_scores
            if public or CODE_HOLDER in rule.roles:
                if caller.stray_authorization:
                    scope["headers"] = _without_authorization(scope["headers"])
                return None
            return _unauthorized("a bearer token is required", path, language)
        if identity.role in rule.roles:
            return None
        return problem_response(
            status=403,
            title="Forbidden",
            detail=f"the role {identity.role} may not call {rule.method} {rule.path}",
            instance=path,
            extra={"role": identity.role, "route": f"{rule.method} {rule.path}"},
            language=language,
        )

    def _unlisted(self, method: str, path: str, language: str) -> Response:
        # Deny by default: a service never sees a method and path the matrix does not list,
        # so a route added to a service is unreachable until someone decides who may call it.
        allow = self.index.methods_for(path)
        if not allow:
            return problem_response(
                status=404,
                title="Not Found",
                detail=f"no route answers {path}",
                instance=path,
                language=language,
            )
        return problem_response(
            status=405,
            title="Method Not Allowed",
            detail=f"{method} is not allowed on {path}; allowed: {', '.join(allow)}",
            headers={"Allow": ", ".join(allow)},
            instance=path,
            language=language,
        )


def _authorization(scope: Scope) -> bytes | None:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for name, value in headers:
        if name == _AUTHORIZATION:
            return value
    return None


def _without_authorization(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in headers if name != _AUTHORIZATION]


def _unauthorized(detail: str, path: str, language: str) -> Response:
    # The same document a service gives for the same reason (shared.platform.auth), so a
    # client sees one answer whether the gateway or the service refused.
    return problem_response(
        status=401,
        title="Unauthorized",
        detail=detail,
        headers=_CHALLENGE,
        instance=path,
        language=language,
    )
