"""Content schema v1: the pydantic models of cases, item banks, the bibliography and the course file.

Every file starts with ``schema_version: 1`` and a ``kind``. Models forbid unknown keys (a typo in a field name is an
error, not a silent default) and are strict (a number typed as text, or ``yes`` where text is expected, is an error).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic import Strict as StrictMode

SCHEMA_VERSION = 1

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ReferenceKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_:-]*$")]


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors, types are not coerced (a "60" is not the number 60)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Profession(str, Enum):
    radiation_oncologist = "radiation_oncologist"
    medical_oncologist = "medical_oncologist"
    surgeon = "surgeon"
    radiologist = "radiologist"
    pathologist = "pathologist"
    medical_physicist = "medical_physicist"
    dosimetrist = "dosimetrist"
    nurse = "nurse"
    speech_language_pathologist = "speech_language_pathologist"
    dentist = "dentist"
    dietitian = "dietitian"
    pharmacist = "pharmacist"
    palliative_care = "palliative_care"
    trainee = "trainee"
    # the rest of the original activity's audience (issue 18 §1)
    radiation_therapist = "radiation_therapist"
    oral_surgeon = "oral_surgeon"
    swallowing_therapist = "swallowing_therapist"
    audiologist = "audiologist"
    physical_therapist = "physical_therapist"
    rehabilitation_specialist = "rehabilitation_specialist"
    immunologist = "immunologist"
    scientist = "scientist"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace("speech language", "speech-language")


class EvidenceLabel(str, Enum):
    """How strong the support is for a statement: NCCN category, GRADE certainty, consensus or expert opinion."""

    nccn_1 = "nccn-1"
    nccn_2a = "nccn-2a"
    nccn_2b = "nccn-2b"
    nccn_3 = "nccn-3"
    grade_high = "grade-high"
    grade_moderate = "grade-moderate"
    grade_low = "grade-low"
    grade_very_low = "grade-very-low"
    consensus = "consensus"
    expert_opinion = "expert-opinion"

    @property
    def label(self) -> str:
        return EVIDENCE_LABEL_TEXT[self]


EVIDENCE_LABEL_TEXT = {
    EvidenceLabel.nccn_1: "NCCN category 1",
    EvidenceLabel.nccn_2a: "NCCN category 2A",
    EvidenceLabel.nccn_2b: "NCCN category 2B",
    EvidenceLabel.nccn_3: "NCCN category 3",
    EvidenceLabel.grade_high: "GRADE: high certainty",
    EvidenceLabel.grade_moderate: "GRADE: moderate certainty",
    EvidenceLabel.grade_low: "GRADE: low certainty",
    EvidenceLabel.grade_very_low: "GRADE: very low certainty",
    EvidenceLabel.consensus: "Consensus statement",
    EvidenceLabel.expert_opinion: "Expert opinion",
}


class Status(str, Enum):
    """Where a practice stands: standard use, emerging evidence, only within trials, or outside its licence."""

    established = "established"
    emerging = "emerging"
    investigational = "investigational"
    off_label = "off-label"


# Enums are written as their text values in YAML; strict mode would demand enum instances, so these accept the text
# (and only a listed value).
ProfessionName = Annotated[Profession, StrictMode(False)]
EvidenceName = Annotated[EvidenceLabel, StrictMode(False)]
StatusName = Annotated[Status, StrictMode(False)]


class ChangelogEntry(Strict):
    version: Text
    date: dt.date
    note: Text


class Governance(Strict):
    authors: list[Text] = Field(min_length=1)
    reviewers: list[Text] = Field(min_length=1)
    last_reviewed: dt.date
    next_review_due: dt.date
    content_version: Text
    changelog: list[ChangelogEntry] = Field(min_length=1)
    review_triggers: list[Text] = Field(
        default_factory=list,
        description="events that call for a review before next_review_due (e.g. a trial "
        "readout or a licence change that would change a keyed answer)",
    )


class Feedback(Strict):
    """The elaborated feedback contract: why, with which source, how strong, and how established."""

    rationale: Text
    references: list[ReferenceKey] = Field(min_length=1)
    evidence: EvidenceName
    status: StatusName = Status.established


class Option(Feedback):
    id: Identifier
    text: Text
    correct: bool = False
    next_stage: Identifier | None = Field(
        default=None, description="branch: the stage this choice leads to once the stage is complete"
    )


# The cognitive level of an assessment item (issue 15 §4: the post-test needs decisions on vignettes, not only recall;
# a pre-test item and its post-test twin share their level).
Skill = Literal["recall", "application", "decision"]


class ItemBase(Strict):
    id: Identifier
    stem: Text
    objective: Identifier
    professions: list[ProfessionName] = Field(min_length=1)
    pairs_with: Identifier | None = Field(
        default=None,
        description="post-test items: the pre-test item on the same objective and concept (the pair "
        "the course director's pre/post comparison uses)",
    )
    skill: Skill | None = Field(
        default=None,
        description="what the item asks of the learner: 'recall' (a fact), 'application' (a rule or a "
        "calculation applied to given data) or 'decision' (a management choice on a "
        "patient vignette); required on pre- and post-test items",
    )


class SingleBestAnswer(ItemBase):
    type: Literal["single_best_answer"]
    options: list[Option] = Field(min_length=2)


class MultipleSelect(ItemBase):
    type: Literal["multiple_select"]
    options: list[Option] = Field(min_length=2)


class NumericAnswer(Strict):
    value: float
    unit: Text
    absolute_tolerance: float | None = Field(default=None, ge=0)
    relative_tolerance: float | None = Field(default=None, ge=0, le=1)
    minimum: float | None = Field(default=None, description="answers below this are refused as impossible (e.g. 0 Gy)")
    maximum: float | None = Field(default=None, description="answers above this are refused as impossible")


class Numeric(ItemBase):
    type: Literal["numeric"]
    answer: NumericAnswer
    feedback: Feedback
    working: Text | None = Field(default=None, description="the worked calculation shown after the answer")


class FreeText(ItemBase):
    type: Literal["free_text"]
    feedback: Feedback
    min_words: int = Field(default=1, ge=0)


class KeyFeatureOption(Option):
    killer: bool = Field(default=False, description="choosing it scores the whole item 0 (a harmful action)")


class KeyFeature(ItemBase):
    """Key-feature item: choose up to ``select`` options; the keys score, a killer option zeroes the item."""

    type: Literal["key_feature"]
    select: int = Field(ge=1, description="the most options a learner may choose")
    options: list[KeyFeatureOption] = Field(min_length=3)


# Script concordance answers run from -2 to +2; the anchors say what each point means for this item.
SCT_POINTS = (-2, -1, 0, 1, 2)
DEFAULT_SCT_ANCHORS = [
    "Much less appropriate",
    "Less appropriate",
    "Neither more nor less appropriate",
    "More appropriate",
    "Much more appropriate",
]


class ReferencePanel(Strict):
    """How a panel of experienced clinicians answered: one count per point of the scale, -2 to +2."""

    counts: list[Annotated[int, Field(ge=0)]] = Field(min_length=5, max_length=5)
    example: bool = Field(description="true while the panel is an example that faculty must replace with their own")
    description: Text = Field(description="who answered, e.g. 'Example panel of 15; replace with your faculty'")


class ScriptConcordance(ItemBase):
    """Script concordance: a hypothesis, new information, and how it changes the hypothesis (aggregate scoring)."""

    type: Literal["script_concordance"]
    hypothesis: Text = Field(description="'If you were considering ...'")
    new_information: Text = Field(description="'... and you then learn ...'")
    anchors: list[Text] = Field(default_factory=lambda: list(DEFAULT_SCT_ANCHORS), min_length=5, max_length=5)
    panel: ReferencePanel
    feedback: Feedback


class Step(Feedback):
    """One step of an ordering item, with why it sits where it does."""

    id: Identifier
    text: Text


class Ordering(ItemBase):
    """Put the steps in order; the file lists them in the correct order, learners see them shuffled."""

    type: Literal["ordering"]
    steps: list[Step] = Field(min_length=3, description="in the correct order; each says why it sits there")

    def shown_order(self) -> list[Step]:
        """The steps as learners see them: a fixed shuffle seeded by the item id (the same on every screen, paper and
        reload), never the key's own order."""
        seed = int(hashlib.sha256(self.id.encode("utf-8")).hexdigest(), 16)
        shuffled = list(self.steps)
        random.Random(seed).shuffle(shuffled)
        return shuffled if shuffled != list(self.steps) else list(self.steps[1:]) + [self.steps[0]]


Item = Annotated[
    SingleBestAnswer | MultipleSelect | Numeric | FreeText | KeyFeature | ScriptConcordance | Ordering,
    Field(discriminator="type"),
]
ItemModel = SingleBestAnswer | MultipleSelect | Numeric | FreeText | KeyFeature | ScriptConcordance | Ordering


def feedback_entries(item: ItemModel) -> list[tuple[tuple, Feedback]]:
    """Every feedback block of an item with its location inside the item: one per option, or the item's own."""
    if isinstance(item, (SingleBestAnswer, MultipleSelect, KeyFeature)):
        return [(("options", o), option) for o, option in enumerate(item.options)]
    if isinstance(item, Ordering):
        return [(("steps", o), step) for o, step in enumerate(item.steps)]
    return [(("feedback",), item.feedback)]


class TableBlock(Strict):
    caption: Text
    columns: list[Text] = Field(min_length=1)
    rows: list[list[str | int | float]] = Field(min_length=1)


class RevealBlock(Strict):
    """One piece of information a stage reveals: prose (markdown) or a table."""

    heading: Text | None = None
    markdown: Text | None = None
    table: TableBlock | None = None


# Organs with tabulated cumulative limits (hnscc_edu.clinical.oar_limits.ORGANS; a unit test keeps them equal).
OrganAtRisk = Literal["spinal_cord", "brachial_plexus", "great_vessels", "carotid_artery", "mandible"]


class DoseCourse(Strict):
    dose_gy: float = Field(ge=0, description="dose the organ received in this course, Gy")
    fractions: int = Field(ge=1)
    date: dt.date | None = Field(default=None, description="last day of an earlier course; first day of a planned one")


class CumulativeDoseCalculator(Strict):
    """The cumulative-dose calculator, preloaded with the patient's courses (oldest first)."""

    kind: Literal["cumulative_dose"]
    organ: OrganAtRisk
    courses: list[DoseCourse] = Field(min_length=1)
    alpha_beta: float | None = Field(default=None, gt=0, description="blank: each source's own α/β")
    recovery: Literal["rule"] | Annotated[float, Field(ge=0, le=1)] = "rule"


class MiriCalculator(Strict):
    kind: Literal["miri"]
    months_since_prior_rt: float = Field(ge=0)
    resected: bool = False
    organ_dysfunction: bool = False


class RecistLesion(Strict):
    name: Text
    diameters_mm: list[Annotated[float, Field(ge=0)]] = Field(min_length=2)


class RecistCalculator(Strict):
    kind: Literal["recist"]
    assessments: list[Text] = Field(min_length=2)
    weeks: list[Annotated[float, Field(ge=0)]] | None = None
    new_lesions: list[bool] | None = None
    lesions: list[RecistLesion] = Field(min_length=1, max_length=5)
    immunotherapy: bool = False

    @model_validator(mode="after")
    def _one_value_per_assessment(self) -> RecistCalculator:
        count = len(self.assessments)
        for name, values in (("weeks", self.weeks), ("new_lesions", self.new_lesions)):
            if values is not None and len(values) != count:
                raise ValueError(f"{name} needs one value per assessment ({count}), got {len(values)}")
        for lesion in self.lesions:
            if len(lesion.diameters_mm) != count:
                raise ValueError(
                    f"lesion {lesion.name!r} needs one diameter per assessment ({count}), "
                    f"got {len(lesion.diameters_mm)}"
                )
        return self


class CpsCalculator(Strict):
    kind: Literal["cps"]
    pdl1_tumor_cells: float = Field(ge=0)
    pdl1_immune_cells: float = Field(default=0, ge=0)
    viable_tumor_cells: float = Field(gt=0)


class SequencingCalculator(Strict):
    kind: Literal["sequencing"]
    cps: float | None = Field(default=None, ge=0, le=100)
    prior_platinum: bool = False
    prior_anti_pd1: bool = False
    platinum_eligible: bool = True
    platinum_refractory: bool = False


Calculator = Annotated[
    CumulativeDoseCalculator | MiriCalculator | RecistCalculator | CpsCalculator | SequencingCalculator,
    Field(discriminator="kind"),
]


class Stage(Strict):
    id: Identifier
    title: Text
    reveal: list[RevealBlock] = Field(min_length=1)
    calculators: list[Calculator] = Field(
        default_factory=list, description="calculators shown after the reveal, preloaded with the patient's data"
    )
    items: list[Item] = Field(default_factory=list)
    next: Identifier | None = Field(default=None, description="the stage that follows when no option branches")


class Patient(Strict):
    synthetic: Literal[True]
    pseudonym: Text
    age: int = Field(ge=0, le=120)
    sex: Literal["female", "male", "other"]
    summary: Text


class Case(Strict):
    schema_version: Literal[1]
    kind: Literal["case"]
    id: Identifier
    module: int = Field(ge=1, le=3)
    title: Text
    summary: Text
    objectives: list[Identifier] = Field(min_length=1)
    professions: list[ProfessionName] = Field(min_length=1)
    governance: Governance
    patient: Patient
    start: Identifier
    stages: list[Stage] = Field(min_length=1)

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(f"case {self.id} has no stage {stage_id!r}")

    @property
    def items(self) -> list:
        return [item for stage in self.stages for item in stage.items]


class ItemBank(Strict):
    schema_version: Literal[1]
    kind: Literal["item_bank"]
    id: Identifier
    title: Text
    purpose: Literal["pre", "post", "module"]
    module: int | None = Field(default=None, ge=1, le=3)
    governance: Governance
    items: list[Item] = Field(min_length=1)


class Reference(Strict):
    key: ReferenceKey
    authors: Text
    title: Text
    journal: Text | None = None
    year: int = Field(ge=1900, le=2100)
    doi: Text | None = None
    pmid: Text | None = None
    url: Text | None = None


class Bibliography(Strict):
    schema_version: Literal[1]
    kind: Literal["bibliography"]
    references: list[Reference] = Field(min_length=1)


class LearningObjective(Strict):
    id: Identifier
    module: int = Field(ge=1, le=3)
    text: Text


class Role(str, Enum):
    """What a person did for the activity; everyone in one of these roles was in control of its content."""

    course_director = "course_director"
    planner = "planner"
    faculty = "faculty"  # authors of cases, items and calculators
    reviewer = "reviewer"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


RoleName = Annotated[Role, StrictMode(False)]


class FinancialRelationship(Strict):
    """One relevant financial relationship with an ineligible company (ACCME Standards for Integrity and
    Independence, standard 3), and how it was mitigated."""

    company: Text = Field(description="the ineligible company")
    nature: Text = Field(description='the kind of relationship, e.g. "consulting fee", "research grant", "stock"')
    mitigation: Text = Field(description="what was done so the relationship could not bias the content")


class Person(Strict):
    """Someone in control of the content: name, degrees, roles and their relevant financial relationships."""

    name: Text
    degrees: Text | None = Field(default=None, description='e.g. "MD, PhD"; required for a course run for credit')
    roles: list[RoleName] = Field(min_length=1)
    affiliation: Text | None = None
    team: bool = Field(default=False, description="a group named instead of its members: only while in draft")
    financial_relationships: Literal["none"] | Annotated[list[FinancialRelationship], Field(min_length=1)] = Field(
        description='"none", or each relevant financial relationship of the past 24 months'
    )


class Supporter(Strict):
    """One commercial supporter (ACCME standard 4): who, and whether the support was money or in kind."""

    name: Text
    kind: Literal["educational grant", "in-kind"]
    description: Text | None = Field(default=None, description="what was given, for in-kind support")


class CreditType(Strict):
    """One kind of certificate: who receives it and what it says. Credit types are configuration, not code."""

    id: Identifier
    certificate_title: Text = Field(description='e.g. "Certificate of Credit" or "Certificate of Participation"')
    amount_heading: Text = Field(description='the heading of the amount line, e.g. "Credit awarded"')
    amount_label: Text = Field(description='what the amount counts, e.g. "AMA PRA Category 1 Credit™"')
    kind: Literal["ama-pra-category-1", "participation"] = Field(
        default="participation",
        description="\"ama-pra-category-1\": physicians' credit, with the designation statement in the AMA's wording; "
        '"participation": a certificate of participation that says what the activity was designated for',
    )
    degrees: list[Text] = Field(default_factory=list, description="degrees that qualify; empty: any degree")
    professions: list[ProfessionName] = Field(
        default_factory=list, description="professions that qualify; empty: any profession"
    )


# The defaults reproduce the course this kit grew from: AMA PRA Category 1 Credit™ for MD/DO physicians, a
# certificate of participation for everyone else. A course director overrides them in course.yaml.
PHYSICIAN_PROFESSIONS = [
    "radiation_oncologist",
    "medical_oncologist",
    "surgeon",
    "radiologist",
    "pathologist",
    "palliative_care",
    "trainee",
]
DEFAULT_CREDIT_TYPES = [
    {
        "id": "ama-pra-category-1",
        "certificate_title": "Certificate of Credit",
        "amount_heading": "Credit awarded",
        "amount_label": "AMA PRA Category 1 Credit™",
        "degrees": ["MD", "DO"],
        "professions": PHYSICIAN_PROFESSIONS,
        "kind": "ama-pra-category-1",
    },
    {
        "id": "attendance",
        "certificate_title": "Certificate of Participation",
        "amount_heading": "Time of participation",
        "amount_label": "hours",
    },
]


class CreditSettings(Strict):
    """How attested time becomes credit, and which certificate each learner receives (first matching type wins)."""

    designated_amount: float = Field(default=1.0, gt=0, le=100, description="the maximum credit, e.g. 1.00")
    increment: float = Field(default=0.25, gt=0, le=1, description="credit is rounded to the nearest increment")
    degrees: list[Text] = Field(
        default_factory=lambda: [
            "MD",
            "DO",
            "MBBS",
            "PhD",
            "MSc",
            "RN",
            "NP",
            "PA",
            "PharmD",
            "DDS",
            "DMD",
            "RD",
            "Other",
        ],
        min_length=1,
        description="the degrees a learner can choose from",
    )
    types: list[CreditType] = Field(
        default_factory=lambda: [CreditType(**t) for t in DEFAULT_CREDIT_TYPES], min_length=1
    )


class PostTestSettings(Strict):
    """How the post-test is drawn and how often it may be taken (the pass mark is ``passing_score_percent``)."""

    items_per_attempt: int = Field(default=12, ge=10, description="items drawn from the pool per attempt (>= 10)")
    max_attempts: int = Field(default=3, ge=1, le=20, description="the retake cap: attempts allowed in all")


class CourseInfo(Strict):
    """The activity information a learner reads before any learning (one file a course director edits)."""

    schema_version: Literal[1]
    kind: Literal["course"]
    title: Text
    provider: Text
    description: Text
    objectives: list[LearningObjective] = Field(min_length=1)
    audience: list[ProfessionName] = Field(min_length=1)
    people: list[Person] = Field(min_length=1, description="the course director, planners, faculty and reviewers")
    commercial_support: Literal["none"] | Annotated[list[Supporter], Field(min_length=1)] = Field(
        description='"none", or each commercial supporter; acknowledged to learners before the content'
    )
    off_label_statement: Text = Field(
        description="shown before the content: the activity discusses uses that are "
        "off-label or investigational, and how they are marked"
    )
    joint_provider: Text | None = Field(
        default=None,
        description="the non-accredited organisation, when the activity is jointly provided with the "
        "accredited provider named in `provider`",
    )
    release_date: dt.date
    last_review_date: dt.date
    termination_date: dt.date
    estimated_minutes: int = Field(gt=0, description="minutes for the core path (hnscc-edu timing checks it)")
    core_path: list[Identifier] = Field(
        default_factory=list,
        description="the cases a learner must finish for credit (about an hour, covering every objective); every "
        "other case is deepening, optional",
    )
    passing_score_percent: int = Field(ge=1, le=100)
    requirements: Text
    privacy: Text
    contact: Text
    disclaimer: Text
    credit: CreditSettings = Field(default_factory=CreditSettings)
    post_test: PostTestSettings = Field(default_factory=PostTestSettings)
    mode: Literal["draft", "for_credit"] = Field(
        default="draft",
        description='"draft" while the course is not yet run for credit: every certificate is stamped "Draft: not '
        'for credit"; "for_credit" once an accredited provider runs it',
    )


MODELS_BY_KIND: dict[str, type[BaseModel]] = {
    "case": Case,
    "item_bank": ItemBank,
    "bibliography": Bibliography,
    "course": CourseInfo,
}
