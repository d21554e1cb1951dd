"""Whether the widgets answer for the learner: only when ``HNSCC_EDU_AUTO_ANSWER`` is set, which the nbval runs and
the notebook refresh do so every cell has something to show. Learners never set it, and on a hub it cannot earn
anything: credit-bearing answers are graded by the course service, whoever typed them."""

from __future__ import annotations

import os

AUTO_ANSWER_VARIABLE = "HNSCC_EDU_AUTO_ANSWER"


def auto_answer_on() -> bool:
    return os.environ.get(AUTO_ANSWER_VARIABLE, "").strip().lower() not in {"", "0", "false", "no"}


# What the test-run lines of the notebooks start with: a committed output must never read as a learner's progress
# (issue 20 §1), so it says it is an automatic run with the answer key.
TEST_RUN = "Automatic test run with the answer key (an example, not your progress): "
