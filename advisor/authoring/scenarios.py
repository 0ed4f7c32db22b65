"""Rule test scenarios: given answers, the expected verdict, strategy, model and fired rules.

A scenario file (``rules/tests/*.yaml``) is a :class:`ScenarioFile`. Answers may be partial: the
missing fields take the questionnaire defaults of the rules under test (``questions.yaml``), then
the file's ``defaults``, an ``answers_file`` (relative to the scenario file) and the inline
``answers`` override them, in that order. Every problem carries ``path:line`` like the rules
loader.

Why defaults: a scenario should name only the answers its claim is about; the rest is noise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from advisor.engine.decide import recommend
from advisor.engine.training import variant_ids
from advisor.errors import AnswersError, Problem
from advisor.model.answers import Answers
from advisor.model.rules import IDENTIFIER, RuleSet, Strict, TableVerdict, Verdict
from advisor.source.answers_file import parse_answers
from advisor.source.inputs import read_document
from advisor.source.messages import describe_error, did_you_mean
from advisor.source.yamlsource import YamlDocument

SCENARIO_DIR = "tests"
SCENARIO_GLOBS = ("*.yaml", "*.yml")


class Expectation(Strict):
    """What the recommendation must show; only the keys given are checked."""

    verdict: Verdict | None = Field(None, description="Expected verdict.", examples=["training"])
    table_verdict: TableVerdict | None = Field(
        None, description="What the trade-off table must say (the rules' pushes).",
        examples=["inference_time"])
    feasible: bool | None = Field(None, description="Whether an option must fit every "
                                                    "constraint.", examples=[True])
    favours: Literal["inference_time", "training"] | None = Field(
        None, description="The side that must add most of the quality gain over the baseline "
                          "(its share at least one half): what 'favours' means in the article's "
                          "table.", examples=["inference_time"])
    strategy: str | None = Field(None, description="Expected strategy id of the recommendation.",
                                 examples=["single_pass"])
    model: str | None = Field(None, description="Expected model id of the recommendation.",
                              examples=["llama-3.1-8b-ft"])
    fired: list[str] = Field(default_factory=list, description="Rule ids that must fire.",
                             examples=[["knowledge-task-favours-training"]])
    not_fired: list[str] = Field(default_factory=list, description="Rule ids that must not fire.",
                                 examples=[["reasoning-task-favours-inference"]])

    @model_validator(mode="after")
    def _expects_something(self) -> Expectation:
        if not (self.verdict or self.table_verdict or self.feasible is not None or self.favours
                or self.strategy or self.model or self.fired or self.not_fired):
            raise ValueError("expect needs at least one of verdict, table_verdict, feasible, "
                             "favours, strategy, model, fired, not_fired")
        return self


class Scenario(Strict):
    """One test: answers in, expected recommendation out."""

    id: str = Field(pattern=IDENTIFIER, description="Unique id (lower-case, dashes).",
                    examples=["knowledge-qa-needs-training"])
    claim: str = Field(min_length=1, description="The claim this scenario pins down, in words.",
                       examples=["Inference-time compute cannot create knowledge."])
    source: str = Field("", description="Where the claim comes from (article section, paper).",
                        examples=["Inference-Time Scaling vs Training Compute, section "
                                  "'When Training Compute Still Dominates'"])
    answers_file: str | None = Field(
        None, description="Answers file to start from, relative to this scenario file.",
        examples=["../../examples/support-faq-bot.yaml"])
    answers: dict[str, Any] = Field(
        default_factory=dict, description="Answers; missing fields take the question defaults.",
        examples=[{"task_type": "knowledge_qa", "latency_budget_s": 0.8}])
    expect: Expectation = Field(description="What the recommendation must show.",
                                examples=[{"verdict": "training",
                                           "fired": ["knowledge-task-favours-training"]}])


class ScenarioFile(Strict):
    """A file of rule test scenarios (``rules/tests/*.yaml``)."""

    description: str | None = Field(None, description="What these scenarios cover.",
                                    examples=["Claims of the reference article."])
    defaults: dict[str, Any] = Field(
        default_factory=dict, description="Answers every scenario of this file starts from.",
        examples=[{"latency_budget_s": 5, "verifiability": "none"}])
    scenarios: list[Scenario] = Field(
        description="The scenarios, run in order.",
        examples=[[{"id": "knowledge-qa-needs-training",
                    "claim": "Inference-time compute cannot create knowledge.",
                    "answers": {"task_type": "knowledge_qa"},
                    "expect": {"fired": ["knowledge-task-favours-training"]}}]])


@dataclass
class LoadedScenario:
    """A scenario with its file, line and fully resolved answers."""

    scenario: Scenario
    path: str
    line: int
    answers: Answers

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class ScenarioOutcome:
    """What the recommendation showed for one scenario."""

    verdict: str
    table_verdict: str | None
    feasible: bool
    shares: dict[str, float]
    strategy: str
    model: str
    fired: list[str]


@dataclass
class ScenarioResult:
    """One scenario run: the outcome and each mismatch as (key, expected, actual)."""

    loaded: LoadedScenario
    outcome: ScenarioOutcome
    mismatches: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches


def scenario_files(directory: str | Path) -> list[Path]:
    """The scenario files of a rules directory (its ``tests/`` folder), in a stable order."""
    folder = Path(directory) / SCENARIO_DIR
    return sorted({p for pattern in SCENARIO_GLOBS for p in folder.glob(pattern) if p.is_file()})


def _read(path: Path, what: str = "scenario file") -> tuple[YamlDocument | None, list[Problem]]:
    doc = read_document(path, what=what)
    return (None, doc.problems) if doc.problems else (doc, [])


def _known_keys(loc: tuple) -> list[str]:
    """Keys valid beside the last element of ``loc``, for "did you mean" on unknown keys."""
    depth = len([part for part in loc[:-1] if not isinstance(part, int)])
    model = (ScenarioFile, Scenario, Expectation)[min(depth, 2)]
    return list(model.model_fields)


def _answers_base(rules: RuleSet) -> dict[str, Any]:
    return {q.field: q.default for q in rules.questions}


def load_scenarios(paths: Iterable[str | Path], rules: RuleSet
                   ) -> tuple[list[LoadedScenario], list[Problem]]:
    """Read, validate and resolve scenario files against ``rules`` (for answer defaults).

    Returns:
        The scenarios that loaded, and every problem found (errors and "unknown reference"
        warnings for rule, strategy and model ids the rules do not define).
    """
    loaded: list[LoadedScenario] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in map(Path, paths):
        doc, read_problems = _read(path)
        problems += read_problems
        if doc is None:
            continue
        name = str(path)
        try:
            model = ScenarioFile.model_validate(doc.data if doc.data is not None else {})
        except ValidationError as exc:
            problems += [Problem(name, doc.line_of(tuple(err["loc"])),
                                 describe_error(err, known=_known_keys(err["loc"])))
                         for err in exc.errors()]
            continue
        default_lines = {(key,): doc.line_of(("defaults", key)) for key in model.defaults}
        for index, scenario in enumerate(model.scenarios):
            loc = ("scenarios", index)
            line = doc.line_of(loc)
            if scenario.id in seen:
                problems.append(Problem(name, line, f"duplicate scenario id '{scenario.id}' "
                                                    f"(first defined at {seen[scenario.id]})"))
                continue
            seen[scenario.id] = f"{name}:{line}"
            problems += _reference_warnings(scenario, rules, doc, loc)
            data = {**_answers_base(rules), **model.defaults}
            lines = {**default_lines,
                     **{(key,): doc.line_of(loc + ("answers", key)) for key in scenario.answers}}
            if scenario.answers_file:
                answers_path = path.parent / scenario.answers_file
                file_doc, file_problems = _read(answers_path, "it")
                if file_problems or not isinstance(file_doc.data, dict):
                    problems.append(Problem(name, doc.line_of(loc + ("answers_file",)),
                                            f"answers_file '{scenario.answers_file}' cannot be "
                                            "used: " + ("; ".join(p.message for p in file_problems)
                                                        or "it is not a mapping")))
                    continue
                data.update(file_doc.data)
            data.update(scenario.answers)
            try:
                answers = parse_answers(data, path=name, lines={(): line, **lines})
            except AnswersError as exc:
                problems += exc.problems
                continue
            loaded.append(LoadedScenario(scenario, name, line, answers))
    return loaded, sorted(set(problems))


def _reference_warnings(scenario: Scenario, rules: RuleSet, doc: YamlDocument,
                        loc: tuple) -> list[Problem]:
    rule_ids = [r.id for r in rules.rules]
    known = {"fired": rule_ids, "not_fired": rule_ids,
             "strategy": [s.id for s in rules.strategies],
             "model": variant_ids(rules)}
    what = {"fired": "rule", "not_fired": "rule", "strategy": "strategy", "model": "model"}
    problems = []
    for key, candidates in known.items():
        value = getattr(scenario.expect, key)
        items = value if isinstance(value, list) else [value] if value else []
        for index, item in enumerate(items):
            if item not in candidates:
                sub = (index,) if isinstance(value, list) else ()
                problems.append(Problem(
                    doc.path, doc.line_of(loc + ("expect", key) + sub),
                    f"scenario '{scenario.id}' expects unknown {what[key]} '{item}'"
                    f"{did_you_mean(item, candidates)}", "warning"))
    return problems


def outcome_of(answers: Answers, rules: RuleSet) -> ScenarioOutcome:
    """Run the engine and keep what scenarios check."""
    rec = recommend(answers, rules)
    return ScenarioOutcome(rec.verdict, rec.table.verdict, rec.feasible,
                           {"training": rec.shares.training_share,
                            "inference_time": rec.shares.inference_share},
                           rec.strategy, rec.model, [r.id for r in rec.fired_rules])


def compare_outcome(expect: Expectation, outcome: ScenarioOutcome) -> list[tuple[str, str, str]]:
    """Each way ``outcome`` misses ``expect``, as (key, expected, actual)."""
    mismatches = []
    if expect.verdict is not None and expect.verdict != outcome.verdict:
        mismatches.append(("verdict", expect.verdict, outcome.verdict))
    if expect.favours is not None and outcome.shares[expect.favours] < 0.5:
        mismatches.append(("favours", f"{expect.favours} adds at least half the gain",
                           ", ".join(f"{side} {share:.0%}"
                                     for side, share in outcome.shares.items())))
    for key in ("table_verdict", "feasible", "strategy", "model"):
        wanted = getattr(expect, key)
        if wanted is not None and wanted != getattr(outcome, key):
            mismatches.append((key, str(wanted), str(getattr(outcome, key))))
    for rule_id in expect.fired:
        if rule_id not in outcome.fired:
            mismatches.append(("fired", rule_id, "(did not fire)"))
    for rule_id in expect.not_fired:
        if rule_id in outcome.fired:
            mismatches.append(("not_fired", rule_id, "(fired)"))
    return mismatches


def run_scenarios(loaded: Iterable[LoadedScenario], rules: RuleSet) -> list[ScenarioResult]:
    """Run every scenario against ``rules``."""
    results = []
    for item in loaded:
        outcome = outcome_of(item.answers, rules)
        mismatches = compare_outcome(item.scenario.expect, outcome)
        results.append(ScenarioResult(item, outcome, mismatches))
    return results


def format_result(result: ScenarioResult) -> str:
    """``PASS id`` or ``FAIL id`` with an expected (-) / actual (+) diff of each mismatch."""
    item = result.loaded
    if result.passed:
        return f"PASS {item.scenario.id}"
    lines = [f"FAIL {item.scenario.id} ({item.where}): {item.scenario.claim}"]
    for key, expected, actual in result.mismatches:
        lines.append(f"    {key}:")
        lines.append(f"    - expected: {expected}")
        lines.append(f"    + actual:   {actual}")
    return "\n".join(lines)


def format_summary(results: list[ScenarioResult]) -> str:
    failed = sum(not r.passed for r in results)
    return f"{len(results) - failed} passed, {failed} failed, {len(results)} scenario(s)"
