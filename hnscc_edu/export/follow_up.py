"""Who owes a follow-up of their commitments to change, and what the follow-ups say (``rules.follow_up``): for the
course director's ``hnscc-edu follow-up --due`` and the outcomes report (Moore level 5, self-reported)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from ..content.models import CourseInfo
from ..rules.follow_up import OUTCOMES, FollowUp, committed, follow_up
from ..store import Store
from ..store.credit import CreditStore

FOLLOW_UP_PAGE = "voila/render/90_post_test_and_certificate.ipynb"  # where the form is, under the public address
COLUMNS = [
    "objective",
    "committed",
    "asked",
    "answered",
    *(o.replace(" ", "_") for o in OUTCOMES),
    "percent_made_the_change",
]


@dataclass(frozen=True)
class LearnerFollowUp:
    learner_id: str
    name: str | None  # as attested, when the learner attested
    evaluated_on: dt.date
    state: FollowUp


def learners(
    store: Store, today: dt.date, evaluations: tuple[dict, list] | None = None, *, names: bool = True
) -> list[LearnerFollowUp]:
    """Every learner who committed to a change in their first evaluation, with where their follow-up stands
    (``evaluations``: ``CreditStore.first_evaluations()`` when the caller has read it already; ``names``: False
    leaves out the attested names, which the report does not print)."""
    credit = CreditStore(store)
    first, objective_rows = evaluations or credit.first_evaluations()
    intents: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for row in objective_rows:
        intents[row["learner_id"]].append((row["objective_id"], row.get("intent")))
    answered = {row["learner_id"] for row in credit.follow_up_rows()}
    attested = {row["learner_id"]: row["full_name"] for row in credit.attestation_rows()} if names else {}
    out = []
    for learner, row in sorted(first.items()):
        objectives = committed(intents[learner])
        if objectives:
            day = row["submitted_at"].date()
            out.append(
                LearnerFollowUp(
                    learner, attested.get(learner), day, follow_up(day, objectives, learner in answered, today)
                )
            )
    return out


def summary(
    store: Store, info: CourseInfo, today: dt.date, evaluations: tuple[dict, list] | None = None
) -> tuple[pd.DataFrame, list[dict]]:
    """``follow_up.csv`` (per objective: committed, asked so far, answered, each outcome) and the barrier comments,
    with the learner's id for the caller to turn into a profession (never printed)."""
    people = learners(store, today, evaluations, names=False)
    rows = CreditStore(store).follow_up_rows()
    outcomes: dict[str, list[str]] = defaultdict(list)
    comments: dict[str, str] = {}
    for row in rows:
        outcomes[row["objective_id"]].append(row["outcome"])
        if row.get("barriers"):
            comments[row["learner_id"]] = row["barriers"]
    table = []
    for objective in info.objectives:
        committed = [p for p in people if objective.id in p.state.objectives]
        asked = [p for p in committed if p.state.status in ("due", "late", "answered")]
        said = outcomes.get(objective.id, [])
        made = said.count(OUTCOMES[0])
        table.append(
            {
                "objective": objective.id,
                "committed": len(committed),
                "asked": len(asked),
                "answered": len(said),
                **{o.replace(" ", "_"): said.count(o) for o in OUTCOMES},
                "percent_made_the_change": round(100 * made / len(said), 1) if said else float("nan"),
            }
        )
    return pd.DataFrame(table, columns=COLUMNS), [
        {"learner_id": learner, "comment": text} for learner, text in comments.items()
    ]
