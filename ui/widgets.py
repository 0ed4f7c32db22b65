"""The questionnaire widgets, one per answer field, keyed by the field's name."""

from __future__ import annotations

import streamlit as st

from advisor.answers import BOOL_FIELDS, NUMERIC_FIELDS, TOKEN_FIELDS
from advisor.formats import decimals
from advisor.markdown import md_escape
from advisor.schema import Question, RuleSet
from ui import state

PRESET_KEY = "_preset"
NO_PRESET = "(keep my answers)"


def number_format(value: float | None) -> str:
    """The printf format that shows ``value`` exactly in a number field: ``%.5f`` for 0.00012.

    Why not ``%g``: it writes 10,000,000 as ``1e+07`` and rounds to six digits.
    """
    return f"%.{decimals(value) if value is not None else 0}f"


def question_label(question: Question) -> str:
    """The widget label of a question, escaped: labels render Markdown, images included."""
    text = f"{question.label} ({question.unit})" if question.unit else question.label
    return md_escape(text)


def _help(question: Question) -> str:
    lines = [md_escape(question.help.strip())]
    lines += [f"- **{md_escape(o.label)}**: {md_escape(o.help)}"
              for o in question.options or [] if o.help]
    return "\n".join(lines)


def _apply_preset() -> None:
    name = st.session_state.get(PRESET_KEY)
    if name and name != NO_PRESET:
        state.apply_answers(state.examples()[name])


UPLOAD_KEY = "_answers_upload"
UPLOAD_ERRORS_KEY = "_answers_upload_errors"


def _apply_upload() -> None:
    upload = st.session_state.get(UPLOAD_KEY)
    st.session_state[UPLOAD_ERRORS_KEY] = []
    if upload is None:
        return
    values, errors = state.answers_from_upload(upload.getvalue(), upload.name,
                                               state.get_rules().rules)
    st.session_state[UPLOAD_ERRORS_KEY] = errors
    if values is not None:
        state.apply_answers(values)


def answers_upload() -> None:
    """Load answers from a YAML or JSON file, as used by the CLI; bad files change nothing."""
    with st.expander("Load an answers file"):
        st.file_uploader("Answers file (YAML or JSON)", type=["yaml", "yml", "json"],
                         key=UPLOAD_KEY, on_change=_apply_upload,
                         help="The same files `python -m advisor recommend --answers` reads. "
                              "A file with problems is not applied; each problem is listed.")
        errors = st.session_state.get(UPLOAD_ERRORS_KEY) or []
        if errors:
            st.error("This file was not applied; your answers are unchanged:\n\n"
                     + "\n".join(f"- {md_escape(e)}" for e in errors))


def questionnaire(rules: RuleSet) -> None:
    """Render every question; widgets write straight into ``st.session_state[field]``."""
    st.selectbox("Start from an example", [NO_PRESET, *state.examples()], key=PRESET_KEY,
                 on_change=_apply_preset,
                 help="Fill in every answer from one of the example profiles in examples/; "
                      "then change any answer.")
    for question in rules.questions:
        if not question.advanced:
            _question(question)
    advanced = [q for q in rules.questions if q.advanced]
    if advanced:
        with st.expander("Advanced: token sizes"):
            st.caption("Leave empty to use the task type's typical sizes.")
            for question in advanced:
                _question(question)
    answers_upload()


def _question(question: Question) -> None:
    """One widget, keyed by the answer field it fills."""
    name = question.field
    if name in TOKEN_FIELDS:
        st.number_input(question_label(question), key=name, help=_help(question),
                        min_value=int(question.min) if question.min is not None else 1,
                        max_value=int(question.max) if question.max is not None else None,
                        step=int(question.step) if question.step is not None else 1,
                        placeholder="typical for the task")
    elif name in BOOL_FIELDS:
        st.toggle(question_label(question), key=name, help=_help(question))
    elif name in NUMERIC_FIELDS:
        integer = name == "queries_per_day"
        cast = int if integer else float
        st.number_input(
            question_label(question), key=name, help=_help(question),
            min_value=cast(question.min) if question.min is not None else None,
            max_value=cast(question.max) if question.max is not None else None,
            step=cast(question.step) if question.step is not None else None,
            format="%d" if integer else number_format(st.session_state.get(name)))
    else:
        labels = {o.value: o.label for o in question.options or []}
        st.selectbox(question_label(question), list(labels), key=name,
                     format_func=lambda v, labels=labels: labels.get(v, str(v)),
                     help=_help(question))
