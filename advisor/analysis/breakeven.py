"""Break-even: the recommendation against the best option on the other side, over time.

The same objective as the recommendation decides both sides (:mod:`advisor.engine.decide`):

- **The recommendation** is one side. It is the training side when it spends on training (a
  fine-tune, or a better-trained tier than the baseline), else the inference side.
- **The other side** is the cheapest option (one-time cost spread over the horizon, as the
  objective does) that reaches the objective's target quality within the latency budget by the
  other means only: inference-time compute on a base tier no better trained than the baseline,
  or a fine-tune or better-trained tier answering once. The per-query budget is not required of
  it (the point is what matching the recommendation would cost), so it may exceed it, which
  the result says.

Because the recommendation is the cheapest option within the target over the horizon, an
alternative that fits the budgets can never beat it within the horizon: the sections agree by
construction. Cumulative cost after n queries is ``one_time + n · cost_per_query``; a training
investment T that lowers the per-query cost from c₁ to c₂ pays for itself after T / (c₁ − c₂)
queries, after T / ((c₁ − c₂)·q) days at q queries a day (evidence notes, "Training compute and
the break-even with inference"). The FLOPs view uses training ≈ 6·N·D and inference ≈ 2·N per
token (Kaplan et al. 2020; Hoffmann et al. 2022), with N from each tier's ``size``.
"""

from __future__ import annotations

from advisor.engine.decide import CandidateView, Decision, cheapest, decide, side_mask
from advisor.model.answers import Answers
from advisor.model.result import BreakEven, CostOption, Recommendation
from advisor.model.rules import Economics, RuleSet

_EPS = 1e-9


def crossing(one_time_usd: float, inference_per_query_usd: float, training_per_query_usd: float,
             queries_per_day: float) -> tuple[str, float | None, float | None]:
    """(outcome, break-even queries, break-even days) of two straight cumulative-cost lines.

    Args:
        one_time_usd: what the training option costs before its first query.
        inference_per_query_usd: c₁, the inference-time option's cost per query.
        training_per_query_usd: c₂, the training option's cost per query.
        queries_per_day: q; days are None when it is 0.

    Returns:
        ``pays_off`` with T / (c₁ − c₂) queries; ``cheaper_from_start`` with 0 when the training
        option never costs more; ``never`` with None when inference-time stays cheaper.
    """
    saving = inference_per_query_usd - training_per_query_usd
    if one_time_usd <= 0 and saving >= 0:
        return "cheaper_from_start", 0.0, 0.0
    if saving <= 0:
        return "never", None, None
    queries = one_time_usd / saving
    return "pays_off", queries, (queries / queries_per_day if queries_per_day > 0 else None)


def _option(view: CandidateView, index: int, rules: RuleSet, economics: Economics) -> CostOption:
    table = view.table
    serving = table.serving(index)
    size = serving.tier.size
    tokens = float(table.tokens[index])
    training_flops = None
    if size is not None and serving.fine_tuned:
        training_flops = (economics.training_flops_per_parameter_token * size.parameters
                          * serving.tier.fine_tune.training_tokens)
    return CostOption(
        **table.configuration(index), one_time_cost_usd=float(table.training_cost[index]),
        cost_per_query_usd=float(table.cost[index]), latency_s=float(table.latency[index]),
        expected_quality=float(table.quality[index]),
        fits_budget=bool(view.fits_budget[index]), tokens_per_query=tokens,
        inference_flops_per_query=(economics.inference_flops_per_parameter_token
                                   * size.parameters * tokens if size else None),
        training_flops=training_flops)


def _alternative(view: CandidateView, side: str, target: float) -> int | None:
    """The cheapest option on ``side`` that reaches ``target`` within the latency budget."""
    table, d = view.table, view.decision
    pool = (side_mask(table, d.baseline, side) & view.available & view.fits_latency
            & (table.quality >= target - _EPS))
    return cheapest(view, pool)


def break_even(answers: Answers, rules: RuleSet, *,
               recommendation: Recommendation | None = None,
               decision: Decision | None = None) -> BreakEven | None:
    """Compare the recommendation's cumulative cost with the best option on the other side.

    Args:
        answers: the profile.
        rules: a rule set; without an ``economics:`` section there is no break-even.
        recommendation: unused beyond consistency; kept so callers can pass what they have.
        decision: the engine's :class:`~advisor.engine.decide.Decision` if already computed.

    Returns:
        The :class:`BreakEven`, or None when the rules have no ``economics:`` section or the
        verdict is ``neither`` (the recommendation buys nothing to break even on).
    """
    economics = rules.economics
    if economics is None:
        return None
    decision = decision or decide(rules, answers.model_dump())
    if decision.verdict == "neither":
        return None
    on_training_side, target, training, inference = _sides(decision, rules, economics)
    kind = "fine_tune" if training is not None and training.fine_tuned else "larger_model"
    q = answers.queries_per_day
    horizon = rules.settings.horizon_days
    outcome, queries, days, saving = _outcome(training, inference, q)
    chart_days = [0.0] + ([days] if days is not None and 0 < days < horizon else []) \
        + [float(horizon)]
    lifetime = float(q * horizon)
    return BreakEven(
        kind=kind, recommended="training" if on_training_side else "inference",
        target_quality=round(target, 4), training=training, inference=inference,
        outcome=outcome, saving_per_query_usd=saving, break_even_queries=queries,
        break_even_days=days, queries_per_day=q, horizon_days=horizon, days=chart_days,
        cumulative_training_usd=_cumulative(training, q, chart_days),
        cumulative_inference_usd=_cumulative(inference, q, chart_days),
        break_even_flops_queries=_flops_break_even(training, inference),
        lifetime_queries=lifetime,
        beyond_chinchilla=lifetime >= economics.lifetime_requests_threshold,
        sources=[economics.flops_source.strip(), economics.threshold_source.strip()])


def _sides(decision: Decision, rules: RuleSet, economics: Economics
           ) -> tuple[bool, float, CostOption | None, CostOption | None]:
    """(whether the recommendation is on the training side, the target quality, the training
    option, the inference option); the option on the other side is None when none reaches the
    target."""
    view = CandidateView(decision, rules)
    chosen = decision.chosen
    on_training_side = bool(view.table.fine_tuned[chosen]) or float(decision.split.tier_gain) > 0
    target = decision.choice.best_quality - rules.settings.quality_tolerance
    other = _alternative(view, "inference_time" if on_training_side else "training", target)
    recommended = _option(view, chosen, rules, economics)
    alternative = _option(view, other, rules, economics) if other is not None else None
    if on_training_side:
        return on_training_side, target, recommended, alternative
    return on_training_side, target, alternative, recommended


def _outcome(training: CostOption | None, inference: CostOption | None, queries_per_day: float
             ) -> tuple[str, float | None, float | None, float | None]:
    """(outcome, break-even queries, break-even days, saving per query) of the two sides."""
    if training is None:
        return "training_unreachable", None, None, None
    if inference is None:
        return "inference_unreachable", None, None, None
    outcome, queries, days = crossing(training.one_time_cost_usd, inference.cost_per_query_usd,
                                      training.cost_per_query_usd, queries_per_day)
    saving = round(inference.cost_per_query_usd - training.cost_per_query_usd, 9)
    return outcome, queries, days, saving


def _flops_break_even(training: CostOption | None, inference: CostOption | None
                      ) -> float | None:
    """Queries after which the training run's FLOPs are repaid by the inference FLOPs saved
    (None when a size is unknown or nothing is saved)."""
    if (training is None or inference is None or training.training_flops is None
            or inference.inference_flops_per_query is None
            or training.inference_flops_per_query is None):
        return None
    saved = inference.inference_flops_per_query - training.inference_flops_per_query
    return training.training_flops / saved if saved > 0 else None


def _cumulative(option: CostOption | None, queries_per_day: float, days: list[float]
                ) -> list[float] | None:
    """What ``option`` has cost in all by each of ``days`` (None without an option)."""
    if option is None:
        return None
    return [round(option.one_time_cost_usd + option.cost_per_query_usd * queries_per_day * d, 2)
            for d in days]
