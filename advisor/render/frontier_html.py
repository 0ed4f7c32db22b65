"""The frontier as a section of the HTML report: its charts (FLOPs and dollars) and its words.

The template (``templates/report.html``) escapes every text; this module only gathers them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.model.result import Recommendation
from advisor.render.formats import quality
from advisor.render.frontier_chart import frontier_figure
from advisor.render.frontier_text import (constraints_text, curve_rate_text, level_names,
                                          published_text, rate_check_text, rate_text,
                                          recommended_text,
                                          summary_text, where_to_stand_text)


def frontier_context(rec: Recommendation, *, report_chart: Callable[..., Any]
                     ) -> dict[str, Any] | None:
    """What the report's frontier section shows; None without a frontier or any curve.

    Args:
        report_chart: how the report embeds a figure (:func:`advisor.render.html.report_chart`);
            passed in, so the report imports this module and not the other way round.
    """
    frontier = rec.frontier
    if frontier is None or not frontier.curves:
        return None
    # Why one chart and the steps in compute for the recommended curve only: the report is
    # printed, and the whole frontier in both units would add three A4 pages.
    curves = []
    for curve in frontier.curves:
        items = [curve_rate_text(curve), where_to_stand_text(frontier, curve)]
        if curve.offset == 0:
            names = level_names(curve)
            items += [rate_text(r, "flops", names) for r in curve.flops_rates]
        label = "recommended" if curve.offset == 0 else f"{curve.offset * 100:+.0f} points"
        curves.append({"title": f"Quality {quality(curve.target_quality)} ({label})",
                       "items": items})
    return {
        "recommended": recommended_text(frontier), "constraints": constraints_text(frontier),
        "compute": summary_text(frontier, "flops"),
        "chart": report_chart(frontier_figure(frontier, unit="usd"), chart_id="frontier-chart",
                              summary=summary_text(frontier, "usd")),
        "curves": curves,
        "published": ([rate_check_text(c) for c in frontier.rate_checks]
                      or [published_text(r) for r in frontier.published_rates]),
        "sources": "; ".join(frontier.sources)}
