"""Break-even between a training investment and inference-time compute, for one profile.

Two ways to reach the same quality, each a configuration from the engine's candidate table:

- **training option**: the configuration the engine recommends when it serves a fine-tune;
  otherwise the engine's best-ranked fine-tune whose run fits ``training_budget_usd`` (light
  strategies only, as a training verdict would allow); when no run fits, the best-ranked light
  configuration on a base tier ("a larger, better-trained tier", no one-time cost) — or the
  engine's own choice when it already advises a larger tier.
- **target quality** is that option's expected quality.
- **inference-time option**: the cheapest configuration on a base (not fine-tuned) tier that
  reaches the target quality. Against a larger tier it must run on a tier with a lower
  single-pass quality, so it buys the quality at query time rather than inheriting it.

Both must fit the latency budget and avoid strategies the fired rules exclude; the per-query
budget is preferred for the training option but not required, because the point is which costs
less over time. Cumulative cost after n queries is ``one_time + n · cost_per_query``, so a
training investment T that lowers the per-query cost from c₁ to c₂ pays for itself after
T / (c₁ − c₂) queries, and after T / ((c₁ − c₂)·q) days at q queries a day (evidence notes,
"Training compute and the break-even with inference").

The FLOPs view uses training ≈ 6·N·D and inference ≈ 2·N per token (Kaplan et al. 2020;
Hoffmann et al. 2022), with N per tier and the factors from the ``economics:`` section.
"""

from __future__ import annotations

import numpy as np

from advisor.answers import Answers
from advisor.costs import Candidate, CandidateTable, candidate_table
from advisor.engine import Decision, decide, recommend
from advisor.result import BreakEven, CostOption, Recommendation
from advisor.schema import Economics, RuleSet

QUALITY_TOLERANCE = 1e-9


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


def _first(order: np.ndarray, mask: np.ndarray) -> int | None:
    """The first index of the engine's ranking that ``mask`` allows."""
    allowed = order[mask[order]]
    return int(allowed[0]) if len(allowed) else None


def _index_of(table: CandidateTable, rec: Recommendation) -> int:
    chosen = rec.chosen
    return next(i for i, d in enumerate(table.described)
                if d["strategy"] == chosen.strategy and d["model"] == chosen.model
                and d["parameters"] == chosen.parameters)


def _training_option(table: CandidateTable, decision: Decision, rec: Recommendation,
                     answers: Answers, usable: np.ndarray) -> tuple[int | None, str]:
    if rec.chosen.fine_tuned and rec.feasible:
        return _index_of(table, rec), "fine_tune"
    light, tuned = table.light, table.fine_tuned
    run_fits = table.training_cost <= answers.training_budget_usd
    within = table.cost <= answers.budget_per_query_usd
    fine_tunes = usable & light & tuned & run_fits
    index = _first(decision.order, fine_tunes & within)
    if index is None:
        index = _first(decision.order, fine_tunes)
    if index is not None:
        return index, "fine_tune"
    if rec.training is not None and rec.training.action == "larger_model" and rec.feasible:
        return _index_of(table, rec), "larger_model"
    base_light = usable & light & ~tuned
    index = _first(decision.order, base_light & within)
    if index is None:
        index = _first(decision.order, base_light)
    return index, "larger_model"


def _tokens(candidate: Candidate, prompt_tokens: int) -> float:
    return candidate.figures.calls * prompt_tokens + candidate.figures.output_tokens


def _option(table: CandidateTable, index: int, rules: RuleSet, economics: Economics,
            prompt_tokens: int) -> CostOption:
    candidate, described = table.candidates[index], table.described[index]
    serving = candidate.serving
    tier = serving.base_model or serving.model_id
    size = economics.model_sizes.get(tier)
    tokens = _tokens(candidate, prompt_tokens)
    training_flops = None
    if size is not None and serving.fine_tuned:
        fine_tune = rules.model(tier).fine_tune
        training_flops = (economics.training_flops_per_parameter_token * size.parameters
                          * fine_tune.training_tokens)
    return CostOption(
        **table.configuration(index), one_time_cost_usd=round(serving.training_cost_usd, 2),
        cost_per_query_usd=described["cost_usd"], latency_s=described["latency_s"],
        expected_quality=described["expected_quality"], tokens_per_query=tokens,
        inference_flops_per_query=(economics.inference_flops_per_parameter_token
                                   * size.parameters * tokens if size else None),
        training_flops=training_flops)


def break_even(answers: Answers, rules: RuleSet, *,
               recommendation: Recommendation | None = None) -> BreakEven | None:
    """Compare cumulative cost of inference-time compute and a training investment.

    Args:
        answers: the profile.
        rules: a rule set; without an ``economics:`` section there is no break-even.
        recommendation: ``recommend(answers, rules)`` if already computed.

    Returns:
        The :class:`BreakEven` (see the module docstring for what is compared), or None when the
        rules have no ``economics:`` section or no training option fits the latency budget.
    """
    economics = rules.economics
    if economics is None:
        return None
    rec = recommendation or recommend(answers, rules)
    values = answers.model_dump()
    table = candidate_table(rules, values["task_type"], values["verifiability"])
    decision = decide(rules, values, table)
    excluded = {sid for rule in decision.fired for sid in rule.exclude}
    usable = ((table.latency <= answers.latency_budget_s)
              & np.array([sid not in excluded for sid in table.strategy_ids]))
    b_index, kind = _training_option(table, decision, rec, answers, usable)
    if b_index is None:
        return None
    candidates = table.candidates
    b = candidates[b_index]
    target = b.figures.expected_quality

    reaches = table.quality >= target - QUALITY_TOLERANCE
    pool = usable & ~table.fine_tuned & reaches
    pool[b_index] = False
    if kind == "larger_model":
        pool &= np.array([c.serving.base_quality < b.serving.base_quality for c in candidates])
    a_index = None
    if pool.any():
        by_cost = np.lexsort((np.arange(len(candidates)), table.latency, table.cost))
        a_index = _first(by_cost, pool)

    prompt_tokens = rules.tasks[values["task_type"]].prompt_tokens
    training = _option(table, b_index, rules, economics, prompt_tokens)
    inference = _option(table, a_index, rules, economics, prompt_tokens) \
        if a_index is not None else None
    q = answers.queries_per_day
    horizon = economics.horizon_days
    one_time = training.one_time_cost_usd
    if inference is None:
        outcome, queries, days, saving = "inference_unreachable", None, None, None
    else:
        outcome, queries, days = crossing(one_time, inference.cost_per_query_usd,
                                          training.cost_per_query_usd, q)
        saving = round(inference.cost_per_query_usd - training.cost_per_query_usd, 8)
    chart_days = [0.0] + ([days] if days is not None and 0 < days < horizon else []) \
        + [float(horizon)]
    flops_queries = None
    if (inference is not None and training.training_flops is not None
            and inference.inference_flops_per_query is not None
            and training.inference_flops_per_query is not None):
        saved = inference.inference_flops_per_query - training.inference_flops_per_query
        flops_queries = training.training_flops / saved if saved > 0 else None
    lifetime = float(q * horizon)
    return BreakEven(
        kind=kind, target_quality=round(target, 4), training=training, inference=inference,
        outcome=outcome, saving_per_query_usd=saving, break_even_queries=queries,
        break_even_days=days, queries_per_day=q, horizon_days=horizon, days=chart_days,
        cumulative_training_usd=[round(one_time + training.cost_per_query_usd * q * d, 2)
                                 for d in chart_days],
        cumulative_inference_usd=None if inference is None else [
            round(inference.cost_per_query_usd * q * d, 2) for d in chart_days],
        break_even_flops_queries=flops_queries, lifetime_queries=lifetime,
        beyond_chinchilla=lifetime >= economics.lifetime_requests_threshold,
        sources=[economics.flops_source.strip(), economics.threshold_source.strip()])
