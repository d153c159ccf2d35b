"""No third-party library's English reaches a client asking in Uzbek or Russian: what
email-validator, PyJWT, the csv module and the UTF-8 decoder say of a refused value is told in
our own words, which the catalog translates."""

import csv
import re
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from assessment.entrypoints.schemas import ReminderSubscriptionSet
from pydantic import AnyHttpUrl, BaseModel, ValidationError
from registry.domain.streamed_files import CsvUnreadable, csv_records
from registry.entrypoints.schemas import OrganizationCreate

from shared.platform import auth
from shared.platform.auth import TokenVerifier
from shared.platform.auth_settings import AuthSettings
from shared.platform.errors import Unauthenticated
from shared.platform.web.problem_texts import translate, translation, validation_message

# Two Latin words in a row in Russian: what is left when a library's English went through.
ENGLISH = re.compile(r"[A-Za-z][a-z]{2,}[ -][A-Za-z][a-z]{2,}")  # not acronyms: CSV UTF-8


def assert_in_language(text: str, language: str) -> None:
    """The catalog translates all of ``text``, every part of it that has words (strict)."""
    assert translation(text, language, strict=True) is not None, text
    if language == "ru":
        assert not ENGLISH.search(translate(text, language)), translate(text, language)


# -- email-validator (EmailStr) -----------------------------------------------------------------


def email_error(model: type[BaseModel], body: dict[str, object]) -> dict[str, object]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    [error] = [e for e in caught.value.errors() if "email" in str(e["loc"][-1])]
    return dict(error)


ORGANIZATION = {
    "kind": "employer",
    "subtype": "company",
    "name": "Artel",
    "region_code": "UZ-TO",
    "tax_id": "301234567",
}
REMINDERS = {"language": "ru"}


@pytest.mark.parametrize(
    ("model", "body"),
    [(OrganizationCreate, ORGANIZATION | {"contact_email": address}) for address in ("hr", "a@b")]
    + [(ReminderSubscriptionSet, REMINDERS | {"email": "hr@@artel.uz"})],
)
def test_an_invalid_email_address_is_refused_in_our_words_not_email_validators(model, body):
    error = email_error(model, body)
    reason = str(error["ctx"]["reason"])  # email-validator's own English, e.g. "...@-sign."
    assert validation_message(error, "ru") == "Некорректный адрес электронной почты"
    assert validation_message(error, "uz") == "Elektron pochta manzili notoʻgʻri"
    for language in ("ru", "uz"):
        assert reason not in validation_message(error, language)


# -- PyJWT -------------------------------------------------------------------------------------

SETTINGS = AuthSettings(secret="unit-test-secret-0123456789abcdefghij")


def token(*, secret: str = SETTINGS.secret or "", algorithm: str = "HS256", **changes) -> str:
    now = int(time.time())
    claims = {
        "sub": "u1",
        "role": "ministry",
        "iat": now,
        "exp": now + 600,
        "iss": SETTINGS.issuer,
        "aud": SETTINGS.audience,
    } | changes
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm)


def refusal(raw: str) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as refused:
        TokenVerifier(SETTINGS).verify(raw)
    return refused.value


def pyjwt_tokens() -> dict[str, str]:
    now = int(time.time())
    good = token()
    head, body, signature = good.split(".")
    return {
        "expired": token(exp=now - 3600, iat=now - 4000),
        "not yet valid": token(nbf=now + 3600),
        "another key": token(secret="another-secret-0123456789abcdefghijklmn"),
        "tampered signature": f"{head}.{body}.{signature[:-4]}AAAA",
        "wrong issuer": token(iss="https://elsewhere.example"),
        "wrong audience": token(aud="someone-else"),
        "no exp": token(exp=None),
        "subject not a string": token(sub=42),
        "not a JWT": "abc.def.ghi",
        "one segment": "abc",
        "bad padding": f"{head}.{body}x.{signature}",
    }


@pytest.mark.parametrize("case", sorted(pyjwt_tokens()))
def test_a_token_pyjwt_refuses_is_explained_in_our_words_in_each_language(case):
    error = refusal(pyjwt_tokens()[case])
    said_by_pyjwt = str(error.__cause__)
    assert said_by_pyjwt and said_by_pyjwt not in str(error), str(error)
    assert str(error).startswith("invalid token: ")
    for language in ("ru", "uz"):
        assert_in_language(str(error), language)


def test_an_expired_token_says_so_in_russian_and_still_names_its_claim():
    now = int(time.time())
    error = refusal(token(exp=now - 3600, iat=now - 4000))
    assert translate(str(error), "ru") == "Недействительный токен: срок действия истёк"
    assert error.loc == ["token", "exp"]  # the dashboard asks to sign in again for this one


def test_an_algorithm_not_allowed_is_named_in_our_words():
    error = refusal(token(algorithm="HS512", secret=(SETTINGS.secret or "") * 2))
    assert translate(str(error), "ru") == "Недействительный токен: алгоритм 'HS512' не разрешён"


# -- the csv module and the UTF-8 decoder (CsvUnreadable) ---------------------------------------


async def one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def unreadable(data: bytes) -> CsvUnreadable:
    with pytest.raises(CsvUnreadable) as refused:
        async for _ in csv_records(one_chunk(data)):
            pass
    return refused.value


LIBRARY_WORDS = ("expected after", "new-line", "field limit", "contains NUL", "byte", "end of data")


@pytest.mark.parametrize(
    "data",
    [
        b'a,b\nS-1,"closed"junk\n',  # csv: ',' expected after '"'
        b'a,b\nS-1\r2,"quoted"\n',  # csv: new-line character seen in unquoted field
        b'a,b\n"' + b"x" * 140_000 + b'",y\n',  # csv: field larger than field limit
        b"a,b\nS-1,Bad \xff byte\n",  # UTF-8: invalid start byte
        b"a,b\nS-1,\xd0\n",  # UTF-8: unexpected end of data
        b"a,b\nS-1,Nul \x00 byte\n",  # PostgreSQL cannot store it: refused, by line
    ],
)
async def test_an_unreadable_line_is_explained_in_our_words_in_each_language(data):
    # The csv module's field limit is process-wide, and frictionless (which other tests run in
    # this process) raises it: the services run with Python's default.
    raised = csv.field_size_limit(131_072)  # Python's default
    try:
        error = await unreadable(data)
    finally:
        csv.field_size_limit(raised)
    assert error.line == 2
    for language in ("ru", "uz"):
        assert_in_language(str(error), language)
        assert not any(word in translate(str(error), language) for word in LIBRARY_WORDS)


@pytest.mark.parametrize("kind", [kind for kind, _, _ in auth._REFUSALS] + [jwt.PyJWTError])
def test_each_kind_of_pyjwt_refusal_has_a_reason_of_ours_in_each_language(kind):
    error = auth._refusal(kind("what PyJWT would say"))
    assert "PyJWT" not in str(error)
    for language in ("ru", "uz"):
        assert_in_language(str(error), language)


# -- pydantic's JSON and URL parsers ------------------------------------------------------------


class WithUrl(BaseModel):
    url: AnyHttpUrl


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_a_body_that_is_not_json_and_a_bad_url_are_refused_without_the_parsers_english(
    language,
):
    with pytest.raises(ValidationError) as not_json:
        WithUrl.model_validate_json('{"url": ')
    with pytest.raises(ValidationError) as bad_url:
        WithUrl.model_validate({"url": "http://exa mple.org:99999"})
    for error in (*not_json.value.errors(), *bad_url.value.errors()):
        said = validation_message(dict(error), language)
        assert str(error["ctx"]["error"]) not in said, said
        if language == "ru":
            assert not ENGLISH.search(said), said
