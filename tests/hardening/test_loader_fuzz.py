"""The content loader fuzzed (issue 9, item 2, first bullet): hypothesis-generated YAML and mutated real files.

Whatever a content file holds, ``load_course`` and ``hnscc-edu validate`` answer with problems that name file, line,
field and message, never with a traceback; and the course is never half-loaded: a file with schema problems is left
out whole (so is a case whose stage links lead nowhere), while the files around it still load.

The examples are derandomized, so a CI run is reproducible; each test is bounded by ``max_examples``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hnscc_edu import cli
from hnscc_edu.content.course import CourseContent, load_course
from hnscc_edu.content.loading import LoadedFile, load_file
from hnscc_edu.content.models import Bibliography, Case, CourseInfo, ItemBank
from tests.helpers import FIXTURE_COURSE, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")  # anchors reused on purpose
TODAY = dt.date(2027, 6, 1)  # inside every review window of the real course and the fixture course
PROBLEM_LINE = re.compile(r"^(.+?):(\d+): (.+?): (.+)$")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


# --- The guarantees, checked after every example ---------------------------------------------------------------------


@dataclass
class Outcome:
    """What one ``hnscc-edu validate --root ROOT`` run returned and printed, with the course it loaded."""

    code: int
    stdout: str
    stderr: str
    content: CourseContent


def validate(root: Path) -> Outcome:
    """Run ``hnscc-edu validate`` in-process on a strict UTF-8 stdout (as on a terminal) and keep its course."""
    seen: list[CourseContent] = []

    def recording(*args: Any, **kwargs: Any) -> CourseContent:
        """Call the real load_course and keep what it returned."""
        seen.append(load_course(*args, **kwargs))
        return seen[-1]

    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="\n")
    err_text = io.TextIOWrapper(err, encoding="utf-8", errors="strict", newline="\n")
    with mock.patch.object(cli, "load_course", recording), redirect_stdout(out_text), redirect_stderr(err_text):
        code = cli.main(["--root", str(root), "validate", "--today", TODAY.isoformat()])
    out_text.flush()
    err_text.flush()
    assert len(seen) == 1, "validate loads the course exactly once"
    return Outcome(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"), seen[0])


def _line_count(path: Path) -> int:
    """How many lines a problem may name in ``path`` (1 when it is not UTF-8 text)."""
    try:
        return len(path.read_text(encoding="utf-8").splitlines()) + 1
    except (OSError, UnicodeDecodeError):
        return 1


def _stage_links_resolve(case: Case) -> bool:
    """Whether the start and every next / next_stage of ``case`` name one of its stages."""
    ids = {stage.id for stage in case.stages}
    targets = [case.start] + [stage.next for stage in case.stages if stage.next]
    targets += [
        option.next_stage
        for stage in case.stages
        for item in stage.items
        for option in getattr(item, "options", [])
        if option.next_stage
    ]
    return all(target in ids for target in targets)


def check_guarantees(root: Path, recheck: list[Path]) -> CourseContent:
    """Every guarantee of the loader and the validate command; ``recheck`` files are loaded again on their own."""
    result = validate(root)
    content = result.content
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.code == (1 if content.problems else 0), (result.code, result.stderr)

    # One line per problem, file:line: field: message, and nothing else on stdout.
    assert result.stdout.splitlines() == [str(p) for p in content.problems]
    assert result.stderr.endswith(f"{len(content.files)} file(s) checked, {len(content.problems)} problem(s).\n")
    files = {f.display: f for f in content.files}
    for problem in content.problems:
        shown = str(problem)
        assert len(shown.splitlines()) == 1 and PROBLEM_LINE.match(shown), repr(shown)
        assert isinstance(problem.line, int) and problem.line >= 1 and problem.message.strip()
        assert isinstance(problem.field, str)
        assert problem.file in files or problem.file == str(root / "course.yaml"), problem
        if problem.file in files:
            assert problem.line <= _line_count(files[problem.file].path), problem

    # Never half-loaded: every model in the course is the whole model of one file that validated ...
    whole = {id(f.model) for f in content.files if f.model is not None}
    for model in [*content.cases.values(), *content.banks.values(), *([content.info] if content.info else [])]:
        assert id(model) in whole, f"{type(model).__name__} {getattr(model, 'id', '')} is not a validated file"
    cited = {id(r) for f in content.files if isinstance(f.model, Bibliography) for r in f.model.references}
    assert all(id(ref) in cited for ref in content.references.values())
    # ... a file that does not validate on its own has no model, and the course says why ...
    for path in recheck:
        alone = load_file(path, root)
        loaded = next(f for f in content.files if f.path == path)
        if alone.problems:
            assert loaded.model is None and set(alone.problems) <= set(loaded.problems), loaded.display
        else:
            assert loaded.model == alone.model
    for f in content.files:
        if f.model is None:
            assert any(p.file == f.display for p in content.problems), f"{f.display} left out without a reason"
    # ... and a case in the course can be played through: its start and every link name one of its stages.
    for case in content.cases.values():
        assert _stage_links_resolve(case), f"case {case.id} is in the course with a link to a missing stage"
    return content


@contextmanager
def course_folder(base: Path | None = None) -> Iterator[Path]:
    """A temporary course folder, a copy of ``base`` when given."""
    with tempfile.TemporaryDirectory(prefix="hnscc-fuzz-") as tmp:
        root = Path(tmp) / "course"
        if base is not None:
            shutil.copytree(base, root)
        for sub in ("cases", "quizzes", "references"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        yield root


def check_fixture_still_loads(content: CourseContent, fuzzed: str) -> None:
    """The fixture's case and item bank, untouched by the fuzzed file, are still in the course."""
    for f in content.files:
        if f.display == fuzzed or f.display in ("course.yaml", "references/references.yaml"):
            continue
        assert f.model is not None, f.display
        holder = (content.cases if isinstance(f.model, Case) else content.banks).get(f.model.id)
        fuzzed_model = next((g.model for g in content.files if g.display == fuzzed), None)
        assert holder is f.model or (holder is fuzzed_model and holder is not None), f.display


# --- 1. Random YAML documents ----------------------------------------------------------------------------------------

FIELD_NAMES = [
    "schema_version",
    "kind",
    "id",
    "title",
    "summary",
    "module",
    "objectives",
    "professions",
    "governance",
    "authors",
    "reviewers",
    "last_reviewed",
    "next_review_due",
    "content_version",
    "changelog",
    "patient",
    "synthetic",
    "start",
    "stages",
    "next",
    "reveal",
    "markdown",
    "heading",
    "items",
    "type",
    "stem",
    "options",
    "text",
    "correct",
    "next_stage",
    "rationale",
    "references",
    "evidence",
    "status",
    "answer",
    "value",
    "unit",
    "absolute_tolerance",
    "feedback",
    "key",
    "year",
    "purpose",
    "pairs_with",
    "release_date",
    "termination_date",
    "credit",
    "types",
    "post_test",
    "items_per_attempt",
    "select",
    "killer",
    "panel",
    "counts",
    "steps",
    "calculators",
    "<<",
    "?",
    "-",
    "",
    "No",
    "1",
    "~",
    "2026-01-01",
]
RAW_SCALARS = [
    "No",
    "no",
    "yes",
    "Yes",
    "on",
    "off",
    "y",
    "n",
    "~",
    "null",
    "true",
    "False",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "2026-02-09",
    "2026-02-30",
    "2026-13-01",
    "2026-11-27 10:00:00",
    "2026-11-27T10:00:00+02:00",
    "2026-11-27t10:00:00.123456789z",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1e400",
    "-0",
    "+12",
    "1",
    "0",
    "-1",
    "9" * 60,
    "9" * 5000,
    "1" + "0" * 4400 + ".5",
    "'quoted'",
    '"a\\nb"',
    '"\\ud800"',
    '"\\u2028"',
    '"\\0"',
    '"\\x85"',
    "!!int abc",
    "!!int 1",
    "!!float x",
    "!!bool maybe",
    "!!str 1",
    "!!binary aGk=",
    "!!binary '@@'",
    "!!timestamp nope",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!omap [1]",
    "!!pairs [a: 1]",
    "!!map [1]",
    "!!seq {a: 1}",
    "!custom x",
    "!!python/object:os.system x",
    "!!python/name:os.system",
    "&",
    "*",
    "@x",
    "`x",
    "%",
    "'",
    '"',
    "key: value",
    "[",
    "]",
    "{",
    "}",
]
BAD_BYTES = [
    b"\xff",
    b"\xfe\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x00",
    b"\x1b[31m",
    b"\r",
    b"\t",
    b"\xef\xbb\xbf",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
]
FRAGMENTS = [
    "schema_version: 1\n",
    "kind: case\n",
    "kind: item_bank\n",
    "kind: bibliography\n",
    "kind: course\n",
    "id: x\n",
    "\t",
    "  ",
    "\n",
    "\r\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "- ",
    ": ",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "#",
    "'",
    '"',
    "|\n",
    ">-\n",
    "!!",
    "!",
    "\ufeff",
    "\x00",
    "\u2028",
    "stages:\n  - id: a\n    next: b\n",
    "No",
    "2026-02-30",
    ".nan",
]
PLACES = ["cases/fuzz.yaml", "quizzes/fuzz.yaml", "references/references.yaml", "course.yaml"]

ANCHOR_NAMES = st.sampled_from(["a", "b", "c"])
KEYS = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.sampled_from(RAW_SCALARS[:30]),
    st.text(max_size=8).map(json.dumps),
    st.just("? [1, 2]"),
)
SCALARS = st.one_of(
    st.sampled_from(RAW_SCALARS),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(max_size=30).map(json.dumps),
    st.text(alphabet="abcXYZ019 -_.:#&*!|>'\"@%`,[]{}?\t\\", min_size=1, max_size=12),
    st.dates().map(str),
    st.datetimes().map(str),
    ANCHOR_NAMES.map(lambda name: f"*{name}"),
)


def _flow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Flow lists, flow mappings and anchored values of ``children``."""
    return st.one_of(
        st.lists(children, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(KEYS, children), max_size=4).map(
            lambda kvs: "{" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}"
        ),
        st.tuples(ANCHOR_NAMES, children).map(lambda pair: f"&{pair[0]} {pair[1]}"),
    )


FLOW = st.recursive(SCALARS, _flow, max_leaves=12)


@st.composite
def block_mapping(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    """A block mapping of random keys, each followed by a flow value or (up to three levels) a nested block."""
    pad = " " * indent
    lines = []
    for key in draw(st.lists(KEYS, min_size=1, max_size=6)):
        style = draw(st.integers(0, 3)) if depth < 3 else 0
        if style == 2:
            lines.append(f"{pad}{key}:\n" + draw(block_mapping(indent + 2, depth + 1)))
        elif style == 3:
            entries = draw(
                st.lists(
                    st.one_of(
                        FLOW.map(lambda v: f"{pad}  - {v}\n"),
                        block_mapping(indent + 4, depth + 1).map(lambda b: f"{pad}  -\n{b}"),
                    ),
                    max_size=3,
                )
            )
            lines.append(f"{pad}{key}:\n" + "".join(entries))
        else:
            lines.append(f"{pad}{key}: {draw(FLOW)}\n")
    return "".join(lines)


HEADERS = st.one_of(
    st.just(""),
    st.sampled_from(["case", "item_bank", "bibliography", "course", "No", "~"]).map(
        lambda kind: f"schema_version: 1\nkind: {kind}\n"
    ),
)
STRUCTURED = st.builds(
    lambda head, body, tab: (head + body).replace("\n  ", "\n\t", 1) if tab else head + body,
    HEADERS,
    block_mapping(),
    st.booleans(),
)


def _deep(n: int, mapping: bool) -> str:
    """A case whose stages are ``n`` nested lists (or mappings)."""
    nested = "{a: " * n + "1" + "}" * n if mapping else "[" * n + "]" * n
    return f"schema_version: 1\nkind: case\nid: deep\nstages: {nested}\n"


def _alias_bomb(levels: int) -> str:
    """An item bank whose aliases expand to 9 ** ``levels`` values."""
    lines = ["schema_version: 1", "kind: item_bank", "b0: &b0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _encode(text: str) -> bytes:
    """UTF-8 bytes of ``text``, lone surrogates included (they make invalid UTF-8)."""
    return text.encode("utf-8", "surrogatepass")


def _with_bad_bytes(text: str, bad: bytes, at: int) -> bytes:
    """``text`` as UTF-8 with ``bad`` bytes spliced in at ``at`` (modulo its length)."""
    raw = _encode(text)
    at = at % (len(raw) + 1)
    return raw[:at] + bad + raw[at:]


RAW = st.one_of(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30).map("".join).map(_encode),
    st.text(max_size=200).map(_encode),
    st.binary(max_size=200),
    st.builds(_with_bad_bytes, STRUCTURED, st.sampled_from(BAD_BYTES), st.integers(0, 10_000)),
    st.builds(_deep, st.integers(1, 1500), st.booleans()).map(_encode),
    st.integers(1, 9).map(_alias_bomb).map(_encode),
)


def _check_document(raw: bytes, place: str) -> None:
    """Write ``raw`` at ``place`` in a copy of the fixture course and check every guarantee."""
    with course_folder(FIXTURE_COURSE) as root:
        (root / place).write_bytes(raw)
        content = check_guarantees(root, [root / place])
        check_fixture_still_loads(content, place)


@FUZZ
@given(document=STRUCTURED, place=st.sampled_from(PLACES))
def test_random_yaml_documents_give_only_problems(document: str, place: str) -> None:
    """Random YAML (anchors, aliases, merge keys, duplicate keys, tags, odd scalars) as each kind of content file."""
    _check_document(_encode(document), place)


@FUZZ
@given(raw=RAW, place=st.sampled_from(PLACES))
def test_random_text_and_bytes_give_only_problems(raw: bytes, place: str) -> None:
    """Random text, bytes, invalid UTF-8, tabs, deep nesting and alias bombs as each kind of content file."""
    _check_document(raw, place)


# --- 2. Mutations of the real content files --------------------------------------------------------------------------

CASE_COMPANIONS = ["cases/systemic-focused-rt-14.yaml", "cases/salvage-perioperative-09.yaml"]
BANK_COMPANIONS = ["quizzes/module1-quiz.yaml", "quizzes/module3-bank.yaml"]
REAL_FILES = sorted(
    p.relative_to(ROOT).as_posix() for folder in ("cases", "quizzes") for p in (ROOT / folder).glob("*.yaml")
) + ["references/references.yaml", "course.yaml"]
CASE_FILES = [rel for rel in REAL_FILES if rel.startswith("cases/")]
MISSING_STAGE = "no-such-stage"
REPLACEMENTS: list[Any] = [None, True, 0, -3, 2.5, "text", "", [], ["x"], {}, {"x": 1}, dt.date(2020, 1, 1)]


@functools.cache
def original(rel: str) -> bytes:
    """The bytes of a real content file."""
    return (ROOT / rel).read_bytes()


@functools.cache
def plain(rel: str) -> Any:
    """The plain parsed values of a real content file."""
    data = load_file(ROOT / rel, ROOT).data
    assert data is not None, rel
    return data


def _paths(node: Any, loc: tuple = ()) -> Iterator[tuple]:
    """Every key and entry path under ``node``, parents first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield loc + (key,)
            yield from _paths(value, loc + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield loc + (index,)
            yield from _paths(value, loc + (index,))


@functools.cache
def value_paths(rel: str) -> tuple[tuple, ...]:
    """Every key and entry path of a real file."""
    return tuple(_paths(plain(rel)))


@functools.cache
def key_paths(rel: str) -> tuple[tuple, ...]:
    """The paths of a real file that end in a mapping key."""
    return tuple(p for p in value_paths(rel) if isinstance(p[-1], str))


def _id_group(entries: Any, loc: tuple, field: str = "id") -> list[tuple]:
    """The paths of ``field`` in the mappings of the list ``entries``."""
    if not isinstance(entries, list):
        return []
    return [loc + (i, field) for i, entry in enumerate(entries) if isinstance(entry, dict) and field in entry]


@functools.cache
def id_groups(rel: str) -> tuple[tuple[tuple, ...], ...]:
    """Groups of id fields the lint keeps unique: stage ids, item ids, option and step ids, reference keys."""
    data = plain(rel)
    groups: list[list[tuple]] = []
    if data.get("kind") == "bibliography":
        groups.append(_id_group(data.get("references"), ("references",), "key"))
    items: list[tuple[tuple, Any]] = []
    if data.get("kind") == "case":
        groups.append(_id_group(data.get("stages"), ("stages",)))
        items = [
            (("stages", s, "items", i), item)
            for s, stage in enumerate(data.get("stages", []))
            for i, item in enumerate(stage.get("items", []))
        ]
    elif data.get("kind") == "item_bank":
        items = [(("items", i), item) for i, item in enumerate(data.get("items", []))]
    groups.append([loc + ("id",) for loc, item in items if "id" in item])
    for loc, item in items:
        groups.append(_id_group(item.get("options"), loc + ("options",)))
        groups.append(_id_group(item.get("steps"), loc + ("steps",)))
    return tuple(tuple(group) for group in groups if len(group) >= 2)


@functools.cache
def link_slots(rel: str) -> tuple[tuple, ...]:
    """Where a case names a stage: its start, each stage's next, each option's next_stage."""
    data = plain(rel)
    slots: list[tuple] = [("start",)]
    for s, stage in enumerate(data["stages"]):
        slots.append(("stages", s, "next"))
        for i, item in enumerate(stage.get("items", [])):
            options = range(len(item.get("options", [])))
            slots += [("stages", s, "items", i, "options", o, "next_stage") for o in options]
    return tuple(slots)


def companions(target: str) -> list[str]:
    """The real files copied next to the mutated one: course, bibliography, one other case and item bank."""
    chosen = ["course.yaml", "references/references.yaml", target]
    chosen.append(next(rel for rel in CASE_COMPANIONS if rel != target))
    chosen.append(next(rel for rel in BANK_COMPANIONS if rel != target))
    if target in ("quizzes/pre-test.yaml", "quizzes/post-test.yaml"):  # the pairs live in both
        chosen += ["quizzes/pre-test.yaml", "quizzes/post-test.yaml"]
    return sorted(set(chosen))


def cited_keys(rels: list[str]) -> list[str]:
    """The reference keys cited anywhere in ``rels``."""
    keys: set[str] = set()
    for rel in rels:
        for loc in value_paths(rel):
            if "references" in loc and isinstance(loc[-1], int):
                node = plain(rel)
                for part in loc:
                    node = node[part]
                keys.add(node)
    return sorted(keys)


def _yaml() -> YAML:
    """A round-trip YAML 1.2 reader and writer that keeps quotes and long lines."""
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def edit_tree(rel: str, change: Callable[[Any], None]) -> bytes:
    """The real file with one structural change, written back in its own style."""
    yaml = _yaml()
    tree = yaml.load(original(rel).decode("utf-8"))
    change(tree)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue().encode("utf-8")


def _parent(tree: Any, loc: tuple) -> Any:
    """The container holding the last part of ``loc``."""
    for part in loc[:-1]:
        tree = tree[part]
    return tree


@dataclass
class Mutation:
    """One change to one real file, and what the course must say about it."""

    kind: str
    target: str
    data: bytes = field(repr=False)
    must_mention: str | None = None  # a problem message must contain this
    link: tuple | None = None  # the stage link pointed at a missing stage


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """One mutation kind, one real file it applies to, and where in the file."""
    kind = draw(
        st.sampled_from(
            ["delete_key", "retype", "duplicate_id", "dangling_link", "drop_reference", "truncate", "swap_lines"]
        )
    )
    if kind == "dangling_link":
        target = draw(st.sampled_from(CASE_FILES))
    elif kind == "drop_reference":
        target = "references/references.yaml"
    else:
        target = draw(st.sampled_from(REAL_FILES))
    raw = original(target)
    if kind == "delete_key":
        loc = draw(st.sampled_from(key_paths(target)))
        return Mutation(kind, target, edit_tree(target, lambda tree: _parent(tree, loc).pop(loc[-1])))
    if kind == "retype":
        loc = draw(st.sampled_from(value_paths(target)))
        old = _parent(plain(target), loc)[loc[-1]]
        new = draw(st.sampled_from([r for r in REPLACEMENTS if type(r) is not type(old)]))
        return Mutation(kind, target, edit_tree(target, lambda tree: _parent(tree, loc).__setitem__(loc[-1], new)))
    if kind == "duplicate_id":
        top_id = plain(target).get("id")
        groups = id_groups(target)
        if top_id is not None and (not groups or draw(st.booleans())):  # the id of another file of the course
            other = next(
                rel
                for rel in [*CASE_COMPANIONS, *BANK_COMPANIONS]
                if rel != target and plain(rel).get("kind") == plain(target).get("kind")
            )
            same = plain(other)["id"]
            return Mutation(kind, target, edit_tree(target, lambda tree: tree.__setitem__("id", same)), "duplicate")
        if not groups:  # course.yaml: nothing the lint keeps unique; an objective id twice must still not crash
            loc_a, loc_b = ("objectives", 0, "id"), ("objectives", 1, "id")
        else:
            group = draw(st.sampled_from(groups))
            loc_a, loc_b = draw(st.lists(st.sampled_from(group), min_size=2, max_size=2, unique=True))
        same = _parent(plain(target), loc_a)[loc_a[-1]]
        mention = "duplicate" if groups else None
        return Mutation(
            kind, target, edit_tree(target, lambda tree: _parent(tree, loc_b).__setitem__(loc_b[-1], same)), mention
        )
    if kind == "dangling_link":
        loc = draw(st.sampled_from(link_slots(target)))
        return Mutation(
            kind,
            target,
            edit_tree(target, lambda tree: _parent(tree, loc).__setitem__(loc[-1], MISSING_STAGE)),
            "names no stage",
            loc,
        )
    if kind == "drop_reference":
        cited = cited_keys([rel for rel in companions(target) if rel != target])
        key = draw(st.sampled_from(cited))
        index = next(i for i, ref in enumerate(plain(target)["references"]) if ref["key"] == key)
        return Mutation(
            kind,
            target,
            edit_tree(target, lambda tree: tree["references"].pop(index)),
            f"unknown reference key {key!r}",
        )
    if kind == "truncate":
        return Mutation(kind, target, raw[: draw(st.integers(0, len(raw) - 1))])
    lines = raw.splitlines(keepends=True)
    first, second = sorted(draw(st.lists(st.integers(0, len(lines) - 1), min_size=2, max_size=2, unique=True)))
    lines[first], lines[second] = lines[second], lines[first]
    return Mutation(kind, target, b"".join(lines))


def _dotted(loc: tuple) -> str:
    """``loc`` written the way problems name a field (``stages[0].next``)."""
    return "".join(f"[{part}]" if isinstance(part, int) else ("." if i else "") + part for i, part in enumerate(loc))


@settings(FUZZ, max_examples=36)
@given(mutation=mutations())
def test_mutated_real_files_give_only_problems_and_never_half_load(mutation: Mutation) -> None:
    """A real file with one change: only problems, the file loaded whole or left out whole, the others untouched."""
    with course_folder() as root:
        for rel in companions(mutation.target):
            (root / rel).write_bytes(original(rel))
        (root / mutation.target).write_bytes(mutation.data)
        content = check_guarantees(root, [root / mutation.target])

        if mutation.must_mention:
            assert any(mutation.must_mention in p.message for p in content.problems), mutation.kind
        target = next(f for f in content.files if f.display == mutation.target)
        if mutation.link is not None:
            assert target.model is None or target.model.id not in content.cases, "a case with a broken link loaded"
            assert any(p.field == _dotted(mutation.link) and p.file == mutation.target for p in content.problems)
        for f in content.files:
            if f.display == mutation.target:
                continue
            assert f.model is not None, f"untouched {f.display} did not load"
            check_loaded(content, f, target)
        if isinstance(target.model, (Case, ItemBank)) and _loads_whole(target.model):
            check_loaded(content, target, None)


def _loads_whole(model: Case | ItemBank) -> bool:
    """Whether a validated model belongs in the course (a case needs its stage links to resolve)."""
    return not isinstance(model, Case) or _stage_links_resolve(model)


def check_loaded(content: CourseContent, f: LoadedFile, rival: LoadedFile | None) -> None:
    """``f``'s model is in the course, unless ``rival`` (the mutated file, loaded first) took its id."""
    model = f.model
    if isinstance(model, CourseInfo):
        assert content.info is model
    elif isinstance(model, Bibliography):
        assert all(content.references[ref.key] is ref for ref in model.references)
    else:
        holder = (content.cases if isinstance(model, Case) else content.banks).get(model.id)
        taken = rival is not None and rival.model is not None and holder is rival.model
        owned_elsewhere = holder is not model and any(
            p.file == f.display and "duplicate" in p.message and p.field == "id" for p in content.problems
        )
        assert holder is model or taken or owned_elsewhere, f"{f.display} is missing from the course"


# --- Regressions: the inputs the fuzzing found ------------------------------------------------------------------------

CASE = "cases/fixture-case.yaml"


def fixture_copy(tmp_path: Path) -> Path:
    """A copy of the fixture course under ``tmp_path``."""
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    return root


def edit_case(root: Path, old: str, new: str) -> int:
    """Replace text in the fixture case; the 1-based line of the edit."""
    path = root / CASE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def only_problems(root: Path) -> list[str]:
    """The guarantees hold; the problems of the fixture case as printed."""
    content = check_guarantees(root, [root / CASE])
    return [str(p) for p in content.problems if p.file == CASE]


def test_a_merge_key_is_read_with_its_lines(tmp_path: Path) -> None:
    """``<<: *name`` used to raise KeyError (a merged key has no line of its own)."""
    root = fixture_copy(tmp_path)
    edit_case(root, '- {id: a, text: "Key", correct: true,', '- &sourced {id: a, text: "Key", correct: true,')
    edit_case(
        root,
        '- {id: b, text: "Distractor", rationale: "B is wrong.", references: [fixture-source], '
        "evidence: expert-opinion}",
        '- {<<: *sourced, id: b, text: "Distractor", correct: false, rationale: "B is wrong.", '
        "evidence: expert-opinion}",
    )
    content = check_guarantees(root, [root / CASE])
    assert content.problems == [] and "fixture-case" in content.cases


def test_values_ruamel_cannot_build_are_yaml_problems_at_their_line(tmp_path: Path) -> None:
    """An impossible date, a tag that does not fit, a 5000-digit number: ValueError/KeyError tracebacks before."""
    for old, new, words in [
        ("next_review_due: 2099-01-01", "next_review_due: 2099-02-30", "as a date"),
        ("age: 60", "age: !!int sixty", "as a whole number"),
        ("synthetic: true", "synthetic: !!bool maybe", "as true or false"),
        ("age: 60", "age: " + "6" * 5000, "as a whole number"),
    ]:
        root = fixture_copy(tmp_path / str(len(list(tmp_path.iterdir()))))
        line = edit_case(root, old, new)
        [problem] = only_problems(root)
        assert problem.startswith(f"{CASE}:{line}: (file): is not valid YAML: ") and words in problem, problem


def test_deep_nesting_self_reference_alias_bombs_and_list_keys_are_refused(tmp_path: Path) -> None:
    """RecursionError, TypeError or minutes of expansion before; now one problem each, at once."""
    for text, words in [
        (_deep(150, False), "nested"),
        (_deep(1500, True), "nested too deeply"),
        ("&loop {schema_version: 1, kind: case, again: *loop}\n", "repeats itself"),
        (_alias_bomb(9), "more than 100000 values"),
        ("? [1, 2]: []\n", "cannot be read (unhashable type"),
    ]:
        root = fixture_copy(tmp_path / str(len(list(tmp_path.iterdir()))))
        (root / CASE).write_text(text, encoding="utf-8")
        [problem] = only_problems(root)
        assert words in problem, problem


def test_a_timestamp_as_review_date_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """Comparing a datetime with a date raised TypeError in the review-date rule."""
    root = fixture_copy(tmp_path)
    line = edit_case(root, "next_review_due: 2099-01-01", "next_review_due: 2020-01-01 10:00:00")
    problems = only_problems(root)
    assert any(p.startswith(f"{CASE}:{line}: governance.next_review_due: ") and "lapsed" in p for p in problems)


def test_a_line_break_in_a_key_stays_on_one_line(tmp_path: Path) -> None:
    """A quoted key with a line break split its problem over two lines of validate's output."""
    root = fixture_copy(tmp_path)
    line = edit_case(root, "  pseudonym:", '  "bad\\u2028key\\n": 1\n  pseudonym:')
    problems = only_problems(root)
    assert problems == [f"{CASE}:{line}: patient.bad\\u2028key\\n: is not a field of this schema (check the spelling)"]


def test_a_forbidden_character_names_its_line(tmp_path: Path) -> None:
    """ruamel's reader error spread over two lines and gave line 1."""
    root = fixture_copy(tmp_path)
    line = edit_case(root, 'title: "History"', 'title: "Hist\x00ory"')
    assert only_problems(root) == [f"{CASE}:{line}: (file): is not valid YAML: the character #x0000 is not allowed"]


def test_a_case_linking_to_a_missing_stage_is_left_out_whole(tmp_path: Path) -> None:
    """The case used to load, then fail with KeyError when a learner reached the link."""
    root = fixture_copy(tmp_path)
    line = edit_case(root, "    next: plan", "    next: plann")
    content = check_guarantees(root, [root / CASE])
    assert (
        f"{CASE}:{line}: stages[0].next: names no stage of this case: 'plann' (the case is left out of the "
        "course until this is fixed)" in [str(p) for p in content.problems]
    )
    assert "fixture-case" not in content.cases and "fixture-bank" in content.banks
    with pytest.raises(LookupError, match="has problems in cases/fixture-case.yaml"):
        content.case("fixture-case")


def test_a_case_truncated_between_stages_is_not_half_loaded(tmp_path: Path) -> None:
    """Cut after the second stage, the file is a valid schema-v1 case whose links lead to stages that are gone."""
    root = fixture_copy(tmp_path)
    text = (root / CASE).read_text(encoding="utf-8")
    (root / CASE).write_text(text[: text.index("  - id: detour")], encoding="utf-8")
    content = check_guarantees(root, [root / CASE])
    assert "fixture-case" not in content.cases
    assert {p.field for p in content.problems} == {
        "stages[1].next",
        "stages[1].items[1].options[0].next_stage",
        "stages[1].items[1].options[1].next_stage",
    }
