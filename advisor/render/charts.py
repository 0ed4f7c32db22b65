"""Plotly figures of a recommendation: cost vs latency, and the decision map.

Used by the app (``theme="streamlit"`` restyles them for light and dark) and by the HTML report.
Figures set no background colours of their own, so either theme applies.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from advisor.engine.costs import CandidateTable
from advisor.model.result import DecisionMap, Estimate, LatencyMeasure, Recommendation
from advisor.model.result import parameters_text
from advisor.render.formats import PLOTLY_PLAIN_TICKS as PLAIN_TICKS
from advisor.render.formats import quality, seconds, usd
from advisor.render.wording import VERDICT_LABELS, configuration_text, latency_pair, ranged_figures

# Colour-blind-safe qualitative palette (Okabe-Ito), one colour per strategy in catalogue order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
VERDICT_COLOURS = {"inference_time": "#0072B2", "training": "#E69F00", "combined": "#009E73",
                   "neither": "#999999"}


def pareto_frontier(estimates: list[Estimate], *, min_quality: float = 0.0,
                    measure: LatencyMeasure = "whole_answer") -> list[Estimate]:
    """Cost-latency Pareto frontier of the available estimates with quality ≥ ``min_quality``.

    Why this frontier: on a cost vs latency chart it answers "what would the same quality cost
    if I could wait longer (or had to answer faster)?" — nothing on it is beaten on both axes by
    an option that is at least as good. Sorted by the latency ``measure`` names (the one the
    budget applies to).
    """
    pool = sorted((e for e in estimates if e.available and e.expected_quality >= min_quality),
                  key=lambda e: (e.latency_for(measure), e.cost_usd))
    frontier: list[Estimate] = []
    for e in pool:
        if not frontier or e.cost_usd < frontier[-1].cost_usd:
            frontier.append(e)
    return frontier


def _hover(e: Estimate) -> str:
    shown = ranged_figures(e)
    return (f"<b>{escape_text(configuration_text(e))}</b><br>cost/query {shown['cost']} · "
            f"{latency_pair(e)}<br>quality {shown['quality']} · "
            f"monthly {shown['monthly']} · {e.calls} call(s)"
            + ("" if e.available else f"<br><i>{escape_text(e.unavailable_reason or '')}</i>"))


def escape_text(text: str) -> str:
    """Plotly text is HTML-ish: escape names that come from users or rules files."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


QUIET_COLOUR = "rgba(110,110,110,0.45)"
FRONTIER_COLOUR = "#0072B2"
CHOSEN_COLOUR = "#D55E00"
BUDGET_COLOUR = "#007A5A"  # Okabe-Ito green, darkened to 5:1 on white for its labels
LABEL_BACKGROUND = "rgba(255,255,255,0.85)"  # labels stay readable over points and cells
# Plain numbers on log axes: plotly's default SI prefixes print $0.0001 as "100µ".
# One tick a decade: plotly's 2 and 5 between decades read as values of their own.
SECONDS_TICKS = dict(type="log", dtick=1, tickformat=",~g")
USD_TICKS = dict(type="log", dtick=1, tickformat="$,~g")
SYMBOLS = {False: "circle", True: "diamond"}  # fine-tuned options are diamonds everywhere
# The x axis is the latency the budget applies to.
AXIS_TITLES = {"whole_answer": "Latency per answer (s, log scale)",
               "first_token": "Time to the first words (s, log scale)"}
# Screen cells per axis when thinning the quiet points (about 6 px at the app's width).
THIN_CELLS = (160, 100)


def _error_bar(value: float, low: float | None, high: float | None) -> dict:
    """The recommended option's range (from the rules' assumed ranges) as an error bar."""
    if low is None or high is None or high <= low:
        return dict(visible=False)
    return dict(type="data", symmetric=False, array=[high - value], arrayminus=[value - low],
                color=CHOSEN_COLOUR, thickness=2, width=6)


def thinned(latency: np.ndarray, cost: np.ndarray, *, cells: tuple[int, int] = THIN_CELLS
            ) -> np.ndarray:
    """Indexes of one point per screen cell of the log-log plane, in input order.

    Why: of about 1,000 candidates most overlap at screen resolution; a point hidden under
    another adds bytes to every update and nothing to the picture.
    """
    if len(latency) == 0:
        return np.arange(0)
    cell_x = _cells(np.log10(latency), cells[0])
    cell_y = _cells(np.log10(np.maximum(cost, 1e-12)), cells[1])
    _, first = np.unique(cell_x * (cells[1] + 1) + cell_y, return_index=True)
    return np.sort(first)


def _cells(values: np.ndarray, n: int) -> np.ndarray:
    span = max(float(values.max() - values.min()), 1e-9)
    return np.floor((values - values.min()) / span * n).astype(np.int64)


def _quiet_trace(group: list[Estimate], *, name: str, symbol: str, measure: LatencyMeasure,
                 **style) -> dict:
    """Options neither on the frontier nor chosen: small, grey, no hover (the table has them)."""
    latency = np.array([e.latency_for(measure) for e in group], dtype=np.float32)
    cost = np.array([e.cost_usd for e in group], dtype=np.float32)
    keep = thinned(latency, cost)
    return dict(type="scatter", x=latency[keep], y=cost[keep], mode="markers", name=name,
                hoverinfo="skip", **style,
                marker=dict(symbol=symbol, size=6, color=QUIET_COLOUR,
                            line=dict(width=1, color=QUIET_COLOUR)))


def _log_share(value: float, lo: float, hi: float) -> float:
    """Where ``value`` sits between ``lo`` and ``hi`` on a log axis, 0 to 1."""
    return math.log(value / lo) / math.log(hi / lo)


def _budget_layout(rec: Recommendation, x_range: tuple[float, float],
                   y_range: tuple[float, float]) -> dict:
    """The shaded box that fits both budgets, its two edges and their labels, kept inside."""
    latency = rec.answers.latency_budget_s
    budget = max(rec.answers.budget_per_query_usd, y_range[0])
    x_left = _log_share(latency, *x_range) > 0.5  # label on the side with room
    y_below = _log_share(budget, *y_range) > 0.9
    edge = dict(color=BUDGET_COLOUR, dash="dash", width=1.5)
    label = dict(showarrow=False, font=dict(color=BUDGET_COLOUR), bgcolor=LABEL_BACKGROUND)
    # Shape coordinates are data values; annotation coordinates on log axes are log10 values.
    return dict(
        shapes=[dict(type="rect", x0=x_range[0], x1=latency, y0=y_range[0], y1=budget,
                     layer="below", fillcolor="rgba(0,158,115,0.08)", line_width=0),
                dict(type="line", xref="x", yref="paper", x0=latency, x1=latency, y0=0, y1=1,
                     line=edge),
                dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=budget, y1=budget,
                     line=edge)],
        annotations=[dict(label, x=math.log10(latency), y=1, xref="x", yref="paper",
                          xanchor="right" if x_left else "left", yanchor="top",
                          text=f"latency budget {seconds(latency)}"),
                     dict(label, x=0, y=math.log10(budget), xref="paper", yref="y",
                          xanchor="left", yanchor="top" if y_below else "bottom",
                          text=f"budget {usd(rec.answers.budget_per_query_usd)} per query")])


def _ranges(rec: Recommendation) -> tuple[tuple[float, float], tuple[float, float]]:
    """Axis ranges holding every candidate, both budgets and the choice's error bars, with
    room for the star."""
    est, a, c = rec.estimates, rec.answers, rec.chosen
    bars = [v for v in c.latency_range_for(rec.latency_measure) if v is not None and v > 0]
    latencies = [rec.budgeted_latency_s(e) for e in est] + [a.latency_budget_s] + bars
    positive = [e.cost_usd for e in est if e.cost_usd > 0] or [a.budget_per_query_usd or 1.0]
    costs = (positive + ([a.budget_per_query_usd] if a.budget_per_query_usd > 0 else [])
             + [v for v in (c.cost_usd_low, c.cost_usd_high) if v is not None and v > 0])
    return ((min(latencies) / 2, max(latencies) * 2), (min(costs) / 2, max(costs) * 2))


def cost_latency_figure(rec: Recommendation, *, height: int = 560) -> go.Figure:
    """Cost per query vs latency (log axes): the frontier and the choice stand out, the rest is
    grey; fine-tuned options are diamonds; each legend entry toggles its points.

    Why plain dicts, validated once by ``go.Figure``: building trace by trace validates each
    update again, which cost more than the analysis behind the chart.
    """
    x_range, y_range = _ranges(rec)
    chosen, measure = rec.chosen, rec.latency_measure
    frontier = pareto_frontier(rec.estimates, min_quality=chosen.expected_quality,
                               measure=measure)
    shown = {id(e) for e in frontier} | {id(chosen)}
    rest = [e for e in rec.estimates if e.available and id(e) not in shown]
    ruled_out = [e for e in rec.estimates if not e.available]
    traces = [_quiet_trace(group, name=name, symbol=SYMBOLS[tuned], measure=measure)
              for tuned, name in ((False, "Other options"), (True, "Other options, fine-tuned"))
              if (group := [e for e in rest if e.fine_tuned == tuned])]
    if ruled_out:
        traces.append(_quiet_trace(ruled_out, name="Ruled out (rules or training budget)",
                                   symbol="x-thin", visible="legendonly", measure=measure))
    if frontier:
        traces.append(dict(
            type="scatter", x=[e.latency_for(measure) for e in frontier],
            y=[e.cost_usd for e in frontier],
            mode="lines+markers", line_shape="hv", cliponaxis=False,
            name=f"Cheapest at each latency, quality ≥ {quality(chosen.expected_quality)}",
            line=dict(color=FRONTIER_COLOUR, width=2),
            marker=dict(color=FRONTIER_COLOUR, size=9, line=dict(width=1, color="white"),
                        symbol=[SYMBOLS[e.fine_tuned] for e in frontier]),
            hovertext=[_hover(e) for e in frontier], hoverinfo="text"))
    x = chosen.latency_for(measure)
    traces.append(dict(
        type="scatter", x=[x], y=[chosen.cost_usd], mode="markers",
        name="Recommended", cliponaxis=False, hovertext=[_hover(chosen)], hoverinfo="text",
        error_x=_error_bar(x, *chosen.latency_range_for(measure)),
        error_y=_error_bar(chosen.cost_usd, chosen.cost_usd_low, chosen.cost_usd_high),
        marker=dict(symbol="star", size=22, color=CHOSEN_COLOUR,
                    line=dict(width=1.5, color="black"))))
    layout = _budget_layout(rec, x_range, y_range)
    layout["annotations"].append(_chosen_label(x, chosen.cost_usd, x_range, y_range))
    return go.Figure(data=traces, layout=dict(
        layout, height=height, margin=dict(l=10, r=10, t=30, b=10),
        xaxis=dict(SECONDS_TICKS, title=dict(text=AXIS_TITLES[measure]),
                   range=[math.log10(v) for v in x_range]),
        yaxis=dict(USD_TICKS, title=dict(text="Cost per query (USD, log scale)"),
                   range=[math.log10(v) for v in y_range]),
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, itemclick="toggle",
                    itemdoubleclick="toggleothers"),
        hoverlabel=dict(align="left")))


def _chosen_label(latency: float, cost: float, x_range: tuple[float, float],
                  y_range: tuple[float, float]) -> dict:
    """"Recommended", its arrow pointing in from the side with more room, never off the plot.

    Why below the star unless it sits low: the star usually fits the budget, so above it runs
    the budget line with its own label.
    """
    x_share = _log_share(latency, *x_range)
    y_share = _log_share(max(cost, y_range[0]), *y_range)
    return dict(x=math.log10(latency), y=math.log10(max(cost, y_range[0])),
                text="<b>Recommended</b>", showarrow=True, arrowhead=2,
                ax=-80 if x_share > 0.5 else 80, ay=45 if y_share > 0.3 else -45,
                bgcolor=LABEL_BACKGROUND, bordercolor=CHOSEN_COLOUR,
                font=dict(color="#222222"))


NONE_FITS_COLOUR = "#BBBBBB"
MARKER_TEXT = "You are here"


def map_categories(dmap: DecisionMap, *, colour_by: str = "verdict",
                   strategy_names: dict[str, str] | None = None
                   ) -> tuple[list[list[str]], list[tuple[str, str, str]]]:
    """The grid the decision map colours, and its categories as (id, label, colour).

    Why one function: the figure, its legend and the sentences under it must name the same
    categories in the same colours.
    """
    if colour_by == "verdict":
        grid = dmap.verdicts
        present = [v for v in VERDICT_LABELS if any(v in row for row in grid)]
        return grid, [(v, VERDICT_LABELS[v], VERDICT_COLOURS[v]) for v in present]
    names = strategy_names or {}
    grid = dmap.strategies
    present = sorted({s for row in grid for s in row}, key=lambda s: (s == "none fits", s))
    return grid, [(s, names.get(s, s),
                   NONE_FITS_COLOUR if s == "none fits" else PALETTE[i % len(PALETTE)])
                  for i, s in enumerate(present)]


def you_are_here(dmap: DecisionMap, rec: Recommendation) -> tuple[float, float]:
    """The answers' point on the map, held inside its axes."""
    x = min(max(rec.answers.latency_budget_s, dmap.latency_values[0]), dmap.latency_values[-1])
    y = min(max(rec.answers.budget_per_query_usd, dmap.budget_values[0]), dmap.budget_values[-1])
    return x, y


def decision_map_figure(dmap: DecisionMap, rec: Recommendation, *, colour_by: str = "verdict",
                        strategy_names: dict[str, str] | None = None, height: int = 480
                        ) -> go.Figure:
    """Heatmap of the verdict (or chosen strategy) over latency × per-query budget.

    Categories are named in a legend (not a colour bar) and "You are here" sits in a white
    box with a black edge, readable on any cell colour.
    """
    grid, categories = map_categories(dmap, colour_by=colour_by, strategy_names=strategy_names)
    index = {c: i for i, (c, _, _) in enumerate(categories)}
    # numpy arrays throughout: plotly validates lists element by element, arrays in one go,
    # which is most of this figure's cost at 50 x 50 cells.
    z = np.array([[index[c] for c in row] for row in grid])
    n = max(len(categories), 1)
    scale = []
    for i, (_, _, colour) in enumerate(categories):
        scale += [(i / n, colour), ((i + 1) / n, colour)]
    names = strategy_names or {}
    verdict_labels = np.vectorize(lambda v: VERDICT_LABELS[v], otypes=[object])(
        np.array(dmap.verdicts, dtype=object))
    strategy_labels = np.vectorize(lambda s: escape_text(names.get(s, s)), otypes=[object])(
        np.array(dmap.strategies, dtype=object))
    fig = go.Figure(go.Heatmap(
        x=np.array(dmap.latency_values), y=np.array(dmap.budget_values), z=z, zmin=-0.5,
        zmax=n - 0.5, colorscale=scale or None, showscale=False, showlegend=False,
        customdata=np.stack([verdict_labels, strategy_labels], axis=-1),
        hovertemplate="latency budget %{x:.3g} s<br>budget $%{y:.3g} per query<br>"
                      "verdict: %{customdata[0]}<br>strategy: %{customdata[1]}<extra></extra>"))
    for _, label, colour in categories:  # legend entries: a square of each colour, named
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=escape_text(label),
                                 marker=dict(symbol="square", size=14, color=colour,
                                             line=dict(width=1, color="#333333"))))
    x, y = you_are_here(dmap, rec)
    fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers", name=MARKER_TEXT, showlegend=False,
                             cliponaxis=False, hoverinfo="skip",
                             marker=dict(symbol="x", size=16, color="black",
                                         line=dict(width=2, color="white"))))
    x_share = _log_share(x, dmap.latency_values[0], dmap.latency_values[-1])
    y_share = _log_share(y, dmap.budget_values[0], dmap.budget_values[-1])
    fig.add_annotation(x=math.log10(x), y=math.log10(y), text=f"<b>{MARKER_TEXT}</b>",
                       showarrow=True, arrowhead=2, arrowcolor="black", arrowwidth=1.5,
                       ax=-60 if x_share > 0.6 else 60, ay=36 if y_share > 0.7 else -36,
                       bgcolor="white", bordercolor="black", borderwidth=1.5,
                       font=dict(color="black"))
    if len(categories) == 1:
        fig.add_annotation(x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                           text=f"The same everywhere: {escape_text(categories[0][1])}",
                           bgcolor="white", bordercolor="black", font=dict(color="black"))
    fig.update_xaxes(SECONDS_TICKS, title="Latency budget (s, log scale)")
    fig.update_yaxes(USD_TICKS, title="Budget per query (USD, log scale)")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0,
                                  itemclick=False, itemdoubleclick=False))
    return fig


def quality_curves_figure(table: CandidateTable, model_id: str, *, effort: str | None = None,
                          height: int = 420) -> go.Figure:
    """Expected quality against cost per query for each strategy on one model tier.

    Why from the candidate table: the About page shows the very numbers the engine selects
    from, never a second implementation of its formulas.
    """
    fig = go.Figure()
    serving = next(k for k, s in enumerate(table.servings) if s.model_id == model_id)
    on_tier = np.flatnonzero(table.serving_index == serving)
    rows = [int(i) for i in on_tier if table.efforts[i] == effort]
    single = [i for i in rows if table.strategy(i).kind == "single_pass"]
    for n, strategy in enumerate(table.strategies):
        members = [i for i in rows if table.strategy_index[i] == n]
        if not members or strategy.kind == "single_pass":
            continue
        colour = PALETTE[n % len(PALETTE)]
        groups = ({f"depth {d}": [i for i in members if table.parameters[i]["depth"] == d]
                   for d in sorted({table.parameters[i]["depth"] for i in members})}
                  if strategy.kind == "tree_search" else {"": members})
        for suffix, group in groups.items():
            group = sorted(group, key=lambda i: table.cost[i])
            name = escape_text(strategy.name) + (f" ({suffix})" if suffix else "")
            fig.add_trace(go.Scatter(
                x=table.cost[group], y=table.quality[group], mode="lines+markers", name=name,
                line=dict(color=colour, dash="dot" if suffix.endswith(" 2") else "solid"),
                text=[parameters_text(table.parameters[i]) for i in group],
                hovertemplate="%{text}<br>$%{x:.5f} per query<br>quality %{y:.3f}<extra>"
                              + name + "</extra>"))
    for i in single:
        fig.add_hline(y=float(table.quality[i]), line_dash="dash", line_color="#888888",
                      annotation_text="single pass", annotation_position="bottom right")
    fig.update_xaxes(type="log", title="Cost per query (USD, log scale)", **PLAIN_TICKS)
    fig.update_yaxes(title="Expected quality (chance one answer is correct)", range=[0, 1])
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return fig
