"""The rule engine: answers + rules → verdict, configuration, estimates, reasons.

Steps: (1) fire the rules and score the verdict; (2) decide which candidates the verdict, the
exclusions and the training budget allow; (3) pick the best-quality candidate within the latency
and per-query budgets (favoured strategies get a small ranking bonus), or the closest one when
nothing fits; (4) name the training-side action that matches the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from advisor.answers import Answers, parse_answers
from advisor.conditions import holds, thresholds
from advisor.costs import CandidateTable, candidate_table
from advisor.result import (BrokenConstraint, Caveat, DecisionMap, FiredRule,
                            Recommendation, Scores, TrainingAdvice)
from advisor.schema import Rule, RuleSet

ENGINE_SOURCE = "advisor engine"


@dataclass(frozen=True)
class Decision:
    """What the rules decide for one set of answers, before budgets pick a candidate."""

    fired: list[Rule]
    scores: Scores
    verdict: str
    available: np.ndarray
    reasons: list[str | None]
    order: np.ndarray
    all_excluded: bool


def fire(rules: RuleSet, answers: Mapping[str, Any]) -> list[Rule]:
    """The rules whose condition holds, in file order."""
    return [rule for rule in rules.rules if holds(rule.when, answers)]


def score(fired: list[Rule]) -> Scores:
    """Sum of the weights pushing each way."""
    totals = {"inference_time": 0.0, "training": 0.0}
    for rule in fired:
        if rule.push:
            totals[rule.push] += rule.weight
    return Scores(**totals)


def verdict_for(scores: Scores, margin: float) -> str:
    """``combined`` when the two scores are within ``margin`` of their sum (or both zero)."""
    total = scores.inference_time + scores.training
    if total == 0 or abs(scores.inference_time - scores.training) <= margin * total:
        return "combined"
    return "inference_time" if scores.inference_time > scores.training else "training"


def decide(rules: RuleSet, answers: Mapping[str, Any], table: CandidateTable) -> Decision:
    """Fire the rules and work out which candidates are allowed, ranked best first."""
    fired = fire(rules, answers)
    scores = score(fired)
    verdict = verdict_for(scores, rules.settings.combined_margin)
    excluded = {sid: rule.id for rule in fired for sid in rule.exclude}
    favoured = {sid for rule in fired for sid in rule.favour}
    training_budget = answers["training_budget_usd"]

    reasons: list[str | None] = []
    for cand in table.candidates:
        serving, strategy = cand.serving, cand.strategy
        if strategy.id in excluded:
            reasons.append(f"excluded by rule {excluded[strategy.id]}")
        elif verdict == "inference_time" and serving.fine_tuned:
            reasons.append("an inference-time verdict spends no training compute")
        elif verdict == "training" and not strategy.light:
            reasons.append("a training verdict keeps to light inference strategies")
        elif serving.fine_tuned and serving.training_cost_usd > training_budget:
            reasons.append(f"the fine-tune costs ${serving.training_cost_usd:,.0f}, over the "
                           f"${training_budget:,.0f} training budget")
        else:
            reasons.append(None)
    available = np.array([r is None for r in reasons])
    all_excluded = not available.any()
    if all_excluded:
        available = np.ones(len(reasons), dtype=bool)

    bonus = rules.settings.favour_bonus
    rank = np.round(table.quality + bonus * np.array([s in favoured for s in table.strategy_ids]), 9)
    order = np.lexsort((np.arange(len(rank)), table.latency, table.cost, -rank))
    return Decision(fired, scores, verdict, available, reasons, order, all_excluded)


def _closest(table: CandidateTable, pool: np.ndarray, latency: float, budget: float) -> int:
    """Index of the available candidate that overshoots the budgets least (log ratio)."""
    with np.errstate(divide="ignore"):
        over_cost = np.where(table.cost > budget,
                             np.log(table.cost / max(budget, 1e-12)), 0.0)
        over_time = np.where(table.latency > latency, np.log(table.latency / latency), 0.0)
    overshoot = over_cost + over_time
    best = min(pool, key=lambda i: (round(float(overshoot[i]), 9),))
    return int(best)


def select(table: CandidateTable, decision: Decision, latency: float, budget: float
           ) -> tuple[int, bool]:
    """(index of the chosen candidate, whether it fits both budgets)."""
    order = decision.order[decision.available[decision.order]]
    fits = (table.latency[order] <= latency) & (table.cost[order] <= budget)
    if fits.any():
        return int(order[int(np.argmax(fits))]), True
    return _closest(table, order, latency, budget), False


def describe_effects(rule: Rule) -> list[str]:
    """What a rule does, in words: "pushes training ×2", "excludes tree_search", ..."""
    effects = []
    if rule.push:
        effects.append(f"pushes {rule.push.replace('_', '-')} ×{rule.weight:g}")
    if rule.exclude:
        effects.append("excludes " + ", ".join(rule.exclude))
    if rule.favour:
        effects.append("favours " + ", ".join(rule.favour))
    if rule.caveat:
        effects.append("adds a caveat")
    return effects


def recommend(answers: Answers | Mapping[str, Any], rules: RuleSet) -> Recommendation:
    """Recommend a paradigm and a configuration for ``answers`` under ``rules``.

    Args:
        answers: an :class:`Answers` or a mapping that validates into one.
        rules: a loaded :class:`RuleSet` (see :func:`advisor.load_rules`).

    Returns:
        The :class:`Recommendation`; the same inputs always give the same result.

    Raises:
        AnswersError: ``answers`` is a mapping with bad or unknown fields.
    """
    if not isinstance(answers, Answers):
        # Why not dict() everything: a list or None must reach parse_answers' friendly message.
        answers = parse_answers(dict(answers) if isinstance(answers, Mapping) else answers)
    values = answers.model_dump()
    table = candidate_table(rules, values["task_type"], values["verifiability"])
    decision = decide(rules, values, table)
    latency, budget = answers.latency_budget_s, answers.budget_per_query_usd
    chosen_index, feasible = select(table, decision, latency, budget)

    month_factor = answers.queries_per_day * rules.settings.days_per_month
    fits_latency = (table.latency <= latency).tolist()
    fits_budget = (table.cost <= budget).tolist()
    monthly = np.round(table.cost * month_factor, 2).tolist()
    available = decision.available.tolist()
    # Plain dicts, validated once with the whole result: far faster than 200 model instances.
    estimates = [{**described, "monthly_cost_usd": monthly[i], "fits_latency": fits_latency[i],
                  "fits_budget": fits_budget[i], "feasible": fits_latency[i] and fits_budget[i],
                  "available": available[i], "unavailable_reason": decision.reasons[i]}
                 for i, described in enumerate(table.described)]
    chosen = estimates[chosen_index]
    serving = table.candidates[chosen_index].serving

    broken = []
    if not chosen["fits_latency"]:
        broken.append(BrokenConstraint(answer="latency_budget_s", needed=chosen["latency_s"],
                                       allowed=latency))
    if not chosen["fits_budget"]:
        broken.append(BrokenConstraint(answer="budget_per_query_usd", needed=chosen["cost_usd"],
                                       allowed=budget))

    training = None
    if decision.verdict != "inference_time":
        training = TrainingAdvice(
            action="fine_tune" if serving.fine_tuned else "larger_model",
            model=serving.model_id, model_name=serving.model_name,
            base_model=serving.base_model, one_time_cost_usd=round(serving.training_cost_usd, 2),
            training_budget_usd=answers.training_budget_usd)

    caveats = [Caveat(text=rule.caveat, rule_id=rule.id, source=rule.source)
               for rule in decision.fired if rule.caveat]
    if decision.all_excluded:
        caveats.append(Caveat(text="The rules exclude every strategy for these answers, so the "
                                   "exclusions were ignored. Fix the rules: run "
                                   "`python -m advisor check`.", rule_id=None, source=ENGINE_SOURCE))
    if not feasible:
        caveats.append(Caveat(text="No configuration fits both budgets; the recommendation is the "
                                   "closest option.", rule_id=None, source=ENGINE_SOURCE))

    return Recommendation.model_validate(dict(
        verdict=decision.verdict, scores=decision.scores, strategy=chosen["strategy"],
        strategy_name=chosen["strategy_name"], parameters=chosen["parameters"],
        model=chosen["model"], model_name=chosen["model_name"], training=training,
        feasible=feasible,
        broken_constraints=broken, chosen=chosen,
        fired_rules=[FiredRule(id=r.id, because=r.because, source=r.source,
                               effects=describe_effects(r))
                     for r in decision.fired],
        caveats=caveats, estimates=estimates, rules_version=rules.version, answers=answers))


def _log_axis(low: float, high: float, points: int) -> list[float]:
    return [float(v) for v in np.geomspace(low, high, points)]


def decision_map(answers: Answers, rules: RuleSet, *, latency_values: list[float] | None = None,
                 budget_values: list[float] | None = None) -> DecisionMap:
    """Verdict and chosen strategy over latency × per-query budget, other answers as given.

    Why it is fast: the rules only see a budget through comparisons with constants, so all budget
    pairs on the same side of every threshold share one :func:`decide`; the selection within a
    class is vectorised over the candidate table.
    """
    axes = rules.settings.decision_map
    latency_values = latency_values or _log_axis(axes.latency_min_s, axes.latency_max_s, axes.points)
    budget_values = budget_values or _log_axis(axes.budget_min_usd, axes.budget_max_usd, axes.points)
    values = answers.model_dump()
    table = candidate_table(rules, values["task_type"], values["verifiability"])
    cuts: dict[str, set[float]] = {}
    for rule in rules.rules:
        for name, found in thresholds(rule.when).items():
            cuts.setdefault(name, set()).update(found)
    lat_cuts = sorted(cuts.get("latency_budget_s", ()))
    bud_cuts = sorted(cuts.get("budget_per_query_usd", ()))

    def side(value: float, cut_points: list[float]) -> tuple[int, ...]:
        return tuple((value > c) - (value < c) for c in cut_points)

    shape = (len(budget_values), len(latency_values))
    verdicts = np.empty(shape, dtype=object)
    strategies = np.empty(shape, dtype=object)
    feasible = np.zeros(shape, dtype=bool)
    classes: dict[tuple, list[tuple[int, int]]] = {}
    for bi, budget in enumerate(budget_values):
        for li, latency in enumerate(latency_values):
            key = (side(latency, lat_cuts), side(budget, bud_cuts))
            classes.setdefault(key, []).append((bi, li))

    lat_arr, bud_arr = np.array(latency_values), np.array(budget_values)
    for points in classes.values():
        bi0, li0 = points[0]
        decision = decide(rules, {**values, "latency_budget_s": latency_values[li0],
                                  "budget_per_query_usd": budget_values[bi0]}, table)
        order = decision.order[decision.available[decision.order]]
        rows = np.array([p[0] for p in points])
        cols = np.array([p[1] for p in points])
        fits = ((table.latency[order][None, :] <= lat_arr[cols][:, None])
                & (table.cost[order][None, :] <= bud_arr[rows][:, None]))
        any_fit = fits.any(axis=1)
        first = order[np.argmax(fits, axis=1)]
        for n, (bi, li) in enumerate(points):
            verdicts[bi, li] = decision.verdict
            feasible[bi, li] = bool(any_fit[n])
            strategies[bi, li] = table.strategy_ids[first[n]] if any_fit[n] else "none fits"
    return DecisionMap(latency_values=latency_values, budget_values=budget_values,
                       verdicts=verdicts.tolist(), strategies=strategies.tolist(),
                       feasible=feasible.tolist())
