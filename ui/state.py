"""State shared by the pages: the rules in force, the current answers, and the share link.

Rules are cached by the rules version of the files on disk (a content hash), so edits on disk
are picked up on the next interaction; a broken edit never takes the app down: whatever goes
wrong while loading (an unreadable or oversized file, bad YAML, failed validation, rules that
crash a chart or a report in a trial run, or a bug) the last valid rules keep serving and the
problems are shown, relative to the rules directory.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from advisor.authoring.lint import rule_locations
from advisor.authoring.trial import trial_run
from advisor.engine.decide import rules_problems
from advisor.errors import AnswersError, Problem
from advisor.model.answers import (ANSWER_FIELDS, NUMERIC_FIELDS, OPTIONAL_NUMBER_FIELDS,
                                   TOKEN_FIELDS, Answers)
from advisor.model.rules import RuleSet
from advisor.source.answers_file import answers_from_bytes, load_answers
from advisor.source.inputs import read_bytes
from advisor.source.links import (answers_from_link, consistent, default_answers,
                                  link_from_answers, range_problems)
from advisor.source.loader import inspect_rules, rules_files, rules_version

APP_DIR = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = APP_DIR / "examples"
WARNINGS_KEY = "_share_link_warnings"
LOADED_KEY = "_answers_loaded"


def rules_dir() -> Path:
    """The rules directory: ``ADVISOR_RULES_DIR`` or the app's own ``rules/``."""
    return Path(os.environ.get("ADVISOR_RULES_DIR") or APP_DIR / "rules")


def rules_version_on_disk(directory: Path) -> str:
    """The :func:`~advisor.source.loader.rules_version` of the rules files as they are now.

    Why the bounded reader: a file that is too large, unreadable or not a regular file is
    versioned by the reason it cannot be read, never read whole on every rerun; a file that is
    not UTF-8 by its bytes, escaped, so that any edit still changes the version.
    """
    texts = {}
    for path in rules_files(directory) if directory.is_dir() else []:
        raw, problems = read_bytes(path)
        texts[path.name] = (raw.decode("utf-8", "backslashreplace") if raw is not None
                            else str(problems[0]))
    return rules_version(texts)


@dataclass
class RulesState:
    """The rules to serve and the problems with the files on disk (if any)."""

    rules: RuleSet | None
    problems: list[Problem] = field(default_factory=list)
    stale: bool = False  # True when serving the last valid rules because the files are broken


# Trial-run outcomes by rules version (a content hash): the same rules always fare the same.
_TRIALS: dict[str, list[str]] = {}


def _trial(directory: str, ruleset: RuleSet) -> list[Problem]:
    if ruleset.version not in _TRIALS:
        profiles = [default_answers(ruleset), *examples().values()]
        _TRIALS[ruleset.version] = [p.message for p in trial_run(ruleset, profiles)]
    return [Problem(directory, 0, message) for message in _TRIALS[ruleset.version]]


Locations = dict[str, tuple[str, int]]  # rule id → (file, line)


@st.cache_resource(max_entries=16, show_spinner=False)
def _inspect(directory: str, version: str) -> tuple[RuleSet | None, list[Problem], Locations]:
    """The rules of ``directory``, their problems and where each rule is defined; never raises
    (see the module docstring)."""
    try:
        ruleset, problems, sources = inspect_rules(directory)
        locations = rule_locations(sources)
        if ruleset is not None:
            problems = _trial(directory, ruleset)
    except Exception as exc:  # noqa: BLE001 - a bug must not take every visitor's page down
        logging.getLogger(__name__).exception("loading the rules in %s failed", directory)
        return None, [Problem(directory, 0, f"the rules could not be loaded: "
                                            f"{type(exc).__name__}: {exc}")], {}
    return (None, problems, locations) if problems else (ruleset, [], locations)


@st.cache_resource(show_spinner=False)
def _last_valid() -> dict[str, RuleSet]:
    """Process-wide memory of the last valid rule set per directory."""
    return {}


def get_rules() -> RulesState:
    """The rules in force, reloaded when the files change, never worse than the last valid set."""
    directory = rules_dir()
    ruleset, problems, _ = _inspect(str(directory), rules_version_on_disk(directory))
    last = _last_valid()
    if ruleset is not None:
        last[str(directory)] = ruleset
        return RulesState(ruleset)
    return RulesState(last.get(str(directory)), problems, stale=str(directory) in last)


def rule_locations_on_disk(directory: Path) -> Locations:
    """Where each rule on disk is defined, from the same load as :func:`get_rules`.

    Why not read the files again: the Rules page opened in a quarter of a second more when it
    parsed every file a second time for the line numbers.
    """
    return _inspect(str(directory), rules_version_on_disk(directory))[2]


def shown_path(path: str | Path, directory: Path | None = None) -> str:
    """A file as users may read it: relative to the rules directory (``tests/article.yaml``),
    that directory by its name (``rules/``), the app's own files relative to the app
    (``examples/support-faq-bot.yaml``), anything else by its name alone.

    Why: messages must not reveal where the server keeps its files (issue 12).
    """
    directory = Path(os.path.abspath(rules_dir() if directory is None else directory))
    path = Path(os.path.abspath(path))
    if path == directory:
        return directory.name + "/"
    base = next((b for b in (directory, APP_DIR) if path.is_relative_to(b)), None)
    return str(path.relative_to(base)) if base is not None else path.name


def without_server_paths(text: str, directory: Path | None = None) -> str:
    """``text`` with the rules directory's and the app's paths made relative, as in
    :func:`shown_path`: messages quote other files ("first defined at …/rules.yaml:12")."""
    directory = Path(os.path.abspath(rules_dir() if directory is None else directory))
    for base in (directory, APP_DIR):
        text = text.replace(f"{base}{os.sep}", "")
    return text.replace(str(directory), directory.name + "/")


def relative_to_rules(problems: list[Problem], directory: Path | None = None) -> list[Problem]:
    """``problems`` with their paths as :func:`shown_path` shows them (``rules.yaml:12``)."""
    return [Problem(shown_path(p.path, directory), p.line,
                    without_server_paths(p.message, directory), p.severity) for p in problems]


# --- answers and the share link ------------------------------------------------------------------

def init_answers(rules: RuleSet) -> None:
    """On a session's first run, fill the widgets' state from the link (or the defaults)."""
    if st.session_state.get(LOADED_KEY):
        return
    params = {k: st.query_params.get(k) for k in st.query_params.keys()}
    answers, warnings = answers_from_link(params, rules)
    for name, value in answers.items():
        st.session_state[name] = _widget_value(name, value)
    st.session_state[WARNINGS_KEY] = warnings
    st.session_state[LOADED_KEY] = True


def _widget_value(name: str, value: Any) -> Any:
    if name in TOKEN_FIELDS:
        return None if value is None else int(value)
    if name in OPTIONAL_NUMBER_FIELDS:
        return None if value is None else float(value)
    if name in NUMERIC_FIELDS and name != "queries_per_day":
        return float(value)
    if name == "queries_per_day":
        return int(value)
    return value


def answers_from_upload(raw: bytes, name: str, rules: RuleSet
                        ) -> tuple[dict[str, Any] | None, list[str]]:
    """Answers from an uploaded file, or None and every problem (nothing is applied then)."""
    try:
        answers = answers_from_bytes(raw, name=name)
    except AnswersError as exc:
        return None, [str(p) for p in exc.problems]
    errors = [f"{name}: {problem}" for problem in rules_problems(answers, rules)]
    errors += range_problems(answers, rules, name=name)
    return (None, errors) if errors else (answers.model_dump(mode="json"), [])


def keep_answers() -> None:
    """Carry the answers across pages that don't show the questionnaire.

    Why: Streamlit forgets a widget's state on a run in which the widget is not drawn, so
    visiting the Compare or About page would reset the answers. Writing each key back to itself
    makes it plain session state, which survives until the widget is drawn again.
    """
    for name in ANSWER_FIELDS:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def apply_answers(values: dict[str, Any]) -> None:
    """Set every answer widget (used by presets and by scenarios)."""
    for name in ANSWER_FIELDS:
        if name in values:
            st.session_state[name] = _widget_value(name, values[name])


def current_answers(rules: RuleSet) -> Answers:
    """The answers as the widgets hold them now (falling back to defaults for any not shown).

    A half-entered measurement (a model without its accuracy) is left out until complete.
    """
    base = default_answers(rules)
    values = {name: st.session_state.get(name, base[name]) for name in ANSWER_FIELDS}
    values, _ = consistent(values, rules)
    return Answers.model_validate(values)


def sync_query_params(answers: Answers) -> None:
    """Keep the URL equal to the answers so the address bar is always a share link."""
    wanted = link_from_answers(answers)
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    kept = {k: v for k, v in current.items() if k not in ANSWER_FIELDS and k in ("snapshot",)}
    if current != {**wanted, **kept}:
        st.query_params.from_dict({**wanted, **kept})


@st.cache_data(show_spinner=False)
def examples() -> dict[str, dict[str, Any]]:
    """The example profiles shipped in ``examples/``, by display name."""
    found = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        name = path.stem.replace("-", " ").capitalize()
        found[name] = load_answers(path).model_dump(mode="json")
    return found
