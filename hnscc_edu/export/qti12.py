"""QTI 1.2 as Canvas imports it: a zip with ``imsmanifest.xml``, a ``questestinterop`` assessment and Canvas's quiz
metadata (``assessment_meta.xml``), laid out as text2qti, a widely used Canvas QTI generator, lays it out.

Canvas question types: ``multiple_choice_question`` (single best answer), ``multiple_answers_question`` (multiple
select; Canvas itself gives partial credit by the course's rule: each key chosen earns 1/k of the mark, each distractor
chosen takes 1/k away, never below 0), ``numerical_question`` (value with a margin) and ``essay_question`` (free text,
0 points: recorded, not scored). Texts are HTML inside ``mattext``, escaped. All items sit in one section: Canvas reads
a nested section as a question group that draws items at random, which would break a case's order.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from ..content.models import Reference
from . import xmltree
from .common import (
    Output,
    Source,
    behaviour_notes,
    feedback_html,
    max_score,
    numeric_prompt,
    numeric_tolerance,
    split_supported,
    zipped,
)
from .common import html_paragraphs as _html
from .xmltree import number, sub

FORMAT = "qti12"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
CANVAS_XSD = "https://canvas.instructure.com/xsd/cccv1p0.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"

QUESTION_TYPES = {
    "single_best_answer": "multiple_choice_question",
    "multiple_select": "multiple_answers_question",
    "numeric": "numerical_question",
    "free_text": "essay_question",
}
GENERAL_FEEDBACK = "general_fb"


def choice_ident(item_id: str, option_id: str) -> str:
    return f"{item_id}-{option_id}"


def _material(parent: ET.Element, markup: str) -> None:
    sub(sub(parent, "material"), "mattext", markup, texttype="text/html")


def _metadata(item_el: ET.Element, item: Any, answer_ids: list[str]) -> None:
    fields = sub(sub(item_el, "itemmetadata"), "qtimetadata")
    for label, entry in (
        ("question_type", QUESTION_TYPES[item.type]),
        ("points_possible", number(max_score(item))),
        ("original_answer_ids", ",".join(answer_ids)),
        ("assessment_question_identifierref", f"{item.id}-ref"),
    ):
        field = sub(fields, "qtimetadatafield")
        sub(field, "fieldlabel", label)
        sub(field, "fieldentry", entry)


def _outcomes(processing: ET.Element) -> None:
    sub(sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")


def _show_feedback(processing: ET.Element, condition_of: str | None, feedback_ident: str) -> None:
    """A non-final condition that shows feedback: for one choice, or (``None``) for any answer."""
    condition = sub(processing, "respcondition", **{"continue": "Yes"})
    variables = sub(condition, "conditionvar")
    if condition_of is None:
        sub(variables, "other")
    else:
        sub(variables, "varequal", condition_of, respident="response1")
    sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=feedback_ident)


def _item_feedback(item_el: ET.Element, ident: str, markup: str) -> None:
    _material(sub(sub(item_el, "itemfeedback", ident=ident), "flow_mat"), markup)


def _choice_item(section: ET.Element, item: Any, references: Mapping[str, Reference], multiple: bool) -> None:
    idents = [choice_ident(item.id, o.id) for o in item.options]
    item_el = sub(section, "item", ident=item.id, title=item.id)
    _metadata(item_el, item, idents)
    presentation = sub(item_el, "presentation")
    _material(presentation, _html(item.stem))
    response = sub(presentation, "response_lid", ident="response1", rcardinality="Multiple" if multiple else "Single")
    choices = sub(response, "render_choice")
    for option, ident in zip(item.options, idents, strict=True):
        _material(sub(choices, "response_label", ident=ident), _html(option.text))
    processing = sub(item_el, "resprocessing")
    _outcomes(processing)
    for ident in idents:
        _show_feedback(processing, ident, f"{ident}_fb")
    final = sub(processing, "respcondition", **{"continue": "No"})
    variables = sub(final, "conditionvar")
    if multiple:
        # Full marks for exactly the keys; Canvas grades partial answers to a multiple-answers question itself.
        every = sub(variables, "and")
        for option, ident in zip(item.options, idents, strict=True):
            target = every if option.correct else sub(every, "not")
            sub(target, "varequal", ident, respident="response1")
    else:
        key = next(ident for option, ident in zip(item.options, idents, strict=True) if option.correct)
        sub(variables, "varequal", key, respident="response1")
    sub(final, "setvar", "100", action="Set", varname="SCORE")
    for option, ident in zip(item.options, idents, strict=True):
        _item_feedback(item_el, f"{ident}_fb", feedback_html(option, references))


def _numeric_item(section: ET.Element, item: Any, references: Mapping[str, Reference]) -> None:
    answer = item.answer
    item_el = sub(section, "item", ident=item.id, title=item.id)
    _metadata(item_el, item, [f"{item.id}-answer"])
    presentation = sub(item_el, "presentation")
    _material(presentation, _html(item.stem, numeric_prompt(answer)))
    entry = sub(
        sub(presentation, "response_str", ident="response1", rcardinality="Single"), "render_fib", fibtype="Decimal"
    )
    sub(entry, "response_label", ident="answer1")
    processing = sub(item_el, "resprocessing")
    _outcomes(processing)
    _show_feedback(processing, None, GENERAL_FEEDBACK)
    final = sub(processing, "respcondition", **{"continue": "No"})
    either = sub(sub(final, "conditionvar"), "or")
    sub(either, "varequal", number(answer.value), respident="response1")
    width = numeric_tolerance(answer)
    within = sub(either, "and")
    sub(within, "vargte", number(answer.value - width), respident="response1")
    sub(within, "varlte", number(answer.value + width), respident="response1")
    sub(final, "setvar", "100", action="Set", varname="SCORE")
    _item_feedback(item_el, GENERAL_FEEDBACK, feedback_html(item.feedback, references, item.working))


def _free_text_item(section: ET.Element, item: Any, references: Mapping[str, Reference]) -> None:
    item_el = sub(section, "item", ident=item.id, title=item.id)
    _metadata(item_el, item, [])
    presentation = sub(item_el, "presentation")
    _material(presentation, _html(item.stem))
    entry = sub(sub(presentation, "response_str", ident="response1", rcardinality="Single"), "render_fib")
    sub(entry, "response_label", ident="answer1", rshuffle="No")
    processing = sub(item_el, "resprocessing")
    _outcomes(processing)
    _show_feedback(processing, None, GENERAL_FEEDBACK)
    sub(sub(sub(processing, "respcondition", **{"continue": "No"}), "conditionvar"), "other")
    _item_feedback(item_el, GENERAL_FEEDBACK, feedback_html(item.feedback, references))


BUILDERS = {
    "single_best_answer": lambda section, item, refs: _choice_item(section, item, refs, multiple=False),
    "multiple_select": lambda section, item, refs: _choice_item(section, item, refs, multiple=True),
    "numeric": _numeric_item,
    "free_text": _free_text_item,
}


def _assessment(ident: str, source: Source, chosen: list, references: Mapping[str, Reference]) -> ET.Element:
    root = xmltree.root("questestinterop", QTI_NS, f"{QTI_NS} {QTI_XSD}")
    assessment = sub(root, "assessment", ident=ident, title=source.title)
    field = sub(sub(assessment, "qtimetadata"), "qtimetadatafield")
    sub(field, "fieldlabel", "cc_maxattempts")
    sub(field, "fieldentry", "1")
    section = sub(assessment, "section", ident="root_section")
    for _, item, build in chosen:
        build(section, item, references)
    return root


def _meta(ident: str, source: Source, points: float) -> ET.Element:
    """Canvas's quiz settings: a practice quiz (not graded) that shows the correct answers after submission."""
    quiz = xmltree.root("quiz", CANVAS_NS, f"{CANVAS_NS} {CANVAS_XSD}", identifier=ident)
    sub(quiz, "title", source.title)
    sub(
        quiz,
        "description",
        _html(
            f"Exported from the hnscc-edu {'case' if source.kind == 'case' else 'item bank'} "
            f"{source.id}. Education, not clinical advice."
        ),
    )
    for tag, value in (
        ("shuffle_answers", "false"),
        ("scoring_policy", "keep_highest"),
        ("hide_results", ""),
        ("quiz_type", "practice_quiz"),
        ("points_possible", number(points)),
        ("show_correct_answers", "true"),
        ("anonymous_submissions", "false"),
        ("could_be_locked", "false"),
        ("allowed_attempts", "-1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
        ("one_time_results", "false"),
        ("show_correct_answers_last_attempt", "false"),
        ("only_visible_to_overrides", "false"),
        ("module_locked", "false"),
    ):
        sub(quiz, tag, value)
    return quiz


def _manifest(ident: str, source: Source) -> ET.Element:
    manifest = xmltree.root("manifest", CP_NS, f"{CP_NS} {CP_XSD}", identifier=f"{ident}-manifest")
    metadata = sub(manifest, "metadata")
    sub(metadata, "schema", "IMS Content")
    sub(metadata, "schemaversion", "1.1.3")
    sub(manifest, "organizations")
    resources = sub(manifest, "resources")
    resource = sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    sub(resource, "file", href=f"{ident}/{ident}.xml")
    sub(resource, "dependency", identifierref=f"{ident}-meta")
    meta = sub(
        resources,
        "resource",
        identifier=f"{ident}-meta",
        type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
        href=f"{ident}/assessment_meta.xml",
    )
    sub(meta, "file", href=f"{ident}/assessment_meta.xml")
    return manifest


def package_files(source: Source, references: Mapping[str, Reference]) -> Output:
    """The files of the Canvas package of one source (before zipping), and what could not be expressed."""
    chosen, warnings = split_supported(FORMAT, source, BUILDERS)
    if not chosen:
        return Output({}, tuple(warnings))
    ident = f"hnscc-edu-{source.id}"
    points = sum(max_score(item) for _, item, _ in chosen)
    files = {
        "imsmanifest.xml": xmltree.serialize(_manifest(ident, source)),
        f"{ident}/{ident}.xml": xmltree.serialize(_assessment(ident, source, chosen, references)),
        f"{ident}/assessment_meta.xml": xmltree.serialize(_meta(ident, source, points)),
        "non_cc_assessments/": b"",  # Canvas's own exports carry this folder, empty for a quiz like this one
    }
    return Output(files, tuple(warnings + behaviour_notes(FORMAT, source)))


def export(source: Source, references: Mapping[str, Reference]) -> Output:
    """One zip, ``<source id>-qti12.zip``."""
    return zipped(package_files(source, references), f"{source.id}-qti12.zip")
