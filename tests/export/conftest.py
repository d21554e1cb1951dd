"""Shared fixtures of the export tests: the course and the fixture course, a bank of awkward texts, and the QTI
schemas (read from ../shared/schemas/qti or HNSCC_EDU_QTI_SCHEMAS, never copied into the project)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hnscc_edu.content.course import CourseContent, load_course
from hnscc_edu.content.models import ItemBank
from tests.helpers import ROOT, fixture_course

SCHEMAS_ENV = "HNSCC_EDU_QTI_SCHEMAS"

# Every character GIFT, XML and HTML treat specially, a line break, and text that looks like markup.
AWKWARD = "Dose < 60 Gy & \"x\" 'y' {a} ~b =c #d :e \\f %g% <script>alert(1)</script>\nsecond line é"


def _feedback(rationale: str, evidence: str = "consensus") -> dict:
    return {"rationale": rationale, "references": ["fixture-source"], "evidence": evidence}


AWKWARD_BANK = {
    "schema_version": 1,
    "kind": "item_bank",
    "id": "awkward-bank",
    "title": "Awkward <bank> & {title}",
    "purpose": "module",
    "module": 1,
    "governance": {
        "authors": ["tests"],
        "reviewers": ["tests"],
        "last_reviewed": "2026-01-01",
        "next_review_due": "2099-01-01",
        "content_version": "1.0.0",
        "changelog": [{"version": "1.0.0", "date": "2026-01-01", "note": "first"}],
    },
    "items": [
        {
            "id": "1-single",
            "type": "single_best_answer",
            "stem": AWKWARD,
            "objective": "lo1-reirradiation",
            "professions": ["nurse"],
            "options": [
                {"id": "1a", "text": "Key: " + AWKWARD, "correct": True, **_feedback("Right ~ = # { } : " + AWKWARD)},
                {"id": "b", "text": "Other #2 = {x}", **_feedback("Wrong <b>bold</b>", "expert-opinion")},
                {"id": "c", "text": "%5 or 50% ~ 60%", **_feedback("Also wrong \\ backslash")},
            ],
        },
        {
            "id": "multi",
            "type": "multiple_select",
            "stem": "Tick: " + AWKWARD,
            "objective": "lo1-reirradiation",
            "professions": ["nurse"],
            "options": [
                {"id": "a", "text": "k1 =", "correct": True, **_feedback("k1 applies {")},
                {"id": "b", "text": "k2 ~", "correct": True, **_feedback("k2 applies }")},
                {"id": "c", "text": "k3 #", "correct": True, **_feedback("k3 applies :")},
                {"id": "d", "text": "d1 \\", **_feedback("d1 does not apply")},
                {"id": "e", "text": "d2 <i>", **_feedback("d2 does not apply")},
            ],
        },
        {
            "id": "num-relative",
            "type": "numeric",
            "stem": "Relative: " + AWKWARD,
            "objective": "lo1-reirradiation",
            "professions": ["nurse"],
            "answer": {"value": -12.5, "unit": "Gy", "relative_tolerance": 0.04},
            "working": "line one = 1\nline two: {2}",
            "feedback": _feedback("Numeric # feedback"),
        },
        {
            "id": "num-both",
            "type": "numeric",
            "stem": "Both tolerances.",
            "objective": "lo1-reirradiation",
            "professions": ["nurse"],
            "answer": {
                "value": 200.0,
                "unit": "cGy",
                "absolute_tolerance": 3.0,
                "relative_tolerance": 0.01,
                "minimum": 0,
                "maximum": 1000,
            },
            "feedback": _feedback("Wider of the two."),
        },
        {
            "id": "num-exact",
            "type": "numeric",
            "stem": "Exact.",
            "objective": "lo1-reirradiation",
            "professions": ["nurse"],
            "answer": {"value": 3.0, "unit": "fractions"},
            "feedback": _feedback("Exactly three."),
        },
        {
            "id": "essay",
            "type": "free_text",
            "stem": "Explain: " + AWKWARD,
            "objective": "lo1-reirradiation",
            "professions": ["nurse"],
            "min_words": 5,
            "feedback": _feedback("Strong answers say {this} & <that>."),
        },
    ],
}


def _holds_schemas(folder: Path) -> bool:
    return (folder / "qtiv2p1" / "imsqti_v2p1.xsd").is_file() and (folder / "imscp_v1p1.xsd").is_file()


def qti_schema_dir() -> Path:
    """The folder of the 1EdTech XSDs; a clear skip outside CI when absent, a failure under CI."""
    configured = os.environ.get(SCHEMAS_ENV)
    # The project's checkout sits beside ../shared on a developer's machine; a clean clone made elsewhere (CI)
    # finds the machine's shared folder at its usual place.
    candidates = (
        [Path(configured)]
        if configured
        else [*(parent / "shared" / "schemas" / "qti" for parent in ROOT.parents), Path("/work/shared/schemas/qti")]
    )
    folder = next((c for c in candidates if _holds_schemas(c)), candidates[0])
    if not _holds_schemas(folder):
        message = (
            f"the QTI XSDs are not in {folder}; set {SCHEMAS_ENV} to the folder holding qtiv2p1/ and imscp_v1p1.xsd"
        )
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def qti_schemas():
    """(QTI 2.1 schema, IMS CP 1.1 schema), loaded once (about 2 s)."""
    import xmlschema

    folder = qti_schema_dir()
    return (
        xmlschema.XMLSchema(str(folder / "qtiv2p1" / "imsqti_v2p1.xsd")),
        xmlschema.XMLSchema(str(folder / "imscp_v1p1.xsd")),
    )


@pytest.fixture(scope="session")
def course() -> CourseContent:
    content = load_course(ROOT)
    assert content.banks and content.cases, "the course should hold item banks and cases"
    return content


@pytest.fixture(scope="session")
def fixture() -> CourseContent:
    return fixture_course()


@pytest.fixture(scope="session")
def awkward_bank() -> ItemBank:
    return ItemBank.model_validate(AWKWARD_BANK, strict=False)


@pytest.fixture(scope="session")
def fixture_references(fixture):
    return fixture.references


@pytest.fixture(scope="session")
def sources(course, fixture, awkward_bank):
    """Every source the round-trip tests export: the course's banks and cases, the fixture course's, and the awkward
    bank, each with the bibliography its feedback cites."""
    from hnscc_edu.export.common import select_sources, source_of

    found = [(s, course.references) for s in select_sources(course)]
    found += [(s, fixture.references) for s in select_sources(fixture)]
    found.append((source_of(awkward_bank), fixture.references))
    return found
