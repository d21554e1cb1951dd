"""JSON from the network, read within bounds: a request body nested deeper than any the course accepts is refused
before it is parsed (Python's parser recurses once per level, so a few kilobytes of brackets would otherwise raise
RecursionError, a server error with a traceback in the log), and text the store cannot hold is refused as input."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 16  # the deepest body the course accepts is 3 levels (a poll's list of choices); room to spare


class JsonInputError(ValueError):
    """A body that is not JSON the course reads; the message says why, in plain words."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, counting only brackets outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def bounded_json(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value of a UTF-8 ``body``; JsonInputError when it is not UTF-8, not JSON, nested deeper than
    ``max_depth``, or holds a NUL or a lone surrogate (text no store column can hold)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonInputError("the body is not UTF-8 text") from None
    if nesting_depth(text) > max_depth:
        raise JsonInputError(f"the body is nested more than {max_depth} levels deep")
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise JsonInputError("the body is not valid JSON") from None
    if not storable(value):
        raise JsonInputError("the body holds a NUL character or a lone surrogate, which cannot be stored")
    return value


def storable(value: Any) -> bool:
    """Whether every string in ``value`` (keys included) can be stored: no NUL, valid UTF-8 (no lone surrogates)."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(storable(v) for v in value)
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    return True
