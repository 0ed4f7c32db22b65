"""The Decisions page: every saved snapshot, filtered, opened, and re-evaluated in bulk.

The list reads the store's decision columns (title, who, when, verdict, configuration, rules
version) and never the full results; re-evaluation runs the frozen answers through the current
rules and lists only the recommendations that would change. Text from the store reaches the page
through dataframes (never rendered as Markdown) or ``md_escape``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.errors import StoreError
from advisor.model.answers import field_options
from advisor.render.markdown import md_escape
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import VERDICT_LABELS
from advisor.store import SnapshotSummary, reevaluate
from ui import state
from ui.components import team
from ui.pages import snapshot as snapshot_view

LIST_LIMIT = 500
REEVALUATED_KEY = "_decisions_reevaluated"
ANY = "any"


def decisions_frame(summaries: list[SnapshotSummary], vocabulary: Vocabulary) -> pd.DataFrame:
    """One row per saved decision, with a link that opens it."""
    return pd.DataFrame([{
        "open": f"./?{snapshot_view.SNAPSHOT_PARAM}={s.id}",
        "title": s.title or "(untitled)",
        "saved by": s.author,
        "saved (UTC)": s.created.strftime("%Y-%m-%d %H:%M"),
        "verdict": VERDICT_LABELS.get(s.decision.verdict or "", s.decision.verdict or "?"),
        "configuration": " on ".join(filter(None, (s.decision.strategy_name,
                                                   s.decision.model_name))) or "?",
        "task type": vocabulary.option("task_type", s.decision.task_type)
                     if s.decision.task_type else "?",
        "rules version": s.rules_version,
        "id": s.id,
    } for s in summaries], columns=["open", "title", "saved by", "saved (UTC)", "verdict",
                                    "configuration", "task type", "rules version", "id"])


def _label(summary: SnapshotSummary) -> str:
    return f"{summary.title or '(untitled)'} · {summary.author} · {summary.id}"


def _open() -> None:
    # Why read the widget here: a callback's args are bound when the button was drawn, before
    # a new choice in the selectbox.
    st.query_params[snapshot_view.SNAPSHOT_PARAM] = st.session_state["decisions_open"]


def _reevaluate(store, ids: list[str], rules) -> None:
    try:
        snapshots = [store.get(snapshot_id) for snapshot_id in ids]
    except StoreError as exc:
        st.error(f"Could not re-evaluate: {md_escape(exc.public)}")
        return
    changes = reevaluate(snapshots, rules)
    changed = [c for c in changes if c.changed]
    if not changed:
        st.success(f"None of the {len(changes)} decision(s) would change under the current rules "
                   f"(version `{rules.version}`).")
        return
    st.warning(f"{len(changed)} of {len(changes)} decision(s) would change under the current "
               f"rules (version `{rules.version}`):")
    st.dataframe(pd.DataFrame([{"id": c.snapshot_id, "title": c.title or "(untitled)",
                                "saved by": c.author, "rules then": c.rules_version_then,
                                "what": what, "then": then, "now": now}
                               for c in changed for what, then, now in c.changes]),
                 hide_index=True, key="decisions_changes")


def _rule_edits(store) -> None:
    with st.expander("Rule edits saved from the app (audit log)", icon=":material/history_edu:"):
        try:
            edits = store.rule_edits()
        except StoreError as exc:
            st.error(f"The audit log cannot be read: {md_escape(exc.public)}")
            return
        if not edits:
            st.caption("No rules file has been saved from the app.")
            return
        st.dataframe(pd.DataFrame([{
            "edit": e.id, "saved (UTC)": e.created.strftime("%Y-%m-%d %H:%M"),
            "saved by": e.author, "file": e.file, "rules before": e.rules_version_before,
            "rules after": e.rules_version_after} for e in edits]),
            hide_index=True, key="decisions_rule_edits")
        by_number = {e.id: e for e in edits}
        shown = st.selectbox("Show the diff of edit", list(by_number), key="decisions_rule_edit",
                             format_func=lambda n: f"{n} · {by_number[n].file} · "
                                                   f"{by_number[n].author}")
        st.code(by_number[shown].diff or "(no change)", language="diff", wrap_lines=True)


def render() -> None:
    """The Decisions page."""
    rules = state.get_rules().rules
    if rules is None:
        st.error("The rules could not be loaded; see the Advisor page for the problems.")
        st.stop()
    if snapshot_view.show_requested_snapshot(rules):
        return
    st.title("Decisions")
    st.caption("Every recommendation saved as a snapshot, newest first. Open one to see it "
               "exactly as it was, or re-evaluate several under today's rules.")
    status = team.store_status()
    if status.store is None:
        st.error(md_escape(f"The saved decisions cannot be listed: {status.problem}"))
        return
    cols = st.columns([2, 1, 1])
    text = cols[0].text_input("Search title, person, id, strategy or model",
                              key="decisions_text")
    vocabulary = Vocabulary.of(rules)
    task_type = cols[1].selectbox("Task type", [ANY, *field_options("task_type")],
                                  key="decisions_task_type",
                                  format_func=lambda v: v if v == ANY
                                  else vocabulary.option("task_type", v))
    verdict = cols[2].selectbox("Verdict", [ANY, *VERDICT_LABELS], key="decisions_verdict",
                                format_func=lambda v: VERDICT_LABELS.get(v, v))
    try:
        summaries, total = status.store.find(
            text=text, task_type=None if task_type == ANY else task_type,
            verdict=None if verdict == ANY else verdict, limit=LIST_LIMIT)
    except StoreError as exc:
        st.error(f"The saved decisions cannot be listed: {md_escape(exc.public)}")
        return
    shown = f"the newest {len(summaries)} of " if total > len(summaries) else ""
    st.caption(f"{shown}{total} decision(s) match.")
    st.dataframe(decisions_frame(summaries, vocabulary), hide_index=True, key="decisions_table",
                 column_config={"open": st.column_config.LinkColumn(
                     "open", display_text="open", help="Opens the snapshot as it was saved.")})
    if summaries:
        _open_and_reevaluate(status.store, summaries, rules)
    _rule_edits(status.store)


def _open_and_reevaluate(store, summaries: list[SnapshotSummary], rules) -> None:
    by_id = {s.id: s for s in summaries}
    cols = st.columns([3, 1])
    cols[0].selectbox("Open a decision", list(by_id), key="decisions_open",
                      format_func=lambda i: _label(by_id[i]))
    cols[1].button("Open", key="decisions_open_button", on_click=_open,
                   icon=":material/open_in_new:")

    st.header("Re-evaluate under the current rules")
    picked = st.multiselect("Decisions to re-evaluate (none picked: every one listed)",
                            list(by_id), key="decisions_pick",
                            format_func=lambda i: _label(by_id[i]))
    if st.button("Re-evaluate", key="decisions_reevaluate", icon=":material/refresh:"):
        st.session_state[REEVALUATED_KEY] = picked or list(by_id)
    ids = st.session_state.get(REEVALUATED_KEY)
    if ids:
        _reevaluate(store, [i for i in ids if i in by_id], rules)
