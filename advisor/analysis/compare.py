"""Compare two to four named scenarios side by side, and what changed between two results.

The same :class:`Comparison` feeds the app's compare page and the exports (JSON here; Markdown and
tables in :mod:`advisor.render.comparison`), and a
share link carries the scenarios (names and answers, never results: the link recomputes them with
the rules of the day).
"""

from __future__ import annotations

import base64
import binascii
import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.analysis.full import analyse
from advisor.errors import AnswersError, Problem, UserInputError
from advisor.model.answers import Answers
from advisor.model.result import Recommendation
from advisor.model.rules import RuleSet
from advisor.source.answers_file import parse_answers
from advisor.source.inputs import json_payload

MIN_SCENARIOS = 2
MAX_SCENARIOS = 4
NAME_MAX = 60
LINK_MAX_CHARS = 4000
LINK_SOURCE = "comparison link"



class NamedScenario(BaseModel):
    """A named set of answers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=NAME_MAX)
    answers: Answers


class Comparison(BaseModel):
    """Two to four scenarios and their analysed results, in the order given."""

    model_config = ConfigDict(frozen=True)

    scenarios: list[NamedScenario]
    results: list[Recommendation]


def compare(scenarios: list[NamedScenario], rules: RuleSet) -> Comparison:
    """Analyse each scenario with the same rules.

    Raises:
        AnswersError: fewer than two or more than four scenarios, or two with the same name.
    """
    if not MIN_SCENARIOS <= len(scenarios) <= MAX_SCENARIOS:
        raise AnswersError([Problem("comparison", 0, f"compare {MIN_SCENARIOS} to "
                                    f"{MAX_SCENARIOS} scenarios; got {len(scenarios)}")])
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise AnswersError([Problem("comparison", 0, "scenario names must differ; repeated: "
                                    + ", ".join(duplicates))])
    return Comparison(scenarios=scenarios, results=[analyse(s.answers, rules) for s in scenarios])


def to_json(comparison: Comparison) -> str:
    """The full comparison: scenarios and their complete results."""
    return comparison.model_dump_json(indent=2) + "\n"


def encode_scenarios(scenarios: list[NamedScenario]) -> str:
    """URL-safe text carrying the scenarios' names and answers, for a share link."""
    payload = [[s.name, s.answers.model_dump(mode="json")] for s in scenarios]
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _link_error(message: str) -> AnswersError:
    return AnswersError([Problem(LINK_SOURCE, 0, message)])


def decode_scenarios(text: str) -> list[NamedScenario]:
    """The scenarios of a share link made by :func:`encode_scenarios`.

    Raises:
        AnswersError: the text is too long, not a comparison link, or carries bad answers (each
            problem names the scenario).
    """
    if len(text) > LINK_MAX_CHARS:
        raise _link_error(f"the comparison link is too long ({len(text):,} characters; at most "
                          f"{LINK_MAX_CHARS:,})")
    damaged = _link_error("the comparison link is damaged: it does not decode; ask for a new "
                          "link")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise damaged from None
    payload, problems = json_payload(raw, name=LINK_SOURCE)
    if problems:  # not UTF-8, not JSON, nested too deep: the link was not made by this app
        raise damaged
    if (not isinstance(payload, list) or not MIN_SCENARIOS <= len(payload) <= MAX_SCENARIOS
            or not all(isinstance(item, list) and len(item) == 2 for item in payload)):
        raise _link_error(f"the comparison link must carry {MIN_SCENARIOS} to {MAX_SCENARIOS} "
                          "named scenarios")
    scenarios, problems = [], []
    for index, (name, answers) in enumerate(payload, start=1):
        try:
            scenarios.append(NamedScenario(name=name, answers=parse_answers(
                answers, path=f"{LINK_SOURCE}, scenario {index}")))
        except UserInputError as exc:
            problems += exc.problems
        except ValidationError:
            problems.append(Problem(LINK_SOURCE, 0, f"scenario {index} needs a name of 1 to "
                                    f"{NAME_MAX} characters"))
    if problems:
        raise AnswersError(problems)
    return scenarios
