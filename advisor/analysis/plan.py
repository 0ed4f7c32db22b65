"""The improvement plan: the turns of "what would change" that a team can take, ranked by what
they buy for what they cost.

A turn is the nearest change of one answer that changes the recommendation
(:mod:`advisor.analysis.counterfactual`). Some answers are facts about the work (its task type,
its difficulty, its volume, whether confidence must be calibrated); others are levers a team
controls: how long an answer may take, what a query may cost, what training it funds, whether
answers can be checked, and whether the answer streams. A step is a lever's turn that, under
the same objective as the recommendation, makes something fit where nothing does, raises the
expected quality, or keeps it and costs less.

Ranking: first what makes the answer fit at all, then what pays for itself (no extra cost over
the horizon), then by quality gained per dollar added over the horizon (per-query change times
the queries in it, plus the one-time change), so "label 10,000 examples and fine-tune: +0.06
for $4,200 once" sits where its price per point puts it.
"""

from __future__ import annotations

from advisor.model.result import PlanStep, Recommendation, Turn

# The answers a team can change by deciding to; the others describe the work.
LEVERS = ("latency_budget_s", "budget_per_query_usd", "training_budget_usd", "verifiability",
          "streaming")
# Rounding below these is noise, not a change a lead would act on.
_SAME_USD = 0.005


def improvement_plan(rec: Recommendation) -> list[PlanStep]:
    """The steps a team can take from ``rec``, best value first (see the module text).

    Args:
        rec: an analysed recommendation (its ``what_would_change`` filled in).

    Returns:
        One step per lever turn that makes the answer fit, raises quality, or keeps quality
        and saves; empty when none does.
    """
    queries = rec.answers.queries_per_day * rec.objective.horizon_days
    steps = []
    for turn in rec.what_would_change:
        if turn.field not in LEVERS or not turn.feasible:
            continue
        step = _step(rec, turn, queries)
        saves = turn.quality_change == "same" and step.extra_over_horizon_usd < -_SAME_USD
        if step.makes_feasible or turn.quality_change == "up" or saves:
            steps.append(step)
    return sorted(steps, key=_value)


def _step(rec: Recommendation, turn: Turn, queries: float) -> PlanStep:
    chosen = rec.chosen
    per_query = turn.cost_usd - chosen.cost_usd
    one_time = turn.one_time_cost_usd - chosen.one_time_cost_usd
    return PlanStep(turn=turn, makes_feasible=not rec.feasible,
                    quality_gain=round(turn.expected_quality - chosen.expected_quality, 4),
                    extra_per_query_usd=per_query,
                    extra_monthly_usd=round(turn.monthly_cost_usd - chosen.monthly_cost_usd, 2),
                    extra_one_time_usd=round(one_time, 2),
                    extra_over_horizon_usd=round(per_query * queries + one_time, 2))


def _value(step: PlanStep) -> tuple:
    """Sort key: fitting first, then free steps by gain, then gain per dollar, best first."""
    extra = step.extra_over_horizon_usd
    if extra <= _SAME_USD:
        return (not step.makes_feasible, 0, -step.quality_gain, extra)
    return (not step.makes_feasible, 1, -step.quality_gain / extra, extra)
