"""The synthetic cohort: the same seed gives the same cohort; it never mixes with learners it did not create."""

from __future__ import annotations

import pytest

from hnscc_edu.cli import main
from hnscc_edu.sessions.simulation import simulate_cohort
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from tests.credit.conftest import COURSE
from tests.helpers import ROOT


def fingerprint(store: Store) -> list:
    # certificate ids are random by design (they must not be guessable); everything else is seeded
    events = [
        (row["learner_id"], row["event"], row["data"] if row["event"] != "certificate_issued" else None, row["at"])
        for row in CreditStore(store).event_rows()
    ]
    answers = [(r["learner_id"], r["context_id"], r["run"], r["item_id"], r["response"]) for r in store.attempt_rows()]
    return events + answers


def test_the_same_seed_gives_the_same_cohort(tmp_path):
    one, two = (Store(f"sqlite:///{tmp_path / f'{n}.sqlite3'}") for n in ("one", "two"))
    summary = simulate_cohort(COURSE, one, 12, seed=7)
    assert simulate_cohort(COURSE, two, 12, seed=7).outcomes == summary.outcomes
    assert fingerprint(one) == fingerprint(two)
    three = Store(f"sqlite:///{tmp_path / 'three.sqlite3'}")
    simulate_cohort(COURSE, three, 12, seed=8)
    assert fingerprint(three) != fingerprint(one)
    assert sum(summary.outcomes.values()) == 12 and all(x.startswith("sim-") for x in CreditStore(one).learner_ids())


def test_a_second_run_with_the_same_prefix_is_refused(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    root = ["--root", str(ROOT)]
    assert main(root + ["simulate-cohort", "--learners", "2", "--db", url]) == 0
    assert main(root + ["simulate-cohort", "--learners", "2", "--db", url]) == 2
    assert "already holds 2 simulated learners named 'sim-...'" in capsys.readouterr().err
    assert main(root + ["simulate-cohort", "--learners", "2", "--prefix", "demo", "--db", url]) == 0
    assert main(root + ["simulate-cohort", "--learners", "0", "--db", url]) == 2
    with pytest.raises(SystemExit):
        main(root + ["simulate-cohort", "--db", url])  # --learners is required: argparse explains and exits
