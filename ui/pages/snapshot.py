"""Snapshots in the app: save the current recommendation, and show one opened by ``?snapshot=ID``.

The frozen result is shown exactly as stored (nothing is recomputed); "Re-evaluate with current
rules" runs the advisor on the frozen answers and lists what differs.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from advisor.analysis.full import analyse
from advisor.errors import SnapshotError
from advisor.model.result import Recommendation
from advisor.model.rules import RuleSet
from advisor.render.comparison import differences
from advisor.render.markdown import md_escape
from advisor.render.report import to_markdown
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import (answer_items, configuration_text, headline_metrics,
                                    latency_text, training_text, verdict_label)
from advisor.store import ANONYMOUS
from advisor.store.snapshots import TITLE_MAX, Snapshot
from ui import state
from ui.components import insights
from ui.components import team

SNAPSHOT_PARAM = "snapshot"
SAVED_KEY = "_snapshot_saved"
REEVALUATE_KEY = "_snapshot_reevaluated"
DELETE_KEY = "_snapshot_delete_message"


def save_controls(rec: Recommendation) -> None:
    """A title field and a button that freeze ``rec`` as a snapshot, then show its link."""
    status = team.store_status()
    if status.store is None:
        st.warning(md_escape(team.saving_disabled_note(status)))
    st.text_input("Snapshot title (optional)", key="snapshot_title", max_chars=TITLE_MAX,
                  help="Shown when the snapshot is opened; helps stakeholders recognise it.")
    author = team.current_user()
    st.caption(f"Saved as {md_escape(author)}; listed on the Decisions page.")
    if st.button("Save snapshot", key="snapshot_save", icon=":material/bookmark_add:",
                 disabled=status.store is None):
        try:
            title = st.session_state.get("snapshot_title", "").strip() or None
            st.session_state[SAVED_KEY] = status.store.save(
                Snapshot.of(rec, title=title, author=author))
        except SnapshotError as exc:
            st.session_state.pop(SAVED_KEY, None)
            st.error(f"The snapshot was not saved: {md_escape(exc.public)}")
    saved = st.session_state.get(SAVED_KEY)
    if saved:
        st.success(f"Saved as snapshot `{saved}`. Anyone with this app can reopen it as it is "
                   f"now: add `?{SNAPSHOT_PARAM}={saved}` to the app's address, or "
                   f"[open it here](?{SNAPSHOT_PARAM}={saved}).")


def _leave() -> None:
    st.query_params.pop(SNAPSHOT_PARAM, None)
    st.session_state.pop(REEVALUATE_KEY, None)


def _open_in_advisor(snapshot: Snapshot) -> None:
    _leave()
    state.apply_answers(snapshot.answers.model_dump(mode="json"))
    st.session_state[state.LOADED_KEY] = True


def _frozen(rec: Recommendation, vocabulary: Vocabulary) -> None:
    st.markdown(f"## {md_escape(verdict_label(rec))}: "
                f"{md_escape(configuration_text(rec))}")
    st.markdown(f"**Training:** {md_escape(training_text(rec))}")
    for col, metric in zip(st.columns(4), headline_metrics(rec.chosen,
                                                          measure=rec.latency_measure)):
        col.metric(metric.label, metric.value)
    st.caption(md_escape(f"Latency: {latency_text(rec)}."))
    st.dataframe(pd.DataFrame(answer_items(rec.answers, vocabulary), columns=["answer", "value"]),
                 hide_index=True, key="snapshot_answers")


def _reevaluate(frozen: Recommendation, rules: RuleSet) -> None:
    fresh = analyse(frozen.answers, rules)
    changed = differences(frozen, fresh)
    if not changed:
        st.success("Nothing differs: the current rules give the same recommendation.")
        return
    st.warning(f"With the current rules (version `{rules.version}`) the result differs in "
               f"{len(changed)} place(s):")
    st.dataframe(pd.DataFrame([{"": d.label, "snapshot": d.before, "current rules": d.after}
                               for d in changed]), hide_index=True, key="snapshot_differences")


def _delete(store, snapshot: Snapshot, user: str) -> None:
    try:
        store.delete(snapshot.id, by=user)
    except SnapshotError as exc:
        st.session_state[DELETE_KEY] = exc.public
        return
    _leave()
    st.session_state[DELETE_KEY] = f"Deleted snapshot {snapshot.id}."


def _delete_control(store, snapshot: Snapshot) -> None:
    """Only the person who saved a snapshot is offered to delete it (the store checks too)."""
    user = team.current_user()
    if user != ANONYMOUS and user == snapshot.author:
        st.button("Delete this snapshot", key="snapshot_delete", icon=":material/delete:",
                  on_click=_delete, args=(store, snapshot, user),
                  help="Removes it from the Decisions list and its link stops working; its id "
                       "is never given to another snapshot.")


def show_requested_snapshot(rules: RuleSet) -> bool:
    """Show the snapshot named by ``?snapshot=ID``; return False when the link names none.

    A malformed or unknown id, or a missing or damaged database, shows a clear message instead.
    """
    snapshot_id = st.query_params.get(SNAPSHOT_PARAM)
    deleted = st.session_state.pop(DELETE_KEY, None)
    if deleted:
        st.info(md_escape(deleted))
    if snapshot_id is None:
        return False
    st.title("Snapshot")
    status = team.store_status()
    try:
        if status.store is None:
            raise SnapshotError(status.problem or "")
        snapshot = status.store.get(snapshot_id)
        frozen = snapshot.result()
    except SnapshotError as exc:
        st.error(f"This snapshot cannot be shown. {md_escape(exc.public)}")
        st.button("Start a new recommendation", key="snapshot_leave", on_click=_leave)
        return True
    title = md_escape(snapshot.title) if snapshot.title else "Untitled snapshot"
    created = snapshot.created.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    # Why no code span around the rules version: a backtick in a tampered database would end it.
    st.markdown(f"**{title}** · saved {created} by {md_escape(snapshot.author)} · id "
                f"`{snapshot.id}` · rules version {md_escape(snapshot.rules_version)}")
    if snapshot.rules_version != rules.version:
        st.info(f"The rules have changed since this snapshot (now `{rules.version}`). Below is "
                "exactly what was recommended then; re-evaluate to see what would differ now.")
    else:
        st.caption("The rules are unchanged since this snapshot was saved.")
    vocabulary = Vocabulary.of(rules)
    _frozen(frozen, vocabulary)
    cols = st.columns(3)
    if cols[0].button("Re-evaluate with current rules", key="snapshot_reevaluate",
                      icon=":material/refresh:"):
        st.session_state[REEVALUATE_KEY] = snapshot.id
    cols[1].button("Open these answers in the advisor", key="snapshot_open",
                   on_click=_open_in_advisor, args=(snapshot,))
    cols[2].download_button("Snapshot (JSON, as stored)", snapshot.result_json,
                            file_name=f"snapshot-{snapshot.id}.json", mime="application/json",
                            key="snapshot_download_json", on_click="ignore")
    if st.session_state.get(REEVALUATE_KEY) == snapshot.id:
        _reevaluate(frozen, rules)
    _delete_control(status.store, snapshot)
    insights.render(frozen, vocabulary, key="snapshot")
    st.download_button("Decision record as frozen (Markdown)",
                       to_markdown(frozen, vocabulary=vocabulary,
                                   generated=snapshot.created.date()),
                       file_name=f"snapshot-{snapshot.id}.md", mime="text/markdown",
                       key="snapshot_download_markdown", on_click="ignore")
    return True
