"""Read content files into the v1 models, keeping the line of every value so each problem can name file and line.

YAML is read as YAML 1.2 with ruamel's safe round-trip parser: ``No`` stays the string "No" (YAML 1.1 would make it
False), and every mapping key and sequence entry keeps its position in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from .models import MODELS_BY_KIND, SCHEMA_VERSION

Path_ = tuple[Any, ...]

MAX_DEPTH = 100  # levels of nested lists and mappings; the course's own files use about ten
MAX_VALUES = 100_000  # values once aliases are repeated; the largest file of the course holds about 1,100
PARSED_KEPT = 256  # parsed files remembered per process; the course has 34 content files
_PARSED: dict[bytes, bytes] = {}  # sha256 of a file's text -> pickled (values, lines) of a file that parsed
_LINE_BREAKS = {ord(c): repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def _one_line(text: str) -> str:
    """``text`` on one printable line: line breaks and lone surrogates written as escapes."""
    return text.translate(_LINE_BREAKS).encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file, in the words a content author understands."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _one_line(f"{self.file}:{self.line}: {self.field or '(file)'}: {self.message}")


@dataclass
class LoadedFile:
    """A content file: its model when it validated, its line map, and its problems (never half-loaded)."""

    path: Path
    display: str
    kind: str | None = None
    model: BaseModel | None = None
    lines: dict[Path_, int] = field(default_factory=dict)
    data: Any = None  # the plain parsed values, kept so some rules can still run when the schema fails
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Path_) -> int:
        """The line of the deepest part of ``loc`` that exists in the file (1 when none does)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def problem(self, loc: Path_, message: str) -> Problem:
        return Problem(self.display, self.line_of(loc), _dotted(loc), message)


def _dotted(loc: Path_) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


class _Unreadable(Exception):
    """A value refused before validation: nested too deep, an alias inside its own anchor, or an alias bomb."""

    def __init__(self, loc: Path_, message: str) -> None:
        super().__init__(message)
        self.loc, self.message = loc, message


def _line(node: CommentedMap | CommentedSeq, key: Any) -> int:
    """The 0-based line of a key or entry; a key brought in by a merge (``<<: *name``) has none, so the mapping's."""
    position = (node.lc.data or {}).get(key)
    return position[0] if position else (node.lc.line or 0)


def _plain(node: Any, loc: Path_, lines: dict[Path_, int], ancestors: tuple[int, ...] = ()) -> Any:
    """Copy ruamel's node tree into plain Python values, recording the 1-based line of every key and entry.

    Raises ``_Unreadable`` for lists and mappings nested deeper than MAX_DEPTH, an alias inside the anchor it repeats,
    or more than MAX_VALUES values once aliases are repeated (an "alias bomb").
    """
    if isinstance(node, (CommentedMap, CommentedSeq)):
        if id(node) in ancestors:
            raise _Unreadable(loc, "repeats itself: an alias (*name) inside the anchor (&name) it refers to")
        if len(ancestors) >= MAX_DEPTH:
            raise _Unreadable(loc, f"is nested more than {MAX_DEPTH} levels deep")
        if len(lines) + len(node) > MAX_VALUES:
            raise _Unreadable(loc, f"holds more than {MAX_VALUES} values once its aliases (*name) are repeated")
        ancestors += (id(node),)
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            lines[loc + (str(key),)] = _line(node, key) + 1
            out[str(key)] = _plain(value, loc + (str(key),), lines, ancestors)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for index, value in enumerate(node):
            lines[loc + (index,)] = _line(node, index) + 1
            out_list.append(_plain(value, loc + (index,), lines, ancestors))
        return out_list
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    return node


_READ_AS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
    "binary": "base64 data",
    "omap": "an ordered mapping",
    "pairs": "a list of pairs",
    "set": "a set",
}


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, except that a value it cannot build (a date such as 2026-02-30, ``!!int
    abc``, a number of more than 4300 digits) is a YAML error at that value's line, not an exception without one."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
            tag = str(node.tag or "")
            what = _READ_AS.get(tag.rsplit(":", 1)[-1], tag or "a value")
            shown = (
                repr(node.value if len(node.value) <= 40 else node.value[:40] + "...")
                if isinstance(node.value, str)
                else "this value"
            )
            detail = "" if isinstance(exc, KeyError) else f" ({str(exc).split(';')[0]})"
            raise ConstructorError(None, None, f"{shown} cannot be read as {what}{detail}", node.start_mark) from None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    got = error.get("input")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a field of this schema (check the spelling)"
    if kind in {"float_type", "int_type"}:
        return f"must be a number, not {got!r} (write it without quotes)"
    if kind == "string_type":
        return f"must be text, not {got!r} (put it in quotes)"
    if kind == "bool_type":
        return f"must be true or false, not {got!r}"
    if kind in {"date_type", "date_from_datetime_parsing", "date_parsing"}:
        return f"must be a date written YYYY-MM-DD, not {got!r}"
    if kind == "literal_error" and isinstance(error.get("ctx"), dict):
        return f"must be {error['ctx'].get('expected')}, not {got!r}"
    if kind == "enum" and isinstance(error.get("ctx"), dict):
        return f"must be one of {error['ctx'].get('expected')}, not {got!r}"
    if kind == "union_tag_invalid" and isinstance(error.get("ctx"), dict):
        return f"unknown item type {error['ctx'].get('tag')!r}; expected one of {error['ctx'].get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "needs a 'type' (single_best_answer, multiple_select, numeric or free_text)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{got!r} is not a valid id (lower-case letters, digits, '-' and '_')"
    if kind == "too_short" and isinstance(got, list):
        needed = (error.get("ctx") or {}).get("min_length", 1)
        return "must not be empty" if not got else f"needs at least {needed} entries"
    return str(error.get("msg", "is not valid"))


def _data_loc(loc: Path_, data: Any) -> Path_:
    """Drop the union tags pydantic inserts into error locations (``items.0.numeric.answer``)."""
    path: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part not in node and node.get("type") == part:
            continue
        path.append(part)
        if (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and 0 <= part < len(node)
        ):
            node = node[part]
        else:
            node = None
    return tuple(path)


def load_file(path: Path, root: Path | None = None) -> LoadedFile:
    """Parse and validate one content file; on any problem the model stays ``None``."""
    display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    loaded = LoadedFile(path=path, display=display)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        loaded.problems.append(Problem(display, 1, "", f"cannot be read: {exc}"))
        return loaded
    if not text.strip():
        loaded.problems.append(Problem(display, 1, "", "is empty; a content file starts with 'schema_version: 1'"))
        return loaded
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    remembered = _PARSED.get(key)
    if remembered is not None:
        # parsing is nearly all of a course load (ruamel is pure Python); the values are rebuilt from a pickle so no
        # caller can change what the next load of the same text sees
        loaded.data, loaded.lines = pickle.loads(remembered)
        return _validate(loaded)
    try:
        node = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = (exc.problem or exc.context or "invalid YAML").strip()
        loaded.problems.append(Problem(display, line, "", f"is not valid YAML: {what}"))
        return loaded
    except ReaderError as exc:  # a character YAML does not allow, such as a NUL or an escape code
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 1
        what = f"the character #x{exc.character:04x} is not allowed" if isinstance(exc.character, int) else exc.reason
        loaded.problems.append(Problem(display, line, "", f"is not valid YAML: {what}"))
        return loaded
    except YAMLError as exc:
        first_line = (str(exc).strip() or "unreadable").splitlines()[0]
        loaded.problems.append(Problem(display, 1, "", f"is not valid YAML: {first_line}"))
        return loaded
    except RecursionError:
        loaded.problems.append(
            Problem(display, 1, "", f"is nested too deeply to read (keep lists and mappings under {MAX_DEPTH} levels)")
        )
        return loaded
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:  # ruamel's own slips
        loaded.problems.append(Problem(display, 1, "", f"is not valid YAML: a value cannot be read ({exc})"))
        return loaded
    if not isinstance(node, CommentedMap):
        loaded.problems.append(
            Problem(display, 1, "", "must be a mapping of fields, starting with 'schema_version: 1'")
        )
        return loaded
    try:
        loaded.data = _plain(node, (), loaded.lines)
    except _Unreadable as exc:
        loaded.problems.append(loaded.problem(exc.loc, exc.message))
        return loaded
    _remember(key, (loaded.data, loaded.lines))
    return _validate(loaded)


def _remember(key: bytes, parsed: tuple[Any, dict[Path_, int]]) -> None:
    for oldest in list(_PARSED)[: max(0, len(_PARSED) - PARSED_KEPT + 1)]:
        _PARSED.pop(oldest, None)
    _PARSED[key] = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)


def _validate(loaded: LoadedFile) -> LoadedFile:
    """Check a parsed file's schema version and kind, then validate it against its model."""
    data = loaded.data
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        loaded.problems.append(
            loaded.problem(
                ("schema_version",), f"must be {SCHEMA_VERSION} (this tool reads schema v1), not {version!r}"
            )
        )
        return loaded
    kind = data.get("kind")
    model_class = MODELS_BY_KIND.get(kind) if isinstance(kind, str) else None
    if model_class is None:
        loaded.problems.append(loaded.problem(("kind",), f"must be one of {sorted(MODELS_BY_KIND)}, not {kind!r}"))
        return loaded
    loaded.kind = kind
    try:
        loaded.model = model_class.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = _data_loc(tuple(error["loc"]), data)
            loaded.problems.append(loaded.problem(loc, _message(error)))
    return loaded
