"""Key-feature items (MEDED.md section 2): choose up to N actions; each of the N keys earns 1/N, and a killer option
(a harmful action) zeroes the item whatever else was chosen. The course lint requires exactly N keys."""

from __future__ import annotations

from ...content.models import KeyFeature
from .options import option_feedback, require_known
from .result import GradeResult, InvalidResponse


def grade_key_feature(item: KeyFeature, response: object) -> GradeResult:
    if isinstance(response, str) or not isinstance(response, (list, tuple, set, frozenset)):
        raise InvalidResponse(f"Please choose up to {item.select} options before submitting.")
    chosen = set(response)
    if not chosen:
        raise InvalidResponse(f"Please choose at least one option (up to {item.select}) before submitting.")
    if len(chosen) > item.select:
        raise InvalidResponse(f"Choose at most {item.select} options: you chose {len(chosen)}.")
    require_known(item, chosen)
    keys = {o.id for o in item.options if o.correct}
    killers = [o for o in item.options if o.killer and o.id in chosen]
    hits = len(chosen & keys)
    if killers:
        score = 0.0
        summary = (
            f"You chose an action that would harm this patient ({'; '.join(o.text for o in killers)}), "
            "so the item scores 0 whatever else was chosen."
        )
    else:
        score = hits / len(keys)
        summary = f"{hits} of the {len(keys)} key actions chosen."
    correct = not killers and hits == len(keys)
    return GradeResult(item.id, round(score, 6), 1.0, correct, summary, option_feedback(item, chosen))
