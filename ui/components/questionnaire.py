"""The questionnaire widgets, one per answer field, keyed by the field's name."""

from __future__ import annotations

import streamlit as st

from advisor.engine.evalfit import EvalFit, fit_eval, read_eval
from advisor.errors import AnswersError
from advisor.model.answers import (BOOL_FIELDS, MEASURED_FIELDS, NUMERIC_FIELDS,
                                   OPTIONAL_NUMBER_FIELDS, TOKEN_FIELDS)
from advisor.model.rules import Question, RuleSet
from advisor.render.chart_text import eval_fit_summary
from advisor.render.eval_chart import eval_fit_figure
from advisor.render.formats import count, decimals, percent, significant
from advisor.render.markdown import md_escape
from ui import state

PRESET_KEY = "_preset"
NO_PRESET = "(keep my answers)"


def number_format(value: float | None, *, least: int = 0) -> str:
    """The printf format that shows ``value`` exactly in a number field: ``%.5f`` for 0.00012,
    with at least ``least`` decimals (an accuracy of 0.6 reads 0.60).

    Why not ``%g``: it writes 10,000,000 as ``1e+07`` and rounds to six digits.
    """
    return f"%.{max(decimals(value) if value is not None else 0, least)}f"


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


EVAL_UPLOAD_KEY = "_eval_upload"
EVAL_FIT_KEY = "_eval_fit"
EVAL_ERRORS_KEY = "_eval_errors"


def _apply_eval() -> None:
    """Fit an uploaded eval file and set the measured accuracy and spread; a bad file changes
    nothing."""
    upload = st.session_state.get(EVAL_UPLOAD_KEY)
    st.session_state[EVAL_ERRORS_KEY] = []
    if upload is None:
        return
    model = st.session_state.get("measured_model")
    if model is None:
        st.session_state[EVAL_ERRORS_KEY] = ["Pick the model you ran (above) first, then upload "
                                             "its results again."]
        return
    try:
        fit = fit_eval(*read_eval(upload.getvalue(), name=upload.name))
    except AnswersError as exc:
        st.session_state[EVAL_ERRORS_KEY] = [str(p) for p in exc.problems]
        return
    st.session_state["measured_accuracy"] = fit.accuracy
    st.session_state["measured_dispersion"] = fit.dispersion
    st.session_state[EVAL_FIT_KEY] = (model, fit)


def eval_upload(rules: RuleSet) -> None:
    """Per-problem eval results: fitted, applied to the answers, and drawn with pass@k."""
    st.file_uploader("Per-problem results (CSV)", type=["csv"], key=EVAL_UPLOAD_KEY,
                     on_change=_apply_eval,
                     help="Columns problem_id, attempts, correct: one row per problem of your "
                          "eval set, from any eval harness, for the model picked above. Sets its "
                          "accuracy and the spread of per-problem success rates from a "
                          "maximum-likelihood fit; a file with problems changes nothing.")
    errors = st.session_state.get(EVAL_ERRORS_KEY) or []
    if errors:
        st.error("These results were not applied; your answers are unchanged:\n\n"
                 + "\n".join(f"- {md_escape(e)}" for e in errors))
    found = current_eval_fit()
    if found:
        st.caption(eval_fit_text(found[1]) + " The fitted curve is on the main page.")


def current_eval_fit() -> tuple[str, EvalFit] | None:
    """(model, fit) of the last eval upload, while its model is still the measured one."""
    found = st.session_state.get(EVAL_FIT_KEY)
    return found if found and found[0] == st.session_state.get("measured_model") else None


def eval_fit_text(fit: EvalFit) -> str:
    spread = ("not measurable with one attempt per problem" if fit.dispersion is None
              else significant(fit.dispersion, 2))
    return (f"Fitted on {count(fit.problems)} problems ({count(fit.attempts)} attempts): accuracy "
            f"{percent(fit.accuracy, decimals=1)}, spread {spread}; {md_escape(fit.note)}.")


def eval_section(rules: RuleSet) -> None:
    """The fitted curve of the user's eval, with the measured pass@k, on the main page."""
    found = current_eval_fit()
    if not found:
        return
    model, fit = found
    with st.expander("Your eval result: fitted coverage curve", expanded=True):
        st.caption(eval_fit_text(fit) + " Coverage is the share of problems solved by at least "
                   "one of k attempts; crosses are the unbiased pass@k from your attempts (Chen "
                   "et al. 2021), the line the fitted Beta distribution of per-problem success "
                   "rates (Schaeffer et al. 2025).")
        model_name = rules.model(model).name
        summary = eval_fit_summary(fit, model_name=model_name)
        st.markdown(md_escape(summary))
        st.plotly_chart(_eval_figure(repr(fit), model_name, fit), theme="streamlit",
                        key="eval_fit_chart", alt=summary)


@st.cache_resource(max_entries=8, show_spinner=False)
def _eval_figure(fit_repr: str, model_name: str, _fit: EvalFit):
    """The eval chart per fit: an edit of another answer neither rebuilds nor changes it."""
    return eval_fit_figure(_fit, model_name=model_name)


def questionnaire(rules: RuleSet) -> None:
    """Render every question; widgets write straight into ``st.session_state[field]``."""
    st.selectbox("Start from an example", [NO_PRESET, *state.examples()], key=PRESET_KEY,
                 on_change=_apply_preset,
                 help="Fill in every answer from one of the example profiles in examples/; "
                      "then change any answer.")
    for question in rules.questions:
        if not question.advanced:
            _question(question, rules)
    tokens = [q for q in rules.questions if q.advanced and q.field not in MEASURED_FIELDS]
    if tokens:
        with st.expander("Advanced: token sizes"):
            st.caption("Leave empty to use the task type's typical sizes.")
            for question in tokens:
                _question(question, rules)
    measured = [q for q in rules.questions if q.field in MEASURED_FIELDS]
    if measured:
        with st.expander("Your own eval result"):
            st.caption("Optional. A measurement on your own task beats any benchmark: every "
                       "model is re-anchored on it.")
            for question in measured:
                _question(question, rules)
            eval_upload(rules)
    answers_upload()


def _difficulty(question: Question, rules: RuleSet) -> None:
    """The task type's levels; a level of another task type falls back to the default."""
    task = rules.tasks[str(st.session_state.get("task_type"))]
    levels = {level.id: level for level in task.difficulties}
    if st.session_state.get("difficulty") not in levels:
        st.session_state["difficulty"] = task.default_difficulty
    help_text = _help(question) + "\n" + "\n".join(
        f"- **{md_escape(level.label)}**: {md_escape(level.help)} Anchored on "
        f"{md_escape(rules.benchmarks[level.benchmark].name)}." for level in levels.values())
    st.selectbox(question_label(question), list(levels), key="difficulty", help=help_text,
                 format_func=lambda v: levels[v].label + (" (default)" if v ==
                                                           task.default_difficulty else ""))


def _question(question: Question, rules: RuleSet) -> None:
    """One widget, keyed by the answer field it fills."""
    name = question.field
    if name == "difficulty":
        _difficulty(question, rules)
    elif name == "measured_model":
        names = {m.id: m.name for m in rules.models}
        st.selectbox(question_label(question), [None, *names], key=name, help=_help(question),
                     format_func=lambda v: "(none)" if v is None else names[v])
    elif name in OPTIONAL_NUMBER_FIELDS:
        st.number_input(question_label(question), key=name, help=_help(question),
                        min_value=question.min, max_value=question.max, step=question.step,
                        format=number_format(st.session_state.get(name), least=2),
                        placeholder="not measured")
    elif name in TOKEN_FIELDS:
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
