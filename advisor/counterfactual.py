"""What would change the answer: for each answer, the nearest value that changes the outcome.

The outcome is the verdict, the recommended strategy and whether it serves a fine-tune (the
training action is the decision this advisor is about). Every probe runs the engine's own
:func:`~advisor.engine.decide` and :func:`~advisor.engine.select`, the two steps
:func:`~advisor.engine.recommend` takes, so a turn reported here is exactly what ``recommend``
would return for the changed answers.

Numeric answers are searched in both directions over the values where the engine's comparisons
can flip: the rules' thresholds on that field (:func:`advisor.conditions.thresholds`) and the
candidate figures the engine compares the answer with (latencies for the latency budget, costs
for the per-query budget, fine-tune run costs for the training budget), each probed on both
sides. A log-spaced grid over the question's range is probed too, with bisection when a grid
probe finds a change the points above missed. Categorical and yes/no answers try every other
option.

Why probe points instead of a fine grid: the outcome is piecewise constant between those points,
so about a hundred engine steps find the exact turning value, where a grid would both cost more
and miss narrow intervals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from advisor.answers import BOOL_FIELDS, ENUM_FIELDS, NUMERIC_FIELDS, Answers, field_options
from advisor.conditions import thresholds
from advisor.costs import CandidateTable, candidate_table
from advisor.engine import Decision, decide, fire, select
from advisor.result import Turn
from advisor.schema import RuleSet

GRID_POINTS = 24
BISECT_STEPS = 40
INTEGER_FIELDS = ("queries_per_day",)
SMALLEST_POSITIVE = 1e-6
Outcome = tuple[str, str, bool]

# Where the engine compares an answer with a figure of each candidate (see engine.select/decide).
CANDIDATE_POINTS: dict[str, Callable[[CandidateTable], Iterable[float]]] = {
    "latency_budget_s": lambda table: table.latency.tolist(),
    "budget_per_query_usd": lambda table: table.cost.tolist(),
    "training_budget_usd": lambda table: {c.serving.training_cost_usd for c in table.candidates
                                          if c.serving.fine_tuned},
}


class _Probe:
    """Runs the engine on changed answers, reusing decisions that cannot differ.

    Why the reuse is safe: :func:`~advisor.engine.decide` reads the answers through the rules
    that fire and the training budget only, so probes that agree on both (and on the candidate
    table) get the same decision; ``select`` still runs for every probe.
    """

    def __init__(self, answers: Answers, rules: RuleSet):
        self.rules = rules
        self.values = answers.model_dump()
        self.decisions: dict[tuple, Decision] = {}

    def run(self, changes: dict[str, Any]) -> tuple[Outcome, int, bool, CandidateTable]:
        """(outcome, chosen candidate index, whether it fits, the candidate table)."""
        values = {**self.values, **changes}
        table = candidate_table(self.rules, values["task_type"], values["verifiability"])
        key = (values["task_type"], values["verifiability"], values["training_budget_usd"],
               tuple(rule.id for rule in fire(self.rules, values)))
        decision = self.decisions.get(key)
        if decision is None:
            decision = self.decisions[key] = decide(self.rules, values, table)
        index, feasible = select(table, decision, values["latency_budget_s"],
                                 values["budget_per_query_usd"])
        outcome = (decision.verdict, table.strategy_ids[index],
                   table.candidates[index].serving.fine_tuned)
        return outcome, index, feasible, table

    def outcome(self, field: str, value: Any) -> Outcome:
        return self.run({field: value})[0]


def _nudge(value: float, up: bool, integer: bool) -> float:
    """The nearest value strictly beyond ``value`` (for strict comparisons)."""
    if integer:
        return math.floor(value) + 1 if up else math.ceil(value) - 1
    step = max(abs(value) * 1e-9, 1e-12)
    return value + step if up else value - step


def _nice(value: float, up: bool, significant: int) -> float:
    """``value`` rounded outward to ``significant`` figures: 24.43 → 25 going up."""
    if value <= 0:
        return value
    scale = 10 ** (math.floor(math.log10(value)) - significant + 1)
    ratio = value / scale
    rounded = (math.ceil(ratio - 1e-9) if up else math.floor(ratio + 1e-9)) * scale
    return float(f"{rounded:.{significant + 1}g}")


def _points(field: str, rules: RuleSet, table: CandidateTable) -> tuple[set[float], set[float]]:
    """(rule thresholds on the field, candidate figures compared with it)."""
    cuts: set[float] = set()
    for rule in rules.rules:
        cuts |= thresholds(rule.when).get(field, set())
    figures = {float(x) for x in CANDIDATE_POINTS.get(field, lambda _: ())(table)}
    return cuts, figures


def _search(probe: _Probe, field: str, current: float, up: bool, base: Outcome,
            cuts: set[float], figures: set[float], low: float, high: float
            ) -> tuple[float, float, bool] | None:
    """(exact changing value, the point it came from, whether it is strictly beyond that point)."""
    integer = field in INTEGER_FIELDS
    # value to probe → (point it stands for, strictly beyond the point, from the fallback grid)
    probes: dict[float, tuple[float, bool, bool]] = {}

    def add(value: float, point: float, strict: bool, from_grid: bool = False) -> None:
        if integer:
            value = math.ceil(value) if up else math.floor(value)
        probes.setdefault(value, (point, strict, from_grid))

    for point in cuts:
        add(point, point, False)
        add(_nudge(point, up, integer), point, True)
    for point in figures - cuts:
        # A candidate fits while its figure is at most the answer: going up it starts fitting at
        # the figure itself, going down it stops fitting just below.
        if up:
            add(point, point, False)
        else:
            add(_nudge(point, up, integer), point, True)
    grid_low = max(low, SMALLEST_POSITIVE)
    for point in np.geomspace(grid_low, high, GRID_POINTS).tolist() + [low, high]:
        add(point, point, False, from_grid=True)
    ordered = sorted((v for v in probes if (v > current if up else v < current)
                      and low <= v <= high), reverse=not up)
    previous = current
    for value in ordered:
        if probe.outcome(field, value) != base:
            point, strict, from_grid = probes[value]
            if from_grid:
                # A change the rule and candidate points did not predict: narrow it down.
                value = _bisect(probe, field, previous, value, base, integer)
                point, strict = value, False
            return value, point, strict
        previous = value
    return None


def _bisect(probe: _Probe, field: str, same: float, changed: float, base: Outcome,
            integer: bool) -> float:
    """Narrow down a change between ``same`` (base outcome) and ``changed``."""
    for _ in range(BISECT_STEPS):
        middle = (same + changed) / 2
        if integer:
            middle = round(middle)
            if middle in (same, changed):
                break
        if probe.outcome(field, middle) == base:
            same = middle
        else:
            changed = middle
    return changed


def _turn(probe: _Probe, field: str, value: Any, relation: str, base: Outcome) -> Turn:
    outcome, index, feasible, table = probe.run({field: value})
    changes = [name for name, before, after in zip(("verdict", "strategy", "training"),
                                                   base, outcome) if before != after]
    return Turn(**table.configuration(index), field=field, value=value, relation=relation,
                changes=changes, verdict=outcome[0], feasible=feasible)


def _numeric_turns(probe: _Probe, field: str, base: Outcome, table: CandidateTable) -> list[Turn]:
    question = probe.rules.question(field)
    current = float(probe.values[field])
    low = question.min if question.min is not None else 0.0
    high = question.max if question.max is not None else max(current * 1000, 1.0)
    low, high = min(low, current), max(high, current)
    cuts, figures = _points(field, probe.rules, table)
    turns = []
    for up in (False, True):
        found = _search(probe, field, current, up, base, cuts, figures, low, high)
        if found is None:
            continue
        value, point, strict = found
        changed = probe.outcome(field, value)
        shown, relation = value, ("at_least" if up else "at_most")
        if strict and point in cuts:
            # A rule threshold reads best as itself: "less than $1,000", not "$990 or less".
            shown, relation = point, ("above" if up else "below")
        else:
            for significant in (2, 3):
                if not strict and _nice(value, up, 3) == value:
                    break  # already short: "$1,250 or more" beats "$1,300 or more"
                nice = _nice(value, up, significant)
                if low <= nice <= high and probe.outcome(field, nice) == changed:
                    shown = nice
                    break
            else:
                if strict:
                    shown, relation = point, ("above" if up else "below")
        if field in INTEGER_FIELDS and relation in ("above", "below"):
            # Whole numbers have a nearest value beyond the threshold: say it.
            shown, relation = value, ("at_least" if up else "at_most")
        evaluated = value if relation in ("above", "below") else shown
        if field in INTEGER_FIELDS:
            shown = evaluated = int(shown)
        turns.append(_turn(probe, field, evaluated, relation, base)
                     .model_copy(update={"value": shown}))
    return turns


def what_would_change(answers: Answers, rules: RuleSet) -> list[Turn]:
    """For each answer, the nearest values at which the verdict, strategy or training changes.

    Args:
        answers: the profile.
        rules: the rule set the engine uses.

    Returns:
        Turns in answer-field order: for a numeric answer at most one downward and one upward
        turn; for a categorical or yes/no answer one turn per other option that changes the
        outcome.
    """
    probe = _Probe(answers, rules)
    base, _, _, table = probe.run({})
    turns: list[Turn] = []
    for field in Answers.model_fields:
        if field in NUMERIC_FIELDS:
            turns += _numeric_turns(probe, field, base, table)
            continue
        if field in ENUM_FIELDS or field in BOOL_FIELDS:
            current = probe.values[field]
            for option in field_options(field):
                if option != current and probe.outcome(field, option) != base:
                    turns.append(_turn(probe, field, option, "equals", base))
    return turns
