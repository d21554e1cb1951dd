import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hnscc_edu.rules import case_flow
from hnscc_edu.rules.case_flow import FlowError
from tests.helpers import fixture_course

CASE = fixture_course().case("fixture-case")


def _answer_stage(state, responses):
    for item_id, response in responses.items():
        state, _ = case_flow.submit(CASE, state, item_id, response)
    return state


def test_starts_at_the_start_stage_with_nothing_answered():
    state = case_flow.start(CASE)
    assert state.path == ("history",) and not state.answers and not state.completed


def test_cannot_move_on_with_questions_open():
    state = case_flow.start(CASE)
    state, _ = case_flow.submit(CASE, state, "fx-single", "a")
    with pytest.raises(FlowError, match="1 open question"):
        case_flow.advance(CASE, state)


def test_items_of_later_stages_cannot_be_answered_early():
    with pytest.raises(FlowError, match="not part of the stage"):
        case_flow.submit(CASE, case_flow.start(CASE), "fx-numeric", "70")


def test_an_answer_is_final():
    state, _ = case_flow.submit(CASE, case_flow.start(CASE), "fx-single", "b")
    with pytest.raises(FlowError, match="already answered"):
        case_flow.submit(CASE, state, "fx-single", "a")


def test_main_route_skips_the_detour():
    state = _answer_stage(case_flow.start(CASE), {"fx-single": "a", "fx-multi": ["a", "b"]})
    state = case_flow.advance(CASE, state)
    state = _answer_stage(state, {"fx-numeric": "70", "fx-branch": "main"})
    state = case_flow.advance(CASE, state)
    assert state.path == ("history", "plan", "end")
    state = case_flow.advance(CASE, _answer_stage(state, {"fx-last": "a"}))
    assert state.completed and state.path[-1] == "end"


def test_a_branch_leads_to_its_stage_then_back():
    state = _answer_stage(case_flow.start(CASE), {"fx-single": "a", "fx-multi": ["a"]})
    state = case_flow.advance(CASE, state)
    state = case_flow.advance(CASE, _answer_stage(state, {"fx-numeric": "1", "fx-branch": "detour"}))
    assert state.current == "detour"
    state = case_flow.advance(CASE, _answer_stage(state, {"fx-reflect": "Go the main way next time."}))
    assert state.path == ("history", "plan", "detour", "end")


def test_route_ahead_is_the_default_path():
    assert case_flow.route_ahead(CASE, case_flow.start(CASE)) == ["plan", "end"]


RESPONSES = {
    "fx-single": st.sampled_from(["a", "b"]),
    "fx-multi": st.sampled_from([["a"], ["a", "b"], ["c"], ["a", "b", "c"]]),
    "fx-numeric": st.sampled_from(["70", "12.5", "7000 cGy"]),
    "fx-branch": st.sampled_from(["main", "detour"]),
    "fx-reflect": st.just("A short reflection."),
    "fx-last": st.sampled_from(["a", "b"]),
}


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries(RESPONSES), st.integers(min_value=0, max_value=4))
def test_replay_rebuilds_the_same_state(responses, stop_after_moves):
    """What the store keeps (answers in order, number of moves) is enough to resume exactly where one stopped."""
    state = case_flow.start(CASE)
    given_answers, moves = [], 0
    while not state.completed:
        for item_id in case_flow.open_items(CASE, state):
            state, _ = case_flow.submit(CASE, state, item_id, responses[item_id])
            given_answers.append((item_id, responses[item_id]))
        if moves == stop_after_moves:
            break
        state = case_flow.advance(CASE, state)
        moves += 1 if not state.completed else 0
    rebuilt = case_flow.replay(CASE, given_answers, moves, state.completed)
    assert rebuilt.path == state.path and rebuilt.completed == state.completed
    assert {k: v.result for k, v in rebuilt.answers.items()} == {k: v.result for k, v in state.answers.items()}


# -- profession tailoring (issue 20 §2) ---------------------------------------------------------------------------
# The fixture case writes fx-single, fx-branch and fx-reflect for radiation oncologists, fx-multi for dentists,
# fx-numeric for medical physicists and fx-last for nurses.


def test_a_question_for_another_profession_is_optional_and_does_not_hold_the_stage():
    state = case_flow.start(CASE)
    assert case_flow.open_items(CASE, state, "nurse") == []
    assert case_flow.open_items(CASE, state, "dentist") == ["fx-multi"]
    with pytest.raises(FlowError, match="1 open question"):
        case_flow.advance(CASE, state, "dentist")
    state = case_flow.advance(CASE, state, "nurse")  # nothing of the first stage is for a nurse
    state = case_flow.advance(CASE, state, "nurse")
    assert state.path == ("history", "plan", "end")
    with pytest.raises(FlowError, match="1 open question"):  # fx-last is hers
        case_flow.advance(CASE, state, "nurse")


def test_without_a_profession_or_without_a_question_for_it_every_question_is_required():
    state = case_flow.start(CASE)
    assert case_flow.open_items(CASE, state) == ["fx-single", "fx-multi"]
    assert case_flow.open_items(CASE, state, "pharmacist") == ["fx-single", "fx-multi"]  # no question is for them
    assert not case_flow.tailored_for(CASE, "pharmacist") and case_flow.tailored_for(CASE, "nurse")
    assert not any(case_flow.is_optional(CASE, item, "pharmacist") for item in CASE.items)


def test_an_optional_answer_is_kept_but_not_counted():
    state, optional_result = case_flow.submit(CASE, case_flow.start(CASE), "fx-single", "a")
    assert optional_result.score > 0
    state = case_flow.advance(CASE, case_flow.advance(CASE, state, "nurse"), "nurse")
    state, mine = case_flow.submit(CASE, state, "fx-last", "b")
    score, maximum, optional = case_flow.counted_score(CASE, state, "nurse")
    assert (score, maximum, optional) == (mine.score, mine.max_score, 1)
    everything = case_flow.counted_score(CASE, state, None)
    assert everything == (mine.score + optional_result.score, mine.max_score + optional_result.max_score, 0)


def test_replay_follows_the_stored_moves_past_questions_left_optional():
    state = case_flow.advance(CASE, case_flow.advance(CASE, case_flow.start(CASE), "nurse"), "nurse")
    state, _ = case_flow.submit(CASE, state, "fx-last", "a")
    state = case_flow.advance(CASE, state, "nurse")
    rebuilt = case_flow.replay(CASE, [("fx-last", "a")], 2, True)
    assert rebuilt.path == state.path and rebuilt.completed and set(rebuilt.answers) == {"fx-last"}
