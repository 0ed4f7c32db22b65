"""What changed between two rule sets, and which recommendations change as a result.

Items are matched by id (rules, strategies, models), by field (questions) or by name (families,
task profiles); a changed rule lists each changed key with its old and new value. The effect is
measured by running the scenarios (the new directory's ``tests/``, else the old one's) and the
example answers files through both rule sets: each scenario resolves its answers against each
rule set, so a changed question default shows up too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.authoring.lint import rule_locations
from advisor.authoring.scenarios import (ScenarioOutcome, compare_outcome, load_scenarios,
                                         outcome_of, scenario_files)
from advisor.engine.conditions import describe
from advisor.errors import AnswersError, Problem, RulesError
from advisor.model.rules import RuleSet
from advisor.source.answers_file import load_answers
from advisor.source.loader import inspect_rules

SECTIONS = ("rules", "strategies", "models", "questions", "families", "tasks", "settings")


@dataclass
class ItemChange:
    """One item added (+), removed (-) or changed (~), with (key, old, new) per changed key."""

    sign: str
    name: str
    where: str = ""
    keys: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class OutcomeChange:
    """A scenario or example whose recommendation differs, with (what, old, new) per change."""

    label: str
    where: str
    changes: list[tuple[str, str, str]]


@dataclass
class RulesDiff:
    """Differences by section, and the recommendations that change."""

    old: str
    new: str
    sections: dict[str, list[ItemChange]]
    outcomes: list[OutcomeChange]
    scenarios_run: int
    examples_run: int
    problems: list[Problem] = field(default_factory=list)


def _items(rules: RuleSet, section: str) -> dict[str, Any]:
    value = getattr(rules, section)
    if section == "questions":
        return {q.field: q for q in value}
    if section == "settings":
        return {"settings": value}
    if isinstance(value, dict):
        return dict(value)
    return {item.id: item for item in value}


def _shown(key: str, value: Any) -> str:
    if key == "when" and value is not None:
        return describe(value)
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, float):
        return f"{value:g}"
    return ("null" if value is None
            else str(value).replace("True", "true").replace("False", "false"))


def _changed_keys(old: Any, new: Any) -> list[tuple[str, str, str]]:
    keys = []
    for name in type(new).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            key = type(new).model_fields[name].alias or name
            keys.append((key, _shown(name, before), _shown(name, after)))
    return keys


def diff_rule_sets(old: RuleSet, new: RuleSet, *,
                   old_where: dict[str, tuple[str, int]] | None = None,
                   new_where: dict[str, tuple[str, int]] | None = None
                   ) -> dict[str, list[ItemChange]]:
    """Added, removed and changed items of each section (rule locations when given)."""
    def where(table: dict | None, name: str, section: str) -> str:
        if section != "rules" or not table or name not in table:
            return ""
        return "{}:{}".format(*table[name])

    sections = {}
    for section in SECTIONS:
        before, after = _items(old, section), _items(new, section)
        changes = [ItemChange("+", name, where(new_where, name, section))
                   for name in after if name not in before]
        changes += [ItemChange("-", name, where(old_where, name, section))
                    for name in before if name not in after]
        for name in after:
            if name in before and before[name] != after[name]:
                changes.append(ItemChange("~", name, where(new_where, name, section),
                                          _changed_keys(before[name], after[name])))
        sections[section] = changes
    return sections


def _outcome_changes(old: ScenarioOutcome, new: ScenarioOutcome) -> list[tuple[str, str, str]]:
    changes = [(key, str(getattr(old, key)), str(getattr(new, key)))
               for key in ("verdict", "table_verdict", "strategy", "model")
               if getattr(old, key) != getattr(new, key)]
    gained = [r for r in new.fired if r not in old.fired]
    lost = [r for r in old.fired if r not in new.fired]
    if gained or lost:
        changes.append(("fired", "", " ".join([f"+{r}" for r in gained]
                                              + [f"-{r}" for r in lost])))
    return changes


def recommendation_changes(old: RuleSet, new: RuleSet, *, scenario_paths: Iterable[Path],
                           example_paths: Iterable[Path]
                           ) -> tuple[list[OutcomeChange], int, int, list[Problem]]:
    """Scenarios and examples whose recommendation differs between ``old`` and ``new``.

    Returns:
        The changes, the number of scenarios and examples run, and problems met loading them.
        For a scenario, a change of pass/fail status is listed as ``status``; a ``fired`` change
        has no old value and lists ``+rule`` (fires now) and ``-rule`` (no longer fires).
    """
    scenario_paths = list(scenario_paths)
    old_loaded, old_problems = load_scenarios(scenario_paths, old)
    new_loaded, problems = load_scenarios(scenario_paths, new)
    problems = [p for p in problems if p.severity == "error"]
    old_by_id = {item.scenario.id: item for item in old_loaded}
    changes = []
    for item in new_loaded:
        before = old_by_id.get(item.scenario.id)
        if before is None:
            continue
        old_out, new_out = outcome_of(before.answers, old), outcome_of(item.answers, new)
        found = _outcome_changes(old_out, new_out)
        old_pass = not compare_outcome(item.scenario.expect, old_out)
        new_pass = not compare_outcome(item.scenario.expect, new_out)
        if old_pass != new_pass:
            found.append(("status", "pass" if old_pass else "FAIL",
                          "pass" if new_pass else "FAIL"))
        if found:
            changes.append(OutcomeChange(f"scenario {item.scenario.id}", item.where, found))
    examples = 0
    for path in example_paths:
        try:
            answers = load_answers(path)
        except AnswersError as exc:
            problems += exc.problems
            continue
        examples += 1
        found = _outcome_changes(outcome_of(answers, old), outcome_of(answers, new))
        if found:
            changes.append(OutcomeChange(f"example {Path(path).name}", str(path), found))
    return changes, len(new_loaded), examples, problems


def diff_directories(old_dir: str | Path, new_dir: str | Path, *,
                     examples_dir: str | Path | None = None) -> RulesDiff:
    """Compare two rules directories.

    Raises:
        RulesError: either directory fails to load (its problems, with ``path:line``).
    """
    loaded = []
    for directory in (old_dir, new_dir):
        rules, problems, sources = inspect_rules(directory)
        if rules is None:
            raise RulesError(problems)
        loaded.append((rules, rule_locations(sources)))
    (old, old_where), (new, new_where) = loaded
    sections = diff_rule_sets(old, new, old_where=old_where, new_where=new_where)
    scenarios = scenario_files(new_dir) or scenario_files(old_dir)
    examples = sorted(Path(examples_dir).glob("*.yaml")) if examples_dir else []
    outcomes, n_scenarios, n_examples, problems = recommendation_changes(
        old, new, scenario_paths=scenarios, example_paths=examples)
    return RulesDiff(str(old_dir), str(new_dir), sections, outcomes, n_scenarios, n_examples,
                     problems)


def format_changes(outcomes: list[OutcomeChange]) -> list[str]:
    """Indented lines for each changed recommendation: ``key: old → new``."""
    lines = []
    for change in outcomes:
        lines.append(f"  {change.label} ({change.where})")
        lines += [f"      {key}: {old} → {new}" if old else f"      {key}: {new}"
                  for key, old, new in change.changes]
    return lines


def format_diff(diff: RulesDiff) -> str:
    """The diff as plain text."""
    lines = [f"rules diff: {diff.old} → {diff.new}"]
    for section, changes in diff.sections.items():
        counts = {sign: sum(c.sign == sign for c in changes) for sign in "+-~"}
        if not changes:
            lines.append(f"{section}: no changes")
            continue
        lines.append(f"{section}: {counts['+']} added, {counts['-']} removed, "
                     f"{counts['~']} changed")
        for change in changes:
            where = f" ({change.where})" if change.where else ""
            lines.append(f"  {change.sign} {change.name}{where}")
            lines += [f"      {key}: {old} → {new}" for key, old, new in change.keys]
    lines.append(f"recommendations: {len(diff.outcomes)} change (ran {diff.scenarios_run} "
                 f"scenario(s) and {diff.examples_run} example(s))")
    lines += format_changes(diff.outcomes)
    lines += [f"  {problem}" for problem in diff.problems]
    return "\n".join(lines) + "\n"
