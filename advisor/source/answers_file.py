"""Answers files: read YAML or JSON (a file, an upload) and validate it into :class:`Answers`,
every problem located.

Why apart from the model: the model is data only; reading and wording problems is this layer's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from advisor.errors import AnswersError, Problem
from advisor.model.answers import ANSWER_FIELDS, Answers
from advisor.source.inputs import document_from_bytes, read_bytes
from advisor.source.messages import describe_error

_KIND_NAMES = {list: "a list", str: "text", int: "a number", float: "a number", bool: "a boolean"}


def parse_answers(data: Any, *, path: str = "<answers>", lines: dict | None = None) -> Answers:
    """Validate a mapping into :class:`Answers`.

    Raises:
        AnswersError: with one problem per bad field, each naming the field and the value.
    """
    lines = lines or {}
    if not isinstance(data, dict):
        got = "nothing (the file is empty)" if data is None else _KIND_NAMES.get(
            type(data), type(data).__name__)
        raise AnswersError([Problem(path, lines.get((), 1) if lines else 0,
                                    "answers must be a mapping of field: value, such as "
                                    f"'task_type: math', got {got}")])
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines),
                        lines.get((), 0))
            problems.append(Problem(path, line, describe_error(error, known=ANSWER_FIELDS)))
        raise AnswersError(problems) from None


def load_answers(path: str | Path) -> Answers:
    """Read an answers file (YAML or JSON) and validate it.

    Raises:
        AnswersError: the file is missing, unreadable, not YAML/JSON, or has bad fields.
    """
    raw, problems = read_bytes(path, what="answers file")
    if raw is None:
        raise AnswersError(problems)
    return answers_from_bytes(raw, name=str(path))


def answers_from_bytes(raw: bytes, *, name: str) -> Answers:
    """Validate the content of an answers file (an upload, say) named ``name`` in messages.

    Raises:
        AnswersError: binary, oversized, not YAML/JSON, or bad fields.
    """
    doc = document_from_bytes(raw, name=name)
    if doc.problems:
        raise AnswersError(doc.problems)
    return parse_answers(doc.data, path=name, lines=doc.lines)
