"""The advisor page: questionnaire, explained recommendation, charts, share link and downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

import plotly.graph_objects as go
import streamlit as st

from advisor.analysis.full import analyse
from advisor.engine.decide import decision_map, recommend
from advisor.errors import PdfError
from advisor.model.answers import Answers, answers_to_json
from advisor.model.result import DecisionMap, Recommendation
from advisor.model.rules import RuleSet
from advisor.render.chart_text import (COST_CHART_KEY, cost_latency_summary, decision_map_lines,
                                       decision_map_summary, frontier_lines, single_category)
from advisor.render.charts import cost_latency_figure, decision_map_figure
from advisor.render.formats import count, quality, usd
from advisor.render.html import to_html
from advisor.render.markdown import md_escape
from advisor.render.pdf import NO_CHROMIUM, html_to_pdf, pdf_available
from advisor.render.report import to_json, to_markdown
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import (SEVERITY_LABELS, broken_text, caveat_origin,
                                    configuration_text, headline_metrics, latency_text,
                                    lead_sentence, per_correct_text, quality_meaning,
                                    risk_counts, shares_text, table_text, training_text,
                                    verdict_label, verdict_summary)
from advisor.source.links import app_link
from ui import state
from ui.components import frontier as frontier_section
from ui.components import insights
from ui.components.questionnaire import eval_section, questionnaire
from ui.pages import compare as compare_page
from ui.pages import snapshot as snapshot_view


@st.cache_resource(max_entries=64, show_spinner=False)
def _advise(answers_json: str, rules_version: str, _answers: Answers, _rules: RuleSet
            ) -> Recommendation:
    """The analysed recommendation, cached per (answers, rules version).

    Why cache_resource: results are frozen pydantic models; sharing them avoids pickling 1,000
    estimates on every rerun (a rerun caused by, say, switching a tab).
    """
    return analyse(_answers, _rules)


def advise(answers: Answers, rules: RuleSet) -> Recommendation:
    return _advise(answers_to_json(answers), rules.version, answers, rules)


@st.cache_resource(max_entries=64, show_spinner=False)
def _headline_result(answers_json: str, rules_version: str, _answers: Answers, _rules: RuleSet
                     ) -> Recommendation:
    """The recommendation with its ranges, before the analysis (cached like :func:`_advise`).

    Why apart: the headline and the cost chart need only this, a millisecond, while the
    analysis behind the tabs takes ten or twenty; the page shows the answer first.
    """
    return recommend(_answers, _rules, ranges=True)


def headline_result(answers: Answers, rules: RuleSet) -> Recommendation:
    return _headline_result(answers_to_json(answers), rules.version, answers, rules)


@st.cache_resource(max_entries=32, show_spinner=False)
def _decision_map(answers_json: str, rules_version: str, _answers: Answers, _rules: RuleSet
                  ) -> DecisionMap:
    """The map per (answers, rules version); computed only when its tab is open."""
    return decision_map(_answers, _rules)


class CostChart(NamedTuple):
    """The cost chart and its words: a one-line summary (its text alternative) and the options
    a pointer would hover, for touch screens and screen readers."""

    figure: go.Figure
    summary: str
    frontier: list[str]


@st.cache_resource(max_entries=32, show_spinner=False)
def _cost_chart_of(answers_json: str, rules_version: str, _rec: Recommendation) -> CostChart:
    """The cost chart per result: building a figure costs about as much as the analysis."""
    return CostChart(cost_latency_figure(_rec), cost_latency_summary(_rec), frontier_lines(_rec))


@st.cache_resource(max_entries=32, show_spinner=False)
def _map_figure(answers_json: str, rules_version: str, colour_by: str, _dmap: DecisionMap,
                _rec: Recommendation, _names: dict[str, str]) -> go.Figure:
    return decision_map_figure(_dmap, _rec, colour_by=colour_by, strategy_names=_names)


def _key(rec: Recommendation) -> tuple[str, str]:
    """What identifies a result in the caches: its answers and the rules version."""
    return answers_to_json(rec.answers), rec.rules_version


def show_rules_state(rules_state: state.RulesState) -> None:
    """Tell the user when the rules on disk are broken, and what is being served instead."""
    if not rules_state.problems:
        return
    directory = state.rules_dir()
    listing = "\n".join(f"- {md_escape(str(p))}" for p in
                        state.relative_to_rules(rules_state.problems[:20], directory))
    if rules_state.stale:
        st.error(f"The rules files in {md_escape(state.shown_path(directory))} have problems, "
                 "so the last valid rules are still in use. Fix these and the app picks the "
                 f"change up:\n\n{listing}")
    else:
        st.error(f"The rules could not be loaded. Fix these problems in "
                 f"{md_escape(state.shown_path(directory))}:\n\n{listing}")


CHANGE_KEY = "_last_answer"  # what the page showed last, and why it may have moved since


def answer_in_brief(rec: Recommendation) -> str:
    """The answer in a phrase, to say what it changed from: ``Single pass on GPT-4.1 ($0.0058 a
    query, quality 0.90)``."""
    return (f"{configuration_text(rec)} ({usd(rec.chosen.cost_usd)} a query, quality "
            f"{quality(rec.chosen.expected_quality)})")


def _changed_notice(rec: Recommendation) -> None:
    """Say "changed from … to …" when the answer moved because of something the user did not
    see change on this page: an eval result (uploaded, or its fields edited) or the rules.

    Why only those: an edited answer changes the result in front of the user's eyes; an upload
    or a rules file changes it out of sight, and a lead must know the $0.37 became $0.015.
    """
    a = rec.answers
    now = {"brief": answer_in_brief(rec), "rules": rec.rules_version,
           "eval": (a.measured_model, a.measured_accuracy, a.measured_dispersion)}
    before = st.session_state.get(CHANGE_KEY)
    st.session_state[CHANGE_KEY] = now
    causes = [] if before is None or before["brief"] == now["brief"] else [
        cause for cause, moved in (("your eval result", before["eval"] != now["eval"]),
                                   ("the rules", before["rules"] != now["rules"])) if moved]
    if causes:
        st.session_state[f"{CHANGE_KEY}_notice"] = (
            f"The answer changed with {' and '.join(causes)}: from {before['brief']} to "
            f"{now['brief']}.")
    elif before is not None and before["brief"] != now["brief"]:
        st.session_state.pop(f"{CHANGE_KEY}_notice", None)  # an edit moved it in plain sight
    notice = st.session_state.get(f"{CHANGE_KEY}_notice")
    if notice:
        st.info(md_escape(notice), icon=":material/update:")


def _headline(rec: Recommendation, rules: RuleSet) -> None:
    # Why the colour follows feasibility: "nothing fits" must stand out, whatever the verdict.
    box = st.warning if not rec.feasible else {
        "inference_time": st.info, "training": st.success, "combined": st.success,
        "neither": st.info}[rec.verdict]
    # The sentence a lead repeats: the verdict, what to run, what it costs and how fast.
    box(f"### {md_escape(verdict_label(rec))}\n**Configuration:** "
        f"{md_escape(configuration_text(rec))}  \n{md_escape(lead_sentence(rec))}")
    _headline_numbers(rec, rules)
    # Why after the numbers: the answer and its four figures fit a phone's first screen; the
    # reasons follow for whoever reads on, the split and the table's vote one tap further.
    st.markdown(f"**Training:** {md_escape(training_text(rec))}  \n"
                f"**Why this verdict:** {md_escape(verdict_summary(rec))}")
    if not rec.feasible:
        st.error(md_escape(broken_text(rec)))
    with st.expander("Where the quality comes from, and what the article's trade-off table "
                     "says"):
        st.markdown(f"{md_escape(shares_text(rec))}\n\n{md_escape(table_text(rec))}")


def _headline_numbers(rec: Recommendation, rules: RuleSet) -> None:
    """The four figures with their ranges, then what latency, cost and quality mean."""
    a = rec.answers
    meaning = quality_meaning(rec, Vocabulary.of(rules))
    about = (" The range under it: the 5th to 95th percentile over draws of every assumed "
             "number's range in the rules (About the method).")
    helps = {
        "cost": f"Model calls per query, USD; budget {usd(a.budget_per_query_usd, exact=True)}.",
        "latency": f"Latency: {latency_text(rec)}.",
        "quality": meaning + " The best that fits is "
                   f"{quality(rec.objective.best_quality)}; options within "
                   f"{rec.objective.quality_tolerance:g} of it count as equal (the cheapest is "
                   "chosen).",
        "monthly": f"Cost per query × {count(a.queries_per_day)} queries a day × "
                   f"{rules.settings.days_per_month:g} days."}
    with st.container(key="headline_metrics"):
        columns = st.columns(4)
    for col, metric in zip(columns, headline_metrics(rec.chosen, measure=rec.latency_measure)):
        col.metric(metric.label, metric.value, help=md_escape(helps[metric.key] + about))
        col.caption(f"likely between {md_escape(metric.bounds[0])} and "
                    f"{md_escape(metric.bounds[1])}" if metric.bounds else "no assumed range")
    st.caption(md_escape(f"Latency: {latency_text(rec)}."))
    st.caption(md_escape(f"Per correct answer: {per_correct_text(rec)}."))
    st.caption(md_escape(meaning))


def _why(rec: Recommendation, vocabulary: Vocabulary) -> None:
    st.subheader("Why")
    if not rec.fired_rules:
        st.write("No rule fired for these answers.")
    for rule in rec.fired_rules:
        st.markdown(f"**{md_escape(rule.because)}**")
        st.caption(f"Rule {md_escape(rule.id)} · {md_escape(vocabulary.effects(rule.effects))} · "
                   f"Source: {md_escape(rule.source)}")
    st.caption(f"Rows of the trade-off table weigh {rec.table.scores.inference_time:g} for "
               f"inference-time and {rec.table.scores.training:g} for training; they are shown "
               "beside the verdict, which is read off what the configuration spends (About the "
               "method).")


# A high or medium risk in an amber box, a low one in blue, each with its own icon; the label
# says the severity in words. Why not st.error for high: red boxes on this page mean the app
# could not do something (a broken rules file, a bad link), and a risk is advice, not a fault.
_RISK_BOX = {"high": (st.warning, ":material/error:"),
             "medium": (st.warning, ":material/warning:"),
             "low": (st.info, ":material/info:")}


def _caveats(rec: Recommendation) -> None:
    if not rec.caveats:
        return
    st.subheader("Risks and caveats")
    st.caption(risk_counts(rec.caveats))
    for caveat in rec.caveats:
        box, icon = _RISK_BOX[caveat.severity]
        box(f"**{SEVERITY_LABELS[caveat.severity]}:** {md_escape(caveat.text)}  \n"
            f"*{md_escape(caveat_origin(caveat))}*", icon=icon)


def _cost_chart(chart: CostChart) -> None:
    st.subheader("Cost vs latency")
    st.markdown(md_escape(chart.summary))
    st.plotly_chart(chart.figure, theme="streamlit", key="cost_latency_chart",
                    alt=chart.summary)
    st.caption(COST_CHART_KEY + " Select a legend entry to hide or show its points (ruled-out "
               "options start hidden).")
    with st.expander(f"The recommendation and the frontier, in words ({len(chart.frontier)})"):
        st.markdown("\n".join(f"- {md_escape(line)}" for line in chart.frontier))


SECTIONS = ("What would change", "Break-even", "Training vs inference", "Decision map",
            "All candidates")
SECTION_KEY = "advisor_section"


@st.fragment
def _details(rec: Recommendation, rules: RuleSet) -> None:
    """The heavier sections, each built and sent only while its tab is open.

    Why a fragment: switching tabs, or the map's colouring, reruns this part of the page only.
    """
    tabs = st.tabs(SECTIONS, key=SECTION_KEY, on_change="rerun")
    vocabulary = Vocabulary.of(rules)
    sections = (lambda: insights.render_what_would_change(rec, vocabulary),
                lambda: insights.render_break_even(rec),
                lambda: frontier_section.render(rec),
                lambda: _map(rec, rules),
                lambda: _candidates(rec))
    for tab, section in zip(tabs, sections):
        if tab.open:
            with tab:
                section()


def _map(rec: Recommendation, rules: RuleSet) -> None:
    st.subheader("Decision map")
    colour_by = st.radio("Colour by", ["verdict", "strategy"], horizontal=True,
                         key="map_colour_by", help="What the map shows at each budget pair.")
    names = dict(Vocabulary.of(rules).strategies)
    dmap = _decision_map(*_key(rec), rec.answers, rules)
    summary = decision_map_summary(dmap, rec, colour_by=colour_by, strategy_names=names)
    if single_category(dmap, colour_by=colour_by, strategy_names=names) is not None:
        st.info(f"{md_escape(summary)} A map of one colour would show nothing more, so none is "
                "drawn.")
        return
    st.markdown("What the advisor would recommend at other latency and per-query budgets, with "
                "your other answers unchanged. " + md_escape(summary))
    st.plotly_chart(_map_figure(*_key(rec), colour_by, dmap, rec, names), theme="streamlit",
                    key="decision_map_chart", alt=summary)
    st.markdown("\n".join(f"- {md_escape(line)}" for line in
                          decision_map_lines(dmap, rec, colour_by=colour_by,
                                             strategy_names=names)))


def _candidates(rec: Recommendation) -> None:
    st.subheader("All candidates")
    st.markdown(f"Every one of the {len(rec.estimates):,} candidates with its estimates; select "
                "a column header to sort.")
    st.dataframe(rec.estimates_frame(), hide_index=True, key="estimates_table",
                 column_config={
                     "cost per query (USD)": st.column_config.NumberColumn(format="$%.5f"),
                     "per correct answer (USD)": st.column_config.NumberColumn(format="$%.5f"),
                     "monthly cost (USD)": st.column_config.NumberColumn(format="dollar"),
                     "latency (s)": st.column_config.NumberColumn(
                         format="%.2f", help="Time to the whole answer."),
                     "first token (s)": st.column_config.NumberColumn(
                         format="%.2f", help="Time to the first visible words, a reasoning "
                         "model's hidden thinking included; what the budget applies to when "
                         "the answer streams."),
                     "expected quality": st.column_config.NumberColumn(
                         format="%.3f", help="Probability one answer is correct at your "
                         "difficulty level."),
                     "quality likely from": st.column_config.NumberColumn(
                         format="%.3f", help="Low end of the likely range, from the rules' "
                         "assumed ranges."),
                     "quality likely to": st.column_config.NumberColumn(format="%.3f")})


def download_name(rec: Recommendation, today: dt.date, extension: str) -> str:
    return f"compute-advice-{today.isoformat()}-{rec.rules_version}.{extension}"


def _app_link(rec: Recommendation) -> str | None:
    """The address that opens this decision here, for the reports; None when the browser's
    address is not known (a script run without a browser)."""
    try:
        base = st.context.url
    except Exception:  # noqa: BLE001 - no browser session: the report simply has no link
        return None
    return app_link(base, rec.answers) if base else None


PDF_KEY = "_pdf_report"  # (what it was printed for, its bytes): the last PDF prepared


def _pdf_button(slot, printed_for: tuple, html: Callable[[], str], file_name: str) -> None:
    """A PDF takes seconds (the charts drawn, then printed by Chromium): prepare it with each
    step shown, then offer it for download; a PDF of other answers or paper is prepared anew."""
    ready = st.session_state.get(PDF_KEY)
    slot = slot.empty()  # the download button takes the prepare button's place
    if not (ready and ready[0] == printed_for):
        if not slot.button("Prepare the PDF report", key="prepare_pdf",
                           icon=":material/picture_as_pdf:",
                           help="Draws the report's charts and prints it with Chromium: a few "
                                "seconds, each step shown."):
            return
        with st.status("Preparing the PDF report…", expanded=True) as status:
            st.write("Drawing the charts and the decision map")
            page = html()
            st.write("Printing it with Chromium")
            try:
                pdf = html_to_pdf(page)
            except PdfError as exc:
                status.update(label="The PDF could not be printed", state="error")
                st.error(md_escape(exc.message))
                return
            status.update(label=f"PDF ready ({len(pdf) / 1024:,.0f} KiB): download it with "
                                "the button above", state="complete", expanded=False)
        st.session_state[PDF_KEY] = ready = (printed_for, pdf)
    slot.download_button("Report (PDF)", ready[1], file_name=file_name, mime="application/pdf",
                         key="download_pdf", on_click="ignore")


def _share(rec: Recommendation, rules: RuleSet) -> None:
    st.subheader("Share")
    st.caption("The address bar always holds your answers: copy it to share this exact "
               "recommendation. Reports carry the date, the answers and the rules version; the "
               "HTML and PDF reports open on a one-page summary with a link back here, and "
               "print with page numbers.")
    today = dt.date.today()
    vocabulary = Vocabulary.of(rules)
    paper = st.radio("Paper", ["a4", "letter"], key="report_paper", horizontal=True,
                     format_func={"a4": "A4", "letter": "Letter"}.get,
                     help="The page size the HTML and PDF reports print on.")
    link = _app_link(rec)

    def html() -> str:
        # Why the map is computed here: only a click on a report needs it, never an edit.
        return to_html(rec, vocabulary=vocabulary, dmap=decision_map(rec.answers, rules),
                       generated=today, paper=paper, link=link)

    cols = st.columns(4)
    # Every report is generated when its button is clicked (a callable), not on every rerun.
    cols[0].download_button("Decision record (Markdown)",
                            lambda: to_markdown(rec, vocabulary=vocabulary, generated=today),
                            file_name=download_name(rec, today, "md"), mime="text/markdown",
                            key="download_markdown", on_click="ignore")
    cols[1].download_button("Report (HTML, works offline)", html,
                            file_name=download_name(rec, today, "html"), mime="text/html",
                            key="download_html", on_click="ignore")
    if pdf_available():
        _pdf_button(cols[2], (*_key(rec), paper, today.isoformat()), html,
                    download_name(rec, today, "pdf"))
    else:
        cols[2].caption(md_escape(NO_CHROMIUM))
    cols[3].download_button("Full result (JSON)", lambda: to_json(rec),
                            file_name=download_name(rec, today, "json"),
                            mime="application/json", key="download_json", on_click="ignore")


# On a phone the answer comes first: the two columns stack with the result on top and the
# questions below, the four figures sit two by two, and the title takes two lines, not four.
# Static CSS of ours, no user or rule text in it.
PHONE_CSS = """<style>
@media (max-width: 640px) {
  .st-key-advisor_layout [data-testid="stHorizontalBlock"]:not(
      [data-testid="stColumn"] [data-testid="stHorizontalBlock"]) {
    flex-direction: column-reverse;
  }
  .st-key-headline_metrics [data-testid="stColumn"] {
    min-width: calc(50% - 1rem) !important; width: calc(50% - 1rem) !important;
    flex: 1 1 calc(50% - 1rem) !important;
  }
  [data-testid="stMain"] h1 { font-size: 1.75rem; }
  [data-testid="stMainBlockContainer"] { padding-top: 3rem; }
  [data-testid="stMain"] [data-testid="stAlert"] h3 { font-size: 1.35rem; }
}
</style>"""


def render() -> None:
    """The main page: the questions beside the result on a wide screen, above it on a phone."""
    rules_state = state.get_rules()
    show_rules_state(rules_state)
    rules = rules_state.rules
    if rules is None:
        st.stop()
    if snapshot_view.show_requested_snapshot(rules):
        return
    state.init_answers(rules)
    st.html(PHONE_CSS)
    st.title("Inference-time or training compute?")
    st.caption("Change any answer under Your situation (below the answer on a small screen); "
               "the recommendation updates as you go.")
    with st.container(key="advisor_layout"):
        questions, results = st.columns([1, 3], gap="large")
    with questions:
        st.header("Your situation")
        questionnaire(rules)
    answers = state.current_answers(rules)
    first = headline_result(answers, rules)
    state.sync_query_params(answers)
    compare_page.remember_advisor_answers(answers)
    with results:
        for warning in st.session_state.get(state.WARNINGS_KEY, []):
            st.warning(f"Share link: {md_escape(warning)}")
        _changed_notice(first)
        _headline(first, rules)
        eval_section(rules)
        _cost_chart(_cost_chart_of(*_key(first), first))
        rec = advise(answers, rules)  # the same decision, with break-even and what would change
        _why(rec, Vocabulary.of(rules))
        _caveats(rec)
        _details(rec, rules)
        _share(rec, rules)
        with st.expander("Save a snapshot for stakeholders", icon=":material/bookmark:"):
            snapshot_view.save_controls(rec)
