"""The rules page: browse the rules, trace them for the current answers, add a model tier
(:mod:`ui.components.add_model`), and a safe sandbox.

The sandbox edits one rules file in memory (or an uploaded one), validates it on every change with
``path:line`` problems, previews how the current recommendation and every scenario and example
would change, and offers the edited file as a download. Nothing is written to disk unless
``ADVISOR_ALLOW_RULE_EDITS=1``; then saving goes through :mod:`advisor.authoring.rules_store`
(atomic, numbered backups, refused on concurrent edits, on rules that fail ``check`` and, unless
confirmed, on an edit that removes every rule of the file).

Text from rules files reaches the page only through widgets that do not render HTML (dataframes,
code blocks) or through ``md_escape``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st
import yaml

from advisor.authoring.explain import explain
from advisor.authoring.lint import check_directory
from advisor.authoring.rulediff import diff_rule_sets, format_changes, recommendation_changes
from advisor.authoring.rules_store import (KEEP_BACKUPS, content_hash, drops_every_rule,
                                           open_rules_file, rules_file_names, save_rules_file)
from advisor.authoring.scenarios import scenario_files
from advisor.engine.decide import recommend
from advisor.errors import Problem, RulesError
from advisor.model.answers import Answers
from advisor.model.limits import MAX_FILE_BYTES
from advisor.model.rules import Rule, RuleSet
from advisor.render.markdown import md_escape
from advisor.source.yamlsource import decode_text
from ui import state
from ui.components import add_model
from ui.components import team
from ui.components.questionnaire import questionnaire
from ui.pages.advise import show_rules_state

ALLOW_EDITS_ENV = "ADVISOR_ALLOW_RULE_EDITS"
OPENED_KEY = "_sandbox_opened"  # {"name", "hash", "directory"} of the file the editor holds
UPLOAD_KEY = "_sandbox_upload_id"
EFFECTS = ("push inference-time", "push training", "exclude", "require", "inference gain",
           "caveat")


def edits_allowed() -> bool:
    """Saving from the app is opt-in."""
    return os.environ.get(ALLOW_EDITS_ENV) == "1"


@st.cache_resource(max_entries=8, show_spinner=False)
def _check_edit(directory: str, disk_version: str, name: str, text: str
                ) -> tuple[RuleSet | None, list[Problem]]:
    """``check`` of the directory with one file replaced, cached per disk state and edit.

    Why: a full check enumerates the answer space (about a second); reruns caused by other
    widgets must not repeat it for the same text.
    """
    return check_directory(directory, overrides={name: text})


def _effects(rule: Rule) -> list[str]:
    found = []
    if rule.push:
        found.append(f"push {rule.push.replace('_', '-')}")
    found += [name for name in ("exclude", "require") if getattr(rule, name)]
    if rule.inference_gain is not None:
        found.append("inference gain")
    if rule.caveat:
        found.append("caveat")
    return found


def rules_frame(rules: RuleSet, locations: dict[str, tuple[str, int]]) -> pd.DataFrame:
    """One row per rule: what it does, to which strategies, and where it is defined.

    Strategies by their names; a weight only where the rule pushes (empty, not "None", else).
    """
    names = {s.id: s.name for s in rules.strategies}
    rows = []
    for rule in rules.rules:
        path, line = locations.get(rule.id, ("", 0))
        rows.append({"rule": rule.id, "effects": ", ".join(_effects(rule)),
                     "weight": f"{rule.weight:g}" if rule.push else "",
                     "strategies": ", ".join(names.get(s, s) for s in rule.exclude),
                     "source": " ".join(rule.source.split()),
                     "defined at": f"{Path(path).name}:{line}" if path else ""})
    return pd.DataFrame(rows, columns=["rule", "effects", "weight", "strategies", "source",
                                       "defined at"])


def _browse(rules: RuleSet, locations: dict[str, tuple[str, int]]) -> None:
    names = {s.id: s.name for s in rules.strategies}
    cols = st.columns(3)
    effects = cols[0].multiselect("Effect", EFFECTS, key="rules_filter_effect",
                                  help="Rules with any of these effects.")
    chosen = cols[1].multiselect("Strategy", list(names), format_func=names.get,
                                 key="rules_filter_strategy",
                                 help="Rules that exclude any of these strategies.")
    source = cols[2].text_input("Source contains", key="rules_filter_source",
                                help="Rules whose cited source contains this text (any case).")
    shown = [rule for rule in rules.rules
             if (not effects or set(effects) & set(_effects(rule)))
             and (not chosen or set(chosen) & set(rule.exclude))
             and (not source or source.lower() in rule.source.lower())]
    frame = rules_frame(rules, locations)
    frame = frame[frame["rule"].isin([r.id for r in shown])]
    st.caption(f"{len(shown)} of {len(rules.rules)} rules")
    st.dataframe(frame, hide_index=True, key="rules_table")

    # Why nothing is open at first: the YAML's code block held the whole tab back while its
    # highlighter and font loaded (the page opened in 0.8 s instead of 0.55 s).
    rule_id = st.selectbox("Open a rule", [r.id for r in shown], key="rules_open", index=None,
                           placeholder="Choose a rule to see it as written in its file",
                           help="Shows the rule's YAML and the file and line it is defined at.")
    rule = next((r for r in rules.rules if r.id == rule_id), None)
    if rule is not None:
        text = yaml.safe_dump([rule.model_dump(mode="json", by_alias=True, exclude_none=True,
                                               exclude_defaults=True)],
                              sort_keys=False, allow_unicode=True, width=100)
        path, line = locations.get(rule.id, ("", 0))
        st.caption(f"Defined at {md_escape(state.shown_path(path))}:{line}" if path
                   else "Not on disk")
        # Why wrapped: a block that scrolls sideways is a region the keyboard cannot reach.
        st.code(text, language="yaml", wrap_lines=True)


def _trace(rules: RuleSet, answers: Answers, locations: dict[str, tuple[str, int]]) -> None:
    st.header("For your current answers")
    trace = explain(answers, rules, locations=locations)
    table = (trace.table_verdict or "no opinion").replace("_", "-")
    st.markdown(f"Verdict **{trace.verdict.replace('_', '-')}**; the trade-off table says "
                f"**{table}** (inference-time {trace.inference_time:g}, training "
                f"{trace.training:g}); {sum(r.fired for r in trace.rules)} of "
                f"{len(trace.rules)} rules fired.")
    frame = pd.DataFrame([{"fired": r.fired, "rule": r.rule_id, "when": r.condition,
                           "effects or why not": "; ".join(r.effects if r.fired else r.failed)}
                          for r in trace.rules])
    st.dataframe(frame, hide_index=True, key="rules_trace")


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as rows (file, line, severity, message): never rendered as Markdown.

    Files are named relative to the rules directory, in messages too (``tests/article.yaml``).
    """
    return pd.DataFrame([{"file": p.path, "line": p.line or None, "severity": p.severity,
                          "message": p.message} for p in state.relative_to_rules(problems)],
                        columns=["file", "line", "severity", "message"])


def _open(directory: Path, name: str) -> None:
    opened = open_rules_file(directory, name)
    st.session_state["sandbox_text"] = opened.text
    st.session_state[OPENED_KEY] = {"name": name, "hash": opened.hash, "text": opened.text,
                                    "directory": str(directory)}


def _take_upload() -> None:
    upload = st.session_state.get("sandbox_upload")
    if upload is None or st.session_state.get(UPLOAD_KEY) == upload.file_id:
        return
    st.session_state[UPLOAD_KEY] = upload.file_id
    text, problems = decode_text(upload.getvalue(), upload.name)
    if problems:
        st.session_state["_sandbox_upload_problems"] = [str(p) for p in problems]
        return
    st.session_state.pop("_sandbox_upload_problems", None)
    st.session_state["sandbox_text"] = text  # replaces the editor's text; the file on disk stays


def _preview(directory: Path, name: str, text: str, current: RuleSet | None,
             answers: Answers | None) -> tuple[bool, list[Problem]]:
    edited, problems = _check_edit(str(directory), state.rules_version_on_disk(directory), name,
                                   text)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        st.error(f"{len(errors)} error(s): the edited rules would not load.")
    elif problems:
        st.warning(f"Valid, with {len(problems)} warning(s) from check.")
    else:
        st.success("Valid: no errors, no warnings.")
    if problems:
        st.dataframe(problems_frame(problems), hide_index=True, key="sandbox_problems")
    if edited is None or current is None or answers is None:
        return not errors, problems

    st.markdown("**Preview**")
    before, after = recommend(answers, current), recommend(answers, edited)
    rows = [{"": label, "now": str(get(before)), "with your edit": str(get(after))}
            for label, get in (("verdict", lambda r: r.verdict),
                               ("trade-off table", lambda r: r.table.verdict or "no opinion"),
                               ("strategy", lambda r: r.strategy), ("model", lambda r: r.model))]
    rows.append({"": "rules fired", "now": ", ".join(r.id for r in before.fired_rules),
                 "with your edit": ", ".join(r.id for r in after.fired_rules)})
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="sandbox_recommendation")
    sections = diff_rule_sets(current, edited)
    changed = [f"{c.sign} {section[:-1] if section.endswith('s') else section} {c.name}"
               for section, items in sections.items() for c in items]
    examples = sorted(state.EXAMPLES_DIR.glob("*.yaml"))
    outcomes, n_scenarios, n_examples, load_problems = recommendation_changes(
        current, edited, scenario_paths=scenario_files(directory), example_paths=examples)
    summary = (f"{len(outcomes)} of {n_scenarios} scenario(s) and {n_examples} example(s) "
               "change")
    report = "\n".join(["changes: " + (", ".join(changed) or "none"), summary,
                        *format_changes(outcomes), *map(str, load_problems)])
    st.code(state.without_server_paths(report, directory), language=None, wrap_lines=True)
    return True, problems


def _save(directory: Path, name: str, text: str) -> None:
    opened = st.session_state.get(OPENED_KEY, {})
    before = open_rules_file(directory, name).text  # what the save replaces, for the audit log
    try:
        backup = save_rules_file(directory, name, text, opened_hash=opened.get("hash", ""),
                                 drop_every_rule=st.session_state.get("sandbox_drop_rules", False))
    except RulesError as exc:
        st.session_state["_sandbox_save_result"] = (
            "error", [str(p) for p in state.relative_to_rules(exc.problems, directory)])
        return
    opened.update(hash=content_hash(text), text=text)
    st.session_state.pop("sandbox_drop_rules", None)
    audit = team.record_rule_edit(directory, name, before=before, after=text)
    st.session_state["_sandbox_save_result"] = (
        "success", [f"Saved {name}; the previous version is in {backup.name}. {audit}"])


def _unreadable(name: str, exc: RulesError) -> None:
    """Why a file cannot be edited here (unreadable, too large, not UTF-8): a message, no crash."""
    st.session_state.pop(OPENED_KEY, None)
    st.error(f"{md_escape(name)} cannot be edited here; fix it on disk:\n\n"
             + "\n".join(f"- {md_escape(str(p))}" for p in state.relative_to_rules(exc.problems)))


def _sandbox(rules_state: state.RulesState, answers: Answers | None) -> None:
    directory = state.rules_dir()
    st.header("Sandbox")
    st.caption("Edit a rules file here or upload one: it is checked as you edit and its effect "
               "previewed. Nothing is written to disk unless saving is enabled.")
    names = rules_file_names(directory)
    if not names:
        st.info(f"No rules files in {md_escape(state.shown_path(directory))}.")
        return
    name = st.selectbox("Rules file", names, key="sandbox_file",
                        index=names.index("rules.yaml") if "rules.yaml" in names else 0)
    opened = st.session_state.get(OPENED_KEY)
    try:
        if not opened or opened["name"] != name or opened["directory"] != str(directory):
            _open(directory, name)
        on_disk = open_rules_file(directory, name).hash
    except RulesError as exc:
        _unreadable(name, exc)
        return
    if on_disk != st.session_state[OPENED_KEY]["hash"]:
        st.warning(f"{md_escape(name)} changed on disk since you opened it here. Saving is "
                   "refused until you reload it (download your edit first to keep it).")
    st.file_uploader("Or upload a rules file to try in its place", type=["yaml", "yml"],
                     key="sandbox_upload")
    _take_upload()
    for problem in st.session_state.get("_sandbox_upload_problems", []):
        st.error(f"Upload refused: {md_escape(problem)}")
    text = st.text_area(f"{md_escape(name)} (edited in memory)", key="sandbox_text", height=400,
                        max_chars=MAX_FILE_BYTES)

    valid, _ = _preview(directory, name, text, rules_state.rules, answers)

    cols = st.columns(3)
    cols[0].download_button("Download the edited file", text, file_name=name,
                            mime="application/yaml", key="sandbox_download", on_click="ignore")
    if cols[1].button("Reload from disk", key="sandbox_reload",
                      help="Discard the edit and read the file again."):
        st.session_state.pop(OPENED_KEY, None)
        st.session_state.pop("_sandbox_save_result", None)
        st.rerun()
    allowed = edits_allowed()
    if allowed and drops_every_rule(st.session_state[OPENED_KEY]["text"], text):
        st.checkbox(f"Yes, remove every rule of {md_escape(name)}", key="sandbox_drop_rules",
                    help="The edit leaves this file without rules; saving needs this confirmed. "
                         "The current version is kept as a backup.")
    cols[2].button("Save to disk", key="sandbox_save", disabled=not (allowed and valid),
                   on_click=_save, args=(directory, name, text),
                   help=(f"Writes atomically and keeps the previous version as a numbered .bak "
                         f"file (the last {KEEP_BACKUPS})." if allowed
                         else f"Saving is off; set {ALLOW_EDITS_ENV}=1 to enable it."))
    result = st.session_state.pop("_sandbox_save_result", None)
    if result:
        kind, lines = result
        (st.success if kind == "success" else st.error)(
            "Not saved:" if kind == "error" else md_escape(lines[0]))
        if kind == "error":
            st.code("\n".join(lines), language=None, wrap_lines=True)


SECTIONS = ("Browse", "Trace for your answers", "Add a model", "Sandbox")
SECTION_KEY = "rules_section"


def render() -> None:
    """The rules page: four tabs, each built only while it is open.

    Why lazy: the sandbox checks the whole answer space (about a second) and the trace runs
    every rule; opening the page to browse must not wait for either.
    """
    rules_state = state.get_rules()
    show_rules_state(rules_state)
    rules = rules_state.rules
    st.title("Rules")
    if rules is None:
        st.info("No valid rules to browse yet: fix the file in the sandbox below.")
        _sandbox(rules_state, None)
        return
    state.init_answers(rules)
    with st.expander("Your situation: the answers the trace and the sandbox's preview use"):
        questionnaire(rules)
    answers = state.current_answers(rules)
    directory = state.rules_dir()
    locations = state.rule_locations_on_disk(directory)
    browse, trace, add, sandbox = st.tabs(SECTIONS, key=SECTION_KEY, on_change="rerun")
    if browse.open:
        with browse:
            _browse(rules, locations)
    if trace.open:
        with trace:
            _trace(rules, answers, locations)
    if add.open:
        with add:
            add_model.render(rules, allowed=edits_allowed(), allowed_env=ALLOW_EDITS_ENV)
    if sandbox.open:
        with sandbox:
            _sandbox(rules_state, answers)
