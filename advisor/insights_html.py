"""HTML for the break-even, what would change the answer, and a scenario comparison.

Shares the look of :mod:`advisor.html_report`; every user- or rule-supplied string is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.io as pio

from advisor.compare import Comparison, answers_table, results_table
from advisor.formats import count, days_text, flops
from advisor.html_report import _CSS, table_html
from advisor.insight_charts import break_even_figure, comparison_figure
from advisor.result import Recommendation
from advisor.tables import break_even_table
from advisor.vocabulary import Vocabulary
from advisor.wording import break_even_text, turn_text


def _figure(fig, *, include_js: bool) -> str:
    return pio.to_html(fig, include_plotlyjs=include_js, full_html=False,
                       config={"displaylogo": False, "responsive": True})


def insight_sections_html(rec: Recommendation, vocabulary: Vocabulary, *,
                          include_js: bool = False) -> list[str]:
    """The break-even and the turning points as HTML fragments (empty when not analysed).

    Args:
        rec: an analysed recommendation (:func:`advisor.analysis.analyse`).
        vocabulary: the words for answer values and ids.
        include_js: inline plotly.js (False when the page already carries it).
    """
    e = escape
    parts: list[str] = []
    be = rec.break_even
    if be is not None:
        parts += ["<section class='chart'><h2>Break-even: training vs inference-time compute</h2>",
                  f"<p>{e(break_even_text(be))}</p>", *table_html(break_even_table(be)),
                  _figure(break_even_figure(be), include_js=include_js)]
        if be.training is not None and be.training.training_flops is not None:
            parts.append(f"<p>Compute view: the fine-tune takes about "
                         f"{e(flops(be.training.training_flops))} (6·N·D).</p>")
        parts.append(f"<p class='source'>Lifetime demand over {e(days_text(be.horizon_days))}: "
                     f"{e(count(be.lifetime_queries))} queries. Sources: "
                     f"{e('; '.join(be.sources))}</p></section>")
    if rec.what_would_change:
        parts += ["<h2>What would change the answer</h2><ul>",
                  *[f"<li>{e(turn_text(t, vocabulary))}</li>" for t in rec.what_would_change],
                  "</ul>"]
    return parts


def comparison_to_html(comparison: Comparison, *, vocabulary: Vocabulary,
                       generated: dt.date | None = None) -> str:
    """A self-contained page: answers and results side by side, and the comparison chart."""
    generated = generated or dt.date.today()
    e = escape
    versions = ", ".join(sorted({r.rules_version for r in comparison.results}))

    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<title>Scenario comparison</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Scenario comparison</h1>",
             f"<p class='stamp'>Generated {generated.isoformat()} · rules version "
             f"<code>{e(versions)}</code> · answers that differ are in bold</p>",
             "<h2>Answers</h2>",
             *table_html(answers_table(comparison, vocabulary), bold_differences=True),
             "<h2>Results</h2>", *table_html(results_table(comparison), bold_differences=True),
             "<section class='chart'><h2>Cost and quality of each recommendation</h2>",
             "<p>Colour is the verdict; an open marker means nothing fits that scenario's "
             "budgets.</p>", _figure(comparison_figure(comparison), include_js=True),
             "</section>",
             "<p class='stamp'>Estimates are model-based; validate them on your own traffic "
             "before committing.</p></body></html>"]
    return "\n".join(parts)
