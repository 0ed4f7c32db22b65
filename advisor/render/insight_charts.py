"""Plotly figures of the break-even and of a scenario comparison.

Like :mod:`advisor.render.charts`, figures set no background colours, so the app's
``theme="streamlit"`` and the HTML report's plain page both apply; they only draw what the result
models hold.
"""

from __future__ import annotations

import plotly.graph_objects as go

from advisor.analysis.compare import Comparison
from advisor.model.result import BreakEven
from advisor.render.charts import PALETTE, VERDICT_COLOURS, escape_text
from advisor.render.formats import PLOTLY_PLAIN_TICKS as PLAIN_TICKS
from advisor.render.formats import PLOTLY_USD_TICKS as USD_TICKS
from advisor.render.formats import count, days_text, quality, usd
from advisor.render.wording import (BREAK_EVEN_SIDES, configuration_text, latency_pair,
                                    verdict_label)


def break_even_figure(be: BreakEven, *, height: int = 380) -> go.Figure:
    """Cumulative cost over the horizon of both options, with the crossing marked."""
    fig = go.Figure()
    if be.cumulative_training_usd is not None:
        fig.add_trace(go.Scatter(
            x=be.days, y=be.cumulative_training_usd, mode="lines",
            name=BREAK_EVEN_SIDES["training"],
            line=dict(color=PALETTE[1], width=3),
            hovertemplate=f"{escape_text(configuration_text(be.training))}<br>day %{{x:.1f}}: "
                          "$%{y:,.0f}<extra></extra>"))
    if be.cumulative_inference_usd is not None:
        fig.add_trace(go.Scatter(
            x=be.days, y=be.cumulative_inference_usd, mode="lines",
            name=BREAK_EVEN_SIDES["inference"], line=dict(color=PALETTE[0], width=3, dash="dash"),
            hovertemplate=f"{escape_text(configuration_text(be.inference))}<br>day %{{x:.1f}}: "
                          "$%{y:,.0f}<extra></extra>"))
    if (be.outcome == "pays_off" and be.break_even_days is not None
            and be.break_even_days <= be.horizon_days):
        cost = be.training.one_time_cost_usd + (be.training.cost_per_query_usd
                                                * be.break_even_queries)
        fig.add_trace(go.Scatter(
            x=[be.break_even_days], y=[cost], mode="markers", name="Break-even",
            marker=dict(symbol="x", size=14, color=PALETTE[5]),
            hovertemplate=f"break-even after {count(be.break_even_queries)} queries "
                          f"({days_text(be.break_even_days)})<extra></extra>"))
        fig.add_annotation(x=be.break_even_days, y=cost, ax=30, ay=-40,
                           text=f"break-even: {days_text(be.break_even_days)}")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      xaxis_title=f"days at {count(be.queries_per_day)} queries a day",
                      yaxis=dict(title="cumulative cost (USD)", **USD_TICKS),
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return fig


def comparison_figure(comparison: Comparison, *, height: int = 420) -> go.Figure:
    """Each scenario's recommendation: cost per query (log) vs expected quality, by verdict."""
    fig = go.Figure()
    for scenario, rec in zip(comparison.scenarios, comparison.results):
        c = rec.chosen
        fig.add_trace(go.Scatter(
            x=[c.cost_usd], y=[c.expected_quality], mode="markers+text",
            name=escape_text(scenario.name), text=[escape_text(scenario.name)],
            textposition="top center",
            marker=dict(size=16, color=VERDICT_COLOURS[rec.verdict],
                        symbol="circle" if rec.feasible else "circle-open",
                        line=dict(width=2, color=VERDICT_COLOURS[rec.verdict])),
            hovertemplate=(f"<b>{escape_text(scenario.name)}</b><br>"
                           f"{escape_text(verdict_label(rec))}"
                           f": {escape_text(configuration_text(rec))}<br>cost/query "
                           f"{usd(c.cost_usd)} · {latency_pair(c)} · quality "
                           f"{quality(c.expected_quality)}<br>monthly {usd(c.monthly_cost_usd)}"
                           "<extra></extra>")))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      xaxis=dict(type="log", title="cost per query (USD, log)",
                                 **PLAIN_TICKS),
                      yaxis=dict(title="expected quality"), showlegend=False)
    return fig
