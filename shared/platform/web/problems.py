"""RFC 9457 problem details for every error a service returns."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.platform.db.failures import (
    is_contention,
    is_unique_violation,
    refuses_connections,
)
from shared.platform.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidQuery,
    NotFound,
    NotKnownYet,
    Refused,
    RuleViolation,
    Unauthenticated,
    Unavailable,
)
from shared.platform.web.problem_texts import (
    CONTENT_LANGUAGE,
    request_language,
    translate,
    validation_message,
)

log = logging.getLogger(__name__)
PROBLEM_CONTENT_TYPE = "application/problem+json"


def _without_null_defaults(schema: dict[str, Any]) -> None:
    # An optional member is left out of a problem, never sent as null: no "default": null.
    for member in schema.get("properties", {}).values():
        if "default" in member and member["default"] is None:
            del member["default"]


class FieldError(BaseModel):
    """One entry of a problem's ``errors``: what was refused, and why (documentation only)."""

    model_config = ConfigDict(json_schema_extra=_without_null_defaults)

    loc: list[str | int] = Field(
        description="Where: the part of the request, then the path into it, e.g. "
        '["body", "tax_id"], ["body", "items", 3, "graduate_id"], ["query", "cursor"], '
        '["header", "Idempotency-Key"]'
    )
    msg: str = Field(description="What is wrong with it")
    type: str | SkipJsonSchema[None] = Field(
        default=None, description="The kind of validation error (request validation only)"
    )


class Problem(BaseModel):
    """An RFC 9457 problem document as ``problem_response`` writes it (documentation only:
    the OpenAPI documents refer to it for every error answer; web/openapi_errors.py)."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_without_null_defaults)

    type: str = Field(description="The problem type (a URI reference); about:blank: see status")
    title: str = Field(description="A short summary of the problem type")
    status: int = Field(ge=400, le=599, description="The HTTP status code")
    detail: str | SkipJsonSchema[None] = Field(
        default=None, description="What went wrong with this request, and what to do about it"
    )
    instance: str | SkipJsonSchema[None] = Field(
        default=None, description="The path of the request that failed"
    )
    errors: list[FieldError] | SkipJsonSchema[None] = Field(
        default=None, description="Each refused field (422, and 400, 409 or 415 naming one)"
    )
    # Extension members some answers carry.
    service: str | SkipJsonSchema[None] = Field(
        default=None, description="The service that failed to answer (the gateway's 502-504)"
    )
    max_body_bytes: int | SkipJsonSchema[None] = Field(
        default=None, description="The gateway's body limit (413)"
    )
    role: str | SkipJsonSchema[None] = Field(
        default=None, description="The caller's role the route refuses (the gateway's 403)"
    )
    route: str | SkipJsonSchema[None] = Field(
        default=None, description="The refused route, as METHOD path (the gateway's 403)"
    )
    checks: dict[str, Any] | SkipJsonSchema[None] = Field(
        default=None, description="Each readiness check and its outcome (/readyz's 503)"
    )


class ProblemError(Exception):
    """Raise from a route or handler to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        type_: str = "about:blank",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.type, self.errors, self.headers = type_, errors, headers


def problem_response(
    *,
    status: int,
    title: str,
    detail: str | None = None,
    type_: str = "about:blank",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
    extra: dict[str, Any] | None = None,
    language: str | None = None,
) -> JSONResponse:
    """The problem document; with ``language`` (problem_texts.request_language), its title,
    detail and each ``errors[].msg`` in that language, said in Content-Language.

    The ``msg`` of an entry with a ``type`` (request validation) is left as it is: the
    validation handler wrote it in the language already, from the error's context."""
    if language is not None:
        title = translate(title, language)
        detail = translate(detail, language) if detail else detail
        if errors is not None:
            errors = [_in_language(entry, language) for entry in errors]
        headers = {**(headers or {}), **_language_headers(language, headers)}
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_CONTENT_TYPE)


def _in_language(entry: dict[str, Any], language: str) -> dict[str, Any]:
    if "type" in entry or not isinstance(entry.get("msg"), str):
        return entry
    return {**entry, "msg": translate(entry["msg"], language)}


def _language_headers(language: str, headers: dict[str, str] | None) -> dict[str, str]:
    vary = (headers or {}).get("Vary")
    return {
        "Content-Language": CONTENT_LANGUAGE[language],
        "Vary": f"{vary}, Accept-Language" if vary else "Accept-Language",
    }


def _as_in_the_body(loc: list[Any], body: Any) -> list[Any]:
    """``loc`` without the parts pydantic adds that name no member of the JSON — the tag of a
    tagged union (``["body", "outcome", "internship", "years"]``), a validator's name — so a
    field is named as the request has it, and as the services' own rules name it."""
    if loc[:1] != ["body"]:
        return loc
    path: list[Any] = ["body"]
    node = body
    for position, part in enumerate(loc[1:], start=2):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and position < len(loc):
            continue  # no such member, and not the last part (a missing member is): added
        else:
            node = None
        path.append(part)
    return path


def _validation_errors(error: RequestValidationError, language: str) -> list[dict[str, Any]]:
    return [
        {
            "loc": _as_in_the_body(list(item.get("loc", ())), error.body),
            "msg": validation_message(item, language),
            "type": item.get("type", "value_error"),
        }
        for item in error.errors()
    ]


def install_problem_handlers(app: FastAPI) -> None:
    # Each answers in the language the request asks for (Accept-Language; problem_texts.py).
    async def on_problem(request: Request, error: ProblemError) -> JSONResponse:
        return problem_response(
            status=error.status,
            title=error.title,
            detail=error.detail,
            type_=error.type,
            errors=error.errors,
            headers=error.headers,
            instance=request.url.path,
            language=request_language(request.scope),
        )

    async def on_validation(request: Request, error: RequestValidationError) -> JSONResponse:
        language = request_language(request.scope)
        errors = _validation_errors(error, language)
        fields = ", ".join(".".join(map(str, e["loc"])) for e in errors)
        return problem_response(
            status=422,
            title="Invalid request",
            detail=f"Check these fields: {fields}",
            errors=errors,
            instance=request.url.path,
            language=language,
        )

    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return problem_response(
            status=error.status_code,
            title=_reason(error.status_code),
            detail=error.detail if isinstance(error.detail, str) else None,
            headers=getattr(error, "headers", None),
            instance=request.url.path,
            language=request_language(request.scope),
        )

    async def on_integrity(request: Request, error: IntegrityError) -> JSONResponse:
        language = request_language(request.scope)
        if not is_unique_violation(error):
            # A foreign-key or NOT NULL failure is a bug of ours, not the client's: a 500.
            log.error("integrity error", exc_info=error)
            return problem_response(
                status=500,
                title="Internal Server Error",
                instance=request.url.path,
                language=language,
            )
        # A uniqueness rule caught a concurrent twin of this request after our own checks.
        return problem_response(
            status=409,
            title="Conflict",
            detail="The change conflicts with another one made at the same time; "
            "read the current state and retry.",
            instance=request.url.path,
            language=language,
        )

    async def on_database_error(request: Request, error: DBAPIError) -> JSONResponse:
        language = request_language(request.scope)
        if is_contention(error):
            # A lock not granted or a statement cut by its timeout: the transaction rolled back.
            return domain_problem(_busy(), instance=request.url.path, language=language)
        if refuses_connections(error):
            return domain_problem(_refusing(), instance=request.url.path, language=language)
        log.error("database error", exc_info=error)
        return problem_response(
            status=500, title="Internal Server Error", instance=request.url.path, language=language
        )

    async def on_pool_timeout(request: Request, _error: PoolTimeout) -> JSONResponse:
        # No write connection free in time: an SQLite file's one writer was busy.
        language = request_language(request.scope)
        return domain_problem(_busy(), instance=request.url.path, language=language)

    async def on_domain_error(request: Request, error: DomainError) -> JSONResponse:
        return domain_problem(
            error, instance=request.url.path, language=request_language(request.scope)
        )

    _handle(app, ProblemError, on_problem)
    _handle(app, DomainError, on_domain_error)
    _handle(app, IntegrityError, on_integrity)
    _handle(app, DBAPIError, on_database_error)
    _handle(app, PoolTimeout, on_pool_timeout)
    _handle(app, RequestValidationError, on_validation)
    _handle(app, StarletteHTTPException, on_http)


def _refusing() -> Unavailable:
    return Unavailable(
        "The database is not accepting connections; nothing was saved. Retry shortly (with the "
        "same Idempotency-Key, if the request has one).",
        retry_after=5,
    )


def _busy() -> Unavailable:
    return Unavailable(
        "The database is busy with other changes; nothing was saved. Retry shortly (with the "
        "same Idempotency-Key, if the request has one).",
        retry_after=2,
    )


E = TypeVar("E", bound=Exception)


def _handle(
    app: FastAPI, kind: type[E], handler: Callable[[Request, E], Awaitable[Response]]
) -> None:
    """Register ``handler`` for ``kind`` (Starlette types every handler with bare Exception)."""

    async def handle(request: Request, error: Exception) -> Response:
        assert isinstance(error, kind)
        return await handler(request, error)

    app.add_exception_handler(kind, handle)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotKnownYet, 409),
    (RuleViolation, 422),
    (NotFound, 404),
    (Forbidden, 403),
    (Unauthenticated, 401),
    (Conflict, 409),
    (InvalidQuery, 400),
    (Unavailable, 503),
    (Refused, 422),
)


def domain_status(error: DomainError) -> int:
    """The HTTP status of a domain error (its most specific kind wins)."""
    if isinstance(error, Refused) and error.retry_after:
        return 409
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 400)


def domain_problem(
    error: DomainError, *, instance: str | None = None, language: str | None = None
) -> JSONResponse:
    """The RFC 9457 problem answering a domain error (in ``language``, when given)."""
    status = domain_status(error)
    retry_after = getattr(error, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    errors: list[dict[str, Any]] | None = None
    if isinstance(error, Refused):
        errors = error.errors
    elif error.loc is not None:
        errors = [error.error()]
    title = getattr(error, "title", None) or (
        "Invalid request" if status == 422 else _reason(status)
    )
    return problem_response(
        status=status,
        title=title,
        detail=str(error),
        errors=errors,
        headers=headers or None,
        instance=instance,
        language=language,
    )
