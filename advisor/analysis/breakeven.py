"""Break-even: the recommendation against the best alternative across a training run, over time.

The same objective as the recommendation decides both sides (:mod:`advisor.engine.decide`), and
the side of a configuration is the engine's :func:`~advisor.engine.decide.training_route`, the
one the headline reads:

- **The training side** is a configuration with a training run you pay for once (a fine-tune,
  a distillation or a reinforcement fine-tune, calibrated where a rule requires it).
- **The inference side** is one without a run: everything is paid per query, inference-time
  compute and a better-trained tier's price alike.
- When the recommendation runs training, the other side is the cheapest option **without a
  run** that reaches the objective's target quality within the latency budget; when it does
  not, the other side is the **best training run you could run**: the cheapest option with a
  run within the training budget that reaches the target. The per-query budget is not
  required of it (the point is what matching the recommendation would cost), which the result
  says.

Because the recommendation is the cheapest option within the target over the horizon, an
alternative that fits the budgets can never beat it within the horizon: the sections agree by
construction. Cumulative cost after n queries is ``one_time + n · cost_per_query``; a training
investment T that lowers the per-query cost from c₁ to c₂ pays for itself after T / (c₁ − c₂)
queries, after T / ((c₁ − c₂)·q) days at q queries a day (evidence notes, "Training compute and
the break-even with inference"). The FLOPs view uses training ≈ 6·N·D and inference ≈ 2·N per
token (Kaplan et al. 2020; Hoffmann et al. 2022), with N from each tier's ``size`` and D the
run's training tokens.
"""

from __future__ import annotations

from advisor.engine.decide import CandidateView, Decision, cheapest, decide, training_route
from advisor.engine.training import KINDS
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
    if size is not None and serving.run is not None and serving.run.tokens > 0:
        training_flops = (economics.training_flops_per_parameter_token * size.parameters
                          * serving.run.tokens)
    return CostOption(
        **table.configuration(index), one_time_cost_usd=float(table.training_cost[index]),
        cost_per_query_usd=float(table.cost[index]), latency_s=float(table.answer_latency[index]),
        first_token_s=float(table.first_token_latency[index]),
        expected_quality=float(table.quality[index]),
        fits_budget=bool(view.fits_budget[index]), tokens_per_query=tokens,
        inference_flops_per_query=(economics.inference_flops_per_parameter_token
                                   * size.parameters * tokens if size else None),
        training_flops=training_flops)


def _alternative(view: CandidateView, with_run: bool, target: float) -> int | None:
    """The cheapest option with (or without) a training run that the rules and the training
    budget allow and that reaches ``target`` within the latency budget."""
    table = view.table
    pool = ((table.fine_tuned == with_run) & view.available & view.fits_latency
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
    on_training_side, target, run_index, training, inference = _sides(decision, rules,
                                                                      economics)
    run = decision.table.serving(run_index).run if run_index is not None else None
    kind = KINDS[run.kind].action if run is not None else "larger_model"
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
           ) -> tuple[bool, float, int | None, CostOption | None, CostOption | None]:
    """(whether the recommendation runs training, the target quality, the table index of the
    training side, the training option, the inference option); the other side is None when
    nothing reaches the target."""
    view = CandidateView(decision, rules)
    chosen = decision.chosen
    on_training_side = training_route(view.table, chosen, decision.baseline) == "run"
    target = decision.choice.best_quality - rules.settings.quality_tolerance
    other = _alternative(view, not on_training_side, target)
    recommended = _option(view, chosen, rules, economics)
    alternative = _option(view, other, rules, economics) if other is not None else None
    if on_training_side:
        return on_training_side, target, chosen, recommended, alternative
    return on_training_side, target, other, alternative, recommended


def _outcome(training: CostOption | None, inference: CostOption | None, queries_per_day: float
             ) -> tuple[str, float | None, float | None, float | None]:
    """(outcome, break-even queries, break-even days, saving per query) of the two sides."""
    if training is None:
        return "training_unreachable", None, None, None
    if inference is None:
        return "inference_unreachable", None, None, None
    # Both sides may pay a calibration once: only the difference is the run's investment.
    outcome, queries, days = crossing(training.one_time_cost_usd - inference.one_time_cost_usd,
                                      inference.cost_per_query_usd,
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
