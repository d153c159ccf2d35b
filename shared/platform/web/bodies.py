"""The base of every request body: text the databases can store, or a 422 naming the field."""

from typing import Any

from pydantic import BaseModel, field_validator


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    return False  # numbers, dates, and nested bodies (each checks its own fields)


class RequestBody(BaseModel):
    # PostgreSQL cannot store NUL in text (a 500 there) and SQLite would keep it: refuse it
    # in every text field, nested ones too, so both databases answer the same 422.
    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("text may not contain NUL (\\u0000) characters")
        return value
