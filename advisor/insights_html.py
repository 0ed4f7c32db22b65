"""HTML for the break-even, what would change the answer, and a scenario comparison.

Shares the look of :mod:`advisor.html_report`; every user- or rule-supplied string is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.io as pio

from advisor.compare import Comparison, answer_rows, result_rows
from advisor.html_report import _CSS
from advisor.insight_charts import break_even_figure, comparison_figure
from advisor.result import Recommendation
from advisor.wording import (break_even_text, configuration_text, count, days_text, flops,
                             quality, turn_text, usd)


def _figure(fig, *, include_js: bool) -> str:
    return pio.to_html(fig, include_plotlyjs=include_js, full_html=False,
                       config={"displaylogo": False, "responsive": True})


def insight_sections_html(rec: Recommendation, *, include_js: bool = False) -> list[str]:
    """The break-even and the turning points as HTML fragments (empty when not analysed).

    Args:
        rec: an analysed recommendation (:func:`advisor.analysis.analyse`).
        include_js: inline plotly.js (False when the page already carries it).
    """
    e = escape
    parts: list[str] = []
    be = rec.break_even
    if be is not None:
        options = [(name, option) for name, option in (("Training option", be.training),
                                                       ("Inference-time option", be.inference))
                   if option is not None]
        cells = [("Configuration", [configuration_text(o) for _, o in options]),
                 ("One-time cost", [usd(o.one_time_cost_usd) for _, o in options]),
                 ("Cost per query", [usd(o.cost_per_query_usd) for _, o in options]),
                 ("Expected quality", [quality(o.expected_quality) for _, o in options]),
                 ("Inference compute per query",
                  [flops(o.inference_flops_per_query) for _, o in options])]
        parts += ["<section class='chart'><h2>Break-even: training vs inference-time compute</h2>",
                  f"<p>{e(break_even_text(be))}</p><table><tr><th></th>",
                  *[f"<th>{e(name)}</th>" for name, _ in options], "</tr>",
                  *[f"<tr><th>{e(label)}</th>" + "".join(f"<td>{e(v)}</td>" for v in values)
                    + "</tr>" for label, values in cells], "</table>",
                  _figure(break_even_figure(be), include_js=include_js)]
        if be.training is not None and be.training.training_flops is not None:
            parts.append(f"<p>Compute view: the fine-tune takes about "
                         f"{e(flops(be.training.training_flops))} (6·N·D).</p>")
        parts.append(f"<p class='source'>Lifetime demand over {e(days_text(be.horizon_days))}: "
                     f"{e(count(be.lifetime_queries))} queries. Sources: "
                     f"{e('; '.join(be.sources))}</p></section>")
    if rec.what_would_change:
        parts += ["<h2>What would change the answer</h2><ul>",
                  *[f"<li>{e(turn_text(t))}</li>" for t in rec.what_would_change], "</ul>"]
    return parts


def comparison_to_html(comparison: Comparison, *, generated: dt.date | None = None) -> str:
    """A self-contained page: answers and results side by side, and the comparison chart."""
    generated = generated or dt.date.today()
    e = escape
    names = [s.name for s in comparison.scenarios]
    versions = ", ".join(sorted({r.rules_version for r in comparison.results}))

    def table(rows) -> list[str]:
        head = "<tr><th></th>" + "".join(f"<th>{e(n)}</th>" for n in names) + "</tr>"
        return ["<table>", head,
                *[f"<tr><th>{e(row.label)}</th>" + "".join(
                    f"<td>{'<b>' if row.differs else ''}{e(c)}{'</b>' if row.differs else ''}"
                    f"</td>" for c in row.cells) + "</tr>" for row in rows], "</table>"]

    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<title>Scenario comparison</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Scenario comparison</h1>",
             f"<p class='stamp'>Generated {generated.isoformat()} · rules version "
             f"<code>{e(versions)}</code> · answers that differ are in bold</p>",
             "<h2>Answers</h2>", *table(answer_rows(comparison)),
             "<h2>Results</h2>", *table(result_rows(comparison)),
             "<section class='chart'><h2>Cost and quality of each recommendation</h2>",
             "<p>Colour is the verdict; an open marker means nothing fits that scenario's "
             "budgets.</p>", _figure(comparison_figure(comparison), include_js=True),
             "</section>",
             "<p class='stamp'>Estimates are model-based; validate them on your own traffic "
             "before committing.</p></body></html>"]
    return "\n".join(parts)
