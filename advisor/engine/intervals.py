"""Ranges, not false precision: an interval for every estimate, from the assumed ranges.

Assumed numbers in the rules may carry ``ranges: {field: [low, high]}`` (a tier's speed or
scores, a family's curve constants, a level's offset, a verifier's recall, …; see
:class:`advisor.model.rules.Ranged`). :data:`SAMPLES` rule sets are drawn from those ranges — a
Latin hypercube over every ranged number, each triangular between its low, its value and its high —
and every candidate is estimated under each. An estimate's interval runs from the 5th to the
95th percentile of the draws (widened to include the point estimate, which uses the values
themselves). Draws are seeded, so the same rules always give the same intervals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from advisor.engine.costs import Workload, build_table
from advisor.model.rules import DifficultyLevel, Ranged, RuleSet

SAMPLES = 16
PERCENTILES = (5.0, 95.0)
SEED = 20261129


@dataclass(frozen=True)
class Param:
    """One ranged number: where its object lives in the rule set, its path there, its range."""

    where: tuple
    path: tuple[str, ...]
    low: float
    value: float
    high: float


@dataclass(frozen=True)
class Spread:
    """Per candidate (table order): the low and high of quality, cost and both latencies."""

    quality: tuple[np.ndarray, np.ndarray]
    cost: tuple[np.ndarray, np.ndarray]
    latency: tuple[np.ndarray, np.ndarray]      # to the whole answer
    first_token: tuple[np.ndarray, np.ndarray]  # to the first visible token


def _ranged_objects(rules: RuleSet) -> list[tuple[tuple, Ranged]]:
    found: list[tuple[tuple, Ranged]] = []
    for i, model in enumerate(rules.models):
        found.append((("models", i), model))
        if model.fine_tune is not None:
            found.append((("models", i, "fine_tune"), model.fine_tune))
    found += [(("families", name), curve) for name, curve in rules.families.items()]
    for name, task in rules.tasks.items():
        for j, level in enumerate(task.difficulties):
            found.append((("tasks", name, j), level))
            found += [(("tasks", name, j, "verifiers", v), check)
                      for v, check in level.verifiers.items()]
    found += [(("verifiers", name), v) for name, v in rules.settings.verifiers.items()]
    found += [(("strategies", i), s.curve) for i, s in enumerate(rules.strategies)]
    found += [(("strategies", i, "retrieval"), s.retrieval)
              for i, s in enumerate(rules.strategies) if s.retrieval is not None]
    for i, option in enumerate(rules.training.options):
        found.append((("training", i), option))
        if option.gain is not None:
            found.append((("training", i, "gain"), option.gain))
    return found


def parameters(rules: RuleSet) -> list[Param]:
    """Every ranged number of the rule set."""
    return [Param(where, path, low, value, high) for where, item in _ranged_objects(rules)
            for path, low, value, high in item.range_items() if high > low]


def draws(params: list[Param], samples: int = SAMPLES, seed: int = SEED) -> np.ndarray:
    """(samples, parameters) values: a Latin hypercube, triangular per parameter."""
    rng = np.random.default_rng(seed)
    count = len(params)
    strata = np.stack([rng.permutation(samples) for _ in range(count)], axis=1)
    u = (strata + rng.random((samples, count))) / samples
    low = np.array([p.low for p in params])
    mode = np.array([p.value for p in params])
    high = np.array([p.high for p in params])
    width = high - low
    split = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1 - u) * width * (high - mode))
    return np.where(u < split, left, right)


def perturbed(rules: RuleSet, params: list[Param], values: np.ndarray) -> RuleSet:
    """A copy of ``rules`` with each parameter at its value (and an empty cache)."""
    changes: dict[tuple, dict[tuple[str, ...], float]] = defaultdict(dict)
    for param, value in zip(params, values):
        changes[param.where][param.path] = float(value)
    objects = dict(_ranged_objects(rules))
    updated = {where: objects[where].with_values(change) for where, change in changes.items()}
    models = []
    for i, model in enumerate(rules.models):
        model = updated.get(("models", i), model)
        tune = updated.get(("models", i, "fine_tune"))
        models.append(model.model_copy(update={"fine_tune": tune}) if tune else model)
    families = {name: updated.get(("families", name), c) for name, c in rules.families.items()}
    tasks = {name: task.model_copy(update={"difficulties": [
        _level(updated, ("tasks", name, j), level) for j, level in enumerate(task.difficulties)]})
        for name, task in rules.tasks.items()}
    verifiers = {name: updated.get(("verifiers", name), v)
                 for name, v in rules.settings.verifiers.items()}
    strategies = [s.model_copy(update={
        "curve": updated.get(("strategies", i), s.curve),
        "retrieval": updated.get(("strategies", i, "retrieval"), s.retrieval)})
        for i, s in enumerate(rules.strategies)]
    options = []
    for i, option in enumerate(rules.training.options):
        option = updated.get(("training", i), option)
        gain = updated.get(("training", i, "gain"))
        options.append(option.model_copy(update={"gain": gain}) if gain else option)
    return rules.model_copy(update={  # a RuleSet copy starts with an empty memo
        "models": models, "families": families, "tasks": tasks, "strategies": strategies,
        "training": rules.training.model_copy(update={"options": options}),
        "settings": rules.settings.model_copy(update={"verifiers": verifiers})})


def _level(updated: dict[tuple, Ranged], where: tuple, level: DifficultyLevel
           ) -> DifficultyLevel:
    """``level`` with its own drawn numbers and its verifiers' drawn numbers."""
    level = updated.get(where, level)
    checks = {v: updated.get((*where, "verifiers", v), check)
              for v, check in level.verifiers.items()}
    return level.model_copy(update={"verifiers": checks}) if checks else level


def spread(rules: RuleSet, workload: Workload) -> Spread | None:
    """Intervals of every candidate of ``workload`` (None when nothing in the rules is ranged).

    Computed once per rule set and workload: :data:`SAMPLES` candidate tables.
    """
    return rules.memo(("spread", workload), lambda: _spread(rules, workload))


def _spread(rules: RuleSet, workload: Workload) -> Spread | None:
    params = parameters(rules)
    if not params:
        return None
    base = build_table(rules, workload)
    figures: dict[str, list[np.ndarray]] = {"quality": [], "cost": [], "answer_latency": [],
                                            "first_token_latency": []}
    for values in draws(params):
        table = build_table(perturbed(rules, params, values), workload)
        if len(table) != len(base):  # pragma: no cover - ranges never change the catalogue
            raise AssertionError("a ranged number changed the set of candidates")
        for name in figures:
            figures[name].append(getattr(table, name))

    def bounds(name: str) -> tuple[np.ndarray, np.ndarray]:
        stack = np.stack(figures[name])
        low, high = np.percentile(stack, PERCENTILES, axis=0)
        point = getattr(base, name)
        return np.minimum(low, point), np.maximum(high, point)

    return Spread(quality=bounds("quality"), cost=bounds("cost"),
                  latency=bounds("answer_latency"), first_token=bounds("first_token_latency"))


def interval_columns(spread_: Spread | None, index: np.ndarray
                     ) -> tuple[list[float], ...] | None:
    """Quality, cost, latency and first-token latency, low then high, of the candidates at
    ``index`` as lists (None without ranges): what each estimate's ``*_low`` / ``*_high`` fields
    are rounded from."""
    if spread_ is None:
        return None
    return tuple(side[index].tolist() for pair in (spread_.quality, spread_.cost, spread_.latency,
                                                    spread_.first_token) for side in pair)
