"""Plotly figures of a recommendation: cost vs latency, and the decision map.

Used by the app (``theme="streamlit"`` restyles them for light and dark) and by the HTML report.
Figures set no background colours of their own, so either theme applies.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from advisor.costs import CandidateTable
from advisor.result import DecisionMap, Estimate, Recommendation
from advisor.formats import PLOTLY_PLAIN_TICKS as PLAIN_TICKS
from advisor.formats import seconds, usd
from advisor.wording import VERDICT_LABELS, configuration_text, parameters_text, ranged_figures

# Colour-blind-safe qualitative palette (Okabe-Ito), one colour per strategy in catalogue order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
VERDICT_COLOURS = {"inference_time": "#0072B2", "training": "#E69F00", "combined": "#009E73",
                   "neither": "#999999"}
UNAVAILABLE_COLOUR = "rgba(140,140,140,0.35)"


def pareto_frontier(estimates: list[Estimate], *, min_quality: float = 0.0) -> list[Estimate]:
    """Cost-latency Pareto frontier of the available estimates with quality ≥ ``min_quality``.

    Why this frontier: on a cost vs latency chart it answers "what would the same quality cost
    if I could wait longer (or had to answer faster)?" — nothing on it is beaten on both axes by
    an option that is at least as good. Sorted by latency.
    """
    pool = sorted((e for e in estimates if e.available and e.expected_quality >= min_quality),
                  key=lambda e: (e.latency_s, e.cost_usd))
    frontier: list[Estimate] = []
    for e in pool:
        if not frontier or e.cost_usd < frontier[-1].cost_usd:
            frontier.append(e)
    return frontier


def _hover(e: Estimate) -> str:
    shown = ranged_figures(e)
    return (f"<b>{escape_text(configuration_text(e))}</b><br>cost/query {shown['cost']} · "
            f"latency {shown['latency']}<br>quality {shown['quality']} · "
            f"monthly {shown['monthly']} · {e.calls} call(s)"
            + ("" if e.available else f"<br><i>{escape_text(e.unavailable_reason or '')}</i>"))


def escape_text(text: str) -> str:
    """Plotly text is HTML-ish: escape names that come from users or rules files."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _strategy_colours(rec: Recommendation) -> dict[str, str]:
    order = list(dict.fromkeys(e.strategy for e in rec.estimates))
    return {sid: PALETTE[i % len(PALETTE)] for i, sid in enumerate(order)}


def _error_bar(value: float, low: float | None, high: float | None) -> dict:
    """The recommended option's range (from the rules' assumed ranges) as an error bar."""
    if low is None or high is None or high <= low:
        return dict(visible=False)
    return dict(type="data", symmetric=False, array=[high - value], arrayminus=[value - low],
                color="#D55E00", thickness=2, width=6)


def cost_latency_figure(rec: Recommendation, *, height: int = 600) -> go.Figure:
    """Cost per query vs latency (log axes) for every candidate, budgets and frontier drawn."""
    colours = _strategy_colours(rec)
    est = rec.estimates
    fig = go.Figure()
    lat_lo = min(min(e.latency_s for e in est), rec.answers.latency_budget_s) / 1.6
    lat_hi = max(max(e.latency_s for e in est), rec.answers.latency_budget_s) * 1.6
    positive = [e.cost_usd for e in est if e.cost_usd > 0]
    cost_lo = min(positive + [rec.answers.budget_per_query_usd or min(positive)]) / 1.6
    cost_hi = max(positive + [rec.answers.budget_per_query_usd]) * 1.6

    latency, budget = rec.answers.latency_budget_s, max(rec.answers.budget_per_query_usd, cost_lo)
    green = "#009E73"
    # Shapes and labels set in one layout update: add_vline/add_hline cost a third of the figure.
    # Shape coordinates are data values; annotation coordinates on log axes are log10 values.
    fig.update_layout(
        shapes=[dict(type="rect", x0=lat_lo, x1=latency, y0=cost_lo, y1=budget, layer="below",
                     fillcolor="rgba(0,158,115,0.10)", line_width=0),
                dict(type="line", xref="x", yref="paper", x0=latency, x1=latency, y0=0, y1=1,
                     line=dict(color=green, dash="dash")),
                dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=budget, y1=budget,
                     line=dict(color=green, dash="dash"))],
        # Why the anchor follows the line: a label left of a budget near the left edge ran over
        # the tick labels (and off the plot when printed).
        annotations=[dict(x=math.log10(latency), y=1, xref="x", yref="paper", showarrow=False,
                          xanchor="right" if latency > math.sqrt(lat_lo * lat_hi) else "left",
                          yanchor="top",
                          text=f"latency budget {seconds(latency)}"),
                     dict(x=1, y=math.log10(budget), xref="paper", yref="y", showarrow=False,
                          xanchor="right", yanchor="bottom",
                          text=f"budget {usd(rec.answers.budget_per_query_usd)}/query")])

    unavailable = [e for e in est if not e.available]
    if unavailable:
        fig.add_trace(go.Scatter(
            x=np.array([e.latency_s for e in unavailable]),
            y=np.array([e.cost_usd for e in unavailable]),
            mode="markers", name="not available (rules or training budget)",
            marker=dict(symbol="x-thin", size=7, line=dict(width=1, color=UNAVAILABLE_COLOUR)),
            hovertext=np.array([_hover(e) for e in unavailable], dtype=object), hoverinfo="text"))
    for sid, colour in colours.items():
        group = [e for e in est if e.strategy == sid and e.available]
        if not group:
            continue
        fig.add_trace(go.Scatter(
            x=np.array([e.latency_s for e in group]), y=np.array([e.cost_usd for e in group]),
            mode="markers", name=escape_text(group[0].strategy_name),
            marker=dict(color=colour, size=np.array([6 + 22 * e.expected_quality for e in group]),
                        opacity=0.75, line=dict(width=0.5, color="white")),
            hovertext=np.array([_hover(e) for e in group], dtype=object), hoverinfo="text"))
    frontier = pareto_frontier(est, min_quality=rec.chosen.expected_quality)
    if frontier:
        fig.add_trace(go.Scatter(
            x=[e.latency_s for e in frontier], y=[e.cost_usd for e in frontier],
            mode="lines", line_shape="hv",
            name=f"Pareto frontier at quality ≥ {rec.chosen.expected_quality:.2f}",
            line=dict(color="#666666", width=2, dash="dot"), hoverinfo="skip"))
    chosen = rec.chosen
    fig.add_trace(go.Scatter(
        x=[chosen.latency_s], y=[chosen.cost_usd], mode="markers", name="Recommended",
        marker=dict(symbol="star", size=22, color="#D55E00", line=dict(width=1.5, color="black")),
        error_x=_error_bar(chosen.latency_s, chosen.latency_s_low, chosen.latency_s_high),
        error_y=_error_bar(chosen.cost_usd, chosen.cost_usd_low, chosen.cost_usd_high),
        hovertext=[_hover(chosen)], hoverinfo="text"))
    # Annotation coordinates on log axes are log10 values; point the label inwards.
    x_share = math.log(chosen.latency_s / lat_lo) / math.log(lat_hi / lat_lo)
    y_share = math.log(max(chosen.cost_usd, cost_lo) / cost_lo) / math.log(cost_hi / cost_lo)
    fig.add_annotation(x=math.log10(chosen.latency_s), y=math.log10(max(chosen.cost_usd, cost_lo)),
                       text="<b>Recommended</b>", showarrow=True, arrowhead=2,
                       ax=-70 if x_share > 0.35 else 70, ay=-45 if y_share < 0.75 else 45,
                       bgcolor="rgba(255,255,255,0.85)", bordercolor="#D55E00", font_color="#222")
    fig.update_xaxes(type="log", title="Latency per answer (s, log scale)",
                     range=[math.log10(lat_lo), math.log10(lat_hi)], **PLAIN_TICKS)
    fig.update_yaxes(type="log", title="Cost per query (USD, log scale)",
                     range=[math.log10(cost_lo), math.log10(cost_hi)], **PLAIN_TICKS)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
                      hoverlabel=dict(align="left"))
    return fig


def decision_map_figure(dmap: DecisionMap, rec: Recommendation, *, colour_by: str = "verdict",
                        strategy_names: dict[str, str] | None = None, height: int = 480
                        ) -> go.Figure:
    """Heatmap of the verdict (or chosen strategy) over latency × per-query budget."""
    strategy_names = strategy_names or {}
    grid = dmap.verdicts if colour_by == "verdict" else dmap.strategies
    if colour_by == "verdict":
        categories = [v for v in VERDICT_LABELS if any(v in row for row in grid)]
        labels = {v: VERDICT_LABELS[v] for v in categories}
        colours = [VERDICT_COLOURS[v] for v in categories]
    else:
        categories = sorted({s for row in grid for s in row}, key=lambda s: (s == "none fits", s))
        labels = {s: strategy_names.get(s, s) for s in categories}
        colours = [("#BBBBBB" if s == "none fits" else PALETTE[i % len(PALETTE)])
                   for i, s in enumerate(categories)]
    index = {c: i for i, c in enumerate(categories)}
    # numpy arrays throughout: plotly validates lists element by element, arrays in one go,
    # which is most of this figure's cost at 50 x 50 cells.
    z = np.array([[index[c] for c in row] for row in grid])
    n = max(len(categories), 1)
    scale = []
    for i, colour in enumerate(colours):
        scale += [(i / n, colour), ((i + 1) / n, colour)]
    verdicts = np.array(dmap.verdicts, dtype=object)
    strategies = np.array(dmap.strategies, dtype=object)
    verdict_labels = np.vectorize(lambda v: VERDICT_LABELS[v], otypes=[object])(verdicts)
    strategy_labels = np.vectorize(lambda s: escape_text(strategy_names.get(s, s)),
                                   otypes=[object])(strategies)
    customdata = np.stack([verdict_labels, strategy_labels], axis=-1)
    fig = go.Figure(go.Heatmap(
        x=np.array(dmap.latency_values), y=np.array(dmap.budget_values), z=z, zmin=-0.5,
        zmax=n - 0.5, colorscale=scale if scale else None, customdata=customdata,
        hovertemplate="latency budget %{x:.3g} s<br>budget $%{y:.3g} per query<br>"
                      "verdict: %{customdata[0]}<br>strategy: %{customdata[1]}<extra></extra>",
        colorbar=dict(tickvals=list(range(n)), ticktext=[escape_text(labels[c]) for c in categories],
                      title=""), showscale=True))
    x = min(max(rec.answers.latency_budget_s, dmap.latency_values[0]), dmap.latency_values[-1])
    y = min(max(rec.answers.budget_per_query_usd, dmap.budget_values[0]), dmap.budget_values[-1])
    fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers+text", text=["You are here"],
                             textposition="top center", name="your answers",
                             marker=dict(symbol="x", size=16, color="black",
                                         line=dict(width=2, color="white")),
                             hoverinfo="skip", showlegend=False))
    fig.update_xaxes(type="log", title="Latency budget (s, log scale)", **PLAIN_TICKS)
    fig.update_yaxes(type="log", title="Budget per query (USD, log scale)", **PLAIN_TICKS)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10))
    return fig


def quality_curves_figure(table: CandidateTable, model_id: str, *, effort: str | None = None,
                          height: int = 420) -> go.Figure:
    """Expected quality against cost per query for each strategy on one model tier.

    Why from the candidate table: the About page shows the very numbers the engine selects
    from, never a second implementation of its formulas.
    """
    fig = go.Figure()
    rows = [i for i in range(len(table)) if table.serving(i).model_id == model_id
            and table.efforts[i] == effort]
    single = [i for i in rows if table.strategy(i).kind == "single_pass"]
    for n, strategy in enumerate(table.strategies):
        members = [i for i in rows if table.strategy_ids[i] == strategy.id]
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
