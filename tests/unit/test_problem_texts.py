"""Problem texts in Uzbek (Latin), Russian and English: negotiation, translation, completeness.

The completeness test reads every module of services/*/ and shared/ (migrations and tests
aside) and finds each problem text it can raise: the message of a domain error, the title and
detail of a ProblemError or problem_response, a validator's ValueError, the ``msg`` of an
``errors`` entry, and the texts handed on through helpers (a function whose parameter ends up
in one of those is followed to its callers). Each text, its interpolations filled with sample
numbers, must translate into uz and ru: a new English message without a translation fails here.
"""

import ast
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydantic_core
import pytest
from pydantic import BaseModel, Field, ValidationError

from shared.platform.web import problem_catalog
from shared.platform.web.problem_texts import (
    fill,
    negotiate,
    request_language,
    translate,
    translation,
    validation_message,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "7"  # what an interpolation the walk cannot follow is rendered as


# -- the walk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hole:
    """An interpolation: the enclosing function's parameter ``param``, or any value (None)."""

    param: str | None = None


Parts = tuple[str | Hole, ...]


@dataclass(frozen=True)
class Wrapper:
    """A callable whose arguments ``params`` end up in a problem text shaped ``template``."""

    params: tuple[str, ...]
    template: Parts
    origin: str = ""  # the module that defines it


def _seed(params: str, *template: str | Hole) -> Wrapper:
    return Wrapper(tuple(params.split()), template)


MESSAGE = Hole("message")
SEEDS: dict[str, list[Wrapper]] = {
    **{
        name: [_seed("message", MESSAGE)]
        for name in (
            "DomainError",
            "Conflict",
            "Forbidden",
            "Unauthenticated",
            "Unavailable",
            # Exceptions whose message becomes a problem's detail further on.
            "TooManyStreams",
            "InvalidAlgorithmError",
            "InvalidTokenError",
        )
    },
    "Refused": [_seed("message", MESSAGE), _seed("_ title", Hole("title"))],
    "RuleViolation": [_seed("field message", MESSAGE)],
    "NotKnownYet": [_seed("field message", MESSAGE)],
    "InvalidQuery": [_seed("loc message", MESSAGE), _seed("_ _ title", Hole("title"))],
    "NotFound": [_seed("what key", Hole("what"), " ", Hole("key"), " does not exist")],
    "ProblemError": [_seed("_ title", Hole("title")), _seed("_ _ detail", Hole("detail"))],
    "problem_response": [_seed("title", Hole("title")), _seed("_ detail", Hole("detail"))],
    "MethodologyFieldError": [_seed("field message", Hole("field"), ": ", MESSAGE)],
    "CsvUnreadable": [_seed("line message", MESSAGE)],
    "Unanswered": [
        _seed("service", "the ", Hole("service"), " service did not send its API document")
    ],
}
# Where a ValueError's message reaches a client: request validators (a 422's "Value error,
# ...") and the methodology's own checks (a RuleViolation of the new version).
VALUE_ERROR_FILES = (
    "*/entrypoints/*.py",
    "shared/platform/web/*.py",
    "*/quality/domain/index.py",
    "*/quality/domain/suppression.py",
    "*/quality/domain/rounding.py",
)
# Functions whose return values are problem texts handed on in variables.
MESSAGE_FUNCTIONS = ("not_eligible", "graduation_year_problem", "_classify", "_too_large_detail")
LOGGERS = ("log", "logger", "logging")


def source_files() -> Iterator[Path]:
    for pattern in ("services/*/*/**/*.py", "shared/**/*.py"):
        for path in sorted(ROOT.glob(pattern)):
            if not {"migrations", "tests"} & set(path.parts):
                yield path


def scope_of(path: Path) -> str:
    """Helpers are followed within a service (and from shared/ everywhere)."""
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "services" else "shared"


def alternatives(expr: ast.expr, params: tuple[str, ...]) -> list[Parts]:
    """The texts ``expr`` may be (an opaque value is one Hole)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [(expr.value,)]
    if isinstance(expr, ast.JoinedStr):
        parts: list[str | Hole] = []
        for value in expr.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                assert isinstance(value, ast.FormattedValue)
                inner = value.value
                named = isinstance(inner, ast.Name) and inner.id in params
                parts.append(Hole(inner.id if named else None))
        return [tuple(parts)]
    if isinstance(expr, ast.Name) and expr.id in params:
        return [(Hole(expr.id),)]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left, right = alternatives(expr.left, params), alternatives(expr.right, params)
        return [a + b for a in left for b in right]
    if isinstance(expr, ast.IfExp):
        return alternatives(expr.body, params) + alternatives(expr.orelse, params)
    return [(Hole(None),)]


def merged(parts: Parts) -> Parts:
    out: list[str | Hole] = []
    for part in parts:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        elif part != "":
            out.append(part)
    return tuple(out)


def call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id in LOGGERS:
            return None
        return func.attr
    return None


def bound(call: ast.Call, wrapper: Wrapper, param: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == param:
            return keyword.value
    i = wrapper.params.index(param)
    if i < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: i + 1]):
        return call.args[i]
    return None


@dataclass(frozen=True)
class Site:
    where: str
    parts: Parts

    @property
    def text(self) -> str:
        return "".join(SAMPLE if isinstance(p, Hole) else p for p in self.parts)

    @property
    def shape(self) -> str:
        return "".join("{}" if isinstance(p, Hole) else p for p in self.parts)


Found = tuple[ast.AST, str | None, tuple[str, ...]]


def relevant(node: ast.AST, function: str | None, params: tuple[str, ...]) -> Iterator[Found]:
    """The calls, dicts and message functions of a module, each with the function it is in
    (its name and parameters)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        function, params = node.name, (*names, *(a.arg for a in node.args.kwonlyargs))
        if node.name in MESSAGE_FUNCTIONS:
            yield node, function, params
    if isinstance(node, ast.Call | ast.Dict):
        yield node, function, params
    for child in ast.iter_child_nodes(node):
        yield from relevant(child, function, params)


class Walk:
    """Every problem text of the code base, followed through the helpers that hand one on."""

    def __init__(self) -> None:
        self.wrappers = {("shared", name): set(found) for name, found in SEEDS.items()}
        self.called: set[tuple[str, str | None]] = set()
        self.sites: set[Site] = set()
        self.pending: dict[tuple[str, str | None], set[Site]] = {}
        self.opaque: set[str] = set()  # whole messages held in variables: not followed

    def run(self) -> "Walk":
        found = [
            (path, *found)
            for path in source_files()
            for found in relevant(ast.parse(path.read_text()), None, ())
        ]
        while True:  # until no new helper is found
            count = sum(map(len, self.wrappers.values()))
            self.sites, self.pending, self.opaque = set(), {}, set()
            for path, node, function, params in found:
                self.visit(path, node, function, params)
            if sum(map(len, self.wrappers.values())) == count:
                break
        # A helper's own text counts when nobody calls it with a text of their own.
        for key, sites in self.pending.items():
            if key not in self.called:
                self.sites |= sites
        return self

    def visit(
        self, path: Path, node: ast.AST, function: str | None, params: tuple[str, ...]
    ) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self.returns(path, node)
        elif isinstance(node, ast.Call):
            self.call(path, node, function, params)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "msg":
                    for parts in alternatives(value, params):
                        self.record(path, node, function, params, merged(parts))

    def returns(self, path: Path, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None:
                values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                for value in values:
                    for parts in alternatives(value, ()):
                        if any(isinstance(p, str) for p in parts):
                            self.record(path, node, None, (), merged(parts))

    def call(
        self, path: Path, call: ast.Call, function: str | None, params: tuple[str, ...]
    ) -> None:
        name = call_name(call)
        if name is None:
            return
        scope = scope_of(path)
        wrappers = self.wrappers.get(("shared", name), set()) | self.wrappers.get(
            (scope, name), set()
        )
        if name == "ValueError" and any(path.relative_to(ROOT).match(p) for p in VALUE_ERROR_FILES):
            wrappers = {_seed("message", MESSAGE)}
        for wrapper in wrappers:
            wanted = [p.param for p in wrapper.template if isinstance(p, Hole) and p.param]
            if any(bound(call, wrapper, p) is None for p in wanted):
                continue
            if (wrapper.origin, name) != (str(path), function):  # not a call to itself
                self.called.add((wrapper.origin, name))
            for parts in self.filled(call, wrapper, params):
                self.record(path, call, function, params, parts)

    def filled(self, call: ast.Call, wrapper: Wrapper, params: tuple[str, ...]) -> list[Parts]:
        choices: list[list[Parts]] = []
        for part in wrapper.template:
            if isinstance(part, Hole):
                expr = bound(call, wrapper, part.param) if part.param else None
                choices.append([(Hole(None),)] if expr is None else alternatives(expr, params))
            else:
                choices.append([(part,)])
        return [merged(sum(combo, ())) for combo in itertools.product(*choices)]

    def record(
        self, path: Path, node: ast.AST, function: str | None, params: tuple[str, ...], parts: Parts
    ) -> None:
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        holes = {p.param for p in parts if isinstance(p, Hole) and p.param}
        anonymous = tuple(Hole(None) if isinstance(p, Hole) else p for p in parts)
        if not any(isinstance(p, str) for p in parts):
            if not holes:
                self.opaque.add(where)
        elif holes:
            self.pending.setdefault((str(path), function), set()).add(Site(where, anonymous))
        else:
            self.sites.add(Site(where, anonymous))
        if holes and function is not None:
            wrapper = Wrapper(params, parts, str(path))
            self.wrappers.setdefault((scope_of(path), function), set()).add(wrapper)


@pytest.fixture(scope="module")
def walk() -> Walk:
    return Walk().run()


def _catalog_shapes() -> set[str]:
    return {re.sub(r"\{[^{}]*\}", "{}", english) for english in problem_catalog.MESSAGES}


def _untranslated(walk: Walk, language: str) -> list[str]:
    shapes = _catalog_shapes()
    missing = {}
    for site in walk.sites:
        if translation(site.text, language, strict=True) is None and site.shape not in shapes:
            missing.setdefault(site.shape, site.where)
    return sorted(f"{where}: {shape!r}" for shape, where in missing.items())


def test_the_walk_finds_the_problem_texts_of_every_service_and_of_shared(walk):
    found = {site.where.split("/")[0] + "/" + site.where.split("/")[1] for site in walk.sites}
    assert {"services/registry", "services/assessment", "services/quality"} <= found
    assert {"services/gateway", "shared/platform"} <= found
    assert len({site.shape for site in walk.sites}) > 250
    texts = {site.text for site in walk.sites}
    # Followed through helpers: known_facts.known(what=...), access.require(..., detail).
    assert "employer 7 is not active" in texts
    assert "only the ministry manages regions" in texts
    assert "graduation_year must be between 7 and 7" in texts  # a returned message


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_every_problem_text_the_code_can_raise_has_a_translation(walk, language):
    assert _untranslated(walk, language) == []


def test_only_the_known_variables_hold_whole_messages_the_walk_cannot_follow(walk):
    # Each of these hands on a message built elsewhere, which the walk finds at its source:
    # not_eligible() and graduation_year_problem() (MESSAGE_FUNCTIONS), the methodology's
    # ValueErrors (VALUE_ERROR_FILES), CsvUnreadable, a RuleViolation's str() and the
    # gateway's _classify() and _too_large_detail().
    opaque = {where.rsplit(":", 1)[0] for where in walk.opaque}
    assert opaque <= {
        "services/assessment/assessment/service_layer/assessments.py",
        "services/gateway/gateway/edge/limits.py",
        "services/gateway/gateway/edge/proxy.py",
        "services/quality/quality/domain/methodology.py",
        "services/registry/registry/domain/graduate_csv.py",
        "services/registry/registry/domain/rules.py",
        "services/registry/registry/service_layer/employment_import.py",
        "services/registry/registry/service_layer/graduate_import.py",
        "shared/platform/errors.py",
        "shared/platform/web/problems.py",
    }


# -- the catalog itself ------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)(?::[^{}]*)?\}")


def test_each_translation_uses_the_placeholders_of_its_english_template():
    for english, texts in problem_catalog.MESSAGES.items():
        names = set(PLACEHOLDER.findall(english))
        for text in texts:
            assert text and text != english, english
            assert set(PLACEHOLDER.findall(text)) == names, (english, text)


def test_uzbek_is_written_in_latin_script_with_the_modifier_letter_turned_comma():
    uzbek = [uz for uz, _ in problem_catalog.MESSAGES.values()]
    uzbek += [uz for uz, _ in problem_catalog.STATUS_TITLES.values()]
    uzbek += [uz for uz, _ in problem_catalog.VALIDATION.values()]
    uzbek += [uz for uz, _ in problem_catalog.NOUNS.values()]
    for text in uzbek:
        assert not re.search("[А-Яа-яЁё]", text), text
        # oʻ and gʻ take U+02BB, never an apostrophe or a backtick.
        assert not re.search("[OoGg]['`‘’]", text), text


def test_russian_is_written_in_cyrillic():
    for english, (_, ru) in problem_catalog.MESSAGES.items():
        assert re.search("[А-Яа-яЁё]", ru), english


def test_each_template_of_the_catalog_round_trips_with_sample_values():
    noun = next(iter(problem_catalog.NOUNS))
    for english in problem_catalog.MESSAGES:

        def sample(found: re.Match[str]) -> str:
            return noun if found.group(0).endswith(":noun}") else "12"

        text = re.sub(r"\{\w+(?::[^{}]*)?\}", sample, english)
        for language in ("uz", "ru"):
            assert translation(text, language, strict=True) is not None, (english, text)


# -- negotiation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("ru", "ru"),
        ("uz", "uz"),
        ("uz-Latn", "uz"),
        ("uz-latn-UZ", "uz"),
        ("UZ", "uz"),
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-GB", "en"),
        ("de", "en"),
        ("fr-CH, fr;q=0.9, de;q=0.7", "en"),
        ("de, ru;q=0.5", "ru"),
        ("en;q=0.5, uz;q=0.9", "uz"),
        ("ru;q=0.3, uz;q=0.3", "ru"),  # equal weights: the first listed
        ("*", "en"),
        ("de, *;q=0.5", "en"),
        ("en;q=0, *", "uz"),
        ("ru;q=0, de", "en"),
        ("en;q=0, uz;q=0, ru;q=0, *", "en"),  # nothing left: English all the same
        ("uz;q=0, ru", "ru"),
        ("uz-Cyrl, ru;q=0.8", "ru"),  # Uzbek in Cyrillic script is not what we write
        ("ru;q=2, uz", "uz"),  # a malformed weight: that range is ignored
        ("ru;q=0.0001, uz;q=0.1", "uz"),
        (" ru ; q=0.8 , uz ; q=0.7", "ru"),
    ],
)
def test_accept_language_chooses_the_language_by_quality_then_order(header, language):
    assert negotiate(header) == language


def test_the_language_of_an_asgi_request_comes_from_its_accept_language_headers():
    assert request_language({"headers": [(b"accept-language", b"ru")]}) == "ru"
    assert request_language({"headers": [(b"accept", b"*/*")]}) == "en"
    assert request_language({}) == "en"


# -- translation --------------------------------------------------------------------------------


def test_an_f_string_message_round_trips_keeping_its_interpolated_values():
    message = "this employer already employs this graduate in that period (01HX-EMP-9)"
    assert translate(message, "ru") == (
        "Этот работодатель уже нанял этого выпускника на тот же период (01HX-EMP-9)"
    )
    assert "01HX-EMP-9" in translate(message, "uz")
    assert translate(message, "en") == message


def test_a_not_found_translates_the_thing_named_and_keeps_its_key():
    assert translate("program P-17 does not exist", "uz") == "dastur P-17 mavjud emas"
    assert translate("program P-17 does not exist", "ru") == "программа P-17 не существует"


def test_a_message_nested_in_another_is_translated_in_turn():
    reason = (
        "not eligible: this employer's employment of the graduate in 2024 is claimed; it must "
        "be confirmed by the graduate's institution (or the graduate) or verified in a register "
        "import before the employer may assess the graduate"
    )
    ru = translate(f"{reason} (if it was confirmed moments ago, retry shortly)", "ru")
    assert "2024" in ru and "claimed" in ru
    assert not re.search("[a-z]{4,} [a-z]{4,}", ru.replace("claimed", "")), ru


def test_an_unknown_message_is_kept_in_english():
    assert translate("something nobody wrote down", "uz") == "something nobody wrote down"


def test_russian_plural_forms_follow_the_number():
    forms = "{n} {n:ошибка|ошибки|ошибок}"
    assert [fill(forms, {"n": n}) for n in (1, 2, 5, 11, 21, 112)] == [
        "1 ошибка",
        "2 ошибки",
        "5 ошибок",
        "11 ошибок",
        "21 ошибка",
        "112 ошибок",
    ]


class Registration(BaseModel):
    name: str = Field(min_length=3, max_length=5)
    year: int = Field(ge=2000, le=2030)
    kind: str = Field(pattern="^(education|employer)$")
    tags: list[str] = Field(min_length=1)


def _errors(**body: object) -> dict[str, dict]:
    with pytest.raises(ValidationError) as caught:
        Registration.model_validate(body)
    return {str(e["loc"][0]): dict(e) for e in caught.value.errors()}


def test_pydantic_errors_are_translated_from_their_type_and_context():
    errors = _errors(name="ab", year=1999, kind="x", tags=[])
    assert validation_message(errors["name"], "ru") == "Минимальная длина — 3 символа"
    assert validation_message(errors["name"], "uz") == "Kamida 3 ta belgi boʻlishi kerak"
    assert validation_message(errors["year"], "uz") == "Qiymat 2000 dan kichik boʻlmasligi kerak"
    assert validation_message(errors["year"], "ru") == "Значение должно быть не меньше 2000"
    assert validation_message(errors["tags"], "ru") == "Нужно не меньше 1 элемента"
    assert "^(education|employer)$" in validation_message(errors["kind"], "uz")
    assert validation_message(errors["name"], "en") == errors["name"]["msg"]
    long = _errors(name="abcdefgh", year="soon", kind="employer", tags=["a"])
    assert validation_message(long["name"], "ru") == "Максимальная длина — 5 символов"
    assert validation_message(long["year"], "uz") == "Butun son boʻlishi kerak"
    missing = _errors(year=2020, kind="employer", tags=["a"])
    assert validation_message(missing["name"], "uz") == "Toʻldirilishi shart"
    assert validation_message(missing["name"], "ru") == "Обязательное поле"


def test_a_validators_value_error_is_translated_by_its_message():
    error = {
        "type": "value_error",
        "msg": "Value error, a registration date may not be in the future",
        "ctx": {"error": ValueError("a registration date may not be in the future")},
    }
    assert validation_message(error, "ru") == "Дата регистрации не может быть в будущем"


def test_an_enum_lists_its_values_with_the_languages_or():
    error = {
        "type": "enum",
        "msg": "Input should be 'a', 'b' or 'c'",
        "ctx": {"expected": "'a', 'b' or 'c'"},
    }
    assert (
        validation_message(error, "uz") == "Quyidagilardan biri boʻlishi kerak: 'a', 'b' yoki 'c'"
    )
    assert validation_message(error, "ru") == "Допустимые значения: 'a', 'b' или 'c'"


# Python-only errors: no JSON request body can cause them.
PYTHON_ONLY = {
    "no_such_attribute",
    "needs_python_object",
    "recursion_loop",
    "recursion_depth_exceeded",
    "frozen_field",
    "frozen_instance",
    "get_attribute_error",
    "model_attributes_type",
    "dataclass_type",
    "dataclass_exact_type",
    "named_tuple_type",
    "default_factory_not_called",
    "none_required",
    "iterable_type",
    "iteration_error",
    "string_unicode",
    "frozen_dict_type",
    "ordered_dict_type",
    "counter_type",
    "mapping_type",
    "deque_type",
    "set_item_not_hashable",
    "bytes_type",
    "bytes_invalid_encoding",
    "missing_sentinel_error",
    "ellipsis_error",
    "datetime_object_invalid",
    "time_delta_type",
    "time_delta_parsing",
    "is_instance_of",
    "is_subclass_of",
    "callable_type",
    "arguments_type",
    "missing_argument",
    "unexpected_keyword_argument",
    "missing_keyword_only_argument",
    "unexpected_positional_argument",
    "missing_positional_only_argument",
    "multiple_argument_values",
    "fraction_type",
    "fraction_parsing",
    "complex_type",
    "complex_str_parsing",
    "invalid_key",
    "json_type",
    "int_parsing_size",
}


def test_every_pydantic_error_a_request_can_cause_has_a_translation():
    kinds = {e["type"] for e in pydantic_core._pydantic_core.list_all_errors()}
    handled = set(problem_catalog.VALIDATION) | {"value_error", "assertion_error"}
    assert kinds - PYTHON_ONLY - handled == set()
    for kind, example in ((e["type"], e) for e in pydantic_core._pydantic_core.list_all_errors()):
        if kind in PYTHON_ONLY or kind in ("value_error", "assertion_error"):
            continue
        error = {
            "type": kind,
            "msg": example["message_template_python"],
            "ctx": example.get("example_context") or {},
        }
        for language in ("uz", "ru"):
            text = validation_message(error, language)
            assert "{" not in text and text != error["msg"], (kind, language, text)


def test_every_error_status_has_its_title_in_each_language():
    from http import HTTPStatus

    assert {s.value for s in HTTPStatus if s.value >= 400} <= set(problem_catalog.STATUS_TITLES)
    assert translate("Unprocessable Entity", "ru") == "Необрабатываемый запрос"


def test_a_problem_response_in_a_language_says_so_and_changes_only_its_texts():
    import json

    from shared.platform.web.problems import problem_response

    errors = [
        {"loc": ["body", "tax_id"], "msg": "taxpayer id already registered (ORG-1)"},
        {"loc": ["body", "name"], "msg": "Minimal", "type": "string_too_short"},
    ]
    answer = problem_response(
        status=409,
        title="Conflict",
        detail="the cluster is closed",
        errors=errors,
        headers={"Vary": "Authorization"},
        instance="/api/v1/x",
        language="ru",
    )
    assert answer.headers["content-language"] == "ru"
    assert answer.headers["vary"] == "Authorization, Accept-Language"
    assert json.loads(answer.body) == {
        "type": "about:blank",
        "title": "Конфликт",
        "status": 409,
        "detail": "Кластер закрыт",
        "instance": "/api/v1/x",
        "errors": [
            {"loc": ["body", "tax_id"], "msg": "Этот ИНН уже зарегистрирован (ORG-1)"},
            # Request validation wrote its msg in the language already, from its context.
            {"loc": ["body", "name"], "msg": "Minimal", "type": "string_too_short"},
        ],
    }
    english = problem_response(status=409, title="Conflict", detail="the cluster is closed")
    assert "content-language" not in english.headers
    assert json.loads(english.body)["detail"] == "the cluster is closed"
