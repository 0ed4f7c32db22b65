"""The frontier as a section of the HTML report: the chart in both units and the words."""

from __future__ import annotations

from html import escape

import plotly.io as pio

from advisor.frontier_chart import frontier_figure
from advisor.frontier_text import (constraints_text, curve_rate_text, level_names,
                                   published_text, rate_text, recommended_text, summary_text,
                                   where_to_stand_text)
from advisor.result import Recommendation
from advisor.wording import quality


def frontier_section_html(rec: Recommendation) -> list[str]:
    """HTML parts of the section (empty without a frontier); every text is escaped."""
    frontier = rec.frontier
    if frontier is None or not frontier.curves:
        return []
    e = escape
    parts = ["<section class='chart'><h2>Training against inference compute</h2>",
             f"<p>{e(recommended_text(frontier))}</p>",
             f"<p class='source'>{e(constraints_text(frontier))}</p>"]
    for unit, title in (("flops", "In compute (FLOPs)"), ("usd", "In dollars")):
        figure = pio.to_html(frontier_figure(frontier, unit=unit), include_plotlyjs=False,
                             full_html=False, config={"displaylogo": False, "responsive": True})
        parts += [f"<h3>{title}</h3>", f"<p>{e(summary_text(frontier, unit))}</p>", figure]
    for curve in frontier.curves:
        names = level_names(curve)
        items = [curve_rate_text(curve), where_to_stand_text(frontier, curve)]
        items += [rate_text(r, "flops", names) for r in curve.flops_rates]
        items += ["In dollars: " + rate_text(r, "usd", names) for r in curve.usd_rates]
        parts += [f"<h3>Quality {quality(curve.target_quality)}</h3><ul>",
                  *[f"<li>{e(item)}</li>" for item in items], "</ul>"]
    parts += ["<h3>Published exchange rates</h3><ul>",
              *[f"<li>{e(published_text(r))}</li>" for r in frontier.published_rates],
              "</ul>", f"<p class='source'>Sources: {e('; '.join(frontier.sources))}</p>",
              "</section>"]
    return parts
