"""The compare page: named scenarios kept in the session, compared two to four side by side.

Scenarios live in ``st.session_state`` (name → answers); the address bar carries the compared
scenarios (``?compare=…``) so the comparison is a share link, and the exports are the same data
as Markdown, JSON and HTML.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from advisor.analysis.compare import (MAX_SCENARIOS, MIN_SCENARIOS, NAME_MAX, Comparison,
                                      NamedScenario, compare, decode_scenarios, encode_scenarios,
                                      to_json)
from advisor.analysis.counterfactual import changed_answers
from advisor.errors import UserInputError
from advisor.model.answers import (ANSWER_FIELDS, BOOL_FIELDS, NUMERIC_FIELDS,
                                   OPTIONAL_NUMBER_FIELDS, TOKEN_FIELDS, Answers, answers_to_json)
from advisor.model.rules import RuleSet
from advisor.render.chart_text import comparison_summary
from advisor.render.comparison import answers_table, results_table, to_markdown
from advisor.render.insight_charts import comparison_figure
from advisor.render.markdown import md_escape
from advisor.render.tables import Table
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import ANSWER_LABELS, answer_text
from ui import state
from ui.components import compare_sets
from ui.components.questionnaire import number_format

SCENARIOS_KEY = "_scenarios"
LINK_LOADED_KEY = "_compare_link_loaded"
MESSAGE_KEY = "_compare_message"
COMPARE_PARAM = "compare"
PICK_KEY = "compare_pick"
FROM_ADVISOR = "Your answers on the Advisor page"
ADVISOR_ANSWERS_KEY = "_advisor_answers"


def scenarios() -> dict[str, dict[str, Any]]:
    """The session's scenarios: name → answers (JSON-ready), in the order they were added."""
    return st.session_state.setdefault(SCENARIOS_KEY, {})


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, text)


def _add(name: str, answers: Answers) -> bool:
    name = name.strip()
    if not 1 <= len(name) <= NAME_MAX:
        _say("error", f"A scenario needs a name of 1 to {NAME_MAX} characters.")
        return False
    if name in scenarios():
        _say("error", f"There is already a scenario called '{name}'; pick another name.")
        return False
    scenarios()[name] = answers.model_dump(mode="json")
    return True


def _load_link(rules: RuleSet) -> None:
    """Put the scenarios of a ``?compare=`` link into the session once, and select them."""
    text = st.query_params.get(COMPARE_PARAM)
    if not text or st.session_state.get(LINK_LOADED_KEY) == text:
        return
    st.session_state[LINK_LOADED_KEY] = text
    try:
        linked = decode_scenarios(text)
    except UserInputError as exc:
        _say("error", "The comparison link cannot be used: "
             + "; ".join(p.message for p in exc.problems))
        return
    names = []
    for scenario in linked:
        name = scenario.name
        stored = scenarios().get(name)
        if stored is not None and stored != scenario.answers.model_dump(mode="json"):
            name = f"{name} (from link)"[:NAME_MAX]
        scenarios()[name] = scenario.answers.model_dump(mode="json")
        names.append(name)
    st.session_state[PICK_KEY] = names


def remember_advisor_answers(answers: Answers) -> None:
    """Called by the advisor page so this page can start a scenario from its answers.

    Why a copy: Streamlit drops a widget's state when its page is not shown, so the
    questionnaire's keys are gone by the time this page runs.
    """
    st.session_state[ADVISOR_ANSWERS_KEY] = answers.model_dump(mode="json")


def _advisor_answers(rules: RuleSet) -> Answers:
    remembered = st.session_state.get(ADVISOR_ANSWERS_KEY)
    return Answers.model_validate(remembered) if remembered else state.current_answers(rules)


def _add_controls(rules: RuleSet) -> None:
    examples = state.examples()
    with st.container(border=True):
        st.markdown("**Add a scenario**")
        source = st.selectbox("Start from", [FROM_ADVISOR, *examples], key="scenario_source",
                              help="The answers the new scenario starts with.")
        st.text_input("Name", key="scenario_name", max_chars=NAME_MAX,
                      placeholder="e.g. Today, or Batch overnight")
        if st.button("Add scenario", key="scenario_add", icon=":material/add:"):
            answers = (_advisor_answers(rules) if source == FROM_ADVISOR
                       else Answers.model_validate(examples[source]))
            name = st.session_state.get("scenario_name", "") or source
            if _add(name, answers):
                _say("success", f"Added scenario '{name.strip()}'.")


def _value_widget(rules: RuleSet, field: str, current: Any, task_type: str) -> Any:
    """The widget for a new value of ``field``, starting from ``current``; every answer the
    questionnaire has can be changed here, in the questionnaire's words."""
    question = rules.question(field)
    key = f"change_value_{field}"
    label = md_escape(question.label)
    if field in BOOL_FIELDS:
        return st.toggle(label, value=bool(current), key=key)
    if field in NUMERIC_FIELDS + TOKEN_FIELDS + OPTIONAL_NUMBER_FIELDS:
        integer = field == "queries_per_day" or field in TOKEN_FIELDS
        cast = int if integer else float
        return st.number_input(
            label, value=None if current is None else cast(current), key=key,
            min_value=cast(question.min) if question.min is not None else None,
            max_value=cast(question.max) if question.max is not None else None,
            step=cast(question.step) if question.step is not None else None,
            placeholder=("typical for the task" if field in TOKEN_FIELDS else "not measured"),
            format="%d" if integer else number_format(
                st.session_state.get(key, current),
                least=2 if field in OPTIONAL_NUMBER_FIELDS else 0))
    vocabulary = Vocabulary.of(rules)
    if field == "difficulty":
        labels = {None: f"{vocabulary.level(task_type, None).label} (default)",
                  **{level: words.label
                     for level, words in vocabulary.levels.get(task_type, {}).items()}}
    elif field == "measured_model":
        labels = {None: "(none)", **vocabulary.models}
    else:
        labels = {o.value: o.label for o in question.options or []}
    options = list(labels)
    return st.selectbox(label, options, index=options.index(current) if current in options else 0,
                        key=key, format_func=lambda v: labels.get(v, str(v)))


def _forget_new_values() -> None:
    """A newly picked scenario starts the value widgets from its own answers."""
    for name in ANSWER_FIELDS:
        st.session_state.pop(f"change_value_{name}", None)


def _duplicate_controls(rules: RuleSet) -> None:
    names = list(scenarios())
    if not names:
        return
    with st.container(border=True):
        st.markdown("**Duplicate a scenario and change an answer**")
        base = st.selectbox("Scenario", names, key="change_base", on_change=_forget_new_values)
        labels = {f: rules.question(f).label for f in ANSWER_FIELDS}
        field = st.selectbox("Answer to change", list(ANSWER_FIELDS), key="change_field",
                             format_func=lambda f: labels[f])
        value = _value_widget(rules, field, scenarios()[base][field],
                              str(scenarios()[base]["task_type"]))
        placeholder = f"{base} with another {ANSWER_LABELS[field].lower()}"
        st.text_input("New scenario name", key="change_name", max_chars=NAME_MAX,
                      placeholder=placeholder[:NAME_MAX])
        cols = st.columns(2)
        if cols[0].button("Duplicate with this change", key="scenario_duplicate",
                          icon=":material/content_copy:"):
            try:
                answers = Answers.model_validate(changed_answers(scenarios()[base], field, value))
            except ValueError as exc:
                _say("error", f"That answer cannot be used: {exc}")
            else:
                text = answer_text(field, getattr(answers, field), Vocabulary.of(rules),
                                   task_type=answers.task_type)
                name = (st.session_state.get("change_name") or f"{base} · {text}")[:NAME_MAX]
                if _add(name, answers):
                    _say("success", f"Added scenario '{name.strip()}'.")
        if cols[1].button("Remove this scenario", key="scenario_remove",
                          icon=":material/delete:"):
            scenarios().pop(base, None)
            st.session_state[PICK_KEY] = [n for n in st.session_state.get(PICK_KEY, [])
                                          if n != base]
            _say("success", f"Removed scenario '{base}'.")


@st.cache_resource(max_entries=32, show_spinner=False)
def _compare(key: str, rules_version: str, _scenarios: tuple[NamedScenario, ...], _rules: RuleSet
             ) -> Comparison:
    """Comparison cached per (scenarios, rules version): reruns stay fast."""
    return compare(list(_scenarios), _rules)


def _frame(table: Table, *, markdown: bool = False) -> pd.DataFrame:
    """The table as a frame; ``markdown`` escapes every cell and header for ``st.table``.

    Why: ``st.table`` renders Markdown in cells and headers, and names come from links.
    """
    text = md_escape if markdown else str
    return pd.DataFrame([[text(row.label), "≠" if row.differs else "", *map(text, row.cells)]
                         for row in table.rows],
                        columns=["", "differs", *map(text, table.header[1:])])


def _show(comparison: Comparison, vocabulary: Vocabulary) -> None:
    st.header("Side by side")
    st.caption("Rows marked ≠ differ between the scenarios. The results first, then the "
               "answers that led to them.")
    # Why a static table: results are short phrases that should wrap, not be cut off.
    st.table(_frame(results_table(comparison), markdown=True).set_index(""))
    st.subheader("Answers")
    st.dataframe(_frame(answers_table(comparison, vocabulary)), hide_index=True,
                 key="compare_answers")
    st.header("Cost and quality of each recommendation")
    summary = comparison_summary(comparison)
    st.markdown(md_escape(summary))
    st.plotly_chart(comparison_figure(comparison), theme="streamlit", key="compare_chart",
                    alt=summary)
    st.caption("Colour is the verdict (blue inference-time, orange training, green combined); an "
               "open marker means nothing fits that scenario's budgets. The table above has "
               "every figure.")


def _share(comparison: Comparison, vocabulary: Vocabulary) -> None:
    st.header("Share and export")
    st.caption("The address bar now holds this comparison: copy it to share. The link carries "
               "the answers; whoever opens it sees results under the rules of that day.")
    today = dt.date.today()
    stem = f"compute-comparison-{today.isoformat()}"
    cols = st.columns(3)
    cols[0].download_button("Comparison (Markdown)",
                            to_markdown(comparison, vocabulary=vocabulary),
                            file_name=f"{stem}.md", mime="text/markdown",
                            key="compare_download_markdown", on_click="ignore")
    cols[1].download_button("Comparison (JSON)", to_json(comparison), file_name=f"{stem}.json",
                            mime="application/json", key="compare_download_json",
                            on_click="ignore")

    def html() -> str:
        from advisor.render.html import comparison_to_html  # Why lazy: plotly.io is slow

        return comparison_to_html(comparison, vocabulary=vocabulary, generated=today)

    cols[2].download_button("Comparison (HTML)", html, file_name=f"{stem}.html",
                            mime="text/html", key="compare_download_html", on_click="ignore")


def render() -> None:
    """The compare page."""
    rules_state = state.get_rules()
    rules = rules_state.rules
    if rules is None:
        st.error("The rules could not be loaded; see the Advisor page for the problems.")
        st.stop()
    st.title("Compare scenarios")
    st.caption(f"Keep several scenarios, then compare {MIN_SCENARIOS} to {MAX_SCENARIOS} side "
               "by side: answers, verdicts, configurations and costs.")
    opened = compare_sets.load_requested(scenarios())
    if opened is not None:
        st.session_state[PICK_KEY] = opened
    _load_link(rules)
    # Why an expander, closed while a comparison shows: the comparison is the answer, and on a
    # phone the three forms would push it a few screens down.
    comparing = MIN_SCENARIOS <= len(st.session_state.get(PICK_KEY, [])) <= MAX_SCENARIOS
    with st.expander("Add, duplicate, remove or save scenarios", expanded=not comparing,
                     icon=":material/edit:"):
        _add_controls(rules)
        _duplicate_controls(rules)
        compare_sets.controls(scenarios(), st.session_state.get(PICK_KEY, []))
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        getattr(st, message[0])(md_escape(message[1]))

    names = list(scenarios())
    st.session_state[PICK_KEY] = [n for n in st.session_state.get(PICK_KEY, []) if n in names]
    # Why no picker without scenarios: Streamlit greys out an empty one, below readable contrast.
    picked = st.multiselect(f"Scenarios to compare ({MIN_SCENARIOS} to {MAX_SCENARIOS})", names,
                            key=PICK_KEY, max_selections=MAX_SCENARIOS) if names else []
    if not MIN_SCENARIOS <= len(picked) <= MAX_SCENARIOS:
        st.info(f"Pick {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios to compare"
                + ("." if len(names) >= MIN_SCENARIOS else "; add or duplicate scenarios above."))
        st.query_params.pop(COMPARE_PARAM, None)
        return
    chosen = tuple(NamedScenario(name=n, answers=Answers.model_validate(scenarios()[n]))
                   for n in picked)
    key = "\n".join(f"{s.name}\0{answers_to_json(s.answers)}" for s in chosen)
    comparison = _compare(key, rules.version, chosen, rules)
    link = encode_scenarios(list(chosen))
    st.session_state[LINK_LOADED_KEY] = link  # our own link: nothing to load back
    if st.query_params.get(COMPARE_PARAM) != link:
        st.query_params[COMPARE_PARAM] = link
    vocabulary = Vocabulary.of(rules)
    _show(comparison, vocabulary)
    _share(comparison, vocabulary)
