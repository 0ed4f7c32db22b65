"""The frontier as a plotly figure: one iso-quality curve per target, in FLOPs or in dollars.

Like :mod:`advisor.render.charts`, the figure sets no background colours and only draws what the
:class:`~advisor.model.frontier.Frontier` holds.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from advisor.model.frontier import Frontier, FrontierCurve, FrontierPoint, Unit
from advisor.render.charts import PALETTE, escape_text
from advisor.render.formats import flops, quality, usd
from advisor.render.frontier_text import AXIS_LABELS, point_text


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

    Args:
        frontier: the analysed frontier.
        unit: ``"flops"`` or ``"usd"``: the axes' unit.
        height: the figure's height in pixels.

    Returns:
        The figure, with no background colours set.
    """
    fig = go.Figure()
    floor = zero_floor(frontier) if unit == "usd" else 0.0
    for number, curve in enumerate(frontier.curves):
        _add_curve(fig, curve, colour=PALETTE[number % len(PALETTE)], unit=unit, floor=floor,
                   recommended_level=_recommended_level(frontier, number))
    _lay_out_log_axes(fig, unit=unit, height=height)
    _note_zero_floor(fig, frontier, unit=unit, floor=floor)
    return fig


def _recommended_level(frontier: Frontier, number: int) -> str | None:
    """The recommendation's level if it lies on curve ``number``, else None."""
    recommended = frontier.recommended
    if recommended is not None and recommended.curve == number:
        return recommended.level
    return None


def _add_curve(fig: go.Figure, curve: FrontierCurve, *, colour: str, unit: Unit, floor: float,
               recommended_level: str | None) -> None:
    """One curve's traces: the frontier line, the levels off it, its cheapest point's star and,
    on the recommendation's curve, the ring round the recommended level."""
    points = [p for p in (curve.flops_points if unit == "flops" else curve.usd_points)
              if None not in _xy_at(p, unit, floor)]
    name = f"quality {quality(curve.target_quality)}" + (
        " (recommended)" if curve.offset == 0 else "")
    on = [p for p in points if p.on_frontier]
    off = [p for p in points if not p.on_frontier]
    fig.add_trace(go.Scatter(
        x=[_xy_at(p, unit, floor)[0] for p in on], y=[_xy_at(p, unit, floor)[1] for p in on],
        mode="lines+markers", name=name, legendgroup=name,
        line=dict(color=colour, width=2, dash="solid" if curve.offset == 0 else "dot"),
        marker=dict(size=9, color=colour), hovertemplate=[_hover(p) for p in on]))
    if off:
        fig.add_trace(go.Scatter(
            x=[_xy_at(p, unit, floor)[0] for p in off], y=[_xy_at(p, unit, floor)[1] for p in off],
            mode="markers", name=f"{name}: off the frontier", legendgroup=name,
            showlegend=False, marker=dict(size=8, color=colour, symbol="circle-open"),
            hovertemplate=[_hover(p) for p in off]))
    shown = _cheapest_shown(curve, points, unit)
    if shown is not None and None not in _xy_at(shown, unit, floor):
        x, y = _xy_at(shown, unit, floor)
        fig.add_trace(go.Scatter(
            x=[x], y=[y], mode="markers", name=f"cheapest at {name}",
            legendgroup=name, showlegend=False,
            marker=dict(size=16, symbol="star", color=colour,
                        line=dict(color="#000000", width=1)),
            hovertemplate="cheapest over the horizon<br>" + _hover(shown)))
    point = next((p for p in points if p.level == recommended_level), None)
    if recommended_level is not None and point is not None:
        x, y = _xy_at(point, unit, floor)
        fig.add_trace(go.Scatter(
            x=[x], y=[y], mode="markers", name="recommended",
            marker=dict(size=22, symbol="circle-open", color="#000000", line=dict(width=2)),
            hovertemplate="the recommendation's level<br>" + _hover(point)))


def _cheapest_shown(curve: FrontierCurve, points: list[FrontierPoint], unit: Unit
                    ) -> FrontierPoint | None:
    """Where the curve's cheapest level over the horizon is starred in ``unit``.

    Why: the cheapest is found in dollars; in FLOPs the same level is starred, if it is drawn.
    """
    if curve.cheapest is None:
        return None
    cheapest = curve.usd_points[curve.cheapest]
    if unit == "usd":
        return cheapest
    return next((p for p in points if p.level == cheapest.level), None)


def _lay_out_log_axes(fig: go.Figure, *, unit: Unit, height: int) -> None:
    """Both axes log scale with one label a decade, titled in ``unit``; the legend below the
    plot, where the toolbar a phone shows at its top right cannot cover it."""
    x_title, y_title = AXIS_LABELS[unit]
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
                      # One label a decade: the 2…9 labels of a log axis run into each other.
                      xaxis=dict(title=x_title, type="log", dtick=1,
                                 **_decade_range([v for t in fig.data for v in _values(t.x)])),
                      yaxis=dict(title=y_title, type="log", dtick=1,
                                 **_decade_range([v for t in fig.data for v in _values(t.y)])))
    # Dollars as on the cost chart: with one label a decade, "$0.01" is a value, never a 2× tick.
    ticks = {"exponentformat": "power"} if unit == "flops" else {"tickformat": "$,~g"}
    fig.update_xaxes(**ticks)
    fig.update_yaxes(**ticks)


def _decade_range(values: list) -> dict:
    """A log axis range that holds ``values`` and at least two decade labels.

    Why: with one label a decade, points within one decade (a $1,500 and a $25,000 fine-tune)
    got a single label, and a printed chart could not be read off.
    """
    logs = [math.log10(v) for v in values if isinstance(v, (int, float)) and v > 0]
    if not logs:
        return {}
    low, high = min(logs), max(logs)
    pad = max((high - low) * 0.08, 0.05)
    low, high = low - pad, high + pad
    if math.floor(high) - math.ceil(low) < 1:  # fewer than two decade labels inside
        first = math.floor(low)
        low, high = min(low, first - 0.05), max(high, first + 1.05)
    return {"range": [low, high]}


def _values(column) -> list:
    return [] if column is None else list(column)


def _note_zero_floor(fig: go.Figure, frontier: Frontier, *, unit: Unit, floor: float) -> None:
    """In dollars, say where a level with no training spend is drawn."""
    unpaid = any(p.training_usd == 0 for c in frontier.curves for p in c.usd_points)
    if unit == "usd" and unpaid:
        # Why a note: the cheapest tier's base answer spends nothing on training, which a log
        # axis cannot show; it is drawn at the floor.
        fig.add_annotation(x=1, y=0, xref="paper", yref="paper", showarrow=False,
                           xanchor="right", yanchor="bottom", font=dict(size=11),
                           text=f"$0 of training drawn at {usd(floor)}")
