"""A self-contained HTML report: works offline (plotly.js inlined) and prints cleanly to PDF."""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.io as pio

from advisor.charts import cost_latency_figure, decision_map_figure
from advisor.frontier_html import frontier_section_html
from advisor.report import options_considered
from advisor.result import DecisionMap, Recommendation
from advisor.wording import (VERDICT_LABELS, VERDICT_SUMMARIES, answer_items, broken_text,
                             shares_text, table_text,
                             configuration_text, quality, seconds, training_text, usd)

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


def to_html(rec: Recommendation, dmap: DecisionMap | None = None, *,
            generated: dt.date | None = None, strategy_names: dict[str, str] | None = None) -> str:
    """Render the report; every rule- or user-supplied string is HTML-escaped."""
    generated = generated or dt.date.today()
    c, a = rec.chosen, rec.answers
    e = escape
    rows = answer_items(a)
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
    parts += ["<h2>Context</h2><table>",
              *[f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows], "</table>",
              "<h2>Why</h2><ul>"]
    parts += [f"<li><b>{e(r.id)}</b> ({e('; '.join(r.effects))}): {e(r.because)} "
              f"<span class='source'>Source: {e(r.source)}</span></li>" for r in rec.fired_rules]
    parts.append("</ul><h2>Caveats</h2><ul>")
    parts += [f"<li>{e(cav.text)} <span class='source'>({e(cav.rule_id or cav.source)})</span>"
              f"</li>" for cav in rec.caveats] or ["<li>None raised by the rules.</li>"]
    parts += ["</ul><h2>Options considered</h2><table><tr><th>Option</th><th>Cost/query</th>"
              "<th>Latency</th><th>Quality</th><th>Monthly</th><th>Fits</th><th>Note</th></tr>"]
    for est in options_considered(rec):
        note = "chosen" if est == c else (est.unavailable_reason or "")
        parts.append(f"<tr><td>{e(configuration_text(est))}</td><td>{e(usd(est.cost_usd))}</td>"
                     f"<td>{e(seconds(est.latency_s))}</td><td>{quality(est.expected_quality)}"
                     f"</td><td>{e(usd(est.monthly_cost_usd))}</td>"
                     f"<td>{'yes' if est.feasible else 'no'}</td><td>{e(note)}</td></tr>")
    parts += ["</table>", "<section class='chart'><h2>Cost and latency of every candidate</h2>",
              "<p>Log axes; marker size grows with expected quality; the shaded box is what fits "
              "both budgets. Hover a point for its configuration.</p>",
              _figure_html(cost_latency_figure(rec), include_js=True), "</section>"]
    from advisor.insights_html import insight_sections_html  # Why here: it imports this module

    parts += insight_sections_html(rec)
    parts += frontier_section_html(rec)
    if dmap is not None:
        dmap_figure = decision_map_figure(dmap, rec, colour_by="strategy",
                                          strategy_names=strategy_names)
        parts += ["<section class='chart'><h2>Decision map</h2>",
                  "<p>The recommended strategy at other latency and per-query budgets, all other "
                  "answers as given.</p>", _figure_html(dmap_figure, include_js=False), "</section>"]
    parts += ["<p class='stamp'>Estimates come from the advisor's cost, latency and quality model; "
              "each parameter cites its source in the rules files. Validate on your own traffic "
              "before committing.</p></body></html>"]
    return "\n".join(parts)
