"""Files streamed into the registry (graduate lists, register extracts): pure, no database.

The body is read as a stream and never held whole: bytes are decoded incrementally (UTF-8, a
leading BOM dropped) and split into lines; CSV records may span lines inside quotes, JSON Lines
records are one line each. ``FileErrors`` keeps a file's errors by line and column (the first
``MAX_LISTED_ERRORS`` listed, all counted) and turns them into the refusal of the whole file.
"""

import codecs
import csv
import json
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Sequence
from typing import Any

from shared.platform.errors import Refused

MAX_LISTED_ERRORS = 100
# No valid record comes near this; a longer one is a wrong file, not a record.
MAX_RECORD_CHARS = 16_384


class CsvUnreadable(Exception):
    """The stream cannot be read on as CSV from ``line`` on (bad encoding, runaway record)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _quote_open_after(text: str, quoted: bool) -> bool:
    """Whether a quoted field is still open after ``text``, given whether one was before.

    Follows the csv module: a quote opens a field only at its start, and ``""`` inside quotes
    is a literal quote. Called only for lines that contain a quote character.
    """
    at_start, just_closed = not quoted, False
    for char in text:
        if quoted:
            if char == '"':
                quoted, just_closed = False, True
            continue
        if char == '"' and (at_start or just_closed):
            quoted = True
        at_start, just_closed = char in ",\r\n", False
    return quoted


async def text_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    """Physical lines with their endings, decoded as UTF-8 (a leading BOM dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    rest, line_no = "", 0
    try:
        async for chunk in chunks:
            parts = (rest + decoder.decode(chunk)).split("\n")
            rest = parts.pop()
            for part in parts:
                line_no += 1
                yield part + "\n"
            if len(rest) > MAX_RECORD_CHARS:
                raise CsvUnreadable(line_no + 1, "line too long: is this a CSV file?")
        rest += decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        where = line_no + 1 + rest.count("\n") + error.object[: error.start].count(b"\n")
        byte = f"0x{error.object[error.start]:02X}"  # the decoder's own reason is English only
        raise CsvUnreadable(
            where, f"not UTF-8 text (byte {byte}): save the file as CSV UTF-8"
        ) from error
    if rest:
        yield rest


async def csv_records(
    chunks: AsyncIterable[bytes],
) -> AsyncGenerator[tuple[int, list[str]], None]:
    """(first line number, fields) of each non-blank CSV record; CRLF or LF line endings."""
    line_no, start, quoted = 0, 0, False
    pending: list[str] = []  # the lines of a record whose quoted field spans lines
    async for line in text_lines(chunks):
        line_no += 1
        if "\x00" in line:  # PostgreSQL cannot store it (a 500), SQLite would keep it
            raise CsvUnreadable(line_no, "text may not contain NUL (\\u0000) characters")
        if not pending:
            start = line_no
            if '"' not in line:  # the common case: no quoting, plain split
                text = line.rstrip("\r\n")
                if text:
                    yield start, text.split(",")
                continue
        pending.append(line)
        quoted = _quote_open_after(line, quoted)
        if quoted:
            if sum(map(len, pending)) > MAX_RECORD_CHARS:
                raise CsvUnreadable(start, "a quoted field is never closed")
            continue
        try:
            fields = next(csv.reader(pending, strict=True), [])
        except csv.Error as error:
            raise _malformed(start, error) from error
        pending = []
        if fields:
            yield start, fields
    if pending:
        raise CsvUnreadable(start, "a quoted field is never closed")


def _malformed(line: int, error: csv.Error) -> CsvUnreadable:
    """The csv module's refusal of the record on ``line``, in our words: its own are English
    only, and speak to a programmer ("do you need to open the file in universal-newline
    mode?")."""
    said = str(error)
    if said.startswith("field larger than field limit"):
        return CsvUnreadable(line, "line too long: is this a CSV file?")
    if said.startswith("new-line character seen in unquoted field"):
        return CsvUnreadable(
            line, "malformed CSV: a carriage return (CR) inside a field that is not quoted"
        )
    if "expected after" in said:  # strict: e.g. "closed"junk
        return CsvUnreadable(
            line,
            "malformed CSV: a field's closing quote must be followed by a comma or the end of "
            "the line",
        )
    return CsvUnreadable(line, "malformed CSV: the record is not CSV as RFC 4180 writes it")


async def jsonl_records(
    chunks: AsyncIterable[bytes],
) -> AsyncGenerator[tuple[int, dict[str, Any] | None], None]:
    """(line number, object) of each non-blank JSON Lines record; None for a line that is not
    a JSON object (the caller says so by its line)."""
    line_no = 0
    async for line in text_lines(chunks):
        line_no += 1
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        yield line_no, value if isinstance(value, dict) else None


class FileErrors:
    """A file's errors, by line (the header is line 1) and column."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self.error_count = 0

    def error(self, line: int, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            loc: list[Any] = ["body", "row", line] + ([column] if column else [])
            self.errors.append({"loc": loc, "msg": message})

    def column_indexes(
        self, line: int, fields: Sequence[str], columns: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, int] | None:
        """Each column's index in a header row; None (with errors) unless it names every
        column in ``columns`` once and nothing but those and ``optional``."""
        names = [f.strip() for f in fields]
        known = (*columns, *optional)
        for name in dict.fromkeys(names):
            if name not in known:
                self.error(line, name, f"unknown column {name!r}; the columns are {known}")
            elif names.count(name) > 1:
                self.error(line, name, f"column {name} appears more than once")
        for name in columns:
            if name not in names:
                self.error(line, name, f"missing column {name}")
        if self.error_count:
            return None
        return {name: names.index(name) for name in known if name in names}

    def file_refusal(self, title: str) -> Refused | None:
        """The refusal of the whole file (None while it has no error)."""
        if not self.error_count:
            return None
        count = self.error_count
        listed = "" if count <= MAX_LISTED_ERRORS else f" (the first {MAX_LISTED_ERRORS})"
        return Refused(
            f"The file has {count} error(s){listed}; nothing was imported.",
            errors=self.errors,
            title=title,
        )
