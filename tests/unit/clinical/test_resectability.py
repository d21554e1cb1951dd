"""Imaging features of unresectability, each resting on a source read for the course (AJCC T4b criteria as
reprinted by the NCI, Yousem 1995 for the carotid sign); re-based 2026-12-05, no longer attributed to NCCN."""

import pytest

from hnscc_edu.clinical import resectability as rs
from hnscc_edu.clinical.sources import REFERENCE_KEYS

VOCABULARY = [
    "carotid_encasement_270",
    "prevertebral_fascia",
    "skull_base",
    "mediastinal_structures",
    "pterygoid_masticator",
    "lateral_nasopharynx",
]


def test_vocabulary_is_exactly_the_agreed_one():
    assert list(rs.FEATURES) == VOCABULARY


@pytest.mark.parametrize("finding", VOCABULARY)
def test_each_feature_makes_the_tumour_unresectable_with_one_reason(finding):
    result = rs.assess([finding])
    assert result.resectable is False
    assert result.reasons == [rs.FEATURES[finding][0]] and isinstance(result.reasons, list)
    assert all(key in REFERENCE_KEYS for key in result.references)


def test_several_features_give_one_reason_each_in_order_and_duplicates_once():
    result = rs.assess(["skull_base", "prevertebral_fascia", " SKULL_BASE "])
    assert result.findings == ("skull_base", "prevertebral_fascia")
    assert len(result.reasons) == 2 and "skull base" in result.reasons[0]


def test_no_feature_means_technically_resectable_with_a_patient_factor_note():
    result = rs.assess([])
    assert result.resectable is True and result.reasons == []
    assert "patient" in result.note and "performance status" in result.note


def test_not_assessed_and_single_name():
    assert rs.assess(None).resectable is None
    assert rs.assess("skull_base").findings == ("skull_base",)


def test_every_feature_has_its_own_source_and_evidence_tag_and_none_is_nccn():
    assert set(rs.FEATURE_EVIDENCE) == set(rs.FEATURES)
    for name, (_, references) in rs.FEATURES.items():
        tag, basis = rs.FEATURE_EVIDENCE[name]
        assert references and "nccn-head-neck" not in references, name
        assert tag in {"verified", "verified-secondary"} and basis, name
    assert "nccn-head-neck" not in rs.assess([]).references
    assert set(rs.assess([]).references) == set(rs.REFERENCES) and "nci-pdq-hypopharynx" in rs.REFERENCES


def test_the_note_names_nccn_only_as_unread_and_shows_that_t4b_is_not_uniform():
    note = rs.assess([]).source_note
    assert "NCCN" in note and "could not be read" in note and "not drawn from it" in note
    assert "T4b" in note and "masticator space below the mandibular notch" in note
    assert "could not be read" in rs.__doc__ and "Yousem" in rs.__doc__
    # factcheck-rebase problem 2: saying the unread page "lists features of unresectability" is itself an unsourced
    # claim about its content; only the section's existence (2014 update, Pfister, PMID 25313184) is sourced.
    for text in (note, " ".join(rs.__doc__.split())):
        assert "also list" not in text and "nothing here states what it says" in text
    assert "25313184" in rs.__doc__


def test_the_note_names_the_source_actually_read_for_each_subsite():
    # factcheck-rebase problem 7: only hypopharynx and oropharynx were read as NCI reprints.
    note = rs.SOURCE_NOTE
    assert "hypopharynx and oropharynx: 7th-edition tables reprinted by the NCI" in note
    assert "larynx: an AAO-HNS staging guide" in note and "oral cavity: a 2024 review" in note


def test_the_carotid_reason_keeps_yousem_hedged_and_t4b_to_the_right_subsites():
    # factcheck-rebase problem 5: Yousem concluded "probably" (5 of 17 arteries read > 270° were resectable), and the
    # AJCC criterion is internal-carotid encasement for the oral cavity and exists only for p16-negative oropharynx.
    reason = rs.FEATURES["carotid_encasement_270"][0]
    assert "probably" in reason and "12 of the 17" in reason and "predicted that" not in reason
    assert "oral cavity (internal carotid)" in reason and "p16-negative oropharynx" in reason


def test_the_infra_notch_comparison_is_cited_to_the_sources_that_make_it():
    # factcheck-rebase problem 8: the T4a comparison is Mattavelli's; Liao compared infra- with supra-notch T4b.
    doc = " ".join(rs.__doc__.split())
    assert "outcomes like T4a disease (``mattavelli2024-t4b``, ``trivedi2018-masticator``;" in doc
    assert "for such masticator-space tumours the T4b feature opens the surgical question" in doc  # factcheck-rebase2
    assert "better than supra-notch tumours, ``liao2007-infranotch``" in doc


@pytest.mark.parametrize(
    "dropped", ["cervical_vertebrae", "pterygoid_muscles_severe_trismus", "nasopharynx_eustachian_extension"]
)
def test_features_without_a_readable_source_are_no_longer_accepted(dropped):
    # Re-based 2026-12-05: vertebral invasion and the "severe trismus" qualifier rested only on the unread NCCN page.
    with pytest.raises(ValueError, match="Unknown imaging finding"):
        rs.assess([dropped])
    assert all("trismus" not in reason and "cervical vertebra" not in reason for reason, _ in rs.FEATURES.values())


def test_t4b_reasons_name_the_subsites_they_belong_to():
    assert "hypopharyngeal" in rs.FEATURES["prevertebral_fascia"][0]
    assert "laryngeal" in rs.FEATURES["mediastinal_structures"][0]
    assert "p16-negative oropharyngeal" in rs.FEATURES["lateral_nasopharynx"][0]
    reason, references = rs.FEATURES["pterygoid_masticator"]
    assert "oral cavity" in reason and "below the mandibular notch" in reason and "liao2007-infranotch" in references


@pytest.mark.parametrize(
    "findings, message",
    [
        (["skull base invasion"], "skull base invasion"),
        (["skull_base", "skin"], "'skin'"),
        ([3], "3"),
        ({"skin": True}, "'skin'"),
    ],
)
def test_unknown_findings_are_named_with_the_vocabulary(findings, message):
    with pytest.raises(ValueError) as info:
        rs.assess(findings)
    assert message in str(info.value)
    if "Unknown" in str(info.value):
        assert all(name in str(info.value) for name in VOCABULARY)


def test_findings_as_a_mapping_of_feature_to_present():
    from hnscc_edu.clinical import resectability

    result = resectability.assess({"skull_base": True, "prevertebral_fascia": False})
    assert result.resectable is False and result.findings == ("skull_base",) and len(result.reasons) == 1
    assert resectability.assess({"skull_base": False}).resectable is True
    assert resectability.assess({"skull_base", "lateral_nasopharynx"}).resectable is False
    with pytest.raises(ValueError, match="Unknown imaging finding"):
        resectability.assess({"tongue_base": False})
    with pytest.raises(ValueError, match="True or False"):
        resectability.assess({"skull_base": "No"})


def test_the_carotid_reason_names_its_primary_source_and_keeps_t4b_to_the_primary():
    # clinical-module2 E1/E2: the > 270° sign comes from Yousem 1995 (not "an image example"), and T4b describes the
    # primary tumour only, so a node encasing the carotid is a resectability feature without being T4b.
    reason, references = rs.FEATURES["carotid_encasement_270"]
    assert "yousem1995-carotid-mr" in references and "yousem1995-carotid-mr" in REFERENCE_KEYS
    assert "more than 270°" in reason and "image example" not in reason
    assert "node" in reason and "not" in reason.split("node")[-1]
    assert "image example" not in rs.__doc__ and "Yousem" in rs.__doc__ and "7754000" in rs.__doc__
    assert "primary" in rs.SOURCE_NOTE
