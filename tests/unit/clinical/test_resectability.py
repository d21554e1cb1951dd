"""Imaging features of unresectability (NCCN list as recalled; unconfirmed per confirmations.md item 15)."""

import pytest

from hnscc_edu.clinical import resectability as rs
from hnscc_edu.clinical.sources import REFERENCE_KEYS

VOCABULARY = ["carotid_encasement_270", "prevertebral_fascia", "cervical_vertebrae", "skull_base",
              "mediastinal_structures", "pterygoid_muscles_severe_trismus", "nasopharynx_eustachian_extension"]


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


def test_the_list_is_marked_unconfirmed():
    assert "unconfirmed" in rs.assess([]).source_note
    assert "unconfirmed" in rs.__doc__


@pytest.mark.parametrize("findings, message", [
    (["skull base invasion"], "skull base invasion"),
    (["skull_base", "skin"], "'skin'"),
    ([3], "3"),
    ({"skin": True}, "'skin'"),
])
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
    assert resectability.assess({"skull_base", "cervical_vertebrae"}).resectable is False
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
