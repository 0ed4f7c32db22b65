"""Lint a valid rules directory: warnings about rules that say nothing or answers nothing covers.

Findings (each a ``Problem`` with ``severity="warning"`` and ``path:line``):

- **never fires**: no answers satisfy a rule's condition (its tests contradict each other);
- **redundant**: another rule fires whenever this one does and already has all its effects (this
  one pushes nothing, and its exclusions, requirements, quality adjustment and caveat are the
  other rule's);
- **unknown reference**: a scenario in ``tests/`` expects a rule, strategy or model the rules do
  not define (with a "did you mean"); unknown ids *in rules* stay loader errors;
- **coverage gaps**, found by enumerating the answer space: answer profiles where every strategy
  is excluded, where the trade-off table's pushes tie, or where no rule fires at all.

A *tie* is an exact tie: both pushes equal and above zero, so ``verdict_for`` returns
``combined`` because the pushes cancel, not because they fall within ``combined_margin``.

The answer space: every option of every categorical question a rule tests (one no rule tests,
such as ``streaming``, tells no profiles apart and is held at its default) × for every numeric
question, each constant the rules compare it with, a value between each pair of neighbouring
constants and a value beyond each end (the training budget also uses each fine-tune's run cost,
where the engine compares it). Conditions only compare answers with those constants, so every
class of answers that the rules can tell apart has a representative.

Why vectorised: a rule's condition depends on few fields, so it is evaluated once per combination
of those fields and broadcast over the grid; the table vote (``score``, ``verdict_for``)
then runs once per distinct set of fired rules, not once per profile.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

from advisor.authoring.scenarios import load_scenarios, scenario_files
from advisor.engine.conditions import describe, holds, thresholds
from advisor.engine.decide import score, verdict_for
from advisor.engine.training import cheapest_per_option, cheapest_run_usd
from advisor.errors import Problem
from advisor.model.answers import ANSWER_FIELDS, NUMERIC_FIELDS, field_options
from advisor.model.limits import MAX_LINT_CELLS, MAX_LINT_PROFILES
from advisor.model.rules import Rule, RuleSet, fields_of
from advisor.source.loader import SourceFile, inspect_rules

INTEGER_FIELDS = ("queries_per_day",)
POSITIVE_FIELDS = ("latency_budget_s",)


@dataclass(frozen=True)
class AnswerSpace:
    """The enumerated answers: the values of each field and which rules fire on each profile."""

    values: dict[str, list[Any]]
    fired: np.ndarray  # (profiles, rules) booleans, profiles in C order over ``values``

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.values.values())

    def profile(self, index: int) -> dict[str, Any]:
        """The answers of one profile."""
        position = np.unravel_index(index, self.shape)
        return {name: values[i] for (name, values), i in zip(self.values.items(), position)}


def rule_locations(sources: Iterable[SourceFile]) -> dict[str, tuple[str, int]]:
    """Rule id → (file, line) of its entry."""
    found: dict[str, tuple[str, int]] = {}
    for source in sources:
        for index, rule in enumerate(getattr(source.model, "rules", None) or []):
            found.setdefault(rule.id, (source.path, source.doc.line_of(("rules", index))))
    return found




def _numeric_values(name: str, cuts: set[float], default: Any) -> list[Any]:
    if not cuts or default is None:
        return [default]
    ordered = sorted(cuts)
    values = [ordered[0] / 2 if ordered[0] > 0 else ordered[0] - 1]
    for low, high in zip(ordered, ordered[1:] + [None]):
        values.append(low)
        values.append((low + high) / 2 if high is not None else (low * 2 if low > 0 else low + 1))
    if name in INTEGER_FIELDS:
        values = [int(math.floor(v)) for v in values]
    floor_ok = (lambda v: v > 0) if name in POSITIVE_FIELDS else (lambda v: v >= 0)
    return sorted({v for v in values if floor_ok(v)})


def answer_values(rules: RuleSet) -> dict[str, list[Any]]:
    """The values of each answer field that cover every class of answers the rules tell apart."""
    cuts: dict[str, set[float]] = {name: set() for name in NUMERIC_FIELDS}
    for rule in rules.rules:
        for name, found in thresholds(rule.when).items():
            cuts.setdefault(name, set()).update(found)
    # The engine compares the training budget with each run's one-time cost (here the cheapest
    # of each option), and 0 (none) is the answer most users give.
    cuts["training_budget_usd"] |= cheapest_per_option(rules)
    cuts["training_budget_usd"].add(0.0)
    defaults = {q.field: q.default for q in rules.questions}
    tested = set().union(*(fields_of(rule.when) for rule in rules.rules))
    values = {}
    for name in ANSWER_FIELDS:
        options = field_options(name)
        if options is not None and name not in tested and defaults.get(name) in options:
            # Why: an answer no rule tests would only repeat every profile once per option.
            options = [defaults[name]]
        values[name] = options if options is not None else _numeric_values(
            name, cuts.get(name, set()), defaults.get(name))
    return values


def enumerate_answers(rules: RuleSet) -> AnswerSpace:
    """Which rules fire on every profile of the answer space (see the module docstring)."""
    values = answer_values(rules)
    names = list(values)
    shape = tuple(len(values[n]) for n in names)
    columns = []
    cheapest = cheapest_run_usd(rules)
    for rule in rules.rules:
        tested = fields_of(rule.when)
        if "training_run_feasible" in tested:
            tested.add("training_budget_usd")
        used = [n for n in names if n in tested]
        local = np.zeros([len(values[n]) for n in used] or [1], dtype=bool)
        for position in product(*(range(len(values[n])) for n in used)):
            answers = {n: values[n][i] for n, i in zip(used, position)}
            if "training_budget_usd" in answers:
                answers["training_run_feasible"] = (cheapest is not None and
                                                    answers["training_budget_usd"] >= cheapest)
            local[position or (0,)] = holds(rule.when, answers)
        expand = [len(values[n]) if n in used else 1 for n in names]
        columns.append(np.broadcast_to(local.reshape(expand), shape).reshape(-1))
    fired = np.stack(columns, axis=1) if columns else np.zeros((math.prod(shape), 0), dtype=bool)
    return AnswerSpace(values, fired)


def profile_text(answers: dict[str, Any]) -> str:
    """``task_type=math, latency_budget_s=0.5, ...``"""
    def show(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return f"{value:g}" if isinstance(value, float) else str(value)
    return ", ".join(f"{k}={show(v)}" for k, v in answers.items() if v is not None)


class _Linter:
    def __init__(self, rules: RuleSet, sources: list[SourceFile]):
        self.rules = rules
        self.where = rule_locations(sources)
        self.first_rules_line = next(
            ((s.path, s.doc.line_of(("rules",))) for s in sources
             if s.model is not None and s.model.rules is not None),
            (sources[0].path if sources else "rules", 0))
        self.space = enumerate_answers(rules)

    def warn(self, rule_id: str | None, message: str) -> Problem:
        path, line = self.where.get(rule_id, self.first_rules_line)
        return Problem(path, line, message, "warning")

    def never_fires(self) -> list[Problem]:
        fires = self.space.fired.any(axis=0)
        return [self.warn(rule.id, f"rule '{rule.id}' can never fire: no answers satisfy "
                                   f"{describe(rule.when)} (its conditions contradict each other)")
                for rule, ever in zip(self.rules.rules, fires) if not ever]

    def redundant(self) -> list[Problem]:
        fired = self.space.fired
        problems = []
        for a, rule in enumerate(self.rules.rules):
            if rule.push or not fired[:, a].any():
                continue
            for b, other in enumerate(self.rules.rules):
                if a == b or not _covers(other, rule):
                    continue
                same = np.array_equal(fired[:, a], fired[:, b])
                if same and _covers(rule, other) and not other.push and b > a:
                    continue  # identical twins: report only the later one
                if not (fired[:, a] & ~fired[:, b]).any():
                    path, line = self.where[other.id]
                    problems.append(self.warn(rule.id, (
                        f"rule '{rule.id}' is redundant: rule '{other.id}' ({path}:{line}) fires "
                        "whenever it does and already has all its effects")))
                    break
        return problems

    def coverage_gaps(self) -> list[Problem]:
        rules, space = self.rules, self.space
        total = space.fired.shape[0]
        sig_first, sig_of = _row_classes(space.fired)
        sig_count = np.bincount(sig_of, minlength=len(sig_first))

        # Per distinct set of fired rules: the engine's scores and verdict.
        verdicts, exclusions, fired_sets = [], [], []
        ties: dict[float, list] = {}
        silent: list = []
        for sig, index in enumerate(sig_first):
            fired = [rule for rule, on in zip(rules.rules, space.fired[index]) if on]
            scores = score(fired)
            fired_sets.append(fired)
            verdicts.append(verdict_for(scores, rules.settings.combined_margin))
            exclusions.append(frozenset(sid for rule in fired for sid in rule.exclude))
            if not fired:
                _add(silent, index, sig_count[sig])
            elif round(scores.inference_time, 9) == round(scores.training, 9) > 0:
                _add(ties.setdefault(scores.training, []), index, sig_count[sig])

        # All excluded: the fired exclusions cover every strategy of the catalogue.
        catalogue = {s.id for s in rules.strategies}
        excluded: dict[tuple, list] = {}
        for sig, index in enumerate(sig_first):
            if exclusions[sig] >= catalogue:
                key = (tuple(r.id for r in fired_sets[sig] if r.exclude), verdicts[sig])
                _add(excluded.setdefault(key, []), index, sig_count[sig])

        problems = []
        for (excluders, verdict), group in sorted(excluded.items()):
            problems.append(self.warn(excluders[0] if excluders else None, (
                f"coverage gap: every strategy is excluded for {group[1]} of {total} answer "
                f"profiles, e.g. {profile_text(space.profile(group[0]))}; excluded by "
                f"{', '.join(excluders) or 'no rule'} (the engine then ignores the "
                "exclusions)")))
        for level, group in sorted(ties.items()):
            example = space.profile(group[0])
            pushers = [r.id for r in fired_sets[sig_of[group[0]]] if r.push]
            problems.append(self.warn(pushers[0], (
                f"coverage gap: the trade-off table's pushes tie (inference-time {level:g} = "
                f"training {level:g}) for {group[1]} of {total} answer profiles, so the table "
                "says 'combined' by an exact tie, not by the margin; e.g. "
                f"{profile_text(example)}; pushing rules: {', '.join(pushers)}")))
        if silent:
            problems.append(self.warn(None, (
                f"coverage gap: no rule fires for {silent[1]} of {total} answer profiles, e.g. "
                f"{profile_text(space.profile(silent[0]))}")))
        return problems

    def run(self) -> list[Problem]:
        return self.never_fires() + self.redundant() + self.coverage_gaps()


def _row_classes(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first row index of each distinct row, class of every row), via one integer per row.

    Why: ``np.unique(axis=0)`` sorts rows as opaque bytes and is several times slower. Boolean
    rows become 62-bit words; columns are then combined mixed-radix by their dense ranks.
    """
    if rows.dtype == bool:
        width = rows.shape[1]
        words = []
        for i in range(0, width, 62):
            # Bit by bit, not ``block.astype(int64) @ powers``: that copies the whole block as
            # int64 first, eight bytes a cell, the peak of a lint near its profile bound.
            word = np.zeros(len(rows), dtype=np.int64)
            for bit, j in enumerate(range(i, min(i + 62, width))):
                word |= rows[:, j].astype(np.int64) << bit
            words.append(word)
        rows = np.column_stack(words or [np.zeros(len(rows), dtype=np.int64)])
    codes, bound = np.zeros(len(rows), dtype=np.int64), 1
    for column in rows.T:
        values, ranks = np.unique(column, return_inverse=True)
        if bound * len(values) >= 2 ** 62:  # re-rank so the codes stay within int64
            kept, codes = np.unique(codes, return_inverse=True)
            bound = len(kept)
        codes, bound = codes * len(values) + ranks.reshape(-1), bound * len(values)
    _, first, classes = np.unique(codes, return_index=True, return_inverse=True)
    return first, classes.reshape(-1)


def _add(group: list, index: Any, count: Any) -> None:
    """Keep the first profile index, add up the count (group is [index, count])."""
    if group:
        group[1] += int(count)
        if int(index) < group[0]:
            group[0] = int(index)
    else:
        group.extend([int(index), int(count)])


def _covers(other: Rule, rule: Rule) -> bool:
    """``other`` has every effect of ``rule`` except a push (which ``rule`` must not have)."""
    return (set(rule.exclude) <= set(other.exclude) and set(rule.require) <= set(other.require)
            and rule.inference_gain in (None, other.inference_gain)
            and (rule.caveat is None or rule.caveat == other.caveat))


def lint_rules(rules: RuleSet, sources: list[SourceFile]) -> list[Problem]:
    """Warnings about a valid rule set (see the module docstring).

    Why a bound: the answer space is a product, so a few hundred thresholds on each numeric
    question make it billions of profiles; past :data:`MAX_LINT_PROFILES` (or
    :data:`MAX_LINT_CELLS` profile × rule pairs) lint says so instead of enumerating it.
    """
    profiles = math.prod(len(values) for values in answer_values(rules).values())
    if profiles > MAX_LINT_PROFILES or profiles * len(rules.rules) > MAX_LINT_CELLS:
        path = next((s.path for s in sources if s.model is not None and s.model.rules), "rules")
        return [Problem(path, 0, (
            f"lint skipped: the rules tell {profiles:,} answer profiles apart, which with "
            f"{len(rules.rules)} rules is more than lint enumerates ({MAX_LINT_PROFILES:,} "
            f"profiles, {MAX_LINT_CELLS:,} profile × rule pairs); use fewer distinct thresholds"),
            "warning")]
    return _Linter(rules, sources).run()


def check_directory(directory: str | Path, *, overrides: dict[str, str] | None = None
                    ) -> tuple[RuleSet | None, list[Problem]]:
    """Check a rules directory: errors, then (if none) lint warnings and scenario-file problems.

    The one definition of "check": ``advisor check``, :func:`check_rules`, the app's sandbox and
    every save from the app report what this finds.

    Args:
        directory: the rules directory; scenario files are read from its ``tests/`` folder.
        overrides: file name → text used instead of the file on disk (the app's sandbox).

    Returns:
        The rule set (None when it has errors) and every problem found.
    """
    rules, problems, sources = inspect_rules(directory, overrides=overrides)
    if rules is None:
        return None, problems
    warnings = lint_rules(rules, sources)
    _, scenario_problems = load_scenarios(scenario_files(directory), rules)
    return rules, sorted(set(warnings + scenario_problems))


def check_rules(directory: str | Path) -> list[Problem]:
    """Every problem in a rules directory, as ``advisor check`` reports them (empty when clean).

    The same check as :func:`check_directory`, without its rule set.
    """
    return check_directory(directory)[1]


__all__ = ["AnswerSpace", "answer_values", "check_directory", "check_rules",
           "enumerate_answers", "lint_rules", "profile_text", "rule_locations"]
