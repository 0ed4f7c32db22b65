"""The rules page's "Add a model" form: a lead's own model as a tier the advice considers.

The form builds one ``models:`` entry (:mod:`advisor.authoring.newmodel`), shows it as YAML, and on
its button checks the whole rules directory with the entry added to ``models_local.yaml``: the
rules' own pydantic models and cross-checks, so a negative price or a duplicate id is the
loader's message. With ``ADVISOR_ALLOW_RULE_EDITS=1`` a clean entry is written through
:mod:`advisor.authoring.rules_store` (checked, locked, atomic, backed up); otherwise the file is
offered as a download to put into the rules directory.

Everything the user typed reaches the page through widgets that do not render HTML (code blocks,
dataframes) or through ``md_escape``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import streamlit as st

from advisor.authoring.lint import check_directory
from advisor.authoring.newmodel import (LOCAL_MODELS_FILE, NewModel, add_model, local_models_text,
                                        model_id_for, read_local_models, tier_entry)
from advisor.errors import Problem, RulesError
from advisor.model.rules import RuleSet
from advisor.render.markdown import md_escape
from ui import state
from ui.components import team

RESEMBLES = "It resembles a tier listed here"
SCORES = "Its published benchmark scores"
RESULT_KEY = "_add_model_result"
# The form's label for each field of the entry, put before the loader's key path in messages.
FIELD_LABELS = {"id": "Id", "name": "Name", "input_per_1m": "Input price",
                "output_per_1m": "Output price", "cached_input_per_1m": "Cached input price",
                "output_tokens_per_s": "Output speed", "time_to_first_token_s":
                "Time to first token", "price_table_id": "Price table id", "scores": "Scores"}


def _number(label: str, key: str, help_text: str, *, step: float, fmt: str,
            column=st) -> float | None:
    """An optional number field (empty until typed). No minimum: a negative value reaches the
    rules' own check and its message."""
    return column.number_input(label, value=None, step=step, format=fmt, key=key, help=help_text,
                               placeholder="empty")


def _scores(rules: RuleSet) -> dict[str, float]:
    """One optional percentage field per benchmark, grouped by task family."""
    scores = {}
    families: dict[str, list[str]] = {}
    for bench_id, bench in rules.benchmarks.items():
        families.setdefault(bench.family, []).append(bench_id)
    st.caption("Single-pass accuracy in percent, as the model's card or a leaderboard publishes "
               "it (one attempt, no voting). Give at least one per family.")
    for family, ids in families.items():
        label = rules.families[family].label if family in rules.families else family
        st.markdown(f"**{md_escape(label)}**")
        cols = st.columns(min(len(ids), 4))
        for index, bench_id in enumerate(ids):
            bench = rules.benchmarks[bench_id]
            value = _number(f"{bench.name} (%)", f"add_model_score_{bench_id}",
                            f"{bench.measures}. Source: {bench.source}.", step=0.1, fmt="%.1f",
                            column=cols[index % len(cols)])
            if value is not None:
                scores[bench_id] = round(value / 100, 6)
    return scores


def _form(rules: RuleSet) -> NewModel | None:
    """The fields; None until the model has a name."""
    name, model_id = _name_and_id()
    fields = {**_prices(), **_speeds(), **_quality(rules), **_price_table_and_source()}
    if not name:
        return None
    return NewModel(name=name, model_id=model_id, **fields)


def _name_and_id() -> tuple[str, str]:
    """The model's name and its id: the one typed, else the one made from the name."""
    name = st.text_input("Name", key="add_model_name", max_chars=120,
                         help="How the model is shown in the advice, e.g. 'Mistral Large 2 "
                              "(self-hosted)'.").strip()
    derived = model_id_for(name) if name else ""
    given_id = st.text_input(
        "Id", key="add_model_id", max_chars=80, placeholder=derived or "made from the name",
        help="The short name used in files, links and the CLI: lower-case letters, digits, "
             "'.', '-' and '_'. Leave it empty to use the one made from the name (shown "
             "greyed out).").strip()
    return name, given_id or derived


def _prices() -> dict[str, float | None]:
    """Input, output and cached input prices per million tokens."""
    cols = st.columns(3)
    return {
        "input_per_1m": _number("Input price (USD per 1M tokens)", "add_model_input",
                                "What the provider charges per million prompt tokens.",
                                step=0.01, fmt="%.4f", column=cols[0]),
        "output_per_1m": _number("Output price (USD per 1M tokens)", "add_model_output",
                                 "Per million generated tokens, thinking included.", step=0.01,
                                 fmt="%.4f", column=cols[1]),
        "cached_input_per_1m": _number(
            "Cached input price (optional)", "add_model_cached",
            "Per million cached prompt tokens; leave empty if the provider has no prompt "
            "caching.", step=0.01, fmt="%.4f", column=cols[2])}


def _speeds() -> dict[str, float | None]:
    """Decode speed and time to first token."""
    cols = st.columns(2)
    return {
        "output_tokens_per_s": _number(
            "Output speed (tokens per second)", "add_model_speed",
            "Decode speed once the answer starts, as measured or published (e.g. 60 for a "
            "hosted frontier model, 300+ on fast hardware).", step=1.0, fmt="%.0f",
            column=cols[0]),
        "time_to_first_token_s": _number(
            "Time to first token (seconds)", "add_model_ttft",
            "Wait before the first token, before any thinking (typically 0.2-1 s).",
            step=0.05, fmt="%.2f", column=cols[1])}


def _quality(rules: RuleSet) -> dict:
    """Single-pass quality: a listed tier it resembles, or its published benchmark scores (and
    whether it is a reasoning model)."""
    how = st.radio("Single-pass quality", (RESEMBLES, SCORES), key="add_model_quality",
                   horizontal=True,
                   help="How often one answer is right. Copy a listed tier's scores when the "
                        "model is much like it, or give its published benchmark scores: they "
                        "place it against the other tiers at every difficulty level.")
    if how == RESEMBLES:
        tiers = {t.id: t.name for t in rules.models}
        resembles = st.selectbox("Resembles", list(tiers), format_func=tiers.get,
                                 key="add_model_like",
                                 help="Its scores and reasoning settings are copied; replace "
                                      "them with measured ones later in the file.")
        return {"resembles": resembles, "scores": {}, "reasoning": False}
    reasoning = st.checkbox("A reasoning model", key="add_model_reasoning",
                            help="It thinks (hidden, billed as output) before every answer, "
                                 "with a low, medium or high effort. Give scores at "
                                 "medium effort.")
    return {"resembles": None, "scores": _scores(rules), "reasoning": reasoning}


def _price_table_and_source() -> dict[str, str | None]:
    """The optional price table id (for ``prices --check``) and where the figures come from."""
    with st.expander("Price table id and source (optional)"):
        table_id = st.text_input(
            "Price table id", key="add_model_table_id",
            help="Its id in litellm's price table (e.g. 'mistral/mistral-large-latest'), so "
                 "`python -m advisor prices --check` keeps its prices current.").strip()
        source = st.text_input("Where the figures come from", key="add_model_source",
                               help="A link or a note for whoever reads the file later "
                                    "(e.g. 'vendor price page, 2026-11; our load test').")
    return {"price_table_id": table_id or None, "source": source}


def _submit(text: str, opened_hash: str, allowed: bool, model_name: str) -> None:
    """Check the rules with ``text`` as the local models file; write it when allowed and clean.

    Why one check either way: writing runs the check itself (:func:`add_model`), under the
    same rules as the sandbox's saves.
    """
    directory = state.rules_dir()
    if not allowed:
        _, problems = check_directory(directory, overrides={LOCAL_MODELS_FILE: text})
        errors = [p for p in problems if p.severity == "error"]
        st.session_state[RESULT_KEY] = ("error", errors, text) if errors else (
            "download", problems, text)
        return
    before = read_local_models(directory)[0] or ""
    try:
        backup = add_model(directory, text, opened_hash=opened_hash)
    except RulesError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.problems, text)
        return
    kept = f" The previous version is in {backup.name}." if backup else ""
    audit = team.record_rule_edit(directory, LOCAL_MODELS_FILE, before=before, after=text)
    st.session_state[RESULT_KEY] = ("saved", [], (
        f"Added {model_name} to {LOCAL_MODELS_FILE}: the advice now weighs it with the other "
        f"tiers.{kept} {audit}"))


def _labelled(problems: list[Problem]) -> list[Problem]:
    """Problems in the local models file that name a key of an entry ('models[2].input_per_1m')
    lead with the form's label for it: "Input price: 'models[2].input_per_1m' must be …"."""
    labelled = []
    for problem in problems:
        found = re.match(r"'models\[\d+\]\.(\w+)", problem.message)
        if Path(problem.path).name == LOCAL_MODELS_FILE and found and \
                found[1] in FIELD_LABELS:
            problem = Problem(problem.path, problem.line,
                              f"{FIELD_LABELS[found[1]]}: {problem.message}", problem.severity)
        labelled.append(problem)
    return labelled


def _listing(problems: list[Problem]) -> str:
    """Problems as a Markdown list, ``file:line: message`` with paths relative to the rules
    directory. Why not a table: the message is what matters, and a phone shows a table's
    last column cut off."""
    return "\n".join(f"- {md_escape(str(p))}" for p in state.relative_to_rules(problems))


def _result(allowed_env: str) -> None:
    result = st.session_state.pop(RESULT_KEY, None)
    if result is None:
        return
    kind, problems, detail = result
    if kind == "error":
        st.error("Not added: the rules would not load with this entry, so nothing was written. "
                 f"Fix this and check again:\n\n{_listing(_labelled(problems))}")
        return
    if kind == "saved":
        st.success(md_escape(detail))
    else:
        st.success(f"The entry is valid. Saving from the app is off ({allowed_env}=1 turns it "
                   f"on), so download the file and put it into the rules directory as "
                   f"{md_escape(LOCAL_MODELS_FILE)}.")
        st.download_button(f"Download {LOCAL_MODELS_FILE}", detail, file_name=LOCAL_MODELS_FILE,
                           mime="application/yaml", key="add_model_download", on_click="ignore")
    if problems:
        st.warning(f"Warnings from check (the entry is added all the same):\n\n"
                   f"{_listing(problems)}")


def render(rules: RuleSet, *, allowed: bool, allowed_env: str) -> None:
    """The form, the entry it makes as YAML, and its button."""
    st.caption(f"Add the model you actually use as a tier of its own: it is written to "
               f"{LOCAL_MODELS_FILE} in the rules directory, which the rules load with "
               "models.yaml. Fine-tunes and price ranges can be added to that file later.")
    new = _form(rules)
    if new is None:
        st.info("Give the model a name to see its entry.")
        return
    try:
        existing, opened_hash = read_local_models(state.rules_dir())
        entry = tier_entry(new, rules, today=dt.date.today())
    except RulesError as exc:
        st.error("\n".join(md_escape(str(p)) for p in state.relative_to_rules(exc.problems)))
        return
    text = local_models_text(existing, entry)
    st.markdown(f"**The entry** (added to {LOCAL_MODELS_FILE}"
                f"{', which exists' if existing is not None else ', a new file'})")
    st.code(text[len(existing.rstrip(chr(10))) + 1:] if existing else text, language="yaml",
            wrap_lines=True)
    label = "Check and add to the rules" if allowed else "Check the entry"
    st.button(label, key="add_model_submit", type="primary", on_click=_submit,
              args=(text, opened_hash, allowed, new.name),
              help="Loads the rules with this entry, as `python -m advisor check` would; "
                   + ("writes the file only if there is no error." if allowed else
                      "saving is off, so a valid entry is offered as a download."))
    _result(allowed_env)
