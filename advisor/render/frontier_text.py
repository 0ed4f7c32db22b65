"""The frontier in words and as a Markdown section: what every renderer says about it."""

from __future__ import annotations

from advisor.model.frontier import (ExchangeRate, Frontier, FrontierCurve, FrontierPoint,
                                    PublishedExchange, RateCheck, Unit)
from advisor.model.result import parameters_text
from advisor.render.formats import count, days_text, flops, quality, seconds, usd
from advisor.render.markdown import md_cell, md_escape
from advisor.render.wording import EFFORT_LABELS

UNIT_LABELS = {"flops": "compute (FLOPs)", "usd": "dollars"}
AXIS_LABELS = {
    "flops": ("Training FLOPs (6·N·D)", "Inference FLOPs per query (2·N per token)"),
    "usd": ("Training $ over the horizon (run + premium)",
            "Inference $ per query (beyond the premium)")}


def point_text(point: FrontierPoint) -> str:
    """``Tree search (breadth 5, depth 2) on GPT-5 nano, medium effort``."""
    params = parameters_text(point.parameters)
    strategy = f"{point.strategy_name} ({params})" if params else point.strategy_name
    effort = f", {EFFORT_LABELS[point.thinking_effort]}" if point.thinking_effort else ""
    return f"{strategy} on {point.level_name}{effort}"


def _times(value: float) -> str:
    return f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"


def level_names(curve: FrontierCurve) -> dict[str, str]:
    return {p.level: p.level_name for p in curve.usd_points + curve.flops_points}


def rate_text(rate: ExchangeRate, unit: Unit, names: dict[str, str]) -> str:
    """One neighbouring pair of frontier points as an exchange rate, in words."""
    what = "compute" if unit == "flops" else "spend"
    pair = f"From {names.get(rate.from_level, rate.from_level)} to " \
           f"{names.get(rate.to_level, rate.to_level)}"
    if rate.per_10x_training is not None:
        return (f"{pair}: here, 10× more training {what} saves about "
                f"{_times(rate.per_10x_training)} inference {what} per query "
                f"({_times(rate.training_ratio)} more training, "
                f"{_times(rate.inference_ratio)} less inference).")
    return (f"{pair}: {_times(rate.training_ratio)} more training {what} saves "
            f"{_times(rate.inference_ratio)} inference {what} per query (too little more "
            "training to extrapolate to 10×).")


def curve_rate_text(curve: FrontierCurve) -> str:
    """The curve's overall exchange rate in FLOPs, or why there is none."""
    on = [p for p in curve.flops_points if p.on_frontier]
    if not on:
        return "No tier with a known size reaches this quality within the constraints."
    if len(on) == 1:
        return (f"No trade in compute at this quality: {point_text(on[0])}, the least-trained "
                "level that reaches it, also needs the least inference compute; more training "
                "comes with bigger models that cost more per token.")
    if curve.flops_rate is None:
        return ("The frontier spans under one order of magnitude of training compute, too little "
                "for an overall rate; see the steps between its points.")
    return (f"Along the frontier, 10× more training compute saves about "
            f"{_times(curve.flops_rate)} inference compute per query (least-squares slope in "
            "log-log).")


def where_to_stand_text(frontier: Frontier, curve: FrontierCurve) -> str:
    """The cheapest point of a curve over the horizon."""
    if curve.cheapest is None:
        return "No option reaches this quality within the constraints."
    p = curve.usd_points[curve.cheapest]
    notes = [n for n, bad in (("over your per-query budget", not p.fits_budget),
                              ("over your training budget", not p.fits_training_budget)) if bad]
    note = f" ({' and '.join(notes)})" if notes else ""
    run = f" after a {usd(p.one_time_cost_usd)} one-time run" if p.one_time_cost_usd else ""
    return (f"Cheapest at quality {quality(curve.target_quality)} over "
            f"{days_text(frontier.horizon_days)} at {count(frontier.queries_per_day)} queries a "
            f"day: {point_text(p)}{run}, {usd(p.cost_per_query_usd)} per query, "
            f"{usd(p.total_usd)} in total{note}.")


_REASONS = {
    "training_budget": "{level} reaches the same quality for less, but its one-time run is "
                       "over your training budget",
    "per_query_budget": "{level} reaches the same quality for less in total, but costs more "
                        "per query than your budget allows",
    "constraint": "a rule's requirement or exclusion keeps it off the cheapest point",
}


def recommended_text(frontier: Frontier) -> str:
    """Where the recommendation stands on its curve, or why it is off the frontier."""
    r = frontier.recommended
    if r is None or r.curve is None:
        return ("The recommendation is not on any curve: no allowed option within the latency "
                "budget reaches its quality (nothing fits your budgets).")
    curve = frontier.curves[r.curve]
    name = level_names(curve).get(r.level, r.level)
    if r.reason == "infeasible":
        return ("The recommendation is the closest option, not one that fits your budgets, so "
                "it is not a point of the frontier.")
    if r.on_frontier:
        cheapest = curve.cheapest is not None and curve.usd_points[curve.cheapest].level == r.level
        where = " and is its cheapest point" if cheapest else ""
        return (f"The recommendation ({name}) lies on the frontier in dollars at quality "
                f"{quality(curve.target_quality)}{where}.{_compute_note(curve, r.level)}")
    dominated = level_names(curve).get(r.dominated_by or "", r.dominated_by or "")
    why = _REASONS[r.reason or "constraint"].format(level=dominated)
    return (f"The recommendation ({name}) is on its curve but off the frontier at quality "
            f"{quality(curve.target_quality)}: {why}.")


def _compute_note(curve: FrontierCurve, level: str) -> str:
    """Why the dollar frontier's point may sit off the compute frontier: say so, never leave
    the chart in FLOPs to contradict the sentence."""
    point = next((p for p in curve.flops_points if p.level == level), None)
    if point is None or point.on_frontier or point.inference_flops_per_query is None:
        return ""
    beaten = [p for p in curve.flops_points if p.on_frontier]
    names = level_names(curve)
    others = ", ".join(names.get(p.level, p.level) for p in beaten[:2])
    return (f" In compute (FLOPs) it is off the frontier ({others} need less of both); it is "
            "chosen because prices, not FLOPs, decide what a query costs you.")


def constraints_text(frontier: Frontier) -> str:
    """Which constraints every point respects, and which it may break."""
    kept = [f"within your latency budget ({seconds(frontier.latency_budget_s)})"]
    if frontier.excluded_strategies:
        kept.append("without the strategies your answers' rules exclude ("
                    + ", ".join(frontier.excluded_strategies) + ")")
    if frontier.requires_calibration:
        kept.append("with a calibrated model, as a rule requires")
    return ("Every point is an option " + ", ".join(kept) + ". The per-query budget "
            f"({usd(frontier.budget_per_query_usd)}) and the training budget "
            f"({usd(frontier.training_budget_usd)}) are not required: points over them are "
            "marked, to show what more spend on either side would buy.")


def rate_check_text(check: RateCheck) -> str:
    """The recommended curve's rate beside one published rate, flagged beyond 3× apart."""
    unchecked = "" if check.checked else " (not checked in the source)"
    published = (f"{check.source}, {check.setting}: about {_times(check.published_per_10x)} "
                 f"less inference per 10× training{unchecked}")
    if check.model_per_10x is None:
        return f"{published}; this curve has no rate of its own: {check.reason}."
    ours = f"this curve's {_times(check.model_per_10x)}"
    if check.within_3x:
        return f"{published}; {ours} ({check.reason})."
    return (f"{published}; {ours} is more than 3× off ({check.factor:.2g}× the published): "
            f"{check.reason}.")


def published_text(rate: PublishedExchange) -> str:
    checked = "" if rate.checked else " [not checked in the source]"
    return (f"{rate.source}, {rate.setting}: 10× more training compute saves about "
            f"{_times(rate.per_10x_training)} inference compute{checked}.")


def summary_text(frontier: Frontier, unit: Unit) -> str:
    """One line that says what the chart shows (for screen readers and the report)."""
    parts = []
    for curve in frontier.curves:
        points = curve.flops_points if unit == "flops" else curve.usd_points
        on = [p for p in points if p.on_frontier]
        if not on:
            continue
        ends = (f"from {on[0].level_name} to {on[-1].level_name}" if len(on) > 1
                else f"only {on[0].level_name}")
        parts.append(f"quality {quality(curve.target_quality)}: {len(on)} frontier point"
                     f"{'s' if len(on) != 1 else ''}, {ends}")
    if not parts:
        return "No option reaches any of the quality targets within the constraints."
    return (f"Iso-quality curves in {UNIT_LABELS[unit]}, training on the x axis and inference "
            "per query on the y axis: " + "; ".join(parts) + ".")


def frontier_lines(frontier: Frontier) -> list[str]:
    """The frontier as a Markdown section body (escaped)."""
    lines = [md_escape(summary_text(frontier, "usd")), "",
             md_escape(summary_text(frontier, "flops")), "",
             f"- {md_escape(recommended_text(frontier))}",
             f"- {md_escape(constraints_text(frontier))}", ""]
    for curve in frontier.curves:
        label = ("the recommended quality" if curve.offset == 0 else
                 f"{curve.offset * 100:+.0f} points")
        lines += [f"### Quality {quality(curve.target_quality)} ({label})", "",
                  f"- {md_escape(curve_rate_text(curve))}",
                  f"- {md_escape(where_to_stand_text(frontier, curve))}"]
        names = level_names(curve)
        lines += [f"- {md_escape(rate_text(r, 'flops', names))}" for r in curve.flops_rates]
        lines += [f"- In dollars: {md_escape(rate_text(r, 'usd', names))}"
                  for r in curve.usd_rates]
        lines += ["", "| Level | Option | Training $ | Inference $/query | Total $ | "
                      "Training | Inference/query | Frontier |",
                  "|---|---|---|---|---|---|---|---|"]
        flops_of = {p.level: p for p in curve.flops_points}
        for p in curve.usd_points:
            f = flops_of.get(p.level)
            frontier_mark = ", ".join(u for u, on in (("dollars", p.on_frontier),
                                                      ("FLOPs", f is not None and f.on_frontier))
                                      if on) or "no"
            estimate = " (estimate)" if p.size_estimated else ""
            lines.append(
                f"| {md_cell(p.level_name)} | {md_cell(point_text(p))} | "
                f"{md_cell(usd(p.training_usd))} | {md_cell(usd(p.inference_usd_per_query))} | "
                f"{md_cell(usd(p.total_usd))} | "
                f"{flops(p.training_flops)}{estimate} | {flops(p.inference_flops_per_query)} | "
                f"{frontier_mark} |")
        lines.append("")
    if frontier.rate_checks:
        lines += ["At the recommended quality, beside the published rates for this kind of work:",
                  ""]
        lines += [f"- {md_escape(rate_check_text(c))}" for c in frontier.rate_checks]
        lines.append("")
    lines += ["Published exchange rates, to read these beside:", ""]
    lines += [f"- {md_escape(published_text(r))}" for r in frontier.published_rates]
    lines += ["", "- Sources: " + md_escape("; ".join(frontier.sources))]
    return lines
