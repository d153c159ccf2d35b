"""Checks every workspace's browser tests make: the page fits a phone with every control
labelled, the focus shows, and each label is in uz, ru and en."""

import re
from pathlib import Path

from playwright.async_api import Page

DASHBOARD = Path(__file__).resolve().parents[2] / "services/gateway/gateway/dashboard"
LANGUAGES = ("uz", "ru", "en")


async def fits_a_phone(page: Page, route: str) -> None:
    """The page as shown: no sideways scrolling, and every control of the view labelled."""
    wide = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0, (route, wide)
    unlabelled = await page.evaluate(
        """() => [...document.querySelectorAll('#view input, #view select, #view textarea')]
            .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label'))
            .map((c) => c.name || c.id)"""
    )
    assert unlabelled == [], (route, unlabelled)


async def focus_ring(page: Page, attribute: str = "tagName") -> list[str]:
    """What has the focus (its ``attribute``, or a ``data-`` field such as dataset.tab), and
    its outline, which must show."""
    outline = await page.evaluate(
        f"(() => {{ const s = getComputedStyle(document.activeElement);"
        f" return [document.activeElement.{attribute}, s.outlineStyle, s.outlineWidth]; }})()"
    )
    assert outline[1] != "none" and outline[2] != "0px", outline
    return outline


def translated_keys(keep: re.Pattern[str] | None = None) -> set[str]:
    """The dashboard's label keys (those ``keep`` matches), once it is checked that uz, ru and
    en have the same ones."""
    i18n = (DASHBOARD / "i18n.js").read_text()
    keys = {}
    for lang in LANGUAGES:
        start = i18n.index(f"\n  {lang}: {{")
        block = i18n[start : i18n.index("\n  },", start)]
        found = set(re.findall(r'^\s+"([^"]+)":', block, re.M))
        keys[lang] = {k for k in found if keep is None or keep.match(k)}
    assert keys["uz"] == keys["ru"] == keys["en"]
    return keys["en"]


def used_keys(pattern: str, *names: str) -> set[str]:
    """The label keys (``pattern``'s first group) the dashboard files ``names`` name."""
    label = re.compile(pattern)
    return {key for name in names for key in label.findall((DASHBOARD / name).read_text())}
