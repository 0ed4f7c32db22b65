"""The trade-off itself: the frontier of training against inference compute, as an app section."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from advisor.model.frontier import Frontier
from advisor.model.result import Recommendation
from advisor.render.formats import count, flops, quality
from advisor.render.frontier_chart import frontier_figure
from advisor.render.frontier_text import (constraints_text, curve_rate_text, level_names,
                                          point_text, published_text, rate_text, recommended_text,
                                          summary_text, where_to_stand_text)
from advisor.render.markdown import md_escape

# Dollars first, as in the reports: what a lead budgets in; FLOPs is the switch.
UNITS = {"Dollars": "usd", "Compute (FLOPs)": "flops"}


@st.cache_resource(max_entries=64, show_spinner=False)
def _figure(frontier_json: str, unit: str, _frontier: Frontier) -> go.Figure:
    """The chart per frontier and unit: building a figure is most of this section's rerun."""
    return frontier_figure(_frontier, unit=unit)


def points_frame(frontier: Frontier, curve_number: int) -> pd.DataFrame:
    """One curve's levels as a table: the option, both units and whether it is on the frontier."""
    curve = frontier.curves[curve_number]
    flops_of = {p.level: p for p in curve.flops_points}
    return pd.DataFrame([{
        "level": p.level_name,
        "option": point_text(p),
        "quality": p.expected_quality,
        "training (FLOPs)": flops(p.training_flops) + (" (estimate)" if p.size_estimated else ""),
        "inference per query (FLOPs)": flops(p.inference_flops_per_query),
        "training (USD)": p.training_usd,
        "inference per query (USD)": p.inference_usd_per_query,
        "total over the horizon (USD)": p.total_usd,
        "on the frontier (dollars)": p.on_frontier,
        "on the frontier (FLOPs)": bool(flops_of.get(p.level) and flops_of[p.level].on_frontier),
        "fits budgets": p.fits_budget and p.fits_training_budget,
    } for p in curve.usd_points])


def render(rec: Recommendation) -> None:
    """The section: chart with switchable units, rates beside published ones, where to stand."""
    frontier = rec.frontier
    if frontier is None:
        return
    st.subheader("The trade-off itself: training against inference compute")
    st.caption("For the recommended quality and levels around it, the least inference spend per "
               "query that reaches it at each level of training: the model tiers, ordered by "
               "their training compute, and their fine-tunes. Points on a line are the frontier: "
               "no other level reaches that quality with no more training and no more inference. "
               "A star marks each curve's cheapest point over your horizon, the black ring your "
               "recommendation's level.")
    if not frontier.curves:
        st.info("No option reaches any of the quality targets within the latency budget and the "
                "rules' constraints, so there is no frontier to draw.")
        return
    label = st.radio("Axes in", list(UNITS), horizontal=True, key="frontier_units",
                     help="FLOPs: training ≈ 6·N·D, inference ≈ 2·N per token read or written. "
                          "Dollars: a fine-tune's run plus the tier's price premium over your "
                          "horizon, against cost per query beyond that premium.")
    unit = UNITS[label]
    summary = summary_text(frontier, unit)
    st.plotly_chart(_figure(frontier.model_dump_json(), unit, frontier), theme="streamlit",
                    key="frontier_chart", alt=summary)
    st.caption(md_escape(summary))
    st.markdown(f"**Where you stand.** {md_escape(recommended_text(frontier))}")
    st.caption(md_escape(constraints_text(frontier)))
    choices = [f"quality {quality(c.target_quality)}" + (" (recommended)" if c.offset == 0 else "")
               for c in frontier.curves]
    default = frontier.recommended.curve if (frontier.recommended is not None and
                                             frontier.recommended.curve is not None) else 0
    picked = st.selectbox("Curve", choices, index=default, key="frontier_curve",
                          help="The quality target whose exchange rates and levels are listed.")
    number = choices.index(picked)
    curve = frontier.curves[number]
    names = level_names(curve)
    lines = [curve_rate_text(curve), where_to_stand_text(frontier, curve)]
    lines += [rate_text(r, "flops", names) for r in curve.flops_rates]
    lines += ["In dollars: " + rate_text(r, "usd", names) for r in curve.usd_rates]
    st.markdown("\n".join(f"- {md_escape(line)}" for line in lines))
    with st.expander("Published exchange rates, to read these beside"):
        st.markdown("\n".join(f"- {md_escape(published_text(r))}"
                              for r in frontier.published_rates)
                    or "- The rules list none (economics.published_rates).")
        st.caption("Source of the FLOPs rules: " + md_escape("; ".join(frontier.sources)) +
                   ". N and D of closed tiers are estimates or assumptions with wide ranges "
                   "(models.yaml, size); the rates inherit their uncertainty.")
    with st.expander(f"Every level at {picked}"):
        st.dataframe(points_frame(frontier, number), hide_index=True, key="frontier_table",
                     column_config={
                         "training (USD)": st.column_config.NumberColumn(format="$%.2f"),
                         "inference per query (USD)": st.column_config.NumberColumn(
                             format="$%.6f"),
                         "total over the horizon (USD)": st.column_config.NumberColumn(
                             format="$%.2f"),
                         "quality": st.column_config.NumberColumn(format="%.3f")})
    st.caption(f"Horizon: {frontier.horizon_days} days at {frontier.queries_per_day:,} queries a "
               f"day ({count(frontier.horizon_queries)} queries), the horizon the "
               "recommendation spreads one-time costs over.")
