"""QTI 1.2 for Canvas: items read back equal the item bank, and the package has the structure text2qti (a widely
used Canvas QTI generator) gives the same items."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

import lxml.html
from lxml import etree
from text2qti.config import Config
from text2qti.qti import QTI
from text2qti.quiz import Quiz

from hnscc_edu.export import qti12
from hnscc_edu.export.common import select_sources
from tests.export.expected import assert_choice_scores, assert_feedback, assert_numeric_range, exported

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _ours(source, references) -> dict[str, bytes]:
    output = qti12.export(source, references)
    return _unzip(output.files[f"{source.id}-qti12.zip"])


def _assessment(files: dict[str, bytes]):
    (name,) = [n for n in files if n.endswith(".xml") and "/" in n and not n.endswith("assessment_meta.xml")]
    return etree.fromstring(files[name])


def _html_paragraphs(markup: str) -> list[str]:
    return [p.text_content() for p in lxml.html.fragments_fromstring(markup) if not isinstance(p, str)]


def _html_text(markup: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(markup, create_parent="div").itertext())


def _metadata(item) -> dict[str, str]:
    return {
        f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", default="", namespaces=NS)
        for f in item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS)
    }


def _check_item(item, element, references) -> None:
    meta = _metadata(element)
    expected_type = {
        "single_best_answer": "multiple_choice_question",
        "multiple_select": "multiple_answers_question",
        "numeric": "numerical_question",
        "free_text": "essay_question",
    }[item.type]
    assert meta["question_type"] == expected_type
    assert float(meta["points_possible"]) == (0.0 if item.type == "free_text" else 1.0)
    stem_markup = element.findtext("q:presentation/q:material/q:mattext", namespaces=NS)
    assert _html_paragraphs(stem_markup)[0] == item.stem
    feedback = {
        f.get("ident"): f.findtext("q:flow_mat/q:material/q:mattext", namespaces=NS)
        for f in element.findall("q:itemfeedback", NS)
    }
    conditions = element.findall("q:resprocessing/q:respcondition", NS)
    final = [c for c in conditions if c.get("continue") == "No"]
    shown = {}
    for condition in conditions:
        link = condition.find("q:displayfeedback", NS)
        if link is not None:
            equal = condition.find("q:conditionvar/q:varequal", NS)
            shown[equal.text if equal is not None else None] = feedback[link.get("linkrefid")]
    if item.type in ("single_best_answer", "multiple_select"):
        labels = element.findall("q:presentation/q:response_lid/q:render_choice/q:response_label", NS)
        ids = {label.get("ident"): option.id for label, option in zip(labels, item.options, strict=True)}
        texts = [_html_paragraphs(label.findtext("q:material/q:mattext", namespaces=NS))[0] for label in labels]
        assert texts == [o.text for o in item.options]
        (rule,) = final
        assert rule.findtext("q:setvar", namespaces=NS) == "100"
        if item.type == "single_best_answer":
            keys = [ids[rule.findtext("q:conditionvar/q:varequal", namespaces=NS)]]
            weights = {o.id: 1.0 if o.id in keys else 0.0 for o in item.options}
        else:
            every = rule.find("q:conditionvar/q:and", NS)
            keys = [ids[v.text] for v in every.findall("q:varequal", NS)]
            distractors = [ids[v.text] for v in every.findall("q:not/q:varequal", NS)]
            assert sorted(keys + distractors) == sorted(ids.values())
            # Canvas's multiple-answers rule: each key earns 1/k, each distractor chosen takes 1/k away, floor 0.
            weights = {o.id: (1.0 if o.id in keys else -1.0) / len(keys) for o in item.options}
        assert keys == [o.id for o in item.options if o.correct]
        assert_choice_scores(item, weights)
        for ident, option_id in ids.items():
            option = next(o for o in item.options if o.id == option_id)
            assert_feedback(_html_text(shown[ident]), option, references)
    elif item.type == "numeric":
        (rule,) = final
        either = rule.find("q:conditionvar/q:or", NS)
        assert float(either.findtext("q:varequal", namespaces=NS)) == item.answer.value
        low = float(either.findtext("q:and/q:vargte", namespaces=NS))
        high = float(either.findtext("q:and/q:varlte", namespaces=NS))
        assert_numeric_range(item, low, high)
        assert_feedback(_html_text(shown[None]), item.feedback, references)
    else:
        assert all(c.find("q:setvar", NS) is None for c in conditions)  # never scored
        assert_feedback(_html_text(shown[None]), item.feedback, references)


def test_items_read_back_equal_the_item_bank(sources):
    seen = set()
    for source, references in sources:
        assessment = _assessment(_ours(source, references))
        assert assessment.find("q:assessment", NS).get("title") == source.title
        elements = assessment.findall("q:assessment/q:section/q:item", NS)
        assert [e.get("ident") for e in elements] == [item.id for item in exported(source)]
        for item, element in zip(exported(source), elements, strict=True):
            _check_item(item, element, references)
            seen.add(item.type)
    assert seen == {"single_best_answer", "multiple_select", "numeric", "free_text"}


# --- the same items through text2qti ----------------------------------------------------------------------------

# The fixture case's six items (tests/fixtures/course/cases/fixture-case.yaml) in text2qti's markdown, with the
# same stems, options, keys, tolerance and feedback.
TEXT2QTI_QUIZ = """\
Quiz title: Fixture case
Quiz description: Exercises disclosure, branching and every item type.

1.  Pick the key.
*a) Key
... A is right.
b) Distractor
... B is wrong.

2.  Tick two.
[*] First key
... Applies.
[*] Second key
... Applies.
[ ] Distractor
... Does not apply.

3.  What is 70 Gy in 35 fractions as EQD2 (alpha/beta 10)?
... At 2 Gy per fraction EQD2 is the dose.
=   70 +- 0.5

4.  Which way?
*a) Main road
... Right.
b) Detour
... Wrong.

5.  What would you do differently?
... Go back to the main road.
____

6.  Last one.
*a) Yes
... Right.
b) No
... Wrong.
"""

# Attributes whose values are names chosen by each generator (hashes in text2qti, content ids here).
NAMING_ATTRIBUTES = {"ident", "linkrefid", "title", "identifier"}


def _shape(element, path: str = "") -> Counter:
    """Every element below ``element`` as its tag path, its attribute names and the attribute values that carry
    meaning (cardinality, scoring variables, feedback types), without texts or generated names."""
    shape: Counter = Counter()
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        here = f"{path}/{tag}"
        attributes = tuple(
            sorted(
                (k, "*" if k in NAMING_ATTRIBUTES and tag not in ("response_lid", "response_str") else v)
                for k, v in child.attrib.items()
            )
        )
        shape[(here, attributes)] += 1
        shape.update(_shape(child, here))
    return shape


def _text2qti_files() -> dict[str, bytes]:
    quiz = Quiz(TEXT2QTI_QUIZ, config=Config(), source_name="fixture-case.md")  # Config() reads no file in $HOME
    return _unzip(QTI(quiz).zip_bytes())


def _layout(files: dict[str, bytes]) -> list[str]:
    """File names with the assessment's identifier replaced, so two generators' layouts compare."""
    (ident,) = {name.split("/")[0] for name in files if name.endswith("/assessment_meta.xml")}
    return sorted(re.sub(re.escape(ident), "ID", name) for name in files)


def test_structure_matches_text2qti_for_the_same_items(fixture):
    (source,) = select_sources(fixture, ["fixture-case"])
    ours, theirs = _ours(source, fixture.references), _text2qti_files()
    assert _layout(ours) == _layout(theirs)

    manifest_types = [
        sorted(
            r.get("type")
            for r in etree.fromstring(files["imsmanifest.xml"]).iter()
            if etree.QName(r).localname == "resource"
        )
        for files in (ours, theirs)
    ]
    assert manifest_types[0] == manifest_types[1]
    assert etree.fromstring(ours["imsmanifest.xml"]).tag == etree.fromstring(theirs["imsmanifest.xml"]).tag

    our_test, their_test = _assessment(ours), _assessment(theirs)
    assert our_test.tag == their_test.tag  # questestinterop in the QTI 1.2 namespace
    our_items = our_test.findall(".//q:item", NS)
    their_items = their_test.findall(".//q:item", NS)
    assert len(our_items) == len(their_items) == len(exported(source))
    for item, ours_el, theirs_el in zip(exported(source), our_items, their_items, strict=True):
        assert _metadata(ours_el)["question_type"] == _metadata(theirs_el)["question_type"], item.id
        assert list(_metadata(ours_el)) == list(_metadata(theirs_el)), item.id
        assert _shape(ours_el) == _shape(theirs_el), item.id

    # Above the items: assessment, its metadata and one root section, the same in both.
    for test in (our_test, their_test):
        for item in test.findall(".//q:item", NS):
            item.getparent().remove(item)
    assert _shape(our_test) == _shape(their_test)

    our_meta = etree.fromstring(next(v for k, v in ours.items() if k.endswith("assessment_meta.xml")))
    their_meta = etree.fromstring(next(v for k, v in theirs.items() if k.endswith("assessment_meta.xml")))
    assert our_meta.tag == their_meta.tag
    ours_fields = {etree.QName(e).localname for e in our_meta}
    theirs_fields = {etree.QName(e).localname for e in their_meta}
    assert {"title", "description", "points_possible", "quiz_type", "shuffle_answers"} <= ours_fields & theirs_fields
    assert float(our_meta.findtext("{*}points_possible")) == sum(
        0.0 if i.type == "free_text" else 1.0 for i in exported(source)
    )
