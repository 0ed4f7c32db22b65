"""The decision engine: answers + rules → a configuration, the verdict it implies, and why.

One objective drives every section of a result (the headline, break-even, what would change,
compare, the decision map, batches):

1. **Constraints.** Rules that fire may exclude strategies or require a property (a calibrated
   model: then the candidate table holds only calibrated options, natively or after a
   calibration run); a one-time run is allowed only when it fits the training budget.
2. **The configuration first.** Among allowed candidates within the latency and per-query
   budgets, the best expected quality wins; options within ``quality_tolerance`` of it count as
   equal, and the cheapest of those is taken (a one-time training cost spread over the queries of
   ``horizon_days``), then the fastest. Nothing else ranks options, so the choice is never
   dominated, and more of any budget never lowers the best quality that fits.
3. **Nothing fits.** If only the training budget stands between a calibration requirement and
   an option that fits, the one needing the least one-time spend is shown with that budget named
   as broken; otherwise the allowed option that overshoots the budgets least.
4. **The verdict is read off what the configuration spends.** The baseline is the cheapest single
   answer from a base tier that fits. The gain over it splits into a better-trained tier, a
   training run, a fast student's shorter answer and inference-time compute
   (:class:`~advisor.model.result.Shares`); ``combined``
   when each side adds at least ``combined_margin`` of it, else the side that adds more,
   ``neither`` when nothing is gained.
5. **The trade-off table still speaks.** The rules' pushes are summed into what the article's
   table says; where it differs from the verdict, the result says why (:class:`TableDifference`).

:func:`recommend` runs one profile; :func:`recommend_many` runs a portfolio with the same
selection over numpy arrays; :func:`decision_map` is a batch over a latency × budget grid.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from advisor.engine.conditions import ColumnTest, compile_columns, compile_condition
from advisor.engine.costs import CandidateTable, Columns, Workload, candidate_table
from advisor.engine.intervals import Spread, interval_columns, spread
from advisor.engine.training import KINDS as RUN_KINDS
from advisor.engine.training import cheapest_run_usd, variant_id
from advisor.errors import AnswersError, Problem
from advisor.model.answers import ENUM_FIELDS, RULES_CHOICE_FIELDS, Answers
from advisor.model.configuration import trusted
from advisor.model.result import (BrokenConstraint, Caveat, DecisionMap, Estimate, FiredRule,
                                  Objective, Recommendation, Scores, Shares, TableDifference,
                                  TableVote, TrainingAdvice)
from advisor.model.rules import SEVERITY_ORDER, Rule, RuleSet
from advisor.source.answers_file import parse_answers
from advisor.source.messages import did_you_mean

ENGINE_SOURCE = "advisor engine"
VERDICTS = ("inference_time", "training", "combined", "neither")
_EPS = 1e-9


# --- rules as inputs -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CompiledRules:
    """The rules as arrays and closures, built once per rule set."""

    rules: tuple[Rule, ...]
    tests: tuple[Any, ...]
    column_tests: tuple[ColumnTest, ...]
    excluded: np.ndarray             # (rules, strategies): rule excludes strategy
    requires_calibration: np.ndarray  # (rules,)
    gain_factor: np.ndarray           # (rules,): 1 where the rule does not adjust quality
    push_inference: np.ndarray        # (rules,)
    push_training: np.ndarray         # (rules,)
    fired_models: tuple[FiredRule, ...]
    caveats: tuple[Caveat | None, ...]
    adjusts: bool
    cheapest_fine_tune_usd: float | None


def describe_effects(rule: Rule) -> list[str]:
    """What a rule does, in words: "table vote: training ×2", "excludes tree_search", ..."""
    effects = []
    if rule.push:
        effects.append(f"table vote: {rule.push.replace('_', '-')} ×{rule.weight:g}")
    if rule.exclude:
        effects.append("excludes " + ", ".join(rule.exclude))
    if rule.require:
        effects.append("requires " + ", ".join(rule.require))
    if rule.inference_gain is not None:
        effects.append(f"scales inference-time gains ×{rule.inference_gain:g}")
    if rule.caveat:
        effects.append("adds a caveat")
    return effects


def compile_rules(rules: RuleSet) -> CompiledRules:
    """The rule set's rules compiled for the engine (cached on the rule set)."""
    def build() -> CompiledRules:
        strategy_ids = [s.id for s in rules.strategies]
        excluded = np.array([[sid in rule.exclude for sid in strategy_ids]
                             for rule in rules.rules], dtype=bool).reshape(len(rules.rules),
                                                                            len(strategy_ids))
        return CompiledRules(
            rules=tuple(rules.rules),
            tests=tuple(compile_condition(rule.when) for rule in rules.rules),
            column_tests=tuple(compile_columns(rule.when) for rule in rules.rules),
            excluded=excluded,
            requires_calibration=np.array(["calibrated" in r.require for r in rules.rules],
                                          dtype=bool),
            gain_factor=np.array([1.0 if r.inference_gain is None else r.inference_gain
                                  for r in rules.rules]),
            push_inference=np.array([r.weight if r.push == "inference_time" else 0.0
                                     for r in rules.rules]),
            push_training=np.array([r.weight if r.push == "training" else 0.0
                                    for r in rules.rules]),
            fired_models=tuple(FiredRule(id=r.id, because=r.because, source=r.source,
                                         effects=describe_effects(r)) for r in rules.rules),
            caveats=tuple(Caveat(text=r.caveat, rule_id=r.id, source=r.source,
                                 severity=r.severity) if r.caveat
                          else None for r in rules.rules),
            adjusts=any(r.inference_gain is not None for r in rules.rules),
            cheapest_fine_tune_usd=cheapest_run_usd(rules))
    return rules.memo(("compiled",), build)


def condition_values(values: Mapping[str, Any], compiled: CompiledRules) -> dict[str, Any]:
    """The answers plus the derived values rule conditions may test."""
    cheapest = compiled.cheapest_fine_tune_usd
    return {**values, "training_run_feasible": cheapest is not None
            and values["training_budget_usd"] >= cheapest}


def fire(rules: RuleSet, answers: Mapping[str, Any]) -> list[Rule]:
    """The rules whose condition holds, in file order."""
    return [rules.rules[i] for i in np.flatnonzero(firing(rules, answers).fired)]


def verdict_for(scores: Scores, margin: float) -> str | None:
    """What the table's pushes say: ``combined`` when within ``margin`` of their sum."""
    total = scores.inference_time + scores.training
    if total == 0:
        return None
    if abs(scores.inference_time - scores.training) <= margin * total:
        return "combined"
    return "inference_time" if scores.inference_time > scores.training else "training"


def score(fired: list[Rule]) -> Scores:
    """Sum of the weights pushing each way."""
    totals = {"inference_time": 0.0, "training": 0.0}
    for rule in fired:
        if rule.push:
            totals[rule.push] += rule.weight
    return Scores(**totals)


# --- selection over arrays -----------------------------------------------------------------------

@dataclass(frozen=True)
class Profiles:
    """Budgets and rule effects of n profiles that share one candidate table."""

    latency: np.ndarray
    budget: np.ndarray
    training_budget: np.ndarray
    queries_per_day: np.ndarray
    excluded: np.ndarray              # (n, strategies)
    requires_calibration: np.ndarray  # (n,)

    def __len__(self) -> int:
        return len(self.latency)


@dataclass(frozen=True)
class Selection:
    """What the objective picks for each of n profiles (indices into the candidate table)."""

    chosen: np.ndarray
    baseline: np.ndarray
    best_quality: np.ndarray
    feasible: np.ndarray
    over_latency: np.ndarray
    over_budget: np.ndarray
    needs_training: np.ndarray
    all_excluded: np.ndarray


def _lexargmin(mask: np.ndarray, primary: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Per row, the masked column with the smallest ``primary``, then the smallest ``rank``."""
    values = np.where(mask, primary, np.inf)
    low = values.min(axis=1, keepdims=True)
    tied = mask & (values <= low + np.abs(low) * 1e-12)
    return np.where(tied, rank, _NO_RANK).argmin(axis=1)


_NO_RANK = np.iinfo(np.int64).max


def amortising_volume(queries_per_day: Any, horizon_days: float) -> Any:
    """The queries a one-time training cost is spread over: the horizon's, and at least one.

    Why at least one: with no traffic the first query bears the whole run, so options still
    compare on a finite cost (cheaper run first, then cheaper queries) instead of all tying at
    infinity.
    """
    return np.maximum(np.asarray(queries_per_day, dtype=float) * horizon_days, 1.0)


def amortised_cost(table: CandidateTable, queries_per_day: np.ndarray, horizon_days: float,
                   columns: Columns | None = None) -> np.ndarray:
    """Cost per query with each one-time training cost spread over the horizon's queries.

    One row per value of ``queries_per_day`` (see :func:`amortising_volume`).
    """
    cost = table.cost if columns is None else columns.cost
    training = table.training_cost if columns is None else columns.training_cost
    volume = amortising_volume(queries_per_day, horizon_days)[:, None]
    if not training.any():
        return np.broadcast_to(cost, (len(volume), len(cost)))
    return cost + training / volume


class _Classes(NamedTuple):
    """What the rules and the training budget allow, per class of profiles (:func:`_classes`).

    Each mask is (classes, m); ``allowed`` is both at once. A calibration requirement is the
    table's: where a rule requires it, every candidate of the table is calibrated.
    """

    rules_allow: np.ndarray
    trainable: np.ndarray
    allowed: np.ndarray
    of: np.ndarray            # the class of every profile
    all_excluded: np.ndarray  # whether the rules exclude everything, per class


def _classes(columns: Columns, table: CandidateTable, profiles: Profiles) -> _Classes:
    """What the rules and the training budget allow, per class of profiles alike in both.

    Returns:
        rules allow, trainable and both (each (classes, m)); the class of every profile;
        whether the rules exclude everything, per class.

    Why classes: in a batch most profiles share their exclusions and affordable runs, so the
    (profiles × candidates) masks are built once per class and gathered.
    """
    affordable = np.searchsorted(table.run_costs, profiles.training_budget, side="right")
    bits = profiles.excluded.astype(np.int64) @ (1 << np.arange(profiles.excluded.shape[1],
                                                                dtype=np.int64))
    first, of = _groups(bits * (len(table.run_costs) + 1) + affordable)
    rules_allow = ~profiles.excluded[first][:, columns.strategy_index]
    all_excluded = ~rules_allow.any(axis=1)
    rules_allow |= all_excluded[:, None]
    trainable = columns.training_cost[None, :] <= profiles.training_budget[first][:, None]
    return _Classes(rules_allow, trainable, rules_allow & trainable, of.reshape(-1),
                    all_excluded)


def _groups(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the first row of each distinct value of ``key``, in ascending order of the values; the
    group of every row): ``np.unique``'s index and inverse.

    Why the shortcut: what-would-change probes mostly share one value, and np.unique sorts.
    """
    if len(key) == 0 or (key == key[0]).all():
        return np.zeros(min(len(key), 1), dtype=np.int64), np.zeros(len(key), dtype=np.int64)
    _, first, of = np.unique(key, return_index=True, return_inverse=True)
    return first, of.reshape(-1)


def _subset(cols: Columns, keep: np.ndarray) -> Columns:
    return Columns(cols.index[keep], cols.cost[keep], cols.latency[keep], cols.quality[keep],
                   cols.rank[keep], cols.strategy_index[keep], cols.training_cost[keep])


def _best_in(pool: np.ndarray, cols: Columns, amortised: np.ndarray, tolerance: float
             ) -> tuple[np.ndarray, np.ndarray]:
    """(chosen column, best quality) per row: the cheapest within the tolerance of the best."""
    best = np.where(pool, cols.quality, -np.inf).max(axis=1)
    window = pool & (cols.quality >= (best - tolerance - _EPS)[:, None])
    return _lexargmin(window, amortised, cols.rank), best


def select(table: CandidateTable, profiles: Profiles, *, tolerance: float,
           horizon_days: float, columns: Columns | None = None) -> Selection:
    """Apply the objective (module docstring) to n profiles at once.

    Args:
        table: the candidate table the profiles share.
        profiles: budgets and rule effects of the n profiles.
        tolerance: quality within which options count as equal (the cheapest of them wins).
        horizon_days: days over which a one-time training cost is spread.
        columns: the candidates to consider (the table's pruned columns); all when None.

    Returns:
        The chosen candidate, the baseline and the flags of every profile.

    Why two passes: most profiles find an allowed option within their budgets, and that
    search only needs the columns some profile's rules allow; the rest (requirements that
    fail, nothing fits) are worked out on all columns for those profiles alone.
    """
    cols = columns or Columns.of(table, np.arange(len(table)))
    classes = _classes(cols, table, profiles)
    first, volume_of = _groups(profiles.queries_per_day)
    spend = _Spend(table, profiles.queries_per_day[first], volume_of, horizon_days)
    chosen, best, feasible = _choose_within_budgets(cols, classes, profiles, spend, tolerance)
    needs_training = np.zeros(len(profiles), dtype=bool)
    out = np.flatnonzero(~feasible)
    if len(out):
        chosen[out], best[out], needs_training[out] = _choose_out_of_reach(
            out, cols, classes, profiles, spend, tolerance)
    return Selection(chosen=cols.index[chosen], baseline=_baseline(table, profiles),
                     best_quality=best, feasible=feasible,
                     over_latency=cols.latency[chosen] > profiles.latency,
                     over_budget=cols.cost[chosen] > profiles.budget,
                     needs_training=needs_training, all_excluded=classes.all_excluded[classes.of])


@dataclass(frozen=True)
class _Spend:
    """Amortised cost per query for each profile's query volume (see :func:`amortised_cost`)."""

    table: CandidateTable
    volumes: np.ndarray
    volume_of: np.ndarray
    horizon_days: float

    def amortised(self, cols: Columns, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """(rows × columns) amortised cost of ``cols`` for the profiles at ``rows``."""
        cost = amortised_cost(self.table, self.volumes, self.horizon_days, cols)
        return cost[self.volume_of[rows]]


def _choose_within_budgets(cols: Columns, classes: _Classes, profiles: Profiles, spend: _Spend,
                           tolerance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(chosen column, best quality, feasible) per profile among allowed options that fit.

    Only the columns some class allows are searched; a profile with none that fits is left
    infeasible (column 0, quality -inf) for :func:`_choose_out_of_reach`.
    """
    n = len(profiles)
    allowed = classes.allowed
    active = np.flatnonzero(allowed.any(axis=0))
    if not len(active):
        return np.zeros(n, dtype=np.int64), np.full(n, -np.inf), np.zeros(n, dtype=bool)
    sub = _subset(cols, active)
    pool = allowed[:, active][classes.of] & (sub.latency <= profiles.latency[:, None]) \
        & (sub.cost <= profiles.budget[:, None])
    picked, best = _best_in(pool, sub, spend.amortised(sub), tolerance)
    return active[picked], best, pool.any(axis=1)


def _choose_out_of_reach(rows: np.ndarray, cols: Columns, classes: _Classes, profiles: Profiles,
                         spend: _Spend, tolerance: float
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(chosen column, best quality, needs training) for infeasible ``rows``.

    A calibration requirement no option within the training budget meets: show what meeting
    it takes (the least one-time spend, over the training budget); otherwise, and when nothing
    fits at all, the allowed option that overshoots the budgets least.
    """
    fits = (cols.latency <= profiles.latency[rows, None]) \
        & (cols.cost <= profiles.budget[rows, None])
    klass = classes.of[rows]
    untrainable = _least_training(classes.rules_allow[klass] & fits, cols.training_cost)
    needs_training = profiles.requires_calibration[rows] & untrainable.any(axis=1)
    pool = np.where(needs_training[:, None], untrainable, False)
    amortised = spend.amortised(cols, rows)
    fallback, fallback_best = _best_in(pool, cols, amortised, tolerance)
    closest = _least_over_budgets(rows, cols, classes, profiles, amortised)
    return (np.where(needs_training, fallback, closest),
            np.where(needs_training, fallback_best, cols.quality[closest]), needs_training)


def _least_training(pool: np.ndarray, training_cost: np.ndarray) -> np.ndarray:
    """``pool`` kept to its options with the least one-time cost, per row (or for one row)."""
    cost = np.where(pool, training_cost, np.inf)
    least = cost.min(axis=-1, keepdims=True)
    return pool & (training_cost <= least + 1e-9)


def _least_over_budgets(rows: np.ndarray, cols: Columns, classes: _Classes, profiles: Profiles,
                        amortised: np.ndarray) -> np.ndarray:
    """Per profile at ``rows``, the allowed column that overshoots the budgets least.

    Overshoot is the log-ratio over each budget, summed; ties go to the best quality, then
    the cheapest. Options the training budget or a requirement rule out count only when
    nothing else is allowed.
    """
    with np.errstate(divide="ignore"):
        over = (np.log(np.maximum(cols.cost / np.maximum(profiles.budget[rows, None], 1e-12),
                                  1.0))
                + np.log(np.maximum(cols.latency / profiles.latency[rows, None], 1.0)))
    klass = classes.of[rows]
    allowed = classes.allowed[klass]
    candidates = np.where(allowed.any(axis=1)[:, None], allowed, classes.rules_allow[klass])
    over = np.where(candidates, np.round(over, 9), np.inf)
    nearest = candidates & (over <= over.min(axis=1, keepdims=True))
    top = np.where(nearest, cols.quality, -np.inf).max(axis=1, keepdims=True)
    return _lexargmin(nearest & (cols.quality >= top), amortised, cols.rank)


def _baseline(table: CandidateTable, profiles: Profiles) -> np.ndarray:
    """Per profile, the table index of the cheapest base-tier single answer that fits (of all
    of them when none fits)."""
    base = table.baselines
    base_fits = ((base.latency <= profiles.latency[:, None])
                 & (base.cost <= profiles.budget[:, None]))
    base_pool = np.where(base_fits.any(axis=1)[:, None], base_fits, True)
    return base.index[_lexargmin(base_pool, np.broadcast_to(base.cost, base_pool.shape),
                                 base.rank)]


def _shares(tier, tune, infer, margin: float, run):
    """(training share, inference share, verdict index) of the positive parts of a gain.

    A configuration with a training run (``run``) is never called inference-time alone: it
    spends on both sides, so where inference-time compute adds most of the gain it is combined.

    Works on numpy arrays and on numpy scalars alike, so one profile and a batch round and
    compare in exactly the same arithmetic.
    """
    training = np.maximum(tier, 0) + np.maximum(tune, 0)
    inference = np.maximum(infer, 0)
    total = training + inference
    has_gain = total > _EPS
    training_share = np.where(has_gain, training / np.where(has_gain, total, 1), 0.0)
    inference_share = np.where(has_gain, 1 - training_share, 0.0)
    verdict = np.where(~has_gain, 3, np.where(inference_share < margin, 1,
                                              np.where((training_share < margin) & ~run, 0, 2)))
    return np.round(training_share, 4), np.round(inference_share, 4), verdict


@dataclass(frozen=True)
class Split:
    """The gain over the baseline split by where it comes from (arrays, or numbers for one)."""

    gain: Any
    tier_gain: Any
    fine_tune_gain: Any
    inference_gain: Any
    shorter_answer_gain: Any
    training_share: Any
    inference_share: Any
    verdict: Any  # index into VERDICTS


def _round4(value: float) -> float:
    """``np.round(value, 4)`` for one number: the same multiply, round-half-even and divide."""
    return round(value * 10000.0) / 10000.0


def split_one(table: CandidateTable, chosen: int, baseline: int, margin: float) -> Split:
    """:func:`split_gain` for one profile, in plain floats with numpy's rounding."""
    base = float(table.trained_quality[baseline])
    tier_trained = float(table.tier_trained_quality[chosen])
    trained, quality = float(table.trained_quality[chosen]), float(table.quality[chosen])
    cut = float(table.shorter_answer[chosen])
    tier, tune = _round4(tier_trained - base), _round4(trained - tier_trained)
    infer, gain = _round4(quality - trained - cut), _round4(quality - base)
    cut = _round4(cut)
    training = max(tier, 0.0) + max(tune, 0.0)
    inference = max(infer, 0.0)
    total = training + inference
    if not total > _EPS:
        return Split(gain, tier, tune, infer, cut, 0.0, 0.0, 3)
    training_share = training / total
    inference_share = 1 - training_share
    run = bool(table.fine_tuned[chosen])
    verdict = (1 if inference_share < margin else 0 if training_share < margin and not run
               else 2)
    return Split(gain, tier, tune, infer, cut, _round4(training_share), _round4(inference_share),
                 verdict)


def split_gain(table: CandidateTable, chosen: np.ndarray, baseline: np.ndarray, margin: float
               ) -> Split:
    """Shares of the gain and the verdict they imply, for a batch of chosen and baseline indices
    (see :class:`~advisor.model.result.Shares`)."""
    base = table.trained_quality[baseline]
    tier_trained, trained = table.tier_trained_quality[chosen], table.trained_quality[chosen]
    cut = table.shorter_answer[chosen]
    tier, tune, infer, gain, cut = np.round(np.array([
        tier_trained - base, trained - tier_trained, table.quality[chosen] - trained - cut,
        table.quality[chosen] - base, cut]), 4)
    training_share, inference_share, verdict = _shares(tier, tune, infer, margin,
                                                       table.fine_tuned[chosen])
    return Split(gain, tier, tune, infer, cut, training_share, inference_share, verdict)


def gain_factor(compiled: CompiledRules, fired: np.ndarray) -> float:
    """Product of the fired rules' ``inference_gain`` adjustments (1 when none fires)."""
    return float(np.prod(compiled.gain_factor[fired])) if compiled.adjusts & fired.any() else 1.0


# --- one profile ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Masks:
    """What the rules and the training budget allow among a table's pruned candidates."""

    rules_allow: np.ndarray
    trainable: np.ndarray
    allowed: np.ndarray
    all_excluded: bool


def _masks(table: CandidateTable, excluded: np.ndarray, training_budget: float) -> Masks:
    """The masks of one class of profiles, cached on the table."""
    # bisect on a list: np.searchsorted's call cost more than the search.
    affordable = bisect.bisect_right(_run_costs(table), training_budget)

    def build() -> Masks:
        cols = table.pruned
        rules_allow = ~excluded[cols.strategy_index]
        all_excluded = not rules_allow.any()
        if all_excluded:
            rules_allow = np.ones_like(rules_allow)
        trainable = cols.training_cost <= training_budget
        return Masks(rules_allow, trainable, rules_allow & trainable, all_excluded)

    return table.memo((excluded.tobytes(), affordable), build)


def _run_costs(table: CandidateTable) -> list[float]:
    return table.memo(("run-costs",), table.run_costs.tolist)


def _lexargmin_one(mask: np.ndarray, primary: np.ndarray, rank: np.ndarray) -> int:
    """:func:`_lexargmin` for one row."""
    values = np.where(mask, primary, np.inf)
    low = values.min()
    tied = mask & (values <= low + abs(low) * 1e-12)
    return int(np.where(tied, rank, _NO_RANK).argmin())


@dataclass(frozen=True)
class Choice:
    """What the objective picks for one profile (indices into the candidate table)."""

    chosen: int
    baseline: int
    best_quality: float
    feasible: bool
    needs_training: bool
    all_excluded: bool


def select_one(table: CandidateTable, masks: Masks, *, latency: float, budget: float,
               queries_per_day: float, requires: bool, tolerance: float,
               horizon_days: float) -> Choice:
    """:func:`select` for one profile: the same steps on one row, with fewer array operations.

    Why a second form: ``recommend`` runs once per question the app or the CLI is asked, and
    the batch machinery (classes, gathers) costs more than the selection itself for one row.
    """
    cols = table.pruned
    quality = cols.quality
    fits = (cols.latency <= latency) & (cols.cost <= budget)
    pool = masks.allowed & fits
    feasible = bool(pool.any())
    has_pool = feasible
    needs_training = False
    if not feasible:
        untrainable = _least_training(masks.rules_allow & fits, cols.training_cost)
        needs_training = requires and bool(untrainable.any())
        pool = untrainable if needs_training else pool
        has_pool = needs_training
    amortised = _amortised_one(table, queries_per_day, horizon_days)
    if has_pool:
        pooled = np.where(pool, quality, -np.inf)
        best = float(pooled.max())
        window = np.flatnonzero(pooled >= best - tolerance - _EPS)
        costs = amortised[window]
        low = costs.min()
        tied = window[costs <= low + abs(low) * 1e-12]
        chosen = int(tied[cols.rank[tied].argmin()]) if len(tied) > 1 else int(tied[0])
    else:
        with np.errstate(divide="ignore"):
            over = (np.log(np.maximum(cols.cost / max(budget, 1e-12), 1.0))
                    + np.log(np.maximum(cols.latency / latency, 1.0)))
        candidates = masks.allowed if masks.allowed.any() else masks.rules_allow
        over = np.where(candidates, np.round(over, 9), np.inf)
        nearest = candidates & (over <= over.min())
        top = quality[nearest].max()
        chosen = _lexargmin_one(nearest & (quality >= top), amortised, cols.rank)
        best = float(quality[chosen])
    # The baseline: the first of the single answers, cheapest first, that fits; else the
    # cheapest (the same order _lexargmin gives over cost, then rank).
    base = table.baselines_by_cost
    fits_base = (base.latency <= latency) & (base.cost <= budget)
    baseline = int(base.index[fits_base.argmax()])
    return Choice(int(cols.index[chosen]), baseline, best, feasible, needs_training,
                  masks.all_excluded)


def _amortised_one(table: CandidateTable, queries_per_day: float, horizon_days: float
                   ) -> np.ndarray:
    """The pruned candidates' amortised cost at one volume (cached on the table)."""
    key = ("amortised", queries_per_day, horizon_days)
    found = table.cache.get(key)
    if found is None:
        found = amortised_cost(table, np.array([queries_per_day], dtype=float), horizon_days,
                               table.pruned)[0]
        if len(table.cache) < 512:  # a long-running app sees many volumes: keep the cache small
            table.cache[key] = found
    return found


@dataclass(frozen=True)
class Decision:
    """Everything the engine worked out for one profile, before it is turned into a result."""

    values: dict[str, Any]
    table: CandidateTable
    compiled: CompiledRules
    fired: np.ndarray
    excluded: np.ndarray
    requires_calibration: bool
    choice: Choice
    split: Split

    @property
    def chosen(self) -> int:
        return self.choice.chosen

    @property
    def baseline(self) -> int:
        return self.choice.baseline

    @property
    def verdict(self) -> str:
        return VERDICTS[int(self.split.verdict)]


@dataclass(frozen=True)
class Firing:
    """Which rules fire for one profile and what follows from them: the strategies they
    exclude, whether they require calibration, their inference-gain factor."""

    fired: np.ndarray
    excluded: np.ndarray
    requires_calibration: bool
    gain: float


def firing(rules: RuleSet, values: Mapping[str, Any]) -> Firing:
    """The rules' :class:`Firing` for ``values``, built once per pattern of fired rules.

    Why cached by pattern: profiles share a handful of patterns, and turning one into arrays
    took longer than testing every rule.
    """
    compiled = compile_rules(rules)
    answers = condition_values(values, compiled)
    pattern = tuple([test(answers) for test in compiled.tests])

    def build() -> Firing:
        fired = np.array(pattern, dtype=bool)
        return Firing(fired, compiled.excluded[fired].any(axis=0),
                      bool(compiled.requires_calibration[fired].any()),
                      gain_factor(compiled, fired))

    return rules.memo(("firing", pattern), build)


def table_for(rules: RuleSet, values: Mapping[str, Any], gain: float,
              calibrated_only: bool = False) -> CandidateTable:
    """The candidate table of ``values``' workload (:meth:`Workload.of`), found by the answers
    it depends on.

    Why not by the Workload itself: building one and comparing it field by field, on every
    recommendation, cost more than the rest of the lookup.
    """
    key = ("table-for", *(values.get(name) for name in WORKLOAD_FIELDS), gain, calibrated_only)
    return rules.memo(key, lambda: candidate_table(rules, Workload.of(
        rules, values, gain, calibrated_only=calibrated_only)))


def decide(rules: RuleSet, values: Mapping[str, Any]) -> Decision:
    """Run the objective for one profile given as validated answer values."""
    compiled = compile_rules(rules)
    fired_rules = firing(rules, values)
    fired, excluded = fired_rules.fired, fired_rules.excluded
    requires = fired_rules.requires_calibration
    table = table_for(rules, values, fired_rules.gain, requires)
    settings = rules.settings
    masks = _masks(table, excluded, values["training_budget_usd"])
    choice = select_one(table, masks, latency=values["latency_budget_s"],
                        budget=values["budget_per_query_usd"],
                        queries_per_day=values["queries_per_day"], requires=requires,
                        tolerance=settings.quality_tolerance, horizon_days=settings.horizon_days)
    split = split_one(table, choice.chosen, choice.baseline, settings.combined_margin)
    return Decision(dict(values), table, compiled, fired, excluded, requires, choice, split)


def validated_answers(answers: Answers | Mapping[str, Any], rules: RuleSet, *,
                      path: str = "<answers>", line: int = 0, explicit: bool = True) -> Answers:
    """``answers`` as :class:`Answers`, validating a mapping, and checked against ``rules``.

    With ``explicit``, an empty difficulty becomes the task type's default level.

    Raises:
        AnswersError: a bad field, or a difficulty or measured model the rules do not know.
    """
    if not isinstance(answers, Answers):
        # Why not dict() everything: a list or None must reach parse_answers' friendly message.
        answers = parse_answers(dict(answers) if isinstance(answers, Mapping) else answers,
                                path=path, lines={(): line} if line else None)
    if answers.difficulty is not None or answers.measured_model is not None:
        problems = rules_problems(answers, rules)
        if problems:
            raise AnswersError([Problem(path, line, message) for message in problems])
    if explicit and answers.difficulty is None:
        # Why explicit: a result read months later must say which level it was estimated at,
        # even if the rules' default level changes.
        answers = answers.model_copy(update={
            "difficulty": rules.tasks[answers.task_type].default_difficulty})
    return answers


def rules_problems(answers: Answers, rules: RuleSet) -> list[str]:
    """What in ``answers`` the rules do not know: a difficulty level or a measured model."""
    problems = []
    task = rules.tasks[answers.task_type]
    levels = [level.id for level in task.difficulties]
    if answers.difficulty is not None and answers.difficulty not in levels:
        problems.append(f"'difficulty' has no level {answers.difficulty!r} for "
                        f"{answers.task_type.value}; levels: {', '.join(levels)}")
    models = [m.id for m in rules.models]
    if answers.measured_model is not None and answers.measured_model not in models:
        problems.append(f"'measured_model' {answers.measured_model!r} is not a model tier"
                        f"{did_you_mean(answers.measured_model, models)}; tiers: "
                        f"{', '.join(models)}")
    return problems


def recommend(answers: Answers | Mapping[str, Any], rules: RuleSet, *,
              ranges: bool = False) -> Recommendation:
    """Recommend a configuration, and the paradigm it implies, for ``answers`` under ``rules``.

    Args:
        answers: an :class:`Answers` or a mapping that validates into one.
        rules: a loaded :class:`RuleSet` (see :func:`advisor.load_rules`).
        ranges: give every estimate its likely range from the rules' assumed ranges (as
            :func:`advisor.analyse` does; the first call per workload samples the rules).

    Returns:
        The :class:`Recommendation`; the same inputs always give the same result. Its
        ``estimates`` (every candidate) are built when first read.

    Raises:
        AnswersError: ``answers`` is a mapping with bad or unknown fields.
    """
    answers = validated_answers(answers, rules)
    return build_recommendation(decide(rules, answers.model_dump()), answers, rules,
                                ranges=ranges)


# --- the result ----------------------------------------------------------------------------------


def _fixed_fields(table: CandidateTable, spread_: Spread | None) -> list[dict[str, Any]]:
    """Per candidate, the estimate's fields that no budget changes: configuration, figures and
    (with ranges) their rounded intervals; cached on the table."""
    def build() -> list[dict[str, Any]]:
        index = np.arange(len(table))
        found = [{**table.configuration(i), "calls": calls, "tokens_per_query": tokens,
                  "cost_usd": cost, "latency_s": latency, "first_token_s": first,
                  "expected_quality": quality, "trained_quality": trained,
                  "one_time_cost_usd": one_time}
                 for i, calls, tokens, cost, latency, first, quality, trained, one_time in zip(
                     index.tolist(), table.calls.astype(int).tolist(), table.tokens.tolist(),
                     table.cost.tolist(), table.answer_latency.tolist(),
                     table.first_token_latency.tolist(), table.quality.tolist(),
                     table.trained_quality.tolist(), table.training_cost.tolist())]
        ranges = interval_columns(spread_, index)
        if ranges is not None:
            for fields, q_low, q_high, c_low, c_high, l_low, l_high, f_low, f_high in zip(
                    found, *ranges):
                fields.update(expected_quality_low=round(q_low, 4),
                              expected_quality_high=round(q_high, 4),
                              cost_usd_low=round(c_low, 9), cost_usd_high=round(c_high, 9),
                              latency_s_low=round(l_low, 4), latency_s_high=round(l_high, 4),
                              first_token_s_low=round(f_low, 4),
                              first_token_s_high=round(f_high, 4))
        return found

    return table.memo(("estimate-fields", spread_ is not None), build)


def _cost_range(table: CandidateTable, spread_: Spread) -> tuple[list[float], list[float]]:
    """Every candidate's cost interval as lists (cached on the table)."""
    return table.memo(("cost-range",),
                      lambda: (spread_.cost[0].tolist(), spread_.cost[1].tolist()))


def per_correct(cost: float, quality: float) -> float | None:
    """Expected dollars per correct answer: what one query costs ÷ the chance it is right."""
    return round(cost / quality, 9) if quality > 1e-9 else None


class CandidateView:
    """Budget-dependent figures of every candidate for one decision, computed when first read.

    Why lazy: the headline needs two candidates; the estimates list, the table's reasons and
    the break-even need all of them, and only some callers read those.
    """

    def __init__(self, decision: Decision, rules: RuleSet, *, ranges: bool = False):
        self.decision, self.table = decision, decision.table
        self.settings = rules.settings
        self._excluding: dict[str, str] | None = None
        self._rules, self._ranges = rules, ranges

    @cached_property
    def spread(self) -> Spread | None:
        """Every candidate's intervals, when asked for (they cost a table per draw)."""
        return spread(self._rules, self.table.workload) if self._ranges else None

    @cached_property
    def amortised(self) -> np.ndarray:
        qpd = np.array([self.decision.values["queries_per_day"]], dtype=float)
        return np.round(amortised_cost(self.table, qpd, self.settings.horizon_days)[0], 9)

    @cached_property
    def fits_latency(self) -> np.ndarray:
        return self.table.latency <= self.decision.values["latency_budget_s"]

    @cached_property
    def fits_budget(self) -> np.ndarray:
        return self.table.cost <= self.decision.values["budget_per_query_usd"]

    @cached_property
    def rules_allow(self) -> np.ndarray:
        d = self.decision
        return ~d.excluded[self.table.strategy_index] | d.choice.all_excluded

    @cached_property
    def trainable(self) -> np.ndarray:
        return self.table.training_cost <= self.decision.values["training_budget_usd"]

    @cached_property
    def available(self) -> np.ndarray:
        return self.rules_allow & self.trainable

    def reason(self, index: int) -> str | None:
        """Why a candidate is not available, or None."""
        table = self.table
        if not self.rules_allow[index]:
            if self._excluding is None:
                self._excluding = {}
                for rule, on in zip(self.decision.compiled.rules, self.decision.fired):
                    for sid in rule.exclude if on else ():
                        self._excluding.setdefault(sid, rule.id)
            return f"excluded by rule {self._excluding.get(table.strategy_ids[index], '?')}"
        if not self.trainable[index]:
            return (f"its one-time run costs ${table.training_cost[index]:,.0f}, over the "
                    f"${self.decision.values['training_budget_usd']:,.0f} training budget")
        return None

    def estimate(self, index: int) -> Estimate:
        return self.estimates([index])[0]

    def all(self) -> list[Estimate]:
        return self.estimates(np.arange(len(self.table)))

    def estimates(self, indices: Sequence[int] | np.ndarray) -> list[Estimate]:
        """The estimates of the candidates at ``indices``, in that order.

        Why in bulk, on cached figures: the cost chart reads every estimate on each edit, and
        building them one by one from numpy scalars was half the app's time per edit. What does
        not depend on the budgets is built once per candidate table (:func:`_fixed_fields`).
        """
        values, table, settings = self.decision.values, self.table, self.settings
        index = np.asarray(indices, dtype=np.int64)
        fixed = _fixed_fields(table, self.spread)
        qpd = values["queries_per_day"]
        volume = float(amortising_volume(qpd, settings.horizon_days))
        month = qpd * settings.days_per_month
        cost, training = table.cost[index], table.training_cost[index]
        amortised = np.where(training == 0, cost, np.round(cost + training / volume, 9))
        fits_latency = (table.latency[index] <= values["latency_budget_s"]).tolist()
        fits_budget = (cost <= values["budget_per_query_usd"]).tolist()
        ranged = self.spread is not None
        cost_range = _cost_range(table, self.spread) if ranged else None
        estimates = []
        monthly = monthly_cost_usd(cost, qpd, settings).tolist()
        for i, usd, spread_cost, per_month, on_time, in_budget, available in zip(
                index.tolist(), cost.tolist(), amortised.tolist(), monthly, fits_latency,
                fits_budget, self.available[index].tolist()):
            fields = {**fixed[i], "amortised_cost_usd": spread_cost,
                      "monthly_cost_usd": per_month,
                      "fits_latency": on_time, "fits_budget": in_budget,
                      "feasible": on_time and in_budget, "available": available,
                      "unavailable_reason": None if available else self.reason(i)}
            quality = fields["expected_quality"]
            fields["cost_per_correct_usd"] = per_correct(spread_cost, quality)
            if ranged:  # from the unrounded cost range, as the figures above
                c_low, c_high = cost_range[0][i], cost_range[1][i]
                once = spread_cost - usd
                fields.update(monthly_cost_usd_low=round(c_low * month, 2),
                              monthly_cost_usd_high=round(c_high * month, 2),
                              cost_per_correct_usd_low=per_correct(
                                  c_low + once, fields["expected_quality_high"]),
                              cost_per_correct_usd_high=per_correct(
                                  c_high + once, fields["expected_quality_low"]))
            estimates.append(trusted(Estimate, fields))
        return estimates

    def broken(self, index: int) -> list[BrokenConstraint]:
        """The budgets and requirements candidate ``index`` does not meet."""
        values, table = self.decision.values, self.table
        broken = []
        if table.latency[index] > values["latency_budget_s"]:
            broken.append(BrokenConstraint(answer="latency_budget_s",
                                           needed=float(table.latency[index]),
                                           allowed=values["latency_budget_s"]))
        if table.cost[index] > values["budget_per_query_usd"]:
            broken.append(BrokenConstraint(answer="budget_per_query_usd",
                                           needed=float(table.cost[index]),
                                           allowed=values["budget_per_query_usd"]))
        if table.training_cost[index] > values["training_budget_usd"]:
            broken.append(BrokenConstraint(answer="training_budget_usd",
                                           needed=float(table.training_cost[index]),
                                           allowed=values["training_budget_usd"]))
        return broken


def side_mask(table: CandidateTable, baseline: int, side: str) -> np.ndarray:
    """Candidates that spend on one side only, against the baseline (cached on the table).

    ``training``: a fine-tune or a better-trained tier than the baseline, answering once with
    ordinary reasoning; ``inference_time``: inference-time compute on a base tier no better
    trained than the baseline.
    """
    def build() -> np.ndarray:
        better_trained = table.fine_tuned | (table.tier_trained_quality
                                             > table.trained_quality[baseline] + _EPS)
        return (better_trained & ~table.spends_inference if side == "training"
                else table.spends_inference & ~better_trained)

    return table.memo(("side", baseline, side), build)


def cheapest(view: CandidateView, mask: np.ndarray) -> int | None:
    """The candidate in ``mask`` with the lowest amortised cost, then rank."""
    if not mask.any():
        return None
    return _lexargmin_one(mask, view.amortised, view.table.rank)


def best_of(view: CandidateView, mask: np.ndarray) -> int | None:
    """The candidate in ``mask`` with the highest quality, then the cheapest."""
    if not mask.any():
        return None
    top = view.table.quality[mask].max()
    return cheapest(view, mask & (view.table.quality >= top))


def table_difference(view: CandidateView, verdict: str, table_verdict: str, target: float
                     ) -> TableDifference:
    """Why the verdict differs from the trade-off table's, as data for one sentence.

    Args:
        target: the quality an option on the table's side must reach to have been chosen
            instead (the objective's target, or just beyond the baseline for ``neither``).
    """
    if table_verdict == "combined" and verdict in ("training", "inference_time"):
        other = "inference_time" if verdict == "training" else "training"
        return TableDifference(reason="one_side_enough", side=other)
    if verdict == "combined":
        other = "inference_time" if table_verdict == "training" else "training"
        return TableDifference(reason="other_side_adds", side=other)
    sides = [table_verdict] if table_verdict != "combined" else ["training", "inference_time"]
    found = [_side_difference(view, side, target) for side in sides]
    order = {"breaks_constraints": 0, "costs_more": 1, "lower_quality": 2, "no_option": 3}
    return min(found, key=lambda f: (order[f.reason],
                                     f.option.amortised_cost_usd if f.option else 0.0))


def _side_difference(view: CandidateView, side: str, target: float) -> TableDifference:
    table = view.table
    options = side_mask(table, view.decision.baseline, side) & view.rules_allow
    if not options.any():
        return TableDifference(reason="no_option", side=side)
    reaching = options & (table.quality >= target - _EPS)
    if not reaching.any():
        return TableDifference(reason="lower_quality", side=side,
                               option=view.estimate(best_of(view, options)))
    index = cheapest(view, reaching)
    broken = view.broken(index)
    return TableDifference(reason="breaks_constraints" if broken else "costs_more", side=side,
                           option=view.estimate(index), broken=broken)


def training_route(table: CandidateTable, chosen: int, baseline: int) -> str | None:
    """Which kind of training a candidate spends against the baseline: ``run`` (a fine-tune,
    distillation or RL run you pay for once), ``bought`` (a better-trained tier, paid per
    token), or None. Every section reads a configuration's side from here."""
    if table.fine_tuned[chosen]:
        return "run"
    if table.tier_trained_quality[chosen] > table.trained_quality[baseline] + _EPS:
        return "bought"
    return None


def _training_advice(decision: Decision, chosen: Estimate, rules: RuleSet
                     ) -> TrainingAdvice | None:
    table = decision.table
    serving = table.serving(decision.chosen)
    route = training_route(table, decision.chosen, decision.baseline)
    if route is None and not serving.calibration:
        return None
    run = serving.run
    action = (RUN_KINDS[run.kind].action if run is not None
              else "calibration" if route is None else "larger_model")
    return TrainingAdvice.model_construct(
        action=action, route="bought" if route == "bought" else "run",
        model=serving.model_id, model_name=serving.model_name, base_model=serving.base_model,
        baseline_model=table.serving(decision.baseline).model_id,
        one_time_cost_usd=chosen.one_time_cost_usd,
        amortised_cost_usd=round(chosen.amortised_cost_usd - chosen.cost_usd, 9),
        training_budget_usd=decision.values["training_budget_usd"],
        run_name=run.option.name if run else None, run_size=run.size if run else None,
        run_unit=run.unit if run else None,
        teacher=run.option.teacher if run else None,
        teacher_name=rules.model(run.option.teacher).name
        if run and run.option.teacher else None,
        base_model_name=serving.tier.name if serving.base_model else None,
        teacher_usd=round(run.teacher_usd, 2) if run else 0.0,
        labels_usd=round(run.labels_usd, 2) if run else 0.0,
        calibrated=serving.calibration is not None,
        better_tier=bool(table.tier_trained_quality[decision.chosen]
                         > table.trained_quality[decision.baseline] + _EPS),
        larger_run_gains=_larger_run_gain(decision, rules))


def _larger_run_gain(decision: Decision, rules: RuleSet) -> float | None:
    """What the next size of the chosen run's option would add to the chosen configuration's
    quality, all else equal (None without a larger size)."""
    table, chosen = decision.table, decision.chosen
    serving = table.serving(chosen)
    run = serving.run
    if run is None:
        return None
    larger = [size for size in run.option.sizes if size > run.size]
    if not larger:
        return None
    wanted = variant_id(serving.tier.id, replace(run, size=larger[0]),
                        serving.calibration is not None)
    same = np.flatnonzero(
        (np.array([s.model_id for s in table.servings])[table.serving_index] == wanted)
        & (table.strategy_index == table.strategy_index[chosen])
        & (np.array([e == table.efforts[chosen] for e in table.efforts]))
        & np.array([p == table.parameters[chosen] for p in table.parameters]))
    if not len(same):
        return None
    return round(float(table.quality[same[0]] - table.quality[chosen]), 4)


def _engine_caveats(decision: Decision) -> list[Caveat]:
    choice = decision.choice
    caveats = []
    if choice.all_excluded:
        caveats.append(Caveat(text="The rules exclude every strategy for these answers, so the "
                                   "exclusions were ignored. Fix the rules: run "
                                   "`python -m advisor check`.", rule_id=None,
                              source=ENGINE_SOURCE, severity="high"))
    if choice.needs_training:
        caveats.append(Caveat(
            text="Confidence has to be calibrated on labelled held-out answers of your task, a "
                 "one-time run, and none fits the "
                 f"${decision.values['training_budget_usd']:,.0f} training budget: the "
                 "cheapest way to meet it is shown, with the training budget it needs.",
            rule_id=None, source=ENGINE_SOURCE, severity="high"))
    elif not choice.feasible:
        caveats.append(Caveat(text="No configuration fits both budgets; the recommendation is "
                                   "the closest option.", rule_id=None, source=ENGINE_SOURCE,
                              severity="high"))
    return caveats


def ranked(caveats: list[Caveat]) -> list[Caveat]:
    """``caveats`` most serious first; within a severity, the engine's own before the rules', in
    the rules file's order."""
    return sorted(caveats, key=lambda c: (SEVERITY_ORDER[c.severity], c.rule_id is not None))


def build_recommendation(decision: Decision, answers: Answers, rules: RuleSet, *,
                         ranges: bool = False) -> Recommendation:
    """Turn a :class:`Decision` into the :class:`Recommendation` every renderer reads.

    The fields are built when one is first read (:meth:`Recommendation.deferred`). With
    ``ranges``, every estimate carries its interval (:mod:`advisor.engine.intervals`).
    """
    view = CandidateView(decision, rules, ranges=ranges)
    return Recommendation.deferred(lambda: _fields(view, decision, answers, rules), view.all)


def _fields(view: CandidateView, decision: Decision, answers: Answers, rules: RuleSet) -> dict:
    settings, table, compiled = rules.settings, decision.table, decision.compiled
    choice, split, fired = decision.choice, decision.split, decision.fired
    chosen = view.estimate(choice.chosen)
    shares = Shares.model_construct(
        baseline=view.estimate(choice.baseline), gain=float(split.gain),
        tier_gain=float(split.tier_gain), fine_tune_gain=float(split.fine_tune_gain),
        inference_gain=float(split.inference_gain),
        shorter_answer_gain=float(split.shorter_answer_gain),
        training_share=float(split.training_share),
        inference_share=float(split.inference_share))
    tolerance = settings.quality_tolerance
    objective = Objective.model_construct(
        best_quality=choice.best_quality, quality_tolerance=tolerance,
        target_quality=round(choice.best_quality - tolerance, 4),
        horizon_days=settings.horizon_days)
    scores = Scores.model_construct(inference_time=float(compiled.push_inference @ fired),
                                    training=float(compiled.push_training @ fired))
    table_verdict = verdict_for(scores, settings.combined_margin)
    verdict = decision.verdict
    agrees = table_verdict is None or table_verdict == verdict
    difference = None
    if not agrees:
        target = (float(table.quality[choice.baseline]) + tolerance if verdict == "neither"
                  else objective.target_quality)
        difference = table_difference(view, verdict, table_verdict, target)
    fired_at = np.flatnonzero(fired)
    caveats = [compiled.caveats[i] for i in fired_at if compiled.caveats[i] is not None]
    configuration = table.configuration(choice.chosen)
    del configuration["fine_tuned"]  # the result names the model; `chosen` says if it is tuned
    return dict(
        verdict=verdict, shares=shares,
        table=TableVote.model_construct(verdict=table_verdict, scores=scores, agrees=agrees,
                                        difference=difference),
        **configuration, training=_training_advice(decision, chosen, rules),
        training_route=training_route(table, choice.chosen, choice.baseline),
        feasible=choice.feasible, latency_measure=latency_measure(table),
        broken_constraints=[] if choice.feasible else view.broken(choice.chosen),
        chosen=chosen, objective=objective,
        fired_rules=[compiled.fired_models[i] for i in fired_at],
        caveats=ranked(caveats + _engine_caveats(decision)), rules_version=rules.version,
        answers=answers, break_even=None, what_would_change=[], frontier=None)


def monthly_cost_usd(cost_per_query: Any, queries_per_day: Any, settings: Any) -> np.ndarray:
    """Cost per month at the answered volume, to the cent, elementwise.

    Why one function: the headline, the batch and what-would-change's turns all state a
    monthly cost, and two roundings (Python's and numpy's) can differ by a cent on the same
    figure.
    """
    return np.round(np.asarray(cost_per_query, dtype=float) * queries_per_day
                    * settings.days_per_month, 2)


def latency_measure(table: CandidateTable) -> str:
    """Which latency the budget applied to for ``table``'s workload: first_token when the
    answer streams, else whole_answer."""
    return "first_token" if table.workload.streaming else "whole_answer"


# --- many profiles -------------------------------------------------------------------------------

OUTPUT_COLUMNS = ("verdict", "training_route", "table_verdict", "strategy", "strategy_name",
                  "parameters", "thinking_effort", "model", "model_name", "first_stage",
                  "first_stage_name",
                  "escalation_share", "fine_tuned", "cost_usd",
                  "latency_s", "first_token_s", "latency_measure", "expected_quality",
                  "monthly_cost_usd", "one_time_cost_usd",
                  "amortised_cost_usd", "cost_per_correct_usd", "feasible", "training_share",
                  "inference_share",
                  "baseline_model", "baseline_quality")


def answer_columns(rows: Iterable[Answers]) -> dict[str, np.ndarray]:
    """Validated answers as one typed numpy array per field (strings, floats, booleans)."""
    return _typed_columns(_field_lists(rows))


def _field_lists(rows: Iterable[Answers]) -> dict[str, list[Any]]:
    """One list per answer field, enums as their values: what ``model_dump(mode="json")`` gives.

    Why not model_dump: a portfolio has 100,000 rows, and dumping each one was a tenth of the
    batch; the validated fields are already plain values.
    """
    fields = [a.__dict__ for a in rows]
    lists = {name: [row[name] for row in fields] for name in Answers.model_fields}
    for name in ENUM_FIELDS:
        lists[name] = [v.value for v in lists[name]]
    return lists


def _typed_columns(lists: Mapping[str, list[Any]]) -> dict[str, np.ndarray]:
    columns = {}
    for name, field in Answers.model_fields.items():
        items = lists[name]
        if name in ENUM_FIELDS:
            columns[name] = np.array(items, dtype=str)
        elif name in RULES_CHOICE_FIELDS:
            columns[name] = np.array(["" if v is None else v for v in items], dtype=object)
        elif field.annotation is bool:
            columns[name] = np.array(items, dtype=bool)
        else:
            columns[name] = np.array([0 if v is None else v for v in items], dtype=float)
    return columns


def decide_columns(rules: RuleSet, columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The objective over many profiles given as answer columns (see :func:`answer_columns`).

    Returns:
        One array per name in :data:`OUTPUT_COLUMNS`, row for row.
    """
    compiled = compile_rules(rules)
    settings = rules.settings
    n = len(columns["task_type"])
    cheapest_run = compiled.cheapest_fine_tune_usd
    condition_columns = {**columns, "training_run_feasible": (
        columns["training_budget_usd"] >= cheapest_run if cheapest_run is not None
        else np.zeros(n, dtype=bool))}
    fired = np.stack([test(condition_columns) for test in compiled.column_tests],
                     axis=1) if rules.rules else np.zeros((n, 0), dtype=bool)
    factor = np.prod(np.where(fired, compiled.gain_factor[None, :], 1.0), axis=1)
    excluded = (fired.astype(np.uint8) @ compiled.excluded.astype(np.uint8)) > 0
    requires = (fired & compiled.requires_calibration[None, :]).any(axis=1)
    scores_inf = fired.astype(float) @ compiled.push_inference
    scores_train = fired.astype(float) @ compiled.push_training
    out: dict[str, np.ndarray] = {name: np.empty(n, dtype=object) for name in OUTPUT_COLUMNS}
    for name in ("cost_usd", "latency_s", "first_token_s", "expected_quality", "monthly_cost_usd",
                 "one_time_cost_usd", "amortised_cost_usd", "cost_per_correct_usd",
                 "training_share", "inference_share",
                 "baseline_quality"):
        out[name] = np.zeros(n)
    for name in ("fine_tuned", "feasible"):
        out[name] = np.zeros(n, dtype=bool)
    total = scores_inf + scores_train
    lean = np.abs(scores_inf - scores_train) <= settings.combined_margin * total
    out["table_verdict"] = np.where(total == 0, None, np.where(
        lean, "combined", np.where(scores_inf > scores_train, "inference_time", "training")))

    for key, members in _workload_groups(columns, factor, requires).items():
        # Empty cells arrive as "" (text) and 0 (numbers): both mean "not given".
        values = {name: value or None for name, value in zip(WORKLOAD_FIELDS, key[:-2])}
        for name in ("prompt_tokens", "answer_tokens"):
            values[name] = values[name] and int(values[name])
        workload = Workload.of(rules, values, key[-2], calibrated_only=bool(key[-1]))
        table = candidate_table(rules, workload)
        for start in range(0, len(members), _CHUNK):
            rows = np.array(members[start:start + _CHUNK])
            _fill(out, rows, table, settings, Profiles(
                latency=columns["latency_budget_s"][rows],
                budget=columns["budget_per_query_usd"][rows],
                training_budget=columns["training_budget_usd"][rows],
                queries_per_day=columns["queries_per_day"][rows], excluded=excluded[rows],
                requires_calibration=requires[rows]))
    return out


_CHUNK = 2048
# The answers a candidate table depends on (with the rules' inference-gain factor).
WORKLOAD_FIELDS = ("task_type", "verifiability", "prompt_tokens", "answer_tokens", "difficulty",
                   "measured_model", "measured_accuracy", "measured_dispersion", "streaming",
                   "knowledge_source")


def _workload_groups(columns: Mapping[str, np.ndarray], factor: np.ndarray,
                     requires: np.ndarray) -> dict[tuple, list[int]]:
    """Rows by workload: ``(workload field values…, factor, calibrated only) → row numbers``.

    Why the shortcut: a decision map or a counterfactual probe varies budgets only, so every row
    shares one workload, and hashing a tuple per row would cost more than the selection.
    """
    parts = [*(columns[name] for name in WORKLOAD_FIELDS), factor, requires]
    if all(len(part) == 0 or (part == part[0]).all() for part in parts):
        return {tuple(part[0].item() if hasattr(part[0], "item") else part[0] for part in parts):
                list(range(len(factor)))} if len(factor) else {}
    groups: dict[tuple, list[int]] = {}
    for row, key in enumerate(zip(*(part.tolist() for part in parts))):
        groups.setdefault(key, []).append(row)
    return groups


def _fill(out: dict[str, np.ndarray], rows: np.ndarray, table: CandidateTable, settings,
          profiles: Profiles) -> None:
    selection = select(table, profiles, tolerance=settings.quality_tolerance,
                       horizon_days=settings.horizon_days, columns=table.pruned)
    split = split_gain(table, selection.chosen, selection.baseline, settings.combined_margin)
    chosen = selection.chosen
    spread = table.training_cost[chosen] / amortising_volume(profiles.queries_per_day,
                                                             settings.horizon_days)
    out["verdict"][rows] = np.array(VERDICTS, dtype=object)[split.verdict]
    bought = (table.tier_trained_quality[chosen]
              > table.trained_quality[selection.baseline] + _EPS)
    out["training_route"][rows] = np.where(table.fine_tuned[chosen], "run",
                                           np.where(bought, "bought", None))
    strategies = np.array([s.id for s in table.strategies], dtype=object)
    names = np.array([s.name for s in table.strategies], dtype=object)
    out["strategy"][rows] = strategies[table.strategy_index[chosen]]
    out["strategy_name"][rows] = names[table.strategy_index[chosen]]
    out["parameters"][rows] = [table.parameters[i] for i in chosen]
    out["thinking_effort"][rows] = [table.efforts[i] for i in chosen]
    serving_ids = np.array([s.model_id for s in table.servings], dtype=object)
    serving_names = np.array([s.model_name for s in table.servings], dtype=object)
    out["model"][rows] = serving_ids[table.serving_index[chosen]]
    out["model_name"][rows] = serving_names[table.serving_index[chosen]]
    out["first_stage"][rows] = [None if table.first_stages[i] is None
                                else table.first_stages[i].model_id for i in chosen]
    out["first_stage_name"][rows] = [None if table.first_stages[i] is None
                                     else table.first_stages[i].model_name for i in chosen]
    out["escalation_share"][rows] = [None if table.first_stages[i] is None
                                     else float(table.escalation[i]) for i in chosen]
    out["baseline_model"][rows] = serving_ids[table.serving_index[selection.baseline]]
    out["baseline_quality"][rows] = table.trained_quality[selection.baseline]
    out["fine_tuned"][rows] = table.fine_tuned[chosen]
    out["cost_usd"][rows] = table.cost[chosen]
    out["latency_s"][rows] = table.answer_latency[chosen]
    out["first_token_s"][rows] = table.first_token_latency[chosen]
    out["latency_measure"][rows] = latency_measure(table)
    out["expected_quality"][rows] = table.quality[chosen]
    out["monthly_cost_usd"][rows] = monthly_cost_usd(table.cost[chosen],
                                                     profiles.queries_per_day, settings)
    out["one_time_cost_usd"][rows] = table.training_cost[chosen]
    out["amortised_cost_usd"][rows] = np.round(table.cost[chosen] + spread, 9)
    quality = table.quality[chosen]
    out["cost_per_correct_usd"][rows] = np.where(
        quality > 1e-9, np.round(out["amortised_cost_usd"][rows] / np.maximum(quality, 1e-9), 9),
        np.nan)
    out["feasible"][rows] = selection.feasible
    out["training_share"][rows] = split.training_share
    out["inference_share"][rows] = split.inference_share


def recommend_many(rows: Any, rules: RuleSet, *, path: str = "row", first_line: int = 1) -> Any:
    """Recommend for a portfolio of workloads at once.

    Args:
        rows: a pandas DataFrame with one answers row per workload, or an iterable of mappings.
            Missing optional fields take their defaults; empty cells (NaN) count as missing.
        rules: a loaded rule set.
        path, first_line: how problems name a bad row: ``path:line`` with the first row on
            ``first_line`` (a CSV file's name and 2, after its header).

    Returns:
        A pandas DataFrame: the answers, then :data:`OUTPUT_COLUMNS`, in row order. Each row is
        what :func:`recommend` returns for the same answers.

    Raises:
        AnswersError: listing every bad row as ``path:line: message``.
    """
    import pandas as pd

    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    answers, problems = [], []
    for number, record in enumerate(records, start=first_line):
        if isinstance(record, Mapping):
            # ``v == v`` is False for NaN only: an empty cell counts as missing.
            record = {k: v for k, v in record.items() if v is not None and v == v}
        try:
            answers.append(validated_answers(record, rules, path=path, line=number,
                                             explicit=False))
        except AnswersError as exc:
            problems += [Problem(path, number, p.message) for p in exc.problems]
    if problems:
        raise AnswersError(problems)
    lists = _field_lists(answers)
    frame = pd.DataFrame(lists, columns=list(Answers.model_fields))
    if not answers:
        return frame.reindex(columns=list(frame.columns) + list(OUTPUT_COLUMNS))
    out = decide_columns(rules, _typed_columns(lists))
    # Each row names the level it was estimated at, as recommend's result does.
    defaults = frame["task_type"].map({name: task.default_difficulty
                                      for name, task in rules.tasks.items()})
    frame["difficulty"] = frame["difficulty"].fillna(defaults)
    for name in OUTPUT_COLUMNS:
        frame[name] = out[name]
    for name in ("prompt_tokens", "answer_tokens", "queries_per_day"):
        frame[name] = frame[name].astype("Int64")  # whole numbers, empty where not given
    return frame


def _log_axis(low: float, high: float, points: int) -> list[float]:
    return [float(v) for v in np.geomspace(low, high, points)]


def _with_value(axis: list[float], value: float) -> list[float]:
    """``axis`` with ``value`` in its place when it lies within the axis and is not on it."""
    if not axis[0] < value < axis[-1] or value in axis:
        return axis
    return sorted([*axis, float(value)])


def decision_map(answers: Answers, rules: RuleSet, *, latency_values: list[float] | None = None,
                 budget_values: list[float] | None = None) -> DecisionMap:
    """Verdict and chosen strategy over latency × per-query budget, other answers as given.

    The grid is one batch through :func:`decide_columns`, the objective every result uses.
    """
    axes = rules.settings.decision_map
    # Why the answers' own values join the default axes: the cell under "you are here" must be
    # the recommendation itself, not a neighbouring grid point that may differ from it.
    latency_values = latency_values or _with_value(
        _log_axis(axes.latency_min_s, axes.latency_max_s, axes.points), answers.latency_budget_s)
    budget_values = budget_values or _with_value(
        _log_axis(axes.budget_min_usd, axes.budget_max_usd, axes.points),
        answers.budget_per_query_usd)
    base = answer_columns([answers])
    shape = (len(budget_values), len(latency_values))
    n = shape[0] * shape[1]
    columns = {name: np.repeat(column, n) for name, column in base.items()}
    columns["budget_per_query_usd"] = np.repeat(np.array(budget_values, dtype=float), shape[1])
    columns["latency_budget_s"] = np.tile(np.array(latency_values, dtype=float), shape[0])
    out = decide_columns(rules, columns)
    strategies = np.where(out["feasible"], out["strategy"], "none fits")
    return DecisionMap(latency_values=latency_values, budget_values=budget_values,
                       verdicts=out["verdict"].reshape(shape).tolist(),
                       strategies=strategies.reshape(shape).tolist(),
                       feasible=out["feasible"].reshape(shape).tolist())
