"""A small GIFT reader for the round-trip tests, written from Moodle's format description (not from the exporter).

It reads what the course exports: ``::title::[format]stem {answers}`` questions separated by blank lines, ``//``
comments and ``$CATEGORY:`` lines; answers ``=right``, ``~wrong``, ``~%weight%text``, ``#feedback`` after an
answer, ``####general feedback``, numeric ``{#=value:tolerance#feedback}`` and essays ``{}``. A backslash escapes
``~ = # { } :`` and itself, and ``\\n`` is a line break.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Token = tuple[str, bool]  # (character, escaped)


@dataclass
class Answer:
    text: str
    weight: float  # fraction of the mark, -1..1
    feedback: str = ""


@dataclass
class Question:
    title: str
    text_format: str
    stem: str
    kind: str  # "choice", "numeric" or "essay"
    answers: list[Answer] = field(default_factory=list)
    general_feedback: str = ""
    value: float | None = None
    tolerance: float | None = None


def _scan(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            tokens.append(("\n" if nxt == "n" else nxt, True))
            i += 2
        else:
            tokens.append((text[i], False))
            i += 1
    return tokens


def _plain(tokens: list[Token]) -> str:
    return "".join(c for c, _ in tokens)


def _find(tokens: list[Token], needle: str, start: int = 0) -> int:
    """Index of the first unescaped occurrence of ``needle``, or -1."""
    for i in range(start, len(tokens) - len(needle) + 1):
        if all(tokens[i + j] == (ch, False) for j, ch in enumerate(needle)):
            return i
    return -1


def _rfind(tokens: list[Token], needle: str) -> int:
    for i in range(len(tokens) - len(needle), -1, -1):
        if all(tokens[i + j] == (ch, False) for j, ch in enumerate(needle)):
            return i
    return -1


def _strip(tokens: list[Token]) -> list[Token]:
    start, end = 0, len(tokens)
    while start < end and tokens[start][0].isspace() and not tokens[start][1]:
        start += 1
    while end > start and tokens[end - 1][0].isspace() and not tokens[end - 1][1]:
        end -= 1
    return tokens[start:end]


def _split_feedback(tokens: list[Token]) -> tuple[list[Token], str]:
    at = _find(tokens, "#")
    if at < 0:
        return _strip(tokens), ""
    return _strip(tokens[:at]), _plain(_strip(tokens[at + 1 :]))


def _answers(tokens: list[Token]) -> list[tuple[str, list[Token]]]:
    """Split at unescaped ``=`` and ``~`` markers: [(marker, tokens)]."""
    parts: list[tuple[str, list[Token]]] = []
    for token in tokens:
        if token in (("=", False), ("~", False)):
            parts.append((token[0], []))
        elif parts:
            parts[-1][1].append(token)
        elif not token[0].isspace():
            raise ValueError(f"text before the first answer marker: {token!r}")
    return parts


def parse_question(block: str) -> Question:
    tokens = _scan(block.strip())
    if _find(tokens, "::") != 0:
        raise ValueError("the course always writes a ::title::")
    end = _find(tokens, "::", 2)
    title = _plain(tokens[2:end])
    rest = tokens[end + 2 :]
    text_format = "moodle"
    if rest and rest[0] == ("[", False):
        close = _find(rest, "]")
        text_format, rest = _plain(rest[1:close]), rest[close + 1 :]
    opening, closing = _find(rest, "{"), _rfind(rest, "}")
    stem = _plain(_strip(rest[:opening]))
    body = _strip(rest[opening + 1 : closing])
    general = ""
    at = _find(body, "####")
    if at >= 0:
        general, body = _plain(_strip(body[at + 4 :])), _strip(body[:at])
    question = Question(title, text_format, stem, "choice", general_feedback=general)
    if not body:
        question.kind = "essay"
        return question
    if body[0] == ("#", False):
        question.kind = "numeric"
        ((_, answer),) = _answers(body[1:])
        value_part, feedback = _split_feedback(answer)
        colon = _find(value_part, ":")
        question.value = float(_plain(value_part[:colon]))
        question.tolerance = float(_plain(value_part[colon + 1 :]))
        question.answers.append(Answer(_plain(value_part), 1.0, feedback))
        return question
    for marker, answer in _answers(body):
        weight = 1.0 if marker == "=" else 0.0
        answer = _strip(answer)
        if answer and answer[0] == ("%", False):
            close = _find(answer, "%", 1)
            weight = float(_plain(answer[1:close])) / 100
            answer = answer[close + 1 :]
        text, feedback = _split_feedback(answer)
        question.answers.append(Answer(_plain(text), weight, feedback))
    return question


def parse(document: str) -> tuple[list[str], list[Question]]:
    """(categories, questions) of a GIFT document."""
    categories: list[str] = []
    blocks: list[str] = []
    current: list[str] = []
    for line in document.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            categories.append(stripped.removeprefix("$CATEGORY:").strip())
            continue
        if not stripped:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return categories, [parse_question(block) for block in blocks]
