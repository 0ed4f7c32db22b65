"""One-line summaries of what each chart shows: every chart's text alternative and caption.

Why sentences built from the same result as the chart: a reader who cannot see the chart (a
screen reader, a black-and-white printout, a mail client that strips scripts) gets what it says,
and the summary can never disagree with the picture.
"""

from __future__ import annotations

from collections import Counter

from advisor.compare import Comparison
from advisor.formats import count, days_text, percent, quality, seconds, usd
from advisor.result import BreakEven, DecisionMap, Recommendation
from advisor.vocabulary import Vocabulary
from advisor.wording import VERDICT_LABELS, configuration_text, in_sentence

NONE_FITS = "none fits"
MAP_CATEGORIES_NAMED = 3


def cost_latency_summary(rec: Recommendation) -> str:
    """What the cost–latency chart of every candidate shows, in one sentence."""
    est = rec.estimates
    a, c = rec.answers, rec.chosen
    costs = [e.cost_usd for e in est]
    latencies = [e.latency_s for e in est]
    fitting = sum(e.feasible and e.available for e in est)
    return (f"{count(len(est))} candidate configurations, costing {usd(min(costs))} to "
            f"{usd(max(costs))} per query and answering in {seconds(min(latencies))} to "
            f"{seconds(max(latencies))}; {count(fitting)} fit both budgets "
            f"({seconds(a.latency_budget_s)}, {usd(a.budget_per_query_usd)} per query). "
            f"Recommended: {configuration_text(rec)}, {usd(c.cost_usd)} per query in "
            f"{seconds(c.latency_s)}.")


def break_even_summary(be: BreakEven) -> str:
    """What the cumulative-cost chart of the break-even shows, in one sentence."""
    lines = [(name, values) for name, values in
             (("the training option", be.cumulative_training_usd),
              ("the inference-time option", be.cumulative_inference_usd)) if values is not None]
    rises = " and ".join(f"{name} from {usd(values[0])} to {usd(values[-1])}"
                         for name, values in lines)
    text = (f"Cumulative cost over {days_text(be.horizon_days)} at "
            f"{count(be.queries_per_day)} queries a day: {rises}")
    if (be.outcome == "pays_off" and be.break_even_days is not None
            and be.break_even_days <= be.horizon_days):
        text += f"; the lines cross after {days_text(be.break_even_days)}"
    return text + "."


def decision_map_summary(dmap: DecisionMap, rec: Recommendation, vocabulary: Vocabulary) -> str:
    """What the decision map (recommended strategy by budget pair) shows, in one sentence."""
    cells = Counter(s for row in dmap.strategies for s in row)
    total = sum(cells.values())

    def name(strategy: str) -> str:
        return "nothing fits" if strategy == NONE_FITS else vocabulary.strategy(strategy)

    shares = ", ".join(f"{in_sentence(name(s))} in {percent(n / total)}"
                       for s, n in cells.most_common(MAP_CATEGORIES_NAMED))
    others = len(cells) - MAP_CATEGORIES_NAMED
    more = f" and {others} other strateg{'y' if others == 1 else 'ies'}" if others > 0 else ""
    a = rec.answers
    here = rec.strategy_name if rec.feasible else "nothing fits"
    return (f"The recommended strategy for latency budgets of {seconds(dmap.latency_values[0])} "
            f"to {seconds(dmap.latency_values[-1])} and per-query budgets of "
            f"{usd(dmap.budget_values[0])} to {usd(dmap.budget_values[-1])}: {shares} of the "
            f"map{more}. At your budgets ({seconds(a.latency_budget_s)}, "
            f"{usd(a.budget_per_query_usd)}): {here}.")


def comparison_summary(comparison: Comparison) -> str:
    """What the comparison chart (each scenario's cost and quality) shows, in one sentence."""
    points = "; ".join(
        f"{s.name}: {in_sentence(VERDICT_LABELS[r.verdict])}, {usd(r.chosen.cost_usd)} per query "
        f"at quality {quality(r.chosen.expected_quality)}"
        + ("" if r.feasible else " (nothing fits its budgets)")
        for s, r in zip(comparison.scenarios, comparison.results))
    return f"Cost per query against expected quality of each scenario's recommendation: {points}."
