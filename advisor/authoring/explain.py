"""Trace every rule for one set of answers: fired or not, and for those that did not, why.

The trace is data (:class:`RuleTrace`); :func:`format_trace` renders it as text for the CLI and
the app shows the same rows in a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.authoring.lint import profile_text
from advisor.engine.conditions import describe, holds, why_not
from advisor.engine.decide import (compile_rules, condition_values, describe_effects, recommend,
                                   score, verdict_for)
from advisor.model.answers import Answers
from advisor.model.rules import RuleSet


@dataclass(frozen=True)
class RuleTrace:
    """One rule's outcome for the answers."""

    rule_id: str
    path: str
    line: int
    fired: bool
    condition: str
    effects: list[str]
    failed: list[str]  # the tests that failed, with the actual values (empty when it fired)


@dataclass(frozen=True)
class Trace:
    """Every rule's outcome, the trade-off table's pushes and vote, and the verdict."""

    answers: Answers
    rules: list[RuleTrace]
    inference_time: float
    training: float
    table_verdict: str | None
    verdict: str


def explain(answers: Answers, rules: RuleSet, *,
            locations: dict[str, tuple[str, int]] | None = None) -> Trace:
    """Trace each rule of ``rules`` for ``answers``.

    Args:
        answers: validated answers.
        rules: a loaded rule set.
        locations: rule id → (file, line), from :func:`advisor.authoring.lint.rule_locations`.
    """
    values = condition_values(answers.model_dump(), compile_rules(rules))
    locations = locations or {}
    traces, fired = [], []
    for rule in rules.rules:
        on = holds(rule.when, values)
        if on:
            fired.append(rule)
        path, line = locations.get(rule.id, ("", 0))
        traces.append(RuleTrace(rule.id, path, line, on, describe(rule.when),
                                describe_effects(rule), [] if on else why_not(rule.when, values)))
    scores = score(fired)
    return Trace(answers, traces, scores.inference_time, scores.training,
                 verdict_for(scores, rules.settings.combined_margin),
                 recommend(answers, rules).verdict)


def format_trace(trace: Trace) -> str:
    """The trace as plain text, one block per rule, fired rules marked ``[x]``."""
    fired = sum(r.fired for r in trace.rules)
    lines = [f"answers: {profile_text(trace.answers.model_dump(mode='json'))}",
             f"verdict: {trace.verdict} (read off what the recommended configuration spends)",
             f"trade-off table: {trace.table_verdict or 'no opinion'} (inference-time "
             f"{trace.inference_time:g}, training {trace.training:g})",
             f"rules: {fired} of {len(trace.rules)} fired", ""]
    for rule in trace.rules:
        where = f"{rule.path}:{rule.line}" if rule.path else ""
        lines.append(f"[{'x' if rule.fired else ' '}] {rule.rule_id}  {where}".rstrip())
        lines.append(f"    when: {rule.condition}")
        if rule.fired:
            lines.append(f"    effects: {'; '.join(rule.effects)}")
        else:
            lines += [f"    failed: {reason}" for reason in rule.failed]
    return "\n".join(lines) + "\n"
