"""Named compare sets on the compare page: save the session's scenarios, list and reopen them.

A saved set is addressed by ``?compare_set=ID``, so its link survives a reload, another app
server and another person; opening it adds its scenarios to the session (a name already used
for other answers gets " (saved set)") and picks the ones that were being compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
from pydantic import ValidationError

from advisor.analysis.compare import NAME_MAX, NamedScenario
from advisor.errors import StoreError
from advisor.model.answers import Answers
from advisor.render.markdown import md_escape
from advisor.store import CompareSet
from advisor.store.records import SET_NAME_MAX, SET_SCENARIOS_MAX
from ui.components import team

SET_PARAM = "compare_set"
LOADED_KEY = "_compare_set_loaded"
MESSAGE_KEY = "_compare_set_message"


def _merge(compare_set: CompareSet, into: dict[str, dict[str, Any]]) -> list[str]:
    """Add the set's scenarios to the session's; return the names its picks now have."""
    renamed = {}
    for scenario in compare_set.scenarios:
        answers = scenario.answers.model_dump(mode="json")
        name = scenario.name
        if into.get(name, answers) != answers:
            name = f"{name} (saved set)"[:NAME_MAX]
        into[name] = answers
        renamed[scenario.name] = name
    return [renamed[n] for n in compare_set.picked if n in renamed]


def load_requested(into: dict[str, dict[str, Any]]) -> list[str] | None:
    """Open the set named by ``?compare_set=ID`` once per session; the names to pick, or None."""
    set_id = st.query_params.get(SET_PARAM)
    if not set_id or st.session_state.get(LOADED_KEY) == set_id:
        return None
    st.session_state[LOADED_KEY] = set_id
    status = team.store_status()
    try:
        if status.store is None:
            raise StoreError(status.problem or "")
        compare_set = status.store.get_compare_set(set_id)
    except StoreError as exc:
        st.session_state[MESSAGE_KEY] = ("error", f"The saved comparison cannot be opened: "
                                                  f"{exc.public}")
        return None
    st.session_state[MESSAGE_KEY] = ("success", f"Opened the saved comparison "
                                                f"'{compare_set.name}' by {compare_set.author}.")
    return _merge(compare_set, into)


def _save(scenarios: dict[str, dict[str, Any]], picked: list[str]) -> None:
    status = team.store_status()
    name = st.session_state.get("compare_set_name", "").strip()
    try:
        compare_set = CompareSet(
            created=dt.datetime.now(dt.UTC), name=name, author=team.current_user(),
            scenarios=[NamedScenario(name=n, answers=Answers.model_validate(a))
                       for n, a in scenarios.items()], picked=picked)
    except ValidationError:
        st.session_state[MESSAGE_KEY] = (
            "error", f"A saved comparison needs a name of 1 to {SET_NAME_MAX} characters and 1 "
                     f"to {SET_SCENARIOS_MAX} scenarios.")
        return
    try:
        set_id = status.store.save_compare_set(compare_set)
    except StoreError as exc:
        st.session_state[MESSAGE_KEY] = ("error", f"The comparison was not saved: {exc.public}")
        return
    st.query_params[SET_PARAM] = set_id
    st.session_state[LOADED_KEY] = set_id  # our own link: nothing to load back
    st.session_state[MESSAGE_KEY] = ("success", f"Saved '{name}' as comparison {set_id}; the "
                                                "address bar now links to it.")


def _open() -> None:
    st.query_params[SET_PARAM] = st.session_state["compare_set_open"]


def controls(scenarios: dict[str, dict[str, Any]], picked: list[str]) -> None:
    """Save the session's scenarios under a name; list the saved sets and open one."""
    status = team.store_status()
    with st.container(border=True):
        st.markdown("**Saved comparisons** (shared with everyone using this app)")
        message = st.session_state.pop(MESSAGE_KEY, None)
        if message:
            getattr(st, message[0])(md_escape(message[1]))
        if status.store is None:
            st.warning(md_escape(team.saving_disabled_note(status)))
            return
        cols = st.columns([3, 1])
        cols[0].text_input("Name for these scenarios", key="compare_set_name",
                           max_chars=SET_NAME_MAX, placeholder="e.g. Q4 budget options")
        cols[1].button("Save comparison", key="compare_set_save", on_click=_save,
                       args=(scenarios, picked), disabled=not scenarios,
                       icon=":material/bookmark_add:")
        try:
            saved = status.store.list_compare_sets()
        except StoreError as exc:
            st.error(md_escape(f"The saved comparisons cannot be listed: {exc.public}"))
            return
        if not saved:
            st.caption("No saved comparisons yet.")
            return
        labels = {s.id: f"{s.name} · {s.author} · {s.created:%Y-%m-%d} · "
                        f"{len(s.scenarios)} scenario(s)" for s in saved}
        cols = st.columns([3, 1])
        cols[0].selectbox("Open a saved comparison", list(labels), key="compare_set_open",
                          format_func=labels.__getitem__)
        cols[1].button("Open", key="compare_set_open_button", on_click=_open,
                       icon=":material/folder_open:")
