"""The pure rules of live polls: states and transitions, the histogram threshold, codes, tokens, votes, tallies."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.rules import live as rules
from hnscc_edu.rules.live import Choice, PollAction, PollState
from tests.helpers import fixture_course

CHOICES = (Choice("a", "Key"), Choice("b", "Distractor"), Choice("c", "Other"))


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        ("open", "lock", "locked"),
        ("open", "reveal", "revealed"),
        ("locked", "reveal", "revealed"),
        ("open", "reset", "open"),
        ("locked", "reset", "open"),
        ("revealed", "reset", "open"),
    ],
)
def test_allowed_transitions(state, action, expected):
    assert rules.next_state(state, action) is PollState(expected)


@pytest.mark.parametrize(("state", "action"), [("locked", "lock"), ("revealed", "lock"), ("revealed", "reveal")])
def test_refused_transitions_say_why(state, action):
    with pytest.raises(rules.PollStateError, match="lock|reveal"):
        rules.next_state(state, action)


@given(st.lists(st.sampled_from(list(PollAction)), max_size=12))
def test_any_sequence_of_actions_stays_in_a_known_state_and_reset_always_reopens(actions):
    state = PollState.open
    for action in actions:
        try:
            state = rules.next_state(state, action)
        except rules.PollStateError:
            continue
        if action is PollAction.reset:
            assert state is PollState.open
    assert state in set(PollState)


def test_only_an_open_poll_takes_votes():
    rules.check_can_vote("open")
    for state in ("locked", "revealed"):
        with pytest.raises(rules.PollStateError, match="no longer accepted"):
            rules.check_can_vote(state)


@pytest.mark.parametrize(
    ("state", "total", "minimum", "shown"),
    [
        ("open", 50, 3, False),  # never before the reveal
        ("locked", 50, 3, False),
        ("revealed", 2, 3, False),  # never below the minimum
        ("revealed", 3, 3, True),
        ("revealed", 0, 0, False),  # a minimum below 1 still needs a vote
    ],
)
def test_histogram_needs_the_reveal_and_the_minimum(state, total, minimum, shown):
    assert rules.histogram_visible(state, total, minimum) is shown


def test_session_codes_avoid_look_alike_characters_and_normalise():
    codes = {rules.new_session_code() for _ in range(200)}
    assert all(len(c) == rules.CODE_LENGTH and set(c) <= set(rules.CODE_ALPHABET) for c in codes)
    assert not set("0O1IL2Z5S8B") & set(rules.CODE_ALPHABET)
    assert rules.normalise_code(" acd347 ") == "ACD347"
    for bad in ("", "AB", "AB/CD", "A" * 13, "ÄBCDEF"):
        with pytest.raises(rules.LiveNotFound):
            rules.normalise_code(bad)


def test_tokens_are_checked_against_their_hash_only():
    token = rules.new_presenter_token()
    stored = rules.hash_token(token)
    assert token not in stored and len(token) >= 30
    rules.check_token(token, stored)
    with pytest.raises(rules.TokenMissing):
        rules.check_token(None, stored)
    with pytest.raises(rules.TokenMissing):
        rules.check_token("", stored)
    with pytest.raises(rules.TokenRejected):
        rules.check_token(token + "x", stored)


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        (None, None),
        ("", None),
        ("Basic abc", None),
        ("Bearer", None),
        ("Bearer ", None),
    ],
)
def test_bearer_header(header, token):
    assert rules.bearer_token(header) == token


def test_a_vote_is_exactly_participant_and_choice():
    body = json.dumps({"participant": "p-0123456789", "choice": "b"}).encode()
    assert rules.parse_vote(body) == ("p-0123456789", "b")
    assert rules.check_choice("b", CHOICES) == "b"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"nonsense",
        b"[]",
        b'"text"',
        b"\xff\xfe",
        json.dumps({"participant": "p-0123456789"}).encode(),
        json.dumps({"participant": "p-0123456789", "choice": "b", "extra": 1}).encode(),
        json.dumps({"participant": "short", "choice": "b"}).encode(),
        json.dumps({"participant": "has space 123", "choice": "b"}).encode(),
        json.dumps({"participant": 12345678, "choice": "b"}).encode(),
        json.dumps({"participant": "p-0123456789", "choice": 2}).encode(),
        b"{" + b" " * 5000 + b"}",
    ],
)
def test_malformed_votes_are_refused(body):
    with pytest.raises(rules.LiveInputError):
        rules.parse_vote(body)


def test_an_unknown_choice_is_refused():
    with pytest.raises(rules.LiveInputError, match="not one of this poll"):
        rules.check_choice("z", CHOICES)


def test_choices_of_an_item_carry_no_key_and_only_single_best_answer_items_poll():
    case = fixture_course().case("fixture-case")
    single = next(i for i in case.items if i.id == "fx-single")
    assert rules.item_choices(single) == (Choice("a", "Key"), Choice("b", "Distractor"))
    with pytest.raises(rules.LiveInputError, match="single-best-answer"):
        rules.item_choices(next(i for i in case.items if i.id == "fx-multi"))


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        [{"id": "a", "text": "A"}],
        [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}],
        [{"id": "a", "text": "A"}, {"id": "b"}],
        [{"id": "a b", "text": "A"}, {"id": "b", "text": "B"}],
        [{"id": "a", "text": " "}, {"id": "b", "text": "B"}],
        ["a", "b"],
    ],
)
def test_choices_given_over_http_are_checked(raw):
    with pytest.raises(rules.LiveInputError):
        rules.check_choices(raw)


def test_tally_fills_every_choice_in_order_and_ignores_strays():
    results = rules.tally("locked", CHOICES, [("b", 2), ("a", 1), ("zz", 9)])
    assert results.as_json() == {"state": "locked", "counts": {"a": 1, "b": 2, "c": 0}, "total": 3}
    assert list(results.counts) == ["a", "b", "c"]
    assert results.share("b") == pytest.approx(2 / 3)
    assert rules.tally("open", CHOICES, []).share("a") == 0.0


def test_before_and_after_side_by_side():
    before = rules.tally("revealed", CHOICES, [("a", 1), ("b", 3)])
    after = rules.tally("revealed", CHOICES, [("a", 4), ("b", 1)])
    rows = rules.compare(CHOICES, before, after)
    assert [(r.choice.id, r.before, r.after) for r in rows] == [("a", 1, 4), ("b", 3, 1), ("c", 0, 0)]
    assert rows[0].change_points == pytest.approx(55.0)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"HNSCC_EDU_LIVE_PUBLIC_URL": "https://course.example.org/hnscc/"},
            "https://course.example.org/hnscc/hnscc/live/ACD347",
        ),
        (
            {"VOILA_REQUEST_URL": "http://10.0.0.5:8866/voila/render/x.ipynb", "VOILA_BASE_URL": "/"},
            "http://10.0.0.5:8866/hnscc/live/ACD347",
        ),
        (
            {
                "VOILA_REQUEST_URL": "https://hub.example.org/user/ana/voila/render/x.ipynb",
                "VOILA_BASE_URL": "/user/ana/",
            },
            "https://hub.example.org/user/ana/hnscc/live/ACD347",
        ),
        ({}, "/hnscc/live/ACD347"),
        ({"JUPYTERHUB_SERVICE_PREFIX": "/user/ana/"}, "/user/ana/hnscc/live/ACD347"),
    ],
)
def test_join_url(environ, expected):
    assert rules.join_url("ACD347", environ) == expected


# What a Voila kernel's environment holds (issue 20 §5). A cold kernel: the request's URL and its request information
# agree. A pre-heated kernel: Voila's request information (SERVER_NAME, SERVER_PORT) arrives when the page is opened,
# while VOILA_REQUEST_URL is absent (the pool's first kernel) or the request that made Voila refill the pool, i.e.
# the previous visitor's.
VOILA_BASE = {"VOILA_BASE_URL": "/", "VOILA_PREHEAT": "True"}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({**VOILA_BASE, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8866"}, "http://127.0.0.1:8866/hnscc/live/ACD347"),
        (
            {
                **VOILA_BASE,
                "SERVER_NAME": "localhost",
                "SERVER_PORT": "8866",
                "VOILA_REQUEST_URL": "http://127.0.0.1:8866/voila/render/live_presenter.ipynb",
            },
            "http://localhost:8866/hnscc/live/ACD347",
        ),
        (
            {
                **VOILA_BASE,
                "SERVER_NAME": "course.example.org",
                "SERVER_PORT": "",
                "VOILA_REQUEST_URL": "https://10.0.0.5/voila/render/live_presenter.ipynb",
            },
            "https://course.example.org/hnscc/live/ACD347",
        ),
        (
            {"VOILA_BASE_URL": "/user/ana/", "SERVER_NAME": "[::1]", "SERVER_PORT": "8866"},
            "http://[::1]:8866/user/ana/hnscc/live/ACD347",
        ),
        # a forged Host that Voila passed on: no address built from it, the bare path the dashboard warns about
        ({**VOILA_BASE, "SERVER_NAME": "evil'x", "SERVER_PORT": "8866"}, "/hnscc/live/ACD347"),
        # SERVER_NAME outside Voila (no VOILA_BASE_URL) is some other program's: not trusted
        (
            {"SERVER_NAME": "elsewhere.example.org", "VOILA_REQUEST_URL": "http://10.0.0.5:8866/x"},
            "http://10.0.0.5:8866/hnscc/live/ACD347",
        ),
        (
            {
                **VOILA_BASE,
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "8866",
                "HNSCC_EDU_LIVE_PUBLIC_URL": "https://course.example.org",
            },
            "https://course.example.org/hnscc/live/ACD347",
        ),
    ],
)
def test_join_url_is_this_pages_request_not_the_previous_visitors(environ, expected):
    assert rules.join_url("ACD347", environ) == expected


@pytest.mark.parametrize(
    ("scheme", "host", "base", "expected"),
    [
        ("http", "127.0.0.1:8866", "/", "http://127.0.0.1:8866/hnscc/live/ACD347"),
        ("HTTPS", "course.example.org", "/user/ana/", "https://course.example.org/user/ana/hnscc/live/ACD347"),
        ("http", "[fe80::1]:80", "", "http://[fe80::1]:80/hnscc/live/ACD347"),
        ("http", "my_host-1.local", "/", "http://my_host-1.local/hnscc/live/ACD347"),
    ],
)
def test_join_address_of_a_request(scheme, host, base, expected):
    assert rules.join_address("ACD347", scheme, host, base) == expected
    assert (
        rules.join_address("ACD347", scheme, host, base, " https://x.example.org/ ")
        == "https://x.example.org/hnscc/live/ACD347"
    )  # the public address wins


@pytest.mark.parametrize(
    ("scheme", "host"),
    [
        ("http", ""),
        ("http", "a;b"),
        ("http", "evil'x"),
        ("http", "%3Cx%3E"),
        ("http", "a b"),
        ("http", "a/b"),
        ("ftp", "example.org"),
        ("javascript", "x"),
        ("", "example.org"),
        ("http", "x" * 300),
    ],
)
def test_join_address_refuses_what_is_not_a_host(scheme, host):
    with pytest.raises(rules.LiveInputError):
        rules.join_address("ACD347", scheme, host)


def test_the_projector_link_carries_the_token_in_the_fragment_only():
    link = rules.projector_link("ACD347", "a/b+c=d", "/user/ana/")
    path, _, fragment = link.partition("#")
    assert path == "/user/ana/hnscc/live/ACD347/projector" and "?" not in link
    assert fragment == "token=a%2Fb%2Bc%3Dd"
    assert rules.projector_link("ACD347", "tok", "/") == "/hnscc/live/ACD347/projector#token=tok"


def test_answer_key_and_shares_as_the_dashboard_rounds_them():
    item = fixture_course().case("fixture-case").stages[0].items[0]
    assert rules.answer_key(item) == tuple(o.id for o in item.options if o.correct) and rules.answer_key(item)
    results = rules.tally("revealed", CHOICES, [("a", 2), ("b", 1)])
    assert rules.shares_percent(results) == {"a": 67, "b": 33, "c": 0}
    assert rules.shares_percent(rules.tally("revealed", CHOICES, [])) == {"a": 0, "b": 0, "c": 0}
    assert rules.shares_percent(rules.tally("revealed", CHOICES[:2], [("a", 1), ("b", 7)])) == {"a": 12, "b": 88}


@pytest.mark.parametrize("value", [0, -1, 501, True, 2.5, "3"])
def test_minimum_votes_is_a_small_whole_number(value):
    with pytest.raises(rules.LiveInputError):
        rules.check_min_votes(value)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://localhost:8866/hnscc/live/ACD347", "Phones cannot reach localhost"),
        ("http://127.0.0.1:8866/hnscc/live/ACD347", "Phones cannot reach 127.0.0.1"),
        ("http://[::1]:8866/hnscc/live/ACD347", "Phones cannot reach [::1]"),
        ("/hnscc/live/ACD347", "only a path"),
        ("http://10.0.0.5:8866/hnscc/live/ACD347", None),
        ("https://localhost.example.org/hnscc/live/ACD347", None),
        ("https://hub.example.org/user/ana/hnscc/live/ACD347", None),
    ],
)
def test_a_join_address_phones_cannot_reach_is_pointed_out(url, says):
    """Issue 20 §5: a warning on the dashboard when phones cannot reach the join address."""
    warning = rules.join_url_warning(url)
    assert (warning is None) if says is None else (says in warning and "HNSCC_EDU_LIVE_PUBLIC_URL" in warning)


def test_only_a_trusted_proxy_names_the_client():
    proxies = rules.trusted_proxies({"HNSCC_EDU_TRUSTED_PROXIES": " 127.0.0.1, ::1 "})
    assert proxies == {"127.0.0.1", "::1"} and rules.trusted_proxies({}) == frozenset()
    # through the proxy: the phone's address and the scheme it used
    assert rules.client_of("127.0.0.1", "203.0.113.7", "https", "http", proxies) == ("203.0.113.7", "https")
    # a client that is not the proxy cannot choose the address its limits count, nor the scheme
    assert rules.client_of("198.51.100.2", "203.0.113.7", "https", "http", proxies) == ("198.51.100.2", "http")
    # a proxy that sends nothing, or a scheme that is not one
    assert rules.client_of("127.0.0.1", None, "gopher", "http", proxies) == ("127.0.0.1", "http")


def test_a_ballot_counts_by_when_it_was_received():
    t = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
    second = dt.timedelta(seconds=1)
    assert rules.ballot_counts(t, None, t + second)  # open
    assert rules.ballot_counts(t, t + 2 * second, t + second)  # received before the lock, written after
    assert not rules.ballot_counts(t, t + 2 * second, t + 2 * second)  # at the lock: too late
    assert not rules.ballot_counts(t, None, t - second)  # before the round (a reset) began
    with pytest.raises(rules.PollStateError, match="restarted"):
        rules.refuse_ballot("open", t, None, t - second)
    with pytest.raises(rules.PollStateError, match="revealed"):
        rules.refuse_ballot("revealed", t, t + second, t + 2 * second)
    early, late = (rules.Ballot("ABCDEF", 1, "p", c, t + n * second) for n, c in ((1, "a"), (2, "b")))
    assert rules.latest_ballots([late, early]) == {(1, "p"): late}  # the last received wins, in any order
