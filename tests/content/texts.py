"""What a learner reads, as (where, text) pairs: every string of content YAML (changelogs left out, since they name
the errors they fixed) and the markdown cells of notebooks. Shared by the content tests that guard wording."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from tests.helpers import ROOT


def strings(node: object, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a parsed YAML tree with its dotted location; whitespace folded to single spaces."""
    if isinstance(node, str):
        yield where, " ".join(node.split())
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "changelog":
                yield from strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, f"{where}[{i}]")


def yaml_texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        yield from strings(yaml.safe_load(path.read_text(encoding="utf-8")), path.relative_to(ROOT).as_posix())


def notebook_texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        for c, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{path.relative_to(ROOT).as_posix()} cell {c}", " ".join("".join(cell["source"]).split())


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;!?])\s+", " ".join(text.split()))
