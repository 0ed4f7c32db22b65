"""Self-contained HTML reports, one recommendation or a comparison, to read, print and forward.

Built from the Jinja2 templates in ``advisor/render/templates/`` (autoescaped: every string from
the rules or the answers is escaped) with the stylesheet ``report.css``. Charts are drawn by a
partial plotly.js bundle vendored in ``advisor/render/static/`` (scatter and heatmap traces only;
rebuilt by ``scripts/build_plotly_bundle.sh``), inlined so the file works offline and stays under
1.5 MB.

Why these charts are laid out for paper: a report is forwarded to people who print it. Each chart
is at most 680 px wide (the width of an A4 page less its margins at 96 px per inch), its axis
titles get the margin they need, and hover texts of large traces (a thousand candidates, the
2,500 cells of the decision map) are left out: they were two thirds of the report's size and
nobody hovers over paper. Each chart carries a one-line summary as its text alternative.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal
from importlib.resources import files

import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from advisor.analysis.compare import Comparison
from advisor.analysis.plan import improvement_plan
from advisor.model.result import DecisionMap, Recommendation
from advisor.render.chart_text import (COST_CHART_KEY, break_even_summary, comparison_summary,
                                       cost_latency_summary, decision_map_summary,
                                       single_category)
from advisor.render.charts import cost_latency_figure, decision_map_figure
from advisor.render.comparison import answers_table, results_table
from advisor.render.frontier_html import frontier_context
from advisor.render.insight_charts import break_even_figure, comparison_figure
from advisor.render.tables import break_even_facts, break_even_table, context_table, options_table
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import (RANGES_NOTE, SEVERITY_LABELS, break_even_text, broken_text,
                                    caveat_origin, configuration_text, figure_bounds,
                                    headline_metrics, latency_text, lead_sentence,
                                    per_correct_text, plan_step_text, plan_summary,
                                    quality_meaning, risk_counts,
                                    shares_text, table_text, training_text, turn_text,
                                    verdict_label, verdict_summary)

PLOTLY_BUNDLE = "plotly-report.min.js"
# The trace types the vendored bundle can draw; a test holds every report figure to them.
REPORT_TRACES = frozenset({"scatter", "heatmap"})
HOVER_POINTS_MAX = 60
CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
DEFAULT_CHART_HEIGHT = 450
MAP_COLOUR_BY = "verdict"  # the decision map's colouring in reports: the app's default
Paper = Literal["a4", "letter"]
PAPER_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}  # CSS @page sizes
# How much of the risks and the plan the one-page summary holds; the rest is in the detail.
SUMMARY_RISKS = 3
SUMMARY_STEPS = 3
HEADER_CHARACTERS = 110  # a running header longer than this is cut at a word, with an ellipsis


@dataclass(frozen=True)
class Chart:
    """A chart as the templates place it: its element id, summary, height and figure JSON."""

    id: str
    summary: str
    height: int
    figure_json: Markup


# A figure's range at the end of a table cell: "0.97 (0.96–0.98)", "2.1 min (84 s–3 min)".
_CELL_RANGE = re.compile(r" \(([^()]*–[^()]*)\)$")


def kept_range(text: str) -> Markup:
    """A table cell, escaped, its trailing range in a span the stylesheet moves to a line of its
    own, whole where the column allows.

    Why: a narrow column otherwise breaks a range after its dash or inside "84 s", and
    "($0.28–" on one line with "$0.51)" on the next reads as two figures. Not ``nowrap``: the
    longest ranges would then widen the table past an A4 page.
    """
    found = _CELL_RANGE.search(text)
    if found is None:
        return escape(text)
    return (escape(text[:found.start()]) + Markup(' <span class="range">(')
            + escape(found[1]) + Markup(")</span>"))


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string for a ``<style>`` element: every character but ASCII
    letters and digits as a six-digit CSS escape, so no quote, backslash or ``</style`` can end
    it. Why spaces too: CSS swallows one space after an escape."""
    return Markup('"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}"
                                for c in text) + '"')


def first_sentence(text: str) -> str:
    """The gist of a caveat for the summary page: its first sentence (all of it when it has
    one)."""
    found = re.search(r"(?<=[.!?])\s+(?=[A-Z])", text)
    return text[:found.start()] if found else text


def running_header(title: str, generated: str) -> str:
    """The line printed at the top of every page: the decision's title and its date."""
    if len(title) > HEADER_CHARACTERS:
        title = title[:HEADER_CHARACTERS].rsplit(" ", 1)[0] + "…"
    return f"{title} · {generated}"


@functools.cache
def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("advisor.render", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
    environment.filters["kept_range"] = kept_range
    environment.filters["css_string"] = css_string
    return environment


@functools.cache
def plotly_js() -> Markup:
    """The vendored plotly.js bundle, as trusted script text (it holds no ``</script``)."""
    return Markup((files("advisor.render") / "static" / PLOTLY_BUNDLE).read_text(encoding="utf-8"))


def _script_json(text: str) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>`` or ``<!--`` can end or bend the element.

    Why escaping ``<``, ``>`` and ``&`` is enough: outside strings JSON has none of them, and
    inside strings ``\\u003c`` reads back as the same character.
    """
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                  .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _points(trace) -> int:
    z = getattr(trace, "z", None)
    if z is not None:
        return sum(len(row) for row in z)
    return len(trace.x) if trace.x is not None else 0


def print_ready(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` laid out for an A4 page: margins that fit its axis titles, the report's
    font, and no hover texts on large traces."""
    fig = go.Figure(fig)
    for trace in fig.data:
        if _points(trace) > HOVER_POINTS_MAX:
            trace.update(hoverinfo="skip", hovertemplate=None, hovertext=None, customdata=None)
            if trace.type == "scatter" and "text" not in (trace.mode or ""):
                trace.text = None
        if trace.type == "scatter" and "text" in (trace.mode or ""):
            trace.cliponaxis = False  # a label near the edge is drawn whole, not cut off
    fig.update_layout(autosize=True, width=None, font=dict(family=CHART_FONT, size=12),
                      margin=dict(l=10, r=10, t=30, b=10))
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def report_chart(fig: go.Figure, *, chart_id: str, summary: str) -> Chart:
    """``fig``, ready for print, as the templates embed it.

    Raises:
        ValueError: the figure uses a trace type the vendored plotly.js bundle cannot draw.
    """
    unknown = {trace.type for trace in fig.data} - REPORT_TRACES
    if unknown:
        raise ValueError(f"the report's plotly.js bundle cannot draw {sorted(unknown)}; rebuild "
                         "it with scripts/build_plotly_bundle.sh and extend REPORT_TRACES")
    fig = print_ready(fig)
    return Chart(id=chart_id, summary=summary,
                 height=int(fig.layout.height or DEFAULT_CHART_HEIGHT),
                 figure_json=_script_json(pio.to_json(fig, validate=False)))


def _render(template: str, *, charts: list[Chart | None], **context) -> str:
    drawn = [c for c in charts if c is not None]
    return _environment().get_template(template).render(
        **context, charts=drawn, plotly_js=plotly_js() if drawn else "")


def to_html(rec: Recommendation, *, vocabulary: Vocabulary, dmap: DecisionMap | None = None,
            generated: dt.date | None = None, paper: Paper = "a4",
            link: str | None = None) -> str:
    """The report of one analysed recommendation: a one-page summary, then the detail.

    Args:
        rec: an analysed recommendation (:func:`advisor.analysis.full.analyse`).
        vocabulary: the words for answer values and ids (:meth:`Vocabulary.of` the rules).
        dmap: the decision map to draw, if any.
        generated: the date the report states; today when omitted.
        paper: the page size it prints on, ``a4`` or ``letter``.
        link: the address that opens this decision in the app (printed on the summary), if
            known.
    """
    c = rec.chosen
    be = rec.break_even
    bounds = figure_bounds(c)
    cost_chart = report_chart(cost_latency_figure(rec), chart_id="cost-latency-chart",
                              summary=cost_latency_summary(rec))
    # The app's map, with the app's default colouring (the verdict): one meaning on every
    # surface, and no chart where every cell says the same.
    names = dict(vocabulary.strategies)
    map_summary = None if dmap is None else decision_map_summary(
        dmap, rec, colour_by=MAP_COLOUR_BY, strategy_names=names)
    map_chart = None if dmap is None or single_category(
        dmap, colour_by=MAP_COLOUR_BY, strategy_names=names) is not None else report_chart(
        decision_map_figure(dmap, rec, colour_by=MAP_COLOUR_BY, strategy_names=names),
        chart_id="decision-map-chart", summary=map_summary)
    break_even = None if be is None else {
        "text": break_even_text(be), "table": break_even_table(be),
        "facts": break_even_facts(be), "sources": "; ".join(be.sources),
        # Why none when one side reaches nothing: a single rising line compares nothing.
        "chart": None if be.outcome.endswith("_unreachable") else report_chart(
            break_even_figure(be), chart_id="break-even-chart",
            summary=break_even_summary(be))}
    frontier = frontier_context(rec, report_chart=report_chart)
    plan = improvement_plan(rec) if rec.what_would_change else []
    caveats = [{"text": cav.text, "origin": caveat_origin(cav), "severity": cav.severity,
                "label": SEVERITY_LABELS[cav.severity]} for cav in rec.caveats]
    steps = [plan_step_text(step) for step in plan]
    day = (generated or dt.date.today()).isoformat()
    return _render(
        "report.html", generated=day, paper_size=PAPER_SIZES[paper],
        page_header=running_header(f"Compute advice: {verdict_label(rec)}", day),
        link=link, lead=lead_sentence(rec),
        top_risks=[{**c, "text": first_sentence(c["text"])} for c in caveats[:SUMMARY_RISKS]],
        more_risks=max(0, len(caveats) - SUMMARY_RISKS), top_plan=steps[:SUMMARY_STEPS],
        more_plan=max(0, len(steps) - SUMMARY_STEPS),
        rules_version=rec.rules_version, verdict=rec.verdict,
        verdict_label=verdict_label(rec), verdict_summary=verdict_summary(rec),
        configuration=configuration_text(rec), training=training_text(rec),
        shares=shares_text(rec), table_vote=table_text(rec),
        # Why its own quality label: a printed report has no tooltip to say what quality is.
        metrics=headline_metrics(c, labels={"quality": "Chance an answer is correct"},
                                 measure=rec.latency_measure),
        latency=latency_text(rec), quality_meaning=quality_meaning(rec, vocabulary),
        per_correct=per_correct_text(rec),
        ranges_note=RANGES_NOTE if any(bounds.values()) else "",
        broken=broken_text(rec), context=context_table(rec.answers, vocabulary),
        reasons=[{"because": r.because, "rule": r.id, "effects": vocabulary.effects(r.effects),
                  "source": r.source} for r in rec.fired_rules],
        caveats=caveats, risk_counts=risk_counts(rec.caveats),
        options=options_table(rec), break_even=break_even,
        turns=[turn_text(t, vocabulary) for t in rec.what_would_change],
        plan=steps, plan_summary=plan_summary(plan),
        cost_chart=cost_chart, cost_chart_key=COST_CHART_KEY, map_chart=map_chart,
        map_summary=map_summary,
        frontier=frontier,
        charts=[cost_chart, break_even and break_even["chart"], map_chart,
                frontier and frontier["chart"]])


def comparison_to_html(comparison: Comparison, *, vocabulary: Vocabulary,
                       generated: dt.date | None = None, paper: Paper = "a4") -> str:
    """Two to four scenarios side by side: answers, results and the comparison chart."""
    chart = report_chart(comparison_figure(comparison), chart_id="comparison-chart",
                         summary=comparison_summary(comparison))
    day = (generated or dt.date.today()).isoformat()
    names = ", ".join(s.name for s in comparison.scenarios)
    return _render(
        "comparison.html", generated=day, paper_size=PAPER_SIZES[paper],
        page_header=running_header(f"Compute advice compared: {names}", day),
        rules_version=", ".join(sorted({r.rules_version for r in comparison.results})),
        answers=answers_table(comparison, vocabulary), results=results_table(comparison),
        comparison_chart=chart, charts=[chart])
