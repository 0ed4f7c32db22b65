"""Words for the charts: a one-line text alternative of each, and what hovering would show.

Why sentences built from the same result as the chart: a reader who cannot see the chart (a
screen reader, a black-and-white printout, a mail client that strips scripts) or cannot hover
(a touch screen) gets what it says, and the words can never disagree with the picture; like every
renderer they never recompute.
"""

from __future__ import annotations

from advisor.analysis.compare import Comparison
from advisor.engine.costs import CandidateTable
from advisor.engine.evalfit import EvalFit
from advisor.model.result import BreakEven, DecisionMap, Estimate, Recommendation
from advisor.render.charts import map_categories, pareto_frontier, you_are_here
from advisor.render.formats import count, days_text, quality, seconds, usd
from advisor.render.wording import (configuration_text, in_sentence, latency_pair, ranged_figures,
                                    verdict_label)


# How to read the cost–latency chart: under it in the app and in the report.
COST_CHART_KEY = ("Log axes. The blue line joins the options that are cheapest at each latency "
                  "with at least the recommendation's quality; grey points are the other "
                  "options, diamonds are fine-tuned. The shaded box fits both budgets.")


def cost_latency_summary(rec: Recommendation) -> str:
    """The cost–latency chart in one sentence: how many options, the choice, the frontier."""
    est = rec.estimates
    chosen = rec.chosen
    available = [e for e in est if e.available]
    fitting = sum(e.feasible for e in available)
    frontier = pareto_frontier(est, min_quality=chosen.expected_quality,
                               measure=rec.latency_measure)
    ruled_out = len(est) - len(available)
    cheapest = ("1 option is the cheapest at its latency" if len(frontier) == 1
                else f"{len(frontier)} options are the cheapest at their latency")
    return (f"Cost per query against latency for {count(len(est))} candidate configurations: "
            f"the recommended {configuration_text(chosen)} costs {usd(chosen.cost_usd)} per "
            f"query ({latency_pair(chosen)}); {cheapest} "
            f"with quality {quality(chosen.expected_quality)} or better, "
            f"{count(fitting)} fit both budgets and {count(ruled_out)} are ruled out.")


def _option_line(e: Estimate, *, chosen: bool) -> str:
    """What the chart's hover shows of one option, ranges included."""
    tuned = " (fine-tuned)" if e.fine_tuned and "fine-tuned" not in e.model_name else ""
    shown = ranged_figures(e)
    return (f"{'Recommended: ' if chosen else ''}{configuration_text(e)}{tuned}: "
            f"{shown['cost']} per query, {latency_pair(e)}, quality {shown['quality']}")


def frontier_lines(rec: Recommendation) -> list[str]:
    """One line per option on the chart's frontier, fastest first, the choice marked.

    Why: these are the points the chart invites you to hover; on a phone you read them here.
    """
    chosen = rec.chosen
    frontier = pareto_frontier(rec.estimates, min_quality=chosen.expected_quality,
                               measure=rec.latency_measure)
    lines = [_option_line(e, chosen=e == chosen) for e in frontier]
    if chosen not in frontier:
        lines.insert(0, _option_line(chosen, chosen=True))
    return lines


def _runs(values: list[float], cells: list[str]) -> list[tuple[float, float, str]]:
    """Consecutive cells with the same category, as (first value, last value, category)."""
    runs: list[tuple[float, float, str]] = []
    for value, cell in zip(values, cells):
        if runs and runs[-1][2] == cell:
            runs[-1] = (runs[-1][0], value, cell)
        else:
            runs.append((value, value, cell))
    return runs


def _nearest(values: list[float], value: float) -> int:
    return min(range(len(values)), key=lambda i: abs(values[i] - value))


def single_category(dmap: DecisionMap, *, colour_by: str = "verdict",
                    strategy_names: dict[str, str] | None = None) -> str | None:
    """The one label of a map that is a single colour, else None."""
    _, categories = map_categories(dmap, colour_by=colour_by, strategy_names=strategy_names)
    return categories[0][1] if len(categories) == 1 else None


def decision_map_summary(dmap: DecisionMap, rec: Recommendation, *, colour_by: str = "verdict",
                         strategy_names: dict[str, str] | None = None) -> str:
    """The decision map in one sentence: the ranges, each answer's share, where you are."""
    grid, categories = map_categories(dmap, colour_by=colour_by, strategy_names=strategy_names)
    labels = {c: label for c, label, _ in categories}
    cells = [c for row in grid for c in row]
    lat, bud = dmap.latency_values, dmap.budget_values
    span = (f"latency budgets from {seconds(lat[0])} to {seconds(lat[-1])} and per-query "
            f"budgets from {usd(bud[0])} to {usd(bud[-1])}")
    x, y = you_are_here(dmap, rec)
    here = labels[grid[_nearest(bud, y)][_nearest(lat, x)]]
    what = "verdict" if colour_by == "verdict" else "recommended strategy"
    if len(categories) == 1:
        return (f"The {what} is the same at every one of {count(len(cells))} budget pairs, "
                f"{span}: {here}.")
    shares = ", ".join(f"{label} {cells.count(c) / len(cells):.0%}" for c, label, _ in categories)
    return (f"The {what} at {count(len(cells))} budget pairs, {span}: {shares}. At your "
            f"answers ({seconds(rec.answers.latency_budget_s)}, "
            f"{usd(rec.answers.budget_per_query_usd)} per query): {here}.")


def decision_map_lines(dmap: DecisionMap, rec: Recommendation, *, colour_by: str = "verdict",
                       strategy_names: dict[str, str] | None = None) -> list[str]:
    """What changes along your row and your column of the map, in words.

    Why: the map's hover says what each cell holds; these two lines say the part that matters
    to you (how far each budget can move before the answer does) without a pointer.
    """
    grid, categories = map_categories(dmap, colour_by=colour_by, strategy_names=strategy_names)
    labels = {c: label for c, label, _ in categories}
    x, y = you_are_here(dmap, rec)
    row, column = _nearest(dmap.budget_values, y), _nearest(dmap.latency_values, x)
    along_latency = _runs(dmap.latency_values, grid[row])
    along_budget = _runs(dmap.budget_values, [r[column] for r in grid])
    latency_text = "; ".join(f"{_span(a, b, seconds)}: {labels[c]}" for a, b, c in along_latency)
    budget_text = "; ".join(f"{_span(a, b, usd)}: {labels[c]}" for a, b, c in along_budget)
    return [f"At your per-query budget of {usd(rec.answers.budget_per_query_usd)}, by latency "
            f"budget: {latency_text}.",
            f"At your latency budget of {seconds(rec.answers.latency_budget_s)}, by per-query "
            f"budget: {budget_text}."]


def _span(first: float, last: float, formatter) -> str:
    return formatter(first) if first == last else f"{formatter(first)} to {formatter(last)}"


def comparison_summary(comparison: Comparison) -> str:
    """What the comparison chart (each scenario's cost and quality) shows, in one sentence."""
    points = "; ".join(
        f"{s.name}: {in_sentence(verdict_label(r))}, {usd(r.chosen.cost_usd)} per query "
        f"at quality {quality(r.chosen.expected_quality)}"
        + ("" if r.feasible else " (nothing fits its budgets)")
        for s, r in zip(comparison.scenarios, comparison.results))
    return f"Cost per query against expected quality of each scenario's recommendation: {points}."


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


def quality_curves_summary(table: CandidateTable, model_id: str, *, effort: str | None = None
                           ) -> str:
    """The About page's quality curves in one sentence: where each strategy's curve tops out."""
    rows = [i for i in range(len(table)) if table.serving(i).model_id == model_id
            and table.efforts[i] == effort]
    if not rows:
        return "No candidates on this tier for this workload."
    best: dict[str, int] = {}
    for i in rows:
        name = table.strategy(i).name
        if name not in best or table.quality[i] > table.quality[best[name]]:
            best[name] = i
    tops = "; ".join(f"{name} up to {quality(float(table.quality[i]))} at "
                     f"{usd(float(table.cost[i]))} per query" for name, i in best.items())
    return (f"Expected quality against cost per query on {table.serving(rows[0]).model_name}: "
            f"{tops}.")


def eval_fit_summary(fit: EvalFit, *, model_name: str) -> str:
    """The eval chart in one sentence: the fitted coverage at one attempt and at the most drawn,
    and the measured pass@k beside it."""
    top = max(1024, 4 * max(fit.pass_at_k, default=1))  # the chart's right edge
    first, last = (float(v) for v in fit.coverage([1, top]))
    measured = "; ".join(f"pass@{k} {rate:.1%}" for k, rate in sorted(fit.pass_at_k.items()))
    return (f"Share of your {fit.problems:,} eval problems that {model_name} solves with at least "
            f"one of k attempts: the fitted curve rises from {first:.1%} at one attempt to "
            f"{last:.1%} at {top:,}" + (f"; measured {measured}." if measured else "."))
