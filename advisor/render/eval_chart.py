"""The chart of an eval fit: the fitted coverage curve, with the measured pass@k as points."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from advisor.engine.evalfit import EvalFit
from advisor.render.charts import PALETTE, escape_text
from advisor.render.formats import PLOTLY_PLAIN_TICKS, count


def eval_fit_figure(fit: EvalFit, *, model_name: str, height: int = 360) -> go.Figure:
    """Coverage (share of problems solved by at least one of k attempts) against k, log scale."""
    top = max(1024, 4 * max(fit.pass_at_k, default=1))
    ks = np.unique(np.round(np.geomspace(1, top, 60)))
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=ks, y=fit.coverage(ks), mode="lines", name="fitted Beta",
        line=dict(color=PALETTE[0], width=3),
        hovertemplate="k = %{x:.0f}: %{y:.1%} of problems solved<extra>fit</extra>"))
    fig.add_trace(go.Scatter(
        x=list(fit.pass_at_k), y=list(fit.pass_at_k.values()), mode="markers",
        name="measured pass@k (unbiased)", marker=dict(color=PALETTE[5], size=10, symbol="x"),
        hovertemplate="k = %{x}: %{y:.1%} measured<extra></extra>"))
    fig.update_xaxes(type="log", title="attempts per problem, k (log scale)", **PLOTLY_PLAIN_TICKS)
    fig.update_yaxes(title="problems solved by at least one attempt", range=[0, 1],
                     tickformat=".0%")
    # Why the legend below the plot: above it, it drew over the title (seen in the browser).
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10),
                      title=escape_text(f"{model_name} on your eval: {count(fit.problems)} "
                                        "problems"),
                      legend=dict(orientation="h", yanchor="top", y=-0.3, x=0))
    return fig
