"""The frontier as a plotly figure: one iso-quality curve per target, in FLOPs or in dollars.

Like :mod:`advisor.render.charts`, the figure sets no background colours and only draws what the
:class:`~advisor.model.frontier.Frontier` holds.
"""

from __future__ import annotations

import plotly.graph_objects as go

from advisor.render.charts import PALETTE, escape_text
from advisor.model.frontier import Frontier, FrontierPoint, Unit
from advisor.render.frontier_text import AXIS_LABELS, point_text
from advisor.render.formats import PLOTLY_PLAIN_TICKS, flops, quality, usd


def _xy_at(point: FrontierPoint, unit: Unit, floor: float = 0.0
        ) -> tuple[float | None, float | None]:
    if unit == "flops":
        return point.training_flops, point.inference_flops_per_query
    return max(point.training_usd, floor), point.inference_usd_per_query


def zero_floor(frontier: Frontier) -> float:
    """Where a level with no training spend ($0: the cheapest tier's base answer) is drawn on
    the dollar view's log axis: a third of the least positive training spend."""
    spends = [p.training_usd for c in frontier.curves for p in c.usd_points if p.training_usd > 0]
    return min(spends) / 3 if spends else 1.0


def _hover(point: FrontierPoint) -> str:
    marks = [m for m, bad in (("over your per-query budget", not point.fits_budget),
                              ("fine-tune over your training budget",
                               not point.fits_training_budget)) if bad]
    size = " (N, D estimated)" if point.size_estimated else ""
    lines = [escape_text(point_text(point)),
             f"quality {quality(point.expected_quality)} · {usd(point.cost_per_query_usd)} per "
             f"query · total {usd(point.total_usd)}",
             f"training {flops(point.training_flops)}{size} · inference "
             f"{flops(point.inference_flops_per_query)} per query",
             f"training {usd(point.training_usd)} · inference "
             f"{usd(point.inference_usd_per_query)} per query",
             "on the frontier" if point.on_frontier else "off the frontier (another level needs "
                                                         "no more of either)"]
    return "<br>".join(lines + [escape_text(m) for m in marks]) + "<extra></extra>"


def frontier_figure(frontier: Frontier, *, unit: Unit = "flops", height: int = 460) -> go.Figure:
    """Iso-quality curves: training on x, inference per query on y, both log scales.

    Frontier points are joined by a line; other levels are hollow markers. A star marks the
    cheapest point of each curve over the horizon, a ring the recommendation. In dollars, a
    level with no training spend is drawn at :func:`zero_floor`.
    """
    fig = go.Figure()
    recommended = frontier.recommended
    floor = zero_floor(frontier) if unit == "usd" else 0.0

    def _xy(point: FrontierPoint, unit: Unit) -> tuple[float | None, float | None]:
        return _xy_at(point, unit, floor)
    for number, curve in enumerate(frontier.curves):
        colour = PALETTE[number % len(PALETTE)]
        points = [p for p in (curve.flops_points if unit == "flops" else curve.usd_points)
                  if None not in _xy(p, unit)]
        name = f"quality {quality(curve.target_quality)}" + (
            " (recommended)" if curve.offset == 0 else "")
        on = [p for p in points if p.on_frontier]
        off = [p for p in points if not p.on_frontier]
        fig.add_trace(go.Scatter(
            x=[_xy(p, unit)[0] for p in on], y=[_xy(p, unit)[1] for p in on],
            mode="lines+markers", name=name, legendgroup=name,
            line=dict(color=colour, width=2, dash="solid" if curve.offset == 0 else "dot"),
            marker=dict(size=9, color=colour), hovertemplate=[_hover(p) for p in on]))
        if off:
            fig.add_trace(go.Scatter(
                x=[_xy(p, unit)[0] for p in off], y=[_xy(p, unit)[1] for p in off],
                mode="markers", name=f"{name}: off the frontier", legendgroup=name,
                showlegend=False, marker=dict(size=8, color=colour, symbol="circle-open"),
                hovertemplate=[_hover(p) for p in off]))
        cheapest = curve.usd_points[curve.cheapest] if curve.cheapest is not None else None
        if cheapest is not None:
            shown = next((p for p in points if p.level == cheapest.level), None)
            if unit == "usd":
                shown = cheapest
            if shown is not None and None not in _xy(shown, unit):
                x, y = _xy(shown, unit)
                fig.add_trace(go.Scatter(
                    x=[x], y=[y], mode="markers", name=f"cheapest at {name}",
                    legendgroup=name, showlegend=False,
                    marker=dict(size=16, symbol="star", color=colour,
                                line=dict(color="#000000", width=1)),
                    hovertemplate="cheapest over the horizon<br>" + _hover(shown)))
        if recommended is not None and recommended.curve == number:
            point = next((p for p in points if p.level == recommended.level), None)
            if point is not None:
                x, y = _xy(point, unit)
                fig.add_trace(go.Scatter(
                    x=[x], y=[y], mode="markers", name="recommended",
                    marker=dict(size=22, symbol="circle-open", color="#000000",
                                line=dict(width=2)),
                    hovertemplate="the recommendation's level<br>" + _hover(point)))
    x_title, y_title = AXIS_LABELS[unit]
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
                      # One label a decade: the 2…9 labels of a log axis run into each other.
                      xaxis=dict(title=x_title, type="log", dtick=1),
                      yaxis=dict(title=y_title, type="log", dtick=1))
    ticks = {"exponentformat": "power"} if unit == "flops" else PLOTLY_PLAIN_TICKS
    fig.update_xaxes(**ticks)
    fig.update_yaxes(**ticks)
    unpaid = any(p.training_usd == 0 for c in frontier.curves for p in c.usd_points)
    if unit == "usd" and unpaid:
        # Why a note: the cheapest tier's base answer spends nothing on training, which a log
        # axis cannot show; it is drawn at the floor.
        fig.add_annotation(x=1, y=0, xref="paper", yref="paper", showarrow=False,
                           xanchor="right", yanchor="bottom", font=dict(size=11),
                           text=f"$0 of training drawn at {usd(floor)}")
    return fig
