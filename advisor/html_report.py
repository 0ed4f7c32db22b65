"""A self-contained HTML report: works offline (plotly.js inlined) and prints cleanly to PDF."""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.io as pio

from advisor.charts import cost_latency_figure, decision_map_figure
from advisor.formats import quality, seconds, usd
from advisor.result import DecisionMap, Recommendation
from advisor.tables import Table, context_table, options_table
from advisor.vocabulary import Vocabulary
from advisor.wording import (VERDICT_LABELS, VERDICT_SUMMARIES, broken_text, caveat_origin,
                             configuration_text, shares_text, table_text, training_text)

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 1000px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
     border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.stamp { color: #555; font-size: .9rem; }
.verdict { font-size: 1.3rem; font-weight: 600; padding: .6rem .9rem; border-radius: 6px;
           background: #eef5fb; border-left: 6px solid #0072B2; }
.verdict.training { background: #fdf4e3; border-color: #E69F00; }
.verdict.neither { background: #f2f2f2; border-color: #777777; }
.verdict.combined { background: #e6f5ef; border-color: #009E73; }
.metrics { display: grid; grid-template-columns: repeat(4, 1fr); gap: .8rem; margin: 1rem 0; }
.metric { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .7rem; }
.metric .label { color: #555; font-size: .85rem; } .metric .value { font-size: 1.35rem; }
.alert { background: #fdecea; border-left: 6px solid #D55E00; padding: .6rem .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e5e5e5;
         vertical-align: top; }
.source { color: #555; font-style: italic; }
.chart { page-break-inside: avoid; break-inside: avoid; }
@media print {
  body { margin: 0; max-width: none; } h2 { page-break-after: avoid; }
  .metrics { grid-template-columns: repeat(4, 1fr); } .modebar { display: none !important; }
  tr, li { page-break-inside: avoid; }
}
"""


def _figure_html(fig, *, include_js: bool) -> str:
    return pio.to_html(fig, include_plotlyjs=include_js, full_html=False,
                       config={"displaylogo": False, "responsive": True})


def table_html(table: Table, *, bold_differences: bool = False) -> list[str]:
    """A :class:`~advisor.tables.Table` as HTML, every cell escaped."""
    e = escape

    def cell(row, text: str) -> str:
        return f"<b>{e(text)}</b>" if bold_differences and row.differs else e(text)

    return ["<table><tr>", *[f"<th>{e(h)}</th>" for h in table.header], "</tr>",
            *[f"<tr><th>{e(row.label)}</th>" + "".join(f"<td>{cell(row, c)}</td>"
                                                      for c in row.cells) + "</tr>"
              for row in table.rows], "</table>"]


def to_html(rec: Recommendation, *, vocabulary: Vocabulary, dmap: DecisionMap | None = None,
            generated: dt.date | None = None) -> str:
    """Render the report; every rule- or user-supplied string is HTML-escaped."""
    generated = generated or dt.date.today()
    c = rec.chosen
    e = escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Compute advice: {e(VERDICT_LABELS[rec.verdict])}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Inference-time or training compute?</h1>",
        f"<p class='stamp'>Generated {generated.isoformat()} · rules version "
        f"<code>{e(rec.rules_version)}</code></p>",
        f"<div class='verdict {e(rec.verdict)}'>{e(VERDICT_LABELS[rec.verdict])}: "
        f"{e(configuration_text(rec))}</div>",
        f"<p>{e(VERDICT_SUMMARIES[rec.verdict])} {e(training_text(rec))}</p>",
        f"<p>{e(shares_text(rec))}</p>",
        f"<p class='table-vote'>{e(table_text(rec))}</p>",
        "<div class='metrics'>",
        *[f"<div class='metric'><div class='label'>{e(label)}</div>"
          f"<div class='value'>{e(value)}</div></div>"
          for label, value in (("Cost per query", usd(c.cost_usd)),
                               ("Latency", seconds(c.latency_s)),
                               ("Chance an answer is correct", quality(c.expected_quality)),
                               ("Monthly cost", usd(c.monthly_cost_usd)))],
        "</div>",
    ]
    if not rec.feasible:
        parts.append(f"<p class='alert'>{e(broken_text(rec))}</p>")
    parts += ["<h2>Context</h2>", *table_html(context_table(rec.answers, vocabulary)),
              "<h2>Why</h2><ul>"]
    parts += [f"<li>{e(r.because)} (rule {e(r.id)}: {e(vocabulary.effects(r.effects))}) "
              f"<span class='source'>Source: {e(r.source)}</span></li>" for r in rec.fired_rules]
    parts.append("</ul><h2>Caveats</h2><ul>")
    parts += [f"<li>{e(cav.text)} <span class='source'>({e(caveat_origin(cav))})</span>"
              f"</li>" for cav in rec.caveats] or ["<li>None raised by the rules.</li>"]
    parts += ["</ul><h2>Options considered</h2>", *table_html(options_table(rec)),
              "<section class='chart'><h2>Cost and latency of every candidate</h2>",
              "<p>Log axes; marker size grows with expected quality; the shaded box is what fits "
              "both budgets. Hover a point for its configuration.</p>",
              _figure_html(cost_latency_figure(rec), include_js=True), "</section>"]
    from advisor.insights_html import insight_sections_html  # Why here: it imports this module

    parts += insight_sections_html(rec, vocabulary)
    if dmap is not None:
        dmap_figure = decision_map_figure(dmap, rec, colour_by="strategy",
                                          strategy_names=dict(vocabulary.strategies))
        parts += ["<section class='chart'><h2>Decision map</h2>",
                  "<p>The recommended strategy at other latency and per-query budgets, all other "
                  "answers as given.</p>", _figure_html(dmap_figure, include_js=False), "</section>"]
    parts += ["<p class='stamp'>Estimates come from the advisor's cost, latency and quality model; "
              "each parameter cites its source in the rules files. Validate on your own traffic "
              "before committing.</p></body></html>"]
    return "\n".join(parts)
