"""Find and load the whole course: the course file, cases, item banks and the bibliography, with every lint rule.

Lint rules (each problem names file, line and field): YAML parses; the schema holds; ids are unique; every reference
key resolves; every objective exists in the course file; every option carries rationale, reference and evidence label
(enforced by the schema); single-best-answer items have exactly one key; every branch target exists and every stage is
reachable from the start; no review date has lapsed; pre/post-test pairs, pool size and credit types hold
(``assessment_rules``); the core path names existing cases, covers every objective, takes 50-70 minutes and agrees
with ``estimated_minutes`` within 10% (``timing``; checked when the whole course is loaded).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .accreditation_rules import for_credit_problems
from .assessment_rules import check_assessment
from .loading import LoadedFile, Problem, load_file
from .models import (
    Bibliography,
    Case,
    CourseInfo,
    ItemBank,
    KeyFeature,
    MultipleSelect,
    Ordering,
    Reference,
    ScriptConcordance,
    SingleBestAnswer,
)
from .timing import core_path_problems

COURSE_FILE = "course.yaml"
CONTENT_DIRS = ("cases", "quizzes", "references")
LEFT_OUT = " (the case is left out of the course until this is fixed)"
# A folder of item banks kept outside the repository (the real post-test pool with its keys): each replaces the
# public bank of the same id. Read by the course service and by `hnscc-edu validate`, never by a learner's kernel.
PRIVATE_CONTENT_VARIABLE = "HNSCC_EDU_PRIVATE_CONTENT"


def private_content_dir() -> Path | None:
    """The private item-bank folder named by ``HNSCC_EDU_PRIVATE_CONTENT`` (None when unset)."""
    configured = os.environ.get(PRIVATE_CONTENT_VARIABLE, "").strip()
    return Path(configured).resolve() if configured else None


def private_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def course_root() -> Path:
    """The folder holding ``course.yaml``: ``HNSCC_EDU_COURSE_ROOT``, else the nearest parent of the working
    directory that has one, else the checkout this package was installed from."""
    configured = os.environ.get("HNSCC_EDU_COURSE_ROOT")
    if configured:
        return Path(configured).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / COURSE_FILE).is_file():
            return folder
    return Path(__file__).resolve().parents[2]


def content_files(root: Path) -> list[Path]:
    files = [root / COURSE_FILE] if (root / COURSE_FILE).exists() else []
    for folder in CONTENT_DIRS:
        files.extend(sorted((root / folder).glob("*.yaml")) + sorted((root / folder).glob("*.yml")))
    return files


@dataclass
class CourseContent:
    """Everything that validated. Files with schema problems are left out whole, never half-loaded, and so is a case
    whose start, next or next_stage names a missing stage (it could not be played through)."""

    root: Path
    info: CourseInfo | None = None
    cases: dict[str, Case] = field(default_factory=dict)
    banks: dict[str, ItemBank] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    files: list[LoadedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def case(self, case_id: str) -> Case:
        if case_id not in self.cases:
            broken = [f.display for f in self.files if f.problems and f.path.stem == case_id]
            if broken:
                raise LookupError(f"The case {case_id!r} has problems in {broken[0]}; run 'hnscc-edu validate'.")
            raise LookupError(f"There is no case {case_id!r}. Available: {', '.join(sorted(self.cases)) or 'none'}.")
        return self.cases[case_id]


def _reachable(case: Case) -> set[str]:
    targets: dict[str, set[str]] = {}
    for stage in case.stages:
        nxt = {stage.next} if stage.next else set()
        for item in stage.items:
            for option in getattr(item, "options", []):
                if option.next_stage:
                    nxt.add(option.next_stage)
        targets[stage.id] = nxt
    seen: set[str] = set()
    todo = [case.start]
    while todo:
        stage_id = todo.pop()
        if stage_id in seen or stage_id not in targets:
            continue
        seen.add(stage_id)
        todo.extend(targets[stage_id])
    return seen


def _links_resolve(case: Case) -> bool:
    """Whether the start and every ``next`` and ``next_stage`` name a stage of the case. A case that links to a missing
    stage cannot be played through, so the course leaves it out whole, like a file with schema problems."""
    ids = {stage.id for stage in case.stages}
    links = [case.start, *(stage.next for stage in case.stages if stage.next)]
    links += [
        option.next_stage
        for stage in case.stages
        for item in stage.items
        for option in getattr(item, "options", [])
        if option.next_stage
    ]
    return all(link in ids for link in links)


def _items_with_loc(model: Case | ItemBank) -> Iterator[tuple[tuple, object]]:
    if isinstance(model, Case):
        for s, stage in enumerate(model.stages):
            for i, item in enumerate(stage.items):
                yield ("stages", s, "items", i), item
    else:
        for i, item in enumerate(model.items):
            yield ("items", i), item


def _check_case_structure(f: LoadedFile, case: Case) -> Iterator[Problem]:
    stage_ids: dict[str, int] = {}
    for s, stage in enumerate(case.stages):
        if stage.id in stage_ids:
            yield f.problem(("stages", s, "id"), f"duplicate stage id {stage.id!r}")
        stage_ids[stage.id] = s
    if case.start not in stage_ids:
        yield f.problem(("start",), f"names no stage of this case: {case.start!r}{LEFT_OUT}")
    for s, stage in enumerate(case.stages):
        if stage.next and stage.next not in stage_ids:
            yield f.problem(("stages", s, "next"), f"names no stage of this case: {stage.next!r}{LEFT_OUT}")
        for i, item in enumerate(stage.items):
            for o, option in enumerate(getattr(item, "options", [])):
                if option.next_stage and option.next_stage not in stage_ids:
                    yield f.problem(
                        ("stages", s, "items", i, "options", o, "next_stage"),
                        f"names no stage of this case: {option.next_stage!r}{LEFT_OUT}",
                    )
                if option.next_stage and not isinstance(item, SingleBestAnswer):
                    yield f.problem(
                        ("stages", s, "items", i, "options", o, "next_stage"),
                        "only single-best-answer options may branch",
                    )
    branching = [
        item
        for stage in case.stages
        for item in stage.items
        if any(getattr(o, "next_stage", None) for o in getattr(item, "options", []))
    ]
    for stage in case.stages:
        if sum(1 for item in stage.items if item in branching) > 1:
            yield f.problem(("stages", stage_ids[stage.id]), "has more than one branching item; keep one per stage")
    if case.start in stage_ids:
        reachable = _reachable(case)
        for stage in case.stages:
            if stage.id not in reachable:
                yield f.problem(
                    ("stages", stage_ids[stage.id], "id"),
                    f"stage {stage.id!r} cannot be reached from the start stage {case.start!r}",
                )


def _check_items(
    f: LoadedFile, model: Case | ItemBank, objectives: set[str] | None, item_owner: dict[str, str]
) -> Iterator[Problem]:
    for loc, item in _items_with_loc(model):
        owner = item_owner.get(item.id)
        if owner is not None:
            yield f.problem(loc + ("id",), f"duplicate item id {item.id!r} (already used in {owner})")
        else:
            item_owner[item.id] = f.display
        if objectives is not None and item.objective not in objectives:
            yield f.problem(
                loc + ("objective",),
                f"unknown learning objective {item.objective!r}; the course file defines {sorted(objectives)}",
            )
        options = getattr(item, "options", [])
        option_ids = [o.id for o in options]
        for o, option_id in enumerate(option_ids):
            if option_id in option_ids[:o]:
                yield f.problem(loc + ("options", o, "id"), f"duplicate option id {option_id!r}")
        keys = sum(1 for o in options if o.correct)
        if isinstance(item, SingleBestAnswer) and keys != 1:
            yield f.problem(
                loc + ("options",), f"a single-best-answer item needs exactly one correct option, has {keys}"
            )
        if isinstance(item, MultipleSelect) and keys == 0:
            yield f.problem(loc + ("options",), "a multiple-select item needs at least one correct option")
        if isinstance(item, KeyFeature):
            if keys != item.select:
                yield f.problem(
                    loc + ("select",),
                    f"a key-feature item scores 1/N per key: select is {item.select} "
                    f"but {keys} options are keys (correct: true)",
                )
            for o, option in enumerate(item.options):
                if option.killer and option.correct:
                    yield f.problem(loc + ("options", o, "killer"), "an option cannot be both a key and a killer")
        if isinstance(item, ScriptConcordance) and sum(item.panel.counts) == 0:
            yield f.problem(loc + ("panel", "counts"), "the reference panel has no answers")
        if isinstance(item, Ordering):
            step_ids = [step.id for step in item.steps]
            for o, step_id in enumerate(step_ids):
                if step_id in step_ids[:o]:
                    yield f.problem(loc + ("steps", o, "id"), f"duplicate step id {step_id!r}")


def _walk_reference_lists(node: object, loc: tuple) -> Iterator[tuple[tuple, list]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "references" and isinstance(value, list):
                yield loc + (key,), value
            else:
                yield from _walk_reference_lists(value, loc + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_reference_lists(value, loc + (index,))


def _day(value: object) -> dt.date | None:
    """A date as written (a timestamp counts by its day), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _check_raw(f: LoadedFile, references: set[str], today: dt.date) -> Iterator[Problem]:
    """Rules read from the parsed values, so they report even when the schema fails elsewhere in the file."""
    data = f.data
    if not isinstance(data, dict) or data.get("kind") not in ("case", "item_bank"):
        return
    for loc, keys in _walk_reference_lists(data, ()):
        for r, key in enumerate(keys):
            if isinstance(key, str) and key not in references:
                yield f.problem(loc + (r,), f"unknown reference key {key!r} (not in references/)")
    governance = data.get("governance")
    if not isinstance(governance, dict):
        return
    due, last = _day(governance.get("next_review_due")), _day(governance.get("last_reviewed"))
    if due is not None and due < today:
        yield f.problem(
            ("governance", "next_review_due"),
            f"review lapsed on {due.isoformat()}; review the content and set a new date",
        )
    if due is not None and last is not None and last > due:
        yield f.problem(("governance", "last_reviewed"), "is later than next_review_due")
    if last is not None and last > today:
        yield f.problem(("governance", "last_reviewed"), f"is in the future ({last.isoformat()})")


def _bank_id(f: LoadedFile) -> str | None:
    data = f.data
    if isinstance(data, dict) and data.get("kind") == "item_bank" and isinstance(data.get("id"), str):
        return data["id"]
    return None


def _with_private(course_files: list[LoadedFile], folder: Path) -> list[LoadedFile]:
    """The course's files with each public item bank replaced by the private bank of the same id (a private bank
    with a new id is added). Private files go through every lint rule like the public ones."""
    if not folder.is_dir():
        missing = LoadedFile(path=folder, display=str(folder))
        missing.problems.append(
            Problem(str(folder), 1, "", f"the private content folder does not exist ({PRIVATE_CONTENT_VARIABLE})")
        )
        return course_files + [missing]
    found = [load_file(p, folder.parent) for p in private_files(folder)]
    for f in found:
        if f.model is not None and _bank_id(f) is None:
            f.problems.append(f.problem(("kind",), "the private content folder holds item banks only"))
            f.model = None
    replaced = {bank_id for bank_id in map(_bank_id, found) if bank_id is not None}
    return [f for f in course_files if _bank_id(f) not in replaced] + found


def load_course(
    root: Path | None = None,
    paths: Iterable[Path] | None = None,
    today: dt.date | None = None,
    private: Path | None = None,
) -> CourseContent:
    """Load and lint the course under ``root`` (or only ``paths``, checked against the course's references).

    ``private``: a folder of item banks that replace the public banks of the same id (``HNSCC_EDU_PRIVATE_CONTENT``;
    only the course service and ``validate`` pass it)."""
    root = (root or course_root()).resolve()
    today = today or dt.date.today()
    content = CourseContent(root=root)
    course_files = [load_file(p, root) for p in content_files(root)]
    if private is not None:
        course_files = _with_private(course_files, Path(private).resolve())
    if paths is None:
        all_files = course_files
    else:
        wanted = {Path(p).resolve() for p in paths}
        known = {f.path.resolve() for f in course_files}
        all_files = [f for f in course_files if f.path.resolve() in wanted]
        all_files += [load_file(p, root) for p in sorted(wanted - known)]
    content.files = all_files
    for f in all_files:
        content.problems.extend(f.problems)

    # References and objectives always come from the whole course, so one file can be checked on its own.
    references: set[str] = set()
    objectives: set[str] | None = None
    for f in course_files:
        if isinstance(f.model, Bibliography):
            references.update(r.key for r in f.model.references)
        if isinstance(f.model, CourseInfo):
            objectives = {o.id for o in f.model.objectives}
    if paths is None and not (root / COURSE_FILE).exists():
        content.problems.append(Problem(str(root / COURSE_FILE), 1, "", "the course file is missing"))

    item_owner: dict[str, str] = {}
    model_owner: dict[tuple[str, str], str] = {}
    for f in all_files:
        problems: list[Problem] = list(_check_raw(f, references, today))
        model = f.model
        if model is None:
            f.problems.extend(problems)
            content.problems.extend(problems)
            continue
        if isinstance(model, Bibliography):
            seen: set[str] = set()
            for r, ref in enumerate(model.references):
                if ref.key in seen or ref.key in content.references:
                    problems.append(f.problem(("references", r, "key"), f"duplicate reference key {ref.key!r}"))
                seen.add(ref.key)
                content.references.setdefault(ref.key, ref)
        elif isinstance(model, CourseInfo):
            if model.termination_date <= model.release_date:
                problems.append(f.problem(("termination_date",), "must be after the release date"))
            problems.extend(f.problem(loc, message) for loc, message in for_credit_problems(model))
            objective_ids = [o.id for o in model.objectives]
            for o, objective_id in enumerate(objective_ids):
                if objective_id in objective_ids[:o]:
                    problems.append(f.problem(("objectives", o, "id"), f"duplicate objective id {objective_id!r}"))
            content.info = model
        else:
            key = (f.kind or "", model.id)
            if key in model_owner:
                problems.append(
                    f.problem(("id",), f"duplicate {f.kind} id {model.id!r} (already in {model_owner[key]})")
                )
            model_owner[key] = f.display
            if isinstance(model, Case):
                problems.extend(_check_case_structure(f, model))
                if objectives is not None:
                    for o, objective in enumerate(model.objectives):
                        if objective not in objectives:
                            problems.append(f.problem(("objectives", o), f"unknown learning objective {objective!r}"))
                if _links_resolve(model):
                    content.cases.setdefault(model.id, model)
            else:
                content.banks.setdefault(model.id, model)
            problems.extend(_check_items(f, model, objectives, item_owner))
        f.problems.extend(problems)
        content.problems.extend(problems)
    if paths is None and content.info is not None:
        course_file = next(f for f in all_files if isinstance(f.model, CourseInfo))
        for loc, message in core_path_problems(content.info, content.cases):
            problem = course_file.problem(loc, message)
            course_file.problems.append(problem)
            content.problems.append(problem)
    for f, problem in check_assessment(all_files, course_files):  # pre/post pairing, pool size
        f.problems.append(problem)
        content.problems.append(problem)
    content.problems.sort()
    return content


def learner_view(content: CourseContent) -> CourseContent:
    """The course as a learner's kernel holds it: everything except the pre- and post-test banks, which belong to the
    course service (their keys never reach a learner's kernel). Their files are kept as names only (kind, id and
    purpose), so a message can still say what they are."""
    credit_ids = {bank.id for bank in content.banks.values() if bank.purpose in ("pre", "post")}
    files = []
    for f in content.files:
        bank_id = _bank_id(f)
        if bank_id in credit_ids or (isinstance(f.model, ItemBank) and f.model.purpose in ("pre", "post")):
            data = f.data if isinstance(f.data, dict) else {}
            f = LoadedFile(
                path=f.path,
                display=f.display,
                kind=f.kind,
                model=None,
                data={"kind": "item_bank", "id": data.get("id"), "purpose": data.get("purpose")},
                problems=list(f.problems),
            )
        files.append(f)
    return CourseContent(
        root=content.root,
        info=content.info,
        cases=dict(content.cases),
        banks={k: b for k, b in content.banks.items() if k not in credit_ids},
        references=dict(content.references),
        files=files,
        problems=list(content.problems),
    )
