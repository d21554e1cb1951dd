"""WCAG 2.2 AA for the course's own look: the contrast of every colour pair in our CSS, and feedback that never says
right or wrong by colour alone (`../shared/MEDED.md` section 5). Jupyter's and Voila's own styles are not ours."""

from __future__ import annotations

import re

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import FreeText, MultipleSelect, SingleBestAnswer
from hnscc_edu.rules.grading import grade
from hnscc_edu.ui import render
from hnscc_edu.ui.calculators.common import CALCULATOR_STYLE
from tests.helpers import ROOT

# Voila's light theme puts our HTML on white; a rule without a background of its own shows on that.
PAGE_BACKGROUND = "#ffffff"
TEXT_MINIMUM = 4.5  # WCAG 1.4.3, normal-size text
NON_TEXT_MINIMUM = 3.0  # WCAG 1.4.11, borders that mark out a component
STYLES = {"render.STYLE": render.STYLE, "CALCULATOR_STYLE": CALCULATOR_STYLE}
_HEX = r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#rgb`` or ``#rrggbb`` colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter; from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def css_rules(style: str) -> list[tuple[str, dict[str, str]]]:
    """The ``selector { property: value }`` rules of one ``<style>`` block, properties lower-cased."""
    body = re.sub(r"/\*.*?\*/", "", re.sub(r"</?style>", "", style), flags=re.DOTALL)
    rules = []
    for selector, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", body):
        properties = {}
        for declaration in declarations.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                properties[name.strip().lower()] = value.strip()
        rules.append((" ".join(selector.split()), properties))
    return rules


def _colour(value: str | None) -> str | None:
    match = re.search(_HEX, value or "")
    return match[0] if match else None


def colour_pairs() -> list[tuple[str, str, str, str]]:
    """(where, selector, text colour, background) for every rule of our CSS that sets a text colour."""
    pairs = []
    for where, style in STYLES.items():
        for selector, properties in css_rules(style):
            foreground = _colour(properties.get("color"))
            if foreground:
                background = _colour(properties.get("background") or properties.get("background-color"))
                pairs.append((where, selector, foreground, background or PAGE_BACKGROUND))
    return pairs


def border_pairs() -> list[tuple[str, str, str, str]]:
    """(where, selector, border colour, background) for every rule that draws a coloured border."""
    pairs = []
    for where, style in STYLES.items():
        for selector, properties in css_rules(style):
            for name in ("border", "border-left", "border-color"):
                border = _colour(properties.get(name))
                if border:
                    pairs.append((where, f"{selector} {name}", border, PAGE_BACKGROUND))
                    inside = _colour(properties.get("background"))
                    if inside:
                        pairs.append((where, f"{selector} {name} (inside)", border, inside))
    return pairs


def test_the_contrast_formula_matches_known_values():
    assert contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey on white


def test_the_parser_finds_the_colours_of_our_css():
    found = {selector for _, selector, _, _ in colour_pairs()}
    assert {".hnscc-banner", ".hnscc-feedback", ".hnscc-error", ".hnscc-info", ".hnscc-assumptions"} <= found
    assert len(border_pairs()) >= 6


@pytest.mark.parametrize(
    "where, selector, foreground, background", colour_pairs(), ids=[f"{w}:{s}" for w, s, _, _ in colour_pairs()]
)
def test_text_colours_reach_4_5_to_1(where, selector, foreground, background):
    ratio = contrast_ratio(foreground, background)
    assert ratio >= TEXT_MINIMUM, f"{where} {selector}: {foreground} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize(
    "where, selector, border, background", border_pairs(), ids=[f"{w}:{s}" for w, s, _, _ in border_pairs()]
)
def test_component_borders_reach_3_to_1(where, selector, border, background):
    ratio = contrast_ratio(border, background)
    assert ratio >= NON_TEXT_MINIMUM, f"{where} {selector}: {border} against {background} is {ratio:.2f}:1"


def _results():
    """Real grades of real items: right, wrong, partly right (multiple select) and recorded (free text)."""
    course = load_course(ROOT)
    items = [item for case in course.cases.values() for stage in case.stages for item in stage.items]
    single = next(i for i in items if isinstance(i, SingleBestAnswer))
    multiple = next(i for i in items if isinstance(i, MultipleSelect) and sum(o.correct for o in i.options) >= 2)
    free = next(i for i in items if isinstance(i, FreeText))
    keys = [o.id for o in multiple.options if o.correct]
    return course.references, {
        "Correct": grade(single, next(o.id for o in single.options if o.correct)),
        "Not correct": grade(single, next(o.id for o in single.options if not o.correct)),
        "Partly correct": grade(multiple, keys[:1]),
        "Recorded": grade(free, " ".join(["word"] * max(free.min_words, 1))),
    }


def test_feedback_says_right_or_wrong_in_words_and_icons_not_colour_alone():
    references, results = _results()
    icons = {"Correct": "✔", "Not correct": "✘", "Partly correct": "◐", "Recorded": "✎"}
    for verdict, result in results.items():
        assert result.verdict == verdict
        shown = render.feedback(result, references)
        assert f"<strong>{icons[verdict]} {verdict}</strong>" in shown
        assert 'role="status"' in shown  # announced to screen readers when it appears
        text = re.sub(r"<[^>]+>", "", shown)
        if len(result.feedback) > 1:  # each option is marked in words as well
            assert "applies" in text and "does not apply" in text and "your choice" in text
    # one CSS class for every verdict: nothing in the look tells right from wrong, only the words and icons do
    classes = {re.search(r'class="([^"]+)"', render.feedback(r, references))[1] for r in results.values()}
    assert classes == {"hnscc-feedback"}
