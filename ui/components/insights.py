"""Sections any page can show for an analysed recommendation: the improvement plan, turning
points and break-even."""

from __future__ import annotations

import streamlit as st

import plotly.graph_objects as go

from advisor.analysis.plan import improvement_plan
from advisor.model.result import BreakEven, Recommendation
from advisor.render.chart_text import break_even_summary
from advisor.render.formats import count, days_text, usd
from advisor.render.insight_charts import break_even_figure
from advisor.render.markdown import md_escape
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import break_even_text, plan_step_text, plan_summary, turn_text


def render_plan(rec: Recommendation) -> None:
    """The improvement plan: the turns a team can take, best value first."""
    st.subheader("Improvement plan")
    steps = improvement_plan(rec)
    st.caption(plan_summary(steps))
    if steps:
        st.markdown("\n".join(f"{i}. {md_escape(plan_step_text(step))}"
                              for i, step in enumerate(steps, 1)))


def render_what_would_change(rec: Recommendation, vocabulary: Vocabulary) -> None:
    """The plan, then the nearest answer changes that change the verdict or the strategy."""
    if rec.what_would_change:
        render_plan(rec)
    st.subheader("What would change the answer")
    turns = rec.what_would_change
    if not turns:
        st.write("No single answer change within the questions' ranges changes the verdict or "
                 "the recommended strategy.")
        return
    st.caption("For each answer, the nearest value at which the verdict, the strategy or the "
               "training action changes, found by running the advisor itself; everything else "
               "stays as you answered.")
    by_task = [t for t in turns if t.field == "task_type"]
    others = [t for t in turns if t.field != "task_type"]
    st.markdown("\n".join(f"- {md_escape(turn_text(t, vocabulary))}" for t in others) or
                "- Only a different task type changes the result.")
    if by_task:
        with st.expander(f"Other task types ({len(by_task)})", expanded=False):
            st.markdown("\n".join(f"- {md_escape(turn_text(t, vocabulary))}" for t in by_task))


@st.cache_resource(max_entries=64, show_spinner=False)
def _figure(break_even_json: str, _be: BreakEven) -> go.Figure:
    """The chart per break-even: building a plotly figure is most of this section's rerun cost."""
    return break_even_figure(_be)


def _signed_usd(value: float | None) -> str:
    return "—" if value is None else md_escape(usd(value))


def render_break_even(rec: Recommendation, *, key: str = "main") -> None:
    """The break-even sentence, its key numbers and the cumulative-cost chart (the sentence
    alone when one side reaches nothing: a single rising line compares nothing)."""
    be = rec.break_even
    if be is None:
        return
    st.subheader("Break-even: a training run against paying per query")
    st.write(md_escape(break_even_text(be)))
    if not be.outcome.endswith("_unreachable"):
        saving = be.saving_per_query_usd
        if be.outcome == "pays_off":
            when = count(be.break_even_queries) + " queries"
            if be.break_even_days is not None:
                when += f" ({days_text(be.break_even_days)})"
        else:
            when = {"cheaper_from_start": "from the first query",
                    "never": f"never within {days_text(be.horizon_days)}"}[be.outcome]
        one_time = usd(be.training.one_time_cost_usd) if be.training is not None else "—"
        # Why not st.metric: the page's four metrics are the recommendation's own figures.
        st.markdown(f"One-time training cost **{md_escape(one_time)}** · saving per "
                    f"query **{_signed_usd(saving)}** · break-even "
                    f"**{md_escape(when)}**")
        st.plotly_chart(_figure(be.model_dump_json(), be), theme="streamlit",
                        key=f"break_even_chart_{key}", alt=break_even_summary(be))
    tolerance = rec.objective.quality_tolerance
    st.caption(f"Target quality {be.target_quality:.2f}: the best quality that fits, less the "
               f"{tolerance:g} tolerance within which options count as equal. Cumulative cost "
               f"= one-time cost + cost per query × {count(be.queries_per_day)} queries a day. "
               "Sources: " + md_escape("; ".join(be.sources)))


def render(rec: Recommendation, vocabulary: Vocabulary, *, key: str = "main") -> None:
    """Both sections, side by side on wide screens."""
    left, right = st.columns([1, 1], gap="large")
    with left:
        render_what_would_change(rec, vocabulary)
    with right:
        render_break_even(rec, key=key)
