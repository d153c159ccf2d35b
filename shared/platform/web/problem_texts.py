"""The language of a problem's texts: chosen by Accept-Language, translated by the catalog.

Every problem is written in English where it is raised; the web edge translates its ``title``,
``detail`` and each ``errors[].msg`` into the language the client prefers (RFC 9110 §12.5.4:
``uz``, ``uz-Latn``, ``ru`` or ``en``, with q-values; anything else gets English). The texts
live in problem_catalog.py: an English template, compiled here once into a regular expression,
matches the rendered message, and the values it captured fill the Uzbek or Russian template.
Machine-readable members (``type``, ``status``, ``loc``, ``errors[].type``) never change.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from shared.platform.web.problem_catalog import MESSAGES, NOUNS, STATUS_TITLES, VALIDATION

LANGUAGES = ("uz", "ru", "en")
DEFAULT_LANGUAGE = "en"
LANGUAGES_BY_DEFAULT = ("en", "uz", "ru")  # what "*" picks: the first not refused
# What a problem's Content-Language says: Uzbek is written in Latin script here.
CONTENT_LANGUAGE = {"uz": "uz-Latn", "ru": "ru", "en": "en"}
# The catalog's translations of each: (uz, ru).
_COLUMN = {"uz": 0, "ru": 1}

_PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
_QVALUE = re.compile(r"q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)", re.IGNORECASE)


def negotiate(accept_language: str | None) -> str:
    """The language of the answer: the client's most preferred one we write (RFC 9110
    §12.5.4 with q-values; ``*`` is any, ``q=0`` is "not this one"), else English."""
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, parameters = item.partition(";")
        tag = tag.strip().lower()
        quality = _quality(parameters)
        if tag and quality is not None:
            ranges.append((quality, position, tag))
    refused = {_language_of(tag) for quality, _, tag in ranges if quality == 0}
    for quality, _, tag in sorted(ranges, key=lambda r: (-r[0], r[1])):
        if quality == 0:
            break
        if tag == "*":
            chosen = next((lang for lang in LANGUAGES_BY_DEFAULT if lang not in refused), None)
        else:
            chosen = _language_of(tag)
        if chosen is not None and chosen not in refused:
            return chosen
    return DEFAULT_LANGUAGE


def _quality(parameters: str) -> float | None:
    """A range's weight: 1 without one, None when it is malformed (the range is ignored)."""
    parameters = parameters.strip()
    if not parameters:
        return 1.0
    match = _QVALUE.fullmatch(parameters.replace(" ", ""))
    return float(match.group(1)) if match else None


def _language_of(tag: str) -> str | None:
    """Which of our languages a language range asks for (uz in Cyrillic script is not ours)."""
    primary, *rest = tag.split("-")
    if primary == "uz":
        return None if "cyrl" in rest else "uz"
    return primary if primary in ("ru", "en") else None


def request_language(scope: Mapping[str, Any]) -> str:
    """The negotiated language of an ASGI request (``request.scope`` of a FastAPI one)."""
    values = [
        value.decode("latin-1")
        for name, value in scope.get("headers", ())
        if name == b"accept-language"
    ]
    return negotiate(",".join(values)) if values else DEFAULT_LANGUAGE


# -- the catalog, compiled -----------------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    kinds: dict[str, str]  # placeholder → "" (kept), "noun" or "text" (translated in turn)
    translations: tuple[str, str]
    literal_chars: int  # more literal text: a more specific template, tried first


def _compile(english: str, translations: tuple[str, str]) -> _Template:
    parts, kinds, position = [], {}, 0
    for found in _PLACEHOLDER.finditer(english):
        parts.append(re.escape(english[position : found.start()]))
        name, kind = found.group(1), found.group(2) or ""
        if name in kinds:
            parts.append(f"(?P={name})")
        elif kind == "noun":
            nouns = "|".join(map(re.escape, sorted(NOUNS, key=len, reverse=True)))
            parts.append(f"(?P<{name}>{nouns})")
        else:  # a text may be empty (e.g. a list's " (the first 100)" when it is whole)
            parts.append(f"(?P<{name}>.*?)" if kind == "text" else f"(?P<{name}>.+?)")
        kinds[name] = kind
        position = found.end()
    parts.append(re.escape(english[position:]))
    literal = len(_PLACEHOLDER.sub("", english))
    return _Template(re.compile("".join(parts), re.DOTALL), kinds, translations, literal)


def _phrases() -> dict[str, tuple[str, str]]:
    titles = {HTTPStatus(status).phrase: text for status, text in STATUS_TITLES.items()}
    return titles | {
        english: text for english, text in MESSAGES.items() if not _PLACEHOLDER.search(english)
    }


_EXACT = _phrases()
_TEMPLATES = sorted(
    (_compile(english, text) for english, text in MESSAGES.items() if _PLACEHOLDER.search(english)),
    key=lambda template: -template.literal_chars,
)


def translate(text: str, language: str) -> str:
    """``text`` (an English problem text) in ``language``; as it is when the catalog does not
    know it."""
    if language not in _COLUMN:
        return text
    found = translation(text, language)
    return text if found is None else found


def translation(text: str, language: str, *, strict: bool = False) -> str | None:
    """``text`` in ``language`` (uz or ru), or None when no catalog entry matches it.

    ``strict``: a ``{name:text}`` value must be translated too, unless it has no letters (the
    completeness test, whose sample values are numbers)."""
    column = _COLUMN[language]
    if text in _EXACT:
        return _EXACT[text][column]
    for template in _TEMPLATES:
        match = template.pattern.fullmatch(text)
        if match is None:
            continue
        values = _values(match.groupdict(), template.kinds, language, strict=strict)
        if values is not None:
            return fill(template.translations[column], values)
    return None


def _values(
    captured: Mapping[str, str], kinds: Mapping[str, str], language: str, *, strict: bool
) -> dict[str, str] | None:
    values = {}
    for name, value in captured.items():
        if kinds[name] == "noun":
            values[name] = NOUNS[value][_COLUMN[language]]
        elif kinds[name] == "text":
            inner = translation(value, language, strict=strict)
            if inner is None and strict and any(c.isalpha() for c in value):
                return None
            values[name] = value if inner is None else inner
        else:
            values[name] = value
    return values


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by its value; ``{name:one|few|many}`` is the
    Russian plural form of the word for the number ``name``."""

    def replace(found: re.Match[str]) -> str:
        name, forms = found.group(1), found.group(2)
        if name not in values:
            return found.group(0)
        value = values[name]
        return _plural(value, forms.split("|")) if forms and "|" in forms else str(value)

    return _PLACEHOLDER.sub(replace, template)


def _plural(value: object, forms: list[str]) -> str:
    try:
        n = abs(int(str(value).replace(",", "")))
    except ValueError:
        return forms[-1]
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[-1]


# -- request validation errors ----------------------------------------------------------------

_OR = {"uz": " yoki ", "ru": " или "}


def validation_message(error: Mapping[str, Any], language: str) -> str:
    """One pydantic error's ``msg`` in ``language``, from its ``type`` and ``ctx``."""
    english = str(error.get("msg", "invalid"))
    if language not in _COLUMN:
        return english
    kind, ctx = str(error.get("type", "")), dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        # A validator's own message, e.g. "Value error, <what the validator said>".
        inner = ctx.get("error")
        if inner is None and "reason" in ctx:
            # A library's check ends its message with the library's English reason (EmailStr:
            # "value is not a valid email address: <email-validator's>"): ours stops before it.
            english = english.removesuffix(f": {ctx['reason']}")
        return translate(str(inner) if inner is not None else english, language)
    template = VALIDATION.get(kind, VALIDATION["*"])[_COLUMN[language]]
    if "expected" in ctx:
        ctx["expected"] = _or_list(str(ctx["expected"]), language)
    return fill(template, {name: _shown(value) for name, value in ctx.items()})


def _or_list(expected: str, language: str) -> str:
    # pydantic lists the allowed values as "'a', 'b' or 'c'".
    head, sep, last = expected.rpartition(" or ")
    return f"{head}{_OR[language]}{last}" if sep else expected


def _shown(value: object) -> object:
    return (
        ", ".join(map(str, value))
        if isinstance(value, Iterable) and not isinstance(value, str)
        else value
    )
