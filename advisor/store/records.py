"""What the store hands back besides snapshots: summaries, compare sets, rule edits, authors.

A recommendation is kept as opaque JSON; only :class:`Decision`'s few fields are read out of it,
defensively, so a result model that gains, renames or drops fields never breaks a saved row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from advisor.analysis.compare import NamedScenario
from advisor.store.snapshots import AUTHOR_MAX

ANONYMOUS = "anonymous"
SET_NAME_MAX = 100
SET_SCENARIOS_MAX = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Decision(BaseModel):
    """The few fields of a stored result the Decisions page shows and filters on."""

    model_config = ConfigDict(frozen=True)

    verdict: str | None = None
    strategy_name: str | None = None
    model_name: str | None = None
    task_type: str | None = None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def read_decision(result_json: str) -> Decision:
    """Verdict, strategy and model names, and task type from a result's JSON; None where absent.

    Why defensive: the result model may gain or change fields; a stored row must still list.
    """
    try:
        result = json.loads(result_json)
    except (TypeError, ValueError):
        return Decision()
    if not isinstance(result, dict):
        return Decision()
    answers = result.get("answers")
    return Decision(verdict=_text(result.get("verdict")),
                    strategy_name=_text(result.get("strategy_name")),
                    model_name=_text(result.get("model_name")),
                    task_type=_text(answers.get("task_type")) if isinstance(answers, dict)
                    else None)


def clean_author(raw: str | None) -> str:
    """A person's name as the store keeps it: trimmed, no control characters, at most 200.

    Returns ``anonymous`` for nothing usable.
    """
    if not isinstance(raw, str):
        return ANONYMOUS
    cleaned = _CONTROL.sub("", unicodedata.normalize("NFC", raw)).strip()[:AUTHOR_MAX]
    return cleaned or ANONYMOUS


class SnapshotSummary(BaseModel):
    """One row of the list of decisions: who saved what, when, and what it recommended."""

    model_config = ConfigDict(frozen=True)

    id: str
    created: dt.datetime
    title: str | None
    author: str
    rules_version: str
    decision: Decision


class CompareSet(BaseModel):
    """Named scenarios saved together, so a comparison outlives the session that made it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = Field(None, description="Short id; None until a store saves it.")
    created: dt.datetime
    name: str = Field(min_length=1, max_length=SET_NAME_MAX)
    author: str = ANONYMOUS
    scenarios: list[NamedScenario] = Field(min_length=1, max_length=SET_SCENARIOS_MAX)
    picked: list[str] = Field(default_factory=list,
                              description="The scenarios that were being compared.")


class RuleEdit(BaseModel):
    """One rules file saved from the app: who, when, which file, the diff, the versions."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    created: dt.datetime
    author: str
    file: str
    diff: str
    rules_version_before: str
    rules_version_after: str


def unified_diff(before: str, after: str, *, file: str) -> str:
    """A unified diff of one file's text (empty when nothing changed)."""
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        fromfile=f"a/{file}", tofile=f"b/{file}"))


__all__ = ["ANONYMOUS", "AUTHOR_MAX", "SET_NAME_MAX", "SET_SCENARIOS_MAX",
           "CompareSet", "Decision", "RuleEdit", "SnapshotSummary", "clean_author",
           "read_decision", "unified_diff"]
