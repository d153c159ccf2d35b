"""A publication as open data: tidy rows (one per scope, year or pool, and indicator; and one
per scope and graduate flow), their CSV and JSON forms, and the Frictionless Data package that
describes them.

Pure: the routes hand in a publication, its scorecards, its flows and the names they show.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from quality.domain.model import Card, ScopeKey
from quality.domain.publication import FigureKey, Publication

Names = Mapping[ScopeKey, Mapping[str, str | None]]  # name, name_uz, name_ru, name_en
Row = dict[str, Any]

# (column, Frictionless type, description): the order of the CSV's columns.
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("publication", "integer", "the publication's number"),
    ("release", "string", "official or provisional (an interim publication)"),
    ("scope", "string", "program, organization, cluster, region or national"),
    ("scope_id", "string", "the scope's id (a region's ISO 3166-2 code, UZ for the nation)"),
    ("name", "string", "the name as registered"),
    ("name_uz", "string", "the name in Uzbek, where the registry holds it"),
    ("name_ru", "string", "the name in Russian, where the registry holds it"),
    ("name_en", "string", "the name in English, where the registry holds it"),
    ("period", "integer", "the year; with pooled, the last year of the 3-year pool"),
    ("pooled", "boolean", "true: the 3-year pool ending in period"),
    (
        "indicator",
        "string",
        "the indicator's name, index (the composite, 0-100), or flow_ and a graduate flow "
        "(member_employers, focus_sectors, other_in_region, elsewhere: a share of the employed "
        "graduates of cohort period - 1 on its census date)",
    ),
    ("value", "number", "empty when suppressed"),
    ("ci_low", "number", "the interval's lower end, at the methodology's level"),
    ("ci_high", "number", "the interval's upper end"),
    ("n", "integer", "observations behind the value, published even when it is not"),
    ("suppressed", "boolean", "true: the value is withheld, reason says why"),
    ("reason", "string", "why the value is withheld"),
    ("methodology_version", "integer", "the methodology version that computed it"),
)
COLUMNS = tuple(name for name, _, _ in FIELDS)
RESOURCE = "figures"


def rows(publication: Publication, cards: Mapping[FigureKey, Card], names: Names) -> list[Row]:
    """Every figure of the publication as one tidy row, ordered by scope, id, pool, indicator."""
    table: list[Row] = []
    for (key, pooled), card in sorted(cards.items()):
        figures: list[tuple[str, Mapping[str, Any]]] = sorted(card["indicators"].items())
        index = card["index"]
        figures.append(("index", {**index, "n": card["indicators"]["employer_satisfaction"]["n"]}))
        for indicator, figure in figures:
            table.append(
                _row(
                    publication,
                    key,
                    names,
                    pooled=pooled,
                    indicator=indicator,
                    figure=figure,
                    methodology_version=card["methodology_version"],
                )
            )
    return table


def flow_rows(
    publication: Publication,
    flows: Mapping[ScopeKey, Mapping[str, Any]],
    names: Names,
    *,
    methodology_version: int,
) -> list[Row]:
    """Every flow of the scopes given (scope → its flows as the publication states them) as one
    tidy row of the census year the publication is of; ``methodology_version``: that of the
    publication that computed them."""
    return [
        _row(
            publication,
            key,
            names,
            pooled=False,
            indicator=f"flow_{figure['flow']}",
            figure=figure,
            methodology_version=methodology_version,
        )
        for key, document in sorted(flows.items())
        for figure in document["flows"]
    ]


def _row(
    publication: Publication,
    key: ScopeKey,
    names: Names,
    *,
    pooled: bool,
    indicator: str,
    figure: Mapping[str, Any],
    methodology_version: int,
) -> Row:
    named = names.get(key, {})
    return {
        "publication": publication.number,
        "release": publication.release,
        "scope": key[0],
        "scope_id": key[1],
        "name": named.get("name"),
        "name_uz": named.get("name_uz"),
        "name_ru": named.get("name_ru"),
        "name_en": named.get("name_en"),
        "period": publication.period,
        "pooled": pooled,
        "indicator": indicator,
        "value": figure.get("value"),
        "ci_low": figure.get("ci_low"),
        "ci_high": figure.get("ci_high"),
        "n": figure["n"],
        "suppressed": figure["suppressed"],
        "reason": figure.get("reason"),
        "methodology_version": methodology_version,
    }


def to_csv(table: Iterable[Mapping[str, Any]]) -> str:
    """RFC 4180 CSV with a header; empty cells for missing values, true/false for booleans,
    a leading quote on text a spreadsheet would take for a formula."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in table:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): such a
# text cell gets a leading quote, as OWASP advises. Numbers are written as numbers (-0.5 stays).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def datapackage(publication: Publication, *, csv_path: str) -> dict[str, Any]:
    """The Frictionless Data package describing the publication's CSV (``csv_path``, relative
    to the package's own location)."""
    return {
        "profile": "tabular-data-package",
        "name": f"educluster-publication-{publication.number}",
        "title": (
            f"EduCluster quality figures {publication.period}, publication "
            f"{publication.number} ({publication.release})"
        ),
        "version": str(publication.number),
        "created": publication.published_at.isoformat() if publication.published_at else None,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": RESOURCE,
                "path": csv_path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": name, "type": kind, "description": description}
                        for name, kind, description in FIELDS
                    ],
                    "missingValues": [""],
                    "primaryKey": ["scope", "scope_id", "pooled", "indicator"],
                },
            }
        ],
    }
