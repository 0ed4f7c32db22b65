"""What would change the answer: for each answer, the nearest value that changes the outcome.

The outcome is the verdict, the recommended strategy and whether it serves a fine-tune (the
training action is the decision this advisor is about). Every probe runs the engine's own
objective through :func:`~advisor.engine.decide.decide_columns`, the batch form of what
:func:`~advisor.engine.decide.recommend` does, so a turn reported here is exactly what
``recommend`` would return for the changed answers, with its quality and cost.

Numeric answers are searched in both directions over the values where the engine's comparisons
can flip: the rules' thresholds on that field (a derived field's too, such as the cheapest
fine-tune for the training budget) and the candidate figures the engine compares the answer with
(latencies for the latency budget, costs for the per-query budget, fine-tune run costs for the
training budget), each probed on both sides. A log-spaced grid over the question's range is
probed too, with bisection when a grid probe finds a change the points above missed (the
queries per day move the choice continuously, through the amortised training cost).
Categorical and yes/no answers try every other option.

Why batches: all probes of one answer run as one array computation, so a hundred probes cost
about as much as a few single recommendations.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from advisor.engine.conditions import thresholds
from advisor.engine.costs import CandidateTable
from advisor.engine.decide import (answer_columns, decide, decide_columns, firing,
                                   monthly_cost_usd, table_for)
from advisor.engine.training import cheapest_run_usd
from advisor.model.answers import BOOL_FIELDS, ENUM_FIELDS, NUMERIC_FIELDS, Answers, field_options
from advisor.model.result import Turn
from advisor.model.rules import RuleSet, fields_of

GRID_POINTS = 24
FIRST_PROBES = 40
BISECT_ROUNDS = 6
BISECT_POINTS = 16
INTEGER_FIELDS = ("queries_per_day",)
SMALLEST_POSITIVE = 1e-6
Outcome = tuple[str, str, bool]
_BATCHED = frozenset(NUMERIC_FIELDS) | frozenset(BOOL_FIELDS)  # probes with few workloads


def changed_answers(values: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """``values`` with one answer changed, as the search evaluates it.

    Another task type has its own difficulty levels, and a measurement was of this task: both
    fall back to the new task type's defaults.
    """
    changed = {**values, field: value}
    if field == "task_type" and value != values["task_type"]:
        changed.update(difficulty=None, measured_model=None, measured_accuracy=None,
                       measured_dispersion=None)
    return changed


class _Prober:
    """Runs the engine on changed answers, many at a time, and remembers every outcome.

    Each probe is (field, value): the current answers with one answer changed.
    """

    def __init__(self, answers: Answers, rules: RuleSet):
        self.rules = rules
        self.answers = answers
        self.columns = answer_columns([answers])
        self.values = answers.model_dump()
        fired = firing(rules, self.values)
        self.table = table_for(rules, self.values, fired.gain, fired.requires_calibration)
        self.results: dict[tuple[str, Any], tuple[dict[str, np.ndarray], int]] = {}

    def run(self, probes: list[tuple[str, Any]]) -> None:
        """Evaluate every probe not evaluated yet: numeric ones in one batch.

        Why the others one by one: each other task type, verifiability or difficulty needs its
        own candidate table, and a single ``decide`` is cheaper than a batch group of one row.
        A yes/no answer keeps the table or, for ``streaming``, swaps it for one other (the
        batch groups rows by workload), so it joins the batch.
        """
        probes = list(dict.fromkeys(p for p in probes if p not in self.results))
        for probe in [p for p in probes if p[0] not in _BATCHED]:
            self.results[probe] = (self._single(*probe), 0)
        probes = [p for p in probes if p[0] in _BATCHED]
        if not probes:
            return
        n = len(probes)
        lists = {name: [column[0]] * n for name, column in self.columns.items()}
        for row, (field, value) in enumerate(probes):
            lists[field][row] = value
        columns = {name: np.array(values, dtype=str if self.columns[name].dtype.kind == "U"
                                  else self.columns[name].dtype)
                   for name, values in lists.items()}
        out = decide_columns(self.rules, columns)
        for row, probe in enumerate(probes):
            self.results[probe] = (out, row)

    def _single(self, field: str, value: Any) -> dict[str, list]:
        decision = decide(self.rules, changed_answers(self.values, field, value))
        table, chosen = decision.table, decision.chosen
        row = {**table.configuration(chosen), "verdict": decision.verdict,
               "feasible": decision.choice.feasible, "cost_usd": float(table.cost[chosen]),
               "expected_quality": float(table.quality[chosen]),
               "monthly_cost_usd": float(monthly_cost_usd(
                   table.cost[chosen], decision.values["queries_per_day"], self.rules.settings)),
               "one_time_cost_usd": float(table.training_cost[chosen])}
        return {name: [value] for name, value in row.items()}

    def outcome(self, field: str, value: Any) -> Outcome:
        out, row = self.results[(field, value)]
        return (out["verdict"][row], out["strategy"][row], bool(out["fine_tuned"][row]))

    def row(self, field: str, value: Any) -> dict[str, Any]:
        out, row = self.results[(field, value)]
        return {name: column[row] for name, column in out.items()}


def _nice(value: float, up: bool, significant: int) -> float:
    """``value`` rounded outward to ``significant`` figures: 24.43 → 25 going up."""
    if value <= 0:
        return value
    scale = 10 ** (math.floor(math.log10(value)) - significant + 1)
    ratio = value / scale
    rounded = (math.ceil(ratio - 1e-9) if up else math.floor(ratio + 1e-9)) * scale
    return float(f"{rounded:.{significant + 1}g}")




def _points(field: str, rules: RuleSet, table: CandidateTable) -> tuple[set[float], set[float]]:
    """(rule thresholds on the field, candidate figures compared with it).

    Only candidates the objective can pick (the table's pruned columns) and the baseline's
    change the outcome where they start or stop fitting, so only their figures are probed.
    """
    cuts = rules.memo(("cuts", field), lambda: _cuts(field, rules))

    def figures() -> frozenset[float]:
        columns = {"latency_budget_s": "latency", "budget_per_query_usd": "cost",
                   "training_budget_usd": "training_cost"}.get(field)
        found: set[float] = set()
        if columns is not None:
            for cols in (table.pruned, table.baselines):
                found |= set(np.unique(getattr(cols, columns)).tolist())
        if field == "training_budget_usd":
            found.discard(0.0)  # base tiers cost nothing to train
        return frozenset(found)

    return cuts, set(table.memo(("figures", field), figures))


def _cuts(field: str, rules: RuleSet) -> set[float]:
    cuts: set[float] = set()
    for rule in rules.rules:
        cuts |= thresholds(rule.when).get(field, set())
        if (field == "training_budget_usd" and "training_run_feasible" in fields_of(rule.when)
                and cheapest_run_usd(rules) is not None):
            cuts.add(cheapest_run_usd(rules))
    return cuts


@functools.lru_cache(maxsize=256)
def _grid(low: float, high: float) -> tuple[float, ...]:
    """The log-spaced probes over a question's range."""
    return tuple(np.geomspace(low, high, GRID_POINTS).tolist())


class _Search:
    """The nearest change of one numeric answer in one direction."""

    def __init__(self, prober: _Prober, field: str, up: bool):
        self.field, self.up = field, up
        self.integer = field in INTEGER_FIELDS
        question = prober.rules.question(field)
        self.current = float(prober.values[field])
        low = question.min if question.min is not None else 0.0
        high = question.max if question.max is not None else max(self.current * 1000, 1.0)
        self.low, self.high = float(min(low, self.current)), float(max(high, self.current))
        self.cuts, figures = _points(field, prober.rules, prober.table)
        cuts = sorted(map(float, self.cuts))
        others = sorted(map(float, figures - self.cuts))
        grid = [*_grid(max(self.low, SMALLEST_POSITIVE), self.high), self.low, self.high]
        # A candidate fits while its figure is at most the answer: going up it starts fitting
        # at the figure itself, going down it stops fitting just below.
        parts = [(cuts, cuts, False, False), (self._nudge(cuts), cuts, True, False),
                 (others if up else self._nudge(others), others, not up, False),
                 (grid, grid, False, True)]
        # value to probe → (point it stands for, strictly beyond the point, from the grid); the
        # first way each value was reached wins (rule thresholds before candidate figures
        # before the grid). Why plain Python: a few hundred values, where numpy's per-call
        # cost was a tenth of the whole analysis.
        rounding = (math.ceil if up else math.floor) if self.integer else None
        self.probes: dict[float, tuple[float, bool, bool]] = {}
        for values, points, strict, from_grid in parts:
            for value, point in zip(values, points):
                value = float(rounding(value)) if rounding else value
                if ((value > self.current) if up else (value < self.current)) \
                        and self.low <= value <= self.high:
                    self.probes.setdefault(value, (point, strict, from_grid))
        self.ordered = sorted(self.probes, reverse=not up)
        self.found: tuple[float, float, bool] | None = None
        self.bracket: tuple[float, float] | None = None  # (same, changed) to bisect
        self.scanned = 0  # probes of ``ordered`` already looked at
        self.previous = self.current

    def _nudge(self, values: list[float]) -> list[float]:
        """The nearest values strictly beyond ``values`` (for strict comparisons)."""
        if self.integer:
            return ([math.floor(v) + 1.0 for v in values] if self.up
                    else [math.ceil(v) - 1.0 for v in values])
        sign = 1.0 if self.up else -1.0
        return [v + sign * max(abs(v) * 1e-9, 1e-12) for v in values]

    @property
    def scanning(self) -> bool:
        return self.found is None and self.bracket is None and self.scanned < len(self.ordered)

    def requests(self, count: int) -> list[tuple[str, Any]]:
        """The next ``count`` probes, nearest first."""
        return [(self.field, v) for v in self.ordered[self.scanned:self.scanned + count]]

    def scan(self, prober: _Prober, base: Outcome, count: int) -> None:
        """Look for the first change among the next ``count`` probes."""
        for value in self.ordered[self.scanned:self.scanned + count]:
            self.scanned += 1
            if prober.outcome(self.field, value) != base:
                point, strict, from_grid = self.probes[value]
                if from_grid:
                    # A change the rule and candidate points did not predict: narrow it down.
                    self.bracket = (self.previous, value)
                else:
                    self.found = (value, point, strict)
                return
            self.previous = value

    def bisect_points(self) -> list[float]:
        same, changed = self.bracket
        inner = np.linspace(same, changed, BISECT_POINTS + 2)[1:-1]
        if self.integer:
            inner = np.unique(np.round(inner))
            inner = inner[(inner != same) & (inner != changed)]
        return inner.tolist()

    def narrow(self, prober: _Prober, base: Outcome, points: list[float]) -> bool:
        """One round of bisection; True when the bracket cannot narrow further."""
        same, changed = self.bracket
        for value in points:
            if prober.outcome(self.field, value) != base:
                changed = value
                break
            same = value
        self.bracket = (same, changed)
        return not points

    def settle(self) -> None:
        if self.bracket is not None and self.found is None:
            value = self.bracket[1]
            self.found = (value, value, False)


def what_would_change(answers: Answers, rules: RuleSet) -> list[Turn]:
    """For each answer, the nearest values at which the verdict, strategy or training changes.

    Args:
        answers: the profile.
        rules: the rule set the engine uses.

    Returns:
        Turns in answer-field order: for a numeric answer at most one downward and one upward
        turn; for a categorical or yes/no answer one turn per other option that changes the
        outcome. Each says whether quality and cost go up or down.
    """
    prober = _Prober(answers, rules)
    now = ("task_type", prober.values["task_type"])
    searches = {(field, up): _Search(prober, field, up) for field in Answers.model_fields
                if field in NUMERIC_FIELDS for up in (False, True)}
    options = _other_options(prober, rules)
    prober.run([now] + [r for s in searches.values() for r in s.requests(FIRST_PROBES)]
               + [(field, o) for field, opts in options.items() for o in opts])
    base = prober.outcome(*now)
    current = prober.row(*now)
    _scan_outward(prober, list(searches.values()), base)
    _bisect(prober, list(searches.values()), base)
    for search in searches.values():
        search.settle()
    found = {key: s for key, s in searches.items() if s.found is not None}
    prober.run([(s.field, n) for s in found.values() for n in _nice_candidates(s)])
    shown = {key: _shown(prober, s) for key, s in found.items()}
    return _turns(prober, shown, options, base, current, rules.settings.quality_tolerance)


def _other_options(prober: _Prober, rules: RuleSet) -> dict[str, list[Any]]:
    """Every other option of each categorical and yes/no answer, and every other difficulty
    level of the task (none when a measurement replaces the benchmark levels)."""
    options = {field: [o for o in field_options(field) if o != prober.values[field]]
               for field in Answers.model_fields if field in ENUM_FIELDS or field in BOOL_FIELDS}
    task = rules.tasks[prober.values["task_type"]]
    if prober.values["measured_model"] is None:
        level = task.level(prober.values["difficulty"]).id
        options["difficulty"] = [lv.id for lv in task.difficulties if lv.id != level]
    return options


def _scan_outward(prober: _Prober, searches: list[_Search], base: Outcome) -> None:
    """Step every numeric search away from the current value until the outcome changes or the
    field's range ends; the first :data:`FIRST_PROBES` values have been run already.

    Why four times as many each round: most changes are near, so a few probes first, then
    more at a time for the searches that go on.
    """
    count = FIRST_PROBES
    while True:
        scanning = [s for s in searches if s.scanning]
        for search in scanning:
            search.scan(prober, base, count)
        scanning = [s for s in scanning if s.scanning]
        if not scanning:
            return
        count *= 4
        prober.run([r for s in scanning for r in s.requests(count)])


def _bisect(prober: _Prober, searches: list[_Search], base: Outcome) -> None:
    """Narrow each bracketed change, at most :data:`BISECT_ROUNDS` rounds, all in one batch."""
    for _ in range(BISECT_ROUNDS):
        pending = [s for s in searches if s.bracket is not None and s.found is None]
        if not pending:
            return
        points = {id(s): s.bisect_points() for s in pending}
        prober.run([(s.field, v) for s in pending for v in points[id(s)]])
        for s in pending:
            if s.narrow(prober, base, points[id(s)]):
                s.settle()


def _turns(prober: _Prober, shown: dict[tuple[str, bool], tuple], options: dict[str, list[Any]],
           base: Outcome, current: dict[str, Any], tolerance: float) -> list[Turn]:
    """The turns in answer-field order: the numeric ones found, then each option that changes
    the outcome."""
    turns: list[Turn] = []
    for field in Answers.model_fields:
        for up in (False, True):
            if (field, up) in shown:
                value, relation, evaluated = shown[(field, up)]
                turns.append(_turn(prober, field, evaluated, relation, base, current, tolerance)
                             .model_copy(update={"value": value}))
        for option in options.get(field, []):
            if prober.outcome(field, option) != base:
                turns.append(_turn(prober, field, option, "equals", base, current, tolerance))
    return turns


def _nice_candidates(search: _Search) -> list[float]:
    """Shorter values that may give the same change as the found one, shortest first."""
    value, _, strict = search.found
    if not strict and _nice(value, search.up, 3) == value:
        return []
    return [n for n in (_nice(value, search.up, 2), _nice(value, search.up, 3))
            if search.low <= n <= search.high]


def _shown(prober: _Prober, search: _Search) -> tuple[Any, str, Any]:
    """(value to state, relation, value to evaluate) for a found turn, in short numbers."""
    value, point, strict = search.found
    up, field = search.up, search.field
    changed = prober.outcome(field, value)
    shown, relation = value, ("at_least" if up else "at_most")
    if strict and point in search.cuts:
        # A rule threshold reads best as itself: "less than $1,000", not "$990 or less".
        shown, relation = point, ("above" if up else "below")
    elif not (not strict and _nice(value, up, 3) == value):
        # Prefer a short value ("$1,300 or more") when it gives the same change.
        nice = next((n for n in _nice_candidates(search)
                     if prober.outcome(field, n) == changed), None)
        if nice is not None:
            shown = nice
        elif strict:
            shown, relation = point, ("above" if up else "below")
    if search.integer and relation in ("above", "below"):
        # Whole numbers have a nearest value beyond the threshold: say it.
        shown, relation = value, ("at_least" if up else "at_most")
    evaluated = value if relation in ("above", "below") else shown
    if search.integer:
        shown = evaluated = int(shown)
    return shown, relation, evaluated


def _turn(prober: _Prober, field: str, value: Any, relation: str, base: Outcome,
          current: dict[str, Any], tolerance: float) -> Turn:
    row = prober.row(field, value)
    outcome = prober.outcome(field, value)
    changes = [name for name, before, after in zip(("verdict", "strategy", "training"),
                                                   base, outcome) if before != after]
    quality, cost = float(row["expected_quality"]), float(row["cost_usd"])

    def direction(new: float, old: float, slack: float) -> str:
        if abs(new - old) <= slack:
            return "same"
        return "up" if new > old else "down"

    label = (prober.rules.tasks[prober.values["task_type"]].level(value).label
             if field == "difficulty" else None)
    first = row["first_stage"]  # a cascade's first stage, said as the headline says it
    return Turn(strategy=row["strategy"], strategy_name=row["strategy_name"],
                model=row["model"], model_name=row["model_name"],
                fine_tuned=bool(row["fine_tuned"]), parameters=row["parameters"],
                thinking_effort=row["thinking_effort"], first_stage=first,
                first_stage_name=row["first_stage_name"],
                escalation_share=None if first is None else float(row["escalation_share"]),
                field=field, value=value,
                value_label=label, relation=relation, changes=changes, verdict=outcome[0],
                feasible=bool(row["feasible"]), expected_quality=quality, cost_usd=cost,
                monthly_cost_usd=float(row["monthly_cost_usd"]),
                one_time_cost_usd=float(row["one_time_cost_usd"]),
                quality_change=direction(quality, float(current["expected_quality"]), tolerance),
                cost_change=direction(cost, float(current["cost_usd"]),
                                      1e-9 + 0.005 * abs(float(current["cost_usd"]))))
