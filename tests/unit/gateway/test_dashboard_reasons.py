"""The dashboard translates the quality API's goal and effect reasons word for word: each one
it knows is one the quality service still writes, and each has a text in every language."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
I18N = (ROOT / "services/gateway/gateway/dashboard/i18n.js").read_text()
QUALITY = "\n".join(path.read_text() for path in (ROOT / "services/quality/quality").rglob("*.py"))


def fixed_reasons() -> dict[str, str]:
    block = I18N[I18N.index("const FIXED_REASONS") :]
    block = block[: block.index("]);")]
    return dict(re.findall(r'\["(.+?)", "(\w+)"\]', block))


def test_every_fixed_reason_is_written_by_the_quality_service():
    reasons = fixed_reasons()
    assert len(reasons) >= 10
    for text in reasons:
        assert f'"{text}"' in QUALITY, text


def test_every_fixed_reason_has_a_text_in_each_language():
    for key in fixed_reasons().values():
        assert I18N.count(f'"reason.{key}":') == 3, key  # uz, ru, en


def reason_patterns() -> list[re.Pattern[str]]:
    block = I18N[I18N.index("const REASONS") :]
    block = block[: block.index("];")]
    return [re.compile(p) for p in re.findall(r"\[/(\^.+?\$)/,", block)]


def test_the_outcomes_known_share_reason_is_translated():
    # Seen in every language as English before: the pattern follows the service's words.
    from quality.domain.index import DEFAULT_METHODOLOGY
    from quality.domain.scoring import too_few_known_reason

    text = too_few_known_reason(DEFAULT_METHODOLOGY)
    assert any(p.match(text) for p in reason_patterns()), text
    assert I18N.count('"reason.few_known":') == 3


def test_the_flows_not_yet_published_reason_is_translated():
    from quality.service_layer.flows import unpublished_reason

    assert any(p.match(unpublished_reason(2026)) for p in reason_patterns())
    assert I18N.count('"reason.flows_unpublished":') == 3
