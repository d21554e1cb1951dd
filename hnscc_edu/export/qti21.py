"""QTI 2.1: an IMS content package (zip with ``imsmanifest.xml``) of assessment items and one assessment test.

Each source becomes one package: ``items/<item id>.xml`` per item and ``<source id>.xml``, the test, with one
section per case stage. Per-option feedback is modal feedback keyed by the choice; numeric and free-text feedback is
shown once an answer is given. Scoring follows the course's graders (rules/grading): match-correct for a single best
answer, a mapping floored at 0 for multiple select, ``equal`` with the item's tolerance for numeric answers, and no
score for free text. Every document validates against the 1EdTech XSDs (tests/export/test_qti21.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from ..content.models import Feedback, Reference
from . import xmltree
from .common import (
    Output,
    Source,
    behaviour_notes,
    feedback_text,
    max_score,
    numeric_prompt,
    option_scores,
    split_supported,
    zipped,
)
from .xmltree import number, sub

FORMAT = "qti21"
QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"

ITEM_PREFIX = "item-"
CHOICE_PREFIX = "choice-"
SECTION_PREFIX = "section-"
ALL_FEEDBACK = "shown-after-answer"


def item_identifier(item_id: str) -> str:
    """QTI identifiers are XML names (no leading digit); content ids may start with one, so all get a prefix."""
    return ITEM_PREFIX + item_id


def choice_identifier(option_id: str) -> str:
    return CHOICE_PREFIX + option_id


def _value(parent: ET.Element, base_type: str, value: str) -> None:
    sub(parent, "baseValue", value, baseType=base_type)


def _set(parent: ET.Element, outcome: str, base_type: str, value: str) -> None:
    _value(sub(parent, "setOutcomeValue", identifier=outcome), base_type, value)


def _declarations(
    item_el: ET.Element, response_cardinality: str, response_type: str, mark: float, feedback_cardinality: str
) -> ET.Element:
    response = sub(
        item_el, "responseDeclaration", identifier="RESPONSE", cardinality=response_cardinality, baseType=response_type
    )
    for name, default in (("SCORE", 0.0), ("MAXSCORE", mark)):
        outcome = sub(item_el, "outcomeDeclaration", identifier=name, cardinality="single", baseType="float")
        sub(sub(outcome, "defaultValue"), "value", number(default))
    sub(item_el, "outcomeDeclaration", identifier="FEEDBACK", cardinality=feedback_cardinality, baseType="identifier")
    return response


def _feedback_block(
    parent: ET.Element, feedback: Feedback, references: Mapping[str, Reference], working: str | None = None
) -> None:
    text = feedback_text(feedback, references)
    sub(parent, "p", text.rationale)
    if working:
        sub(parent, "p", "Working:")
        for line in working.splitlines():
            if line.strip():
                sub(parent, "p", line.strip())
    sub(parent, "p", text.evidence)
    sub(parent, "p", "Sources:")
    sources = sub(parent, "ul")
    for source in text.sources:
        sub(sources, "li", source)


def _modal(item_el: ET.Element, identifier: str, title: str) -> ET.Element:
    return sub(
        item_el, "modalFeedback", outcomeIdentifier="FEEDBACK", showHide="show", identifier=identifier, title=title
    )


def _choice_item(item: Any, references: Mapping[str, Reference], multiple: bool) -> ET.Element:
    item_el = _item_root(item)
    response = _declarations(
        item_el, "multiple" if multiple else "single", "identifier", 1.0, "multiple" if multiple else "single"
    )
    correct = sub(response, "correctResponse")
    for option in item.options:
        if option.correct:
            sub(correct, "value", choice_identifier(option.id))
    if multiple:
        mapping = sub(response, "mapping", lowerBound="0", upperBound="1", defaultValue="0")
        for option_id, score in option_scores(item).items():
            sub(mapping, "mapEntry", mapKey=choice_identifier(option_id), mappedValue=number(score))
    body = sub(item_el, "itemBody")
    interaction = sub(
        body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false", maxChoices="0" if multiple else "1"
    )
    sub(interaction, "prompt", item.stem)
    for option in item.options:
        sub(interaction, "simpleChoice", option.text, identifier=choice_identifier(option.id))
    processing = sub(item_el, "responseProcessing")
    if multiple:
        sub(sub(processing, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")
    else:
        condition = sub(processing, "responseCondition")
        when = sub(condition, "responseIf")
        match = sub(when, "match")
        sub(match, "variable", identifier="RESPONSE")
        sub(match, "correct", identifier="RESPONSE")
        _set(when, "SCORE", "float", "1")
        _set(sub(condition, "responseElse"), "SCORE", "float", "0")
    # The chosen options become the FEEDBACK outcome: each chosen option's modal feedback shows.
    sub(sub(processing, "setOutcomeValue", identifier="FEEDBACK"), "variable", identifier="RESPONSE")
    for option in item.options:
        verdict = "applies" if option.correct else "does not apply"
        modal = _modal(item_el, choice_identifier(option.id), f"{option.text} ({verdict})")
        _feedback_block(modal, option, references)
    return item_el


def _feedback_after_answer(processing: ET.Element) -> None:
    condition = sub(processing, "responseCondition")
    when = sub(condition, "responseIf")
    sub(sub(sub(when, "not"), "isNull"), "variable", identifier="RESPONSE")
    _set(when, "FEEDBACK", "identifier", ALL_FEEDBACK)


def _numeric_item(item: Any, references: Mapping[str, Reference]) -> ET.Element:
    answer = item.answer
    item_el = _item_root(item)
    response = _declarations(item_el, "single", "float", 1.0, "single")
    sub(sub(response, "correctResponse"), "value", number(answer.value))
    body = sub(item_el, "itemBody")
    sub(body, "p", item.stem)
    line = sub(body, "p", numeric_prompt(answer) + " ")
    entry = sub(line, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="12")
    entry.tail = f" {answer.unit}"
    processing = sub(item_el, "responseProcessing")
    condition = sub(processing, "responseCondition")
    when = sub(condition, "responseIf")
    absolute, relative = answer.absolute_tolerance or 0.0, answer.relative_tolerance or 0.0
    if relative and not absolute:
        # QTI's relative tolerance is a percentage of the correct value.
        equal = sub(when, "equal", toleranceMode="relative", tolerance=f"{number(relative * 100)}")
    elif absolute or relative:
        # Both given: the grader accepts the wider of the two, which is one absolute half-width.
        width = max(absolute, relative * abs(answer.value))
        equal = sub(when, "equal", toleranceMode="absolute", tolerance=f"{number(width)}")
    else:
        equal = sub(when, "equal", toleranceMode="exact")
    sub(equal, "variable", identifier="RESPONSE")
    sub(equal, "correct", identifier="RESPONSE")
    _set(when, "SCORE", "float", "1")
    _set(sub(condition, "responseElse"), "SCORE", "float", "0")
    _feedback_after_answer(processing)
    modal = _modal(item_el, ALL_FEEDBACK, f"Expected answer: {answer.value:g} {answer.unit}")
    _feedback_block(modal, item.feedback, references, item.working)
    return item_el


def _free_text_item(item: Any, references: Mapping[str, Reference]) -> ET.Element:
    item_el = _item_root(item)
    _declarations(item_el, "single", "string", max_score(item), "single")
    body = sub(item_el, "itemBody")
    interaction = sub(body, "extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="6")
    sub(interaction, "prompt", item.stem)
    _feedback_after_answer(sub(item_el, "responseProcessing"))
    modal = _modal(item_el, ALL_FEEDBACK, "Points a strong answer covers")
    _feedback_block(modal, item.feedback, references)
    return item_el


def _item_root(item: Any) -> ET.Element:
    return xmltree.root(
        "assessmentItem",
        QTI_NS,
        f"{QTI_NS} {QTI_XSD}",
        identifier=item_identifier(item.id),
        title=item.id,
        adaptive="false",
        timeDependent="false",
    )


BUILDERS = {
    "single_best_answer": lambda item, refs: _choice_item(item, refs, multiple=False),
    "multiple_select": lambda item, refs: _choice_item(item, refs, multiple=True),
    "numeric": _numeric_item,
    "free_text": _free_text_item,
}


def _test(source: Source, sections: list[tuple[str, str, list[str]]]) -> ET.Element:
    test = xmltree.root(
        "assessmentTest", QTI_NS, f"{QTI_NS} {QTI_XSD}", identifier=f"test-{source.id}", title=source.title
    )
    for name in ("SCORE", "MAXSCORE"):
        sub(test, "outcomeDeclaration", identifier=name, cardinality="single", baseType="float")
    part = sub(test, "testPart", identifier="part-1", navigationMode="linear", submissionMode="individual")
    for section_id, title, item_ids in sections:
        section = sub(part, "assessmentSection", identifier=SECTION_PREFIX + section_id, title=title, visible="true")
        for item_id in item_ids:
            sub(section, "assessmentItemRef", identifier=item_identifier(item_id), href=f"items/{item_id}.xml")
    processing = sub(test, "outcomeProcessing")
    for name in ("SCORE", "MAXSCORE"):
        sub(sub(sub(processing, "setOutcomeValue", identifier=name), "sum"), "testVariables", variableIdentifier=name)
    return test


def _manifest(source: Source, test_file: str, item_ids: list[str]) -> ET.Element:
    manifest = xmltree.root("manifest", CP_NS, f"{CP_NS} {CP_XSD}", identifier=f"manifest-{source.id}")
    metadata = sub(manifest, "metadata")
    sub(metadata, "schema", "QTIv2.1 Package")
    sub(metadata, "schemaversion", "1.0.0")
    sub(manifest, "organizations")
    resources = sub(manifest, "resources")
    test = sub(resources, "resource", identifier=f"test-{source.id}", type="imsqti_test_xmlv2p1", href=test_file)
    sub(test, "file", href=test_file)
    for item_id in item_ids:
        sub(test, "dependency", identifierref=item_identifier(item_id))
    for item_id in item_ids:
        href = f"items/{item_id}.xml"
        resource = sub(
            resources, "resource", identifier=item_identifier(item_id), type="imsqti_item_xmlv2p1", href=href
        )
        sub(resource, "file", href=href)
    return manifest


def package_files(source: Source, references: Mapping[str, Reference]) -> Output:
    """The files of the content package of one source (before zipping), and what could not be expressed."""
    chosen, warnings = split_supported(FORMAT, source, BUILDERS)
    if not chosen:  # a test needs at least one item: nothing to package, and the warnings say why
        return Output({}, tuple(warnings))
    files: dict[str, bytes] = {}
    sections: dict[str, tuple[str, str, list[str]]] = {}
    for section, item, build in chosen:
        files[f"items/{item.id}.xml"] = xmltree.serialize(build(item, references))
        sections.setdefault(section.id, (section.id, section.title, []))[2].append(item.id)
    item_ids = [item_id for _, _, ids in sections.values() for item_id in ids]
    test_file = f"{source.id}.xml"
    files[test_file] = xmltree.serialize(_test(source, list(sections.values())))
    files = {"imsmanifest.xml": xmltree.serialize(_manifest(source, test_file, item_ids)), **files}
    return Output(files, tuple(warnings + behaviour_notes(FORMAT, source)))


def export(source: Source, references: Mapping[str, Reference]) -> Output:
    """One zip, ``<source id>-qti21.zip``."""
    return zipped(package_files(source, references), f"{source.id}-qti21.zip")
