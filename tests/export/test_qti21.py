"""QTI 2.1 packages: every file validates against the 1EdTech XSDs, and the items read back equal the item bank."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from hnscc_edu.export import qti21
from tests.export.expected import assert_choice_scores, assert_feedback, assert_numeric_range, exported

NS = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1", "cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}


def _unzip(source, references) -> dict[str, bytes]:
    output = qti21.export(source, references)
    assert list(output.files) == [f"{source.id}-qti21.zip"]
    with zipfile.ZipFile(io.BytesIO(output.files[f"{source.id}-qti21.zip"])) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_file_validates_against_the_official_schemas(sources, qti_schemas):
    qti_schema, cp_schema = qti_schemas
    checked = 0
    for source, references in sources:
        for name, data in _unzip(source, references).items():
            schema = cp_schema if name == "imsmanifest.xml" else qti_schema
            errors = [str(e.reason) for e in schema.iter_errors(io.BytesIO(data))]
            assert not errors, (source.id, name, errors[:3])
            checked += 1
    assert checked > len(sources) * 2


def test_the_schema_check_can_fail(sources, qti_schemas):
    """A control: the same validator rejects an item with a misspelt element and a test without its title."""
    qti_schema, _ = qti_schemas
    source, references = sources[0]
    files = _unzip(source, references)
    item = next(data for name, data in files.items() if name.startswith("items/"))
    assert qti_schema.is_valid(io.BytesIO(item))
    assert not qti_schema.is_valid(
        io.BytesIO(
            item.replace(b"<responseProcessing", b"<responseProcesing").replace(
                b"</responseProcessing", b"</responseProcesing"
            )
        )
    )
    test = files[f"{source.id}.xml"]
    assert not qti_schema.is_valid(io.BytesIO(test.replace(b' title="', b' xtitle="', 1)))


def _text(element) -> str:
    return "".join(element.itertext())


def _check_item(item, root, references) -> None:
    assert root.get("identifier") == qti21.item_identifier(item.id)
    assert root.get("title") == item.id
    maxscore = root.find("q:outcomeDeclaration[@identifier='MAXSCORE']/q:defaultValue/q:value", NS)
    assert float(maxscore.text) == (0.0 if item.type == "free_text" else 1.0)
    response = root.find("q:responseDeclaration[@identifier='RESPONSE']", NS)
    modal = {m.get("identifier"): m for m in root.findall("q:modalFeedback", NS)}
    processing = root.find("q:responseProcessing", NS)
    if item.type in ("single_best_answer", "multiple_select"):
        interaction = root.find("q:itemBody/q:choiceInteraction", NS)
        assert interaction.find("q:prompt", NS).text == item.stem
        choices = interaction.findall("q:simpleChoice", NS)
        assert [c.text for c in choices] == [o.text for o in item.options]
        assert [c.get("identifier") for c in choices] == [qti21.choice_identifier(o.id) for o in item.options]
        ids = {qti21.choice_identifier(o.id): o.id for o in item.options}
        keys = [ids[v.text] for v in response.findall("q:correctResponse/q:value", NS)]
        assert keys == [o.id for o in item.options if o.correct]
        if item.type == "single_best_answer":
            assert response.get("cardinality") == "single" and interaction.get("maxChoices") == "1"
            match = processing.find("q:responseCondition/q:responseIf/q:match", NS)
            assert [c.tag.split("}")[1] for c in match] == ["variable", "correct"]
            weights = {o.id: 1.0 if o.id in keys else 0.0 for o in item.options}
        else:
            assert response.get("cardinality") == "multiple" and interaction.get("maxChoices") == "0"
            assert processing.find("q:setOutcomeValue[@identifier='SCORE']/q:mapResponse", NS) is not None
            mapping = response.find("q:mapping", NS)
            assert (mapping.get("lowerBound"), mapping.get("upperBound")) == ("0", "1")
            weights = {ids[e.get("mapKey")]: float(e.get("mappedValue")) for e in mapping.findall("q:mapEntry", NS)}
        assert_choice_scores(item, weights)
        assert sorted(modal) == sorted(ids)
        for option in item.options:
            assert_feedback(_text(modal[qti21.choice_identifier(option.id)]), option, references)
        assert (
            processing.find("q:setOutcomeValue[@identifier='FEEDBACK']/q:variable", NS).get("identifier") == "RESPONSE"
        )
    elif item.type == "numeric":
        assert root.find("q:itemBody/q:p", NS).text == item.stem
        assert root.find(".//q:textEntryInteraction", NS).tail.strip() == item.answer.unit
        correct = float(response.find("q:correctResponse/q:value", NS).text)
        assert correct == item.answer.value and response.get("baseType") == "float"
        equal = processing.find("q:responseCondition/q:responseIf/q:equal", NS)
        mode = equal.get("toleranceMode")
        widths = [float(t) for t in (equal.get("tolerance") or "0").split()]
        low_width, high_width = widths[0], widths[-1]
        if mode == "relative":
            low, high = correct * (1 - low_width / 100), correct * (1 + high_width / 100)
            low, high = min(low, high), max(low, high)
        elif mode == "absolute":
            low, high = correct - low_width, correct + high_width
        else:
            assert mode == "exact"
            low = high = correct
        assert_numeric_range(item, low, high)
        assert list(modal) == [qti21.ALL_FEEDBACK]
        assert_feedback(_text(modal[qti21.ALL_FEEDBACK]), item.feedback, references)
        if item.working:
            assert " ".join(item.working.split()) in " ".join(_text(modal[qti21.ALL_FEEDBACK]).split())
    else:
        assert item.type == "free_text"
        assert root.find("q:itemBody/q:extendedTextInteraction/q:prompt", NS).text == item.stem
        assert processing.find(".//q:setOutcomeValue[@identifier='SCORE']", NS) is None  # never scored
        assert list(modal) == [qti21.ALL_FEEDBACK]
        assert_feedback(_text(modal[qti21.ALL_FEEDBACK]), item.feedback, references)


def test_items_read_back_equal_the_item_bank(sources):
    seen = set()
    for source, references in sources:
        files = _unzip(source, references)
        for item in exported(source):
            _check_item(item, etree.fromstring(files[f"items/{item.id}.xml"]), references)
            seen.add(item.type)
    assert seen == {"single_best_answer", "multiple_select", "numeric", "free_text"}


def test_manifest_and_test_list_every_item_in_order(sources):
    for source, references in sources:
        files = _unzip(source, references)
        manifest = etree.fromstring(files["imsmanifest.xml"])
        resources = manifest.findall("cp:resources/cp:resource", NS)
        by_type: dict[str, list] = {}
        for resource in resources:
            by_type.setdefault(resource.get("type"), []).append(resource)
            for file in resource.findall("cp:file", NS):
                assert file.get("href") in files, file.get("href")
        (test_resource,) = by_type["imsqti_test_xmlv2p1"]
        expected_ids = [qti21.item_identifier(item.id) for item in exported(source)]
        assert [r.get("identifier") for r in by_type["imsqti_item_xmlv2p1"]] == expected_ids
        assert [d.get("identifierref") for d in test_resource.findall("cp:dependency", NS)] == expected_ids
        test = etree.fromstring(files[test_resource.get("href")])
        assert test.get("title") == source.title
        sections = test.findall("q:testPart/q:assessmentSection", NS)
        carried = [s.title for s in source.sections if any(i in exported(source) for i in s.items)]
        assert [s.get("title") for s in sections] == carried
        refs = [(r.get("identifier"), r.get("href")) for r in test.findall(".//q:assessmentItemRef", NS)]
        assert refs == [(qti21.item_identifier(i.id), f"items/{i.id}.xml") for i in exported(source)]


def test_case_sections_are_its_stages_with_items(course):
    from hnscc_edu.export.common import select_sources

    cases = [s for s in select_sources(course) if s.kind == "case"]
    assert cases
    for source in cases:
        stages = [stage for stage in course.cases[source.id].stages if stage.items]
        assert [(s.id, s.title) for s in source.sections] == [(stage.id, stage.title) for stage in stages]
