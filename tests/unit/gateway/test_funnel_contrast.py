"""The funnel plot's marks stand out from what they are drawn on: every colour its rules in
styles.css give a curve, a line or a point, and the legend's swatches of them, has a contrast
ratio of at least 3:1 (WCAG 2.2, 1.4.11 non-text contrast) against the plot area, the panels
and the page, and no two marks that mean different things share a colour."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = ROOT / "services/gateway/gateway/dashboard"
CSS = re.sub(r"/\*.*?\*/", "", (DASHBOARD / "styles.css").read_text(), flags=re.S)
NON_TEXT_CONTRAST = 3.0
# The legend under the funnel (overview.js) names these marks by their classes.
LEGEND = ("overall", "limit-95", "limit-998", "above998", "within", "below998")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|var\(--[\w-]+\)")


def rules() -> list[tuple[str, dict[str, str]]]:
    """Each rule's selector and its declarations (property → value)."""
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        declarations = dict(
            (name.strip(), value.strip())
            for name, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        found += [(s.strip(), declarations) for s in selector.split(",")]
    return found


def variables() -> dict[str, str]:
    return {
        name: value
        for selector, declarations in rules()
        if selector == ":root"
        for name, value in declarations.items()
        if name.startswith("--")
    }


def colour(value: str) -> str | None:
    """The #rrggbb a declaration's value paints with, its var(--name) resolved (None: none)."""
    match = COLOUR.search(value)
    if match is None:
        return None
    found = match.group()
    if found.startswith("var("):
        return colour(variables()[found[4:-1]])
    if len(found) == 4:
        found = "#" + "".join(c * 2 for c in found[1:])
    return found.lower()


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.2)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def backgrounds() -> dict[str, str]:
    """What the funnel is drawn on: its plot area, inside a panel, on the page."""
    plot_area = next(d for s, d in rules() if s == "svg.chart .plot-area")["fill"]
    grounds = {"plot area": plot_area, "panel": "var(--paper)", "page": "var(--ground)"}
    return {name: colour(value) or "" for name, value in grounds.items()}


def funnel_marks() -> dict[str, str]:
    """Selector → the colour it paints a funnel mark with (the points' white ring and unfilled
    curves are not marks)."""
    marks = {}
    for selector, declarations in rules():
        legend = selector.startswith(".swatch.") and selector.removeprefix(".swatch.") in LEGEND
        if not (selector.startswith(".funnel ") or legend):
            continue
        for name in ("stroke", "fill", "background", "border-top"):
            painted = colour(declarations.get(name, ""))
            if painted and not (name == "stroke" and selector == ".funnel circle.unit"):
                marks[f"{selector} {name}"] = painted
    return marks


def test_the_rules_are_read():
    marks = funnel_marks()
    for mark in ("limit-95", "above95", "below95", "above998", "below998", "within"):
        assert any(mark in selector for selector in marks), mark
    assert set(backgrounds().values()) == {"#fbfcfd", "#ffffff", "#f3f6f9"}


def test_one_theme_only():
    # A dark (or other) theme brings backgrounds and colours of its own: check them here too.
    assert "prefers-color-scheme" not in CSS


def test_every_funnel_mark_has_3_to_1_against_what_it_is_drawn_on():
    weak = {
        (selector, painted, ground): round(contrast(painted, behind), 2)
        for selector, painted in funnel_marks().items()
        for ground, behind in backgrounds().items()
        if contrast(painted, behind) < NON_TEXT_CONTRAST
    }
    assert weak == {}


def test_the_positions_are_told_apart_by_colour():
    points = {
        selector.removeprefix(".funnel circle.").removesuffix(" fill"): painted
        for selector, painted in funnel_marks().items()
        if selector.startswith(".funnel circle.") and selector.endswith(" fill")
    }
    assert set(points) == {"within", "above95", "above998", "below95", "below998"}
    assert len(set(points.values())) == len(points)
    limits = [painted for s, painted in funnel_marks().items() if s.startswith(".funnel .limit-")]
    assert len(limits) == len(set(limits)) == 2


def test_axes_quadrant_points_and_field_borders_have_3_to_1_too():
    # The same rule for the other charts' marks and for the edge of a form field (what shows
    # where to type): #8796a5 was 2.8:1 on the page.
    painted = {
        f"{selector} {name}": found
        for selector, declarations in rules()
        if selector.startswith(("svg.chart .axis", ".quadrant ", ".field "))
        for name in ("stroke", "fill", "border")
        if (found := colour(declarations.get(name, "")))
        and f"{selector} {name}" != ".quadrant .ip-point stroke"  # the points' white ring
    }
    assert len(painted) >= 6
    weak = {
        (mark, found, ground): round(contrast(found, behind), 2)
        for mark, found in painted.items()
        for ground, behind in backgrounds().items()
        if contrast(found, behind) < NON_TEXT_CONTRAST
    }
    assert weak == {}
