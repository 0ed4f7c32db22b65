"""A scenario comparison as people read it: answers and results tables, a Markdown record, and
what differs between two results of the same answers.

The comparison itself is :mod:`advisor.analysis.compare`; this module only words it.
"""

from __future__ import annotations

from pydantic import BaseModel

from advisor.analysis.compare import Comparison
from advisor.model.result import Recommendation
from advisor.render.formats import quality, seconds, usd
from advisor.render.tables import Row, Table, row
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import (LATENCY_MEASURES, answer_items, break_even_brief,
                                    configuration_text, training_brief, verdict_label)


def answers_table(comparison: Comparison, vocabulary: Vocabulary) -> Table:
    """Answers × scenarios."""
    columns = [answer_items(s.answers, vocabulary) for s in comparison.scenarios]
    rows = [row(label, [column[i][1] for column in columns])
            for i, (label, _) in enumerate(columns[0])] if columns else []
    return Table(header=["", *(s.name for s in comparison.scenarios)], rows=rows)


def results_table(comparison: Comparison) -> Table:
    """Verdicts, configurations, costs and the break-even × scenarios."""
    return Table(header=["", *(s.name for s in comparison.scenarios)],
                 rows=result_rows(comparison.results))


def result_rows(results: list[Recommendation]) -> list[Row]:
    """Verdicts, configurations, costs and the break-even, one cell per result."""
    return [
        row("Verdict", [verdict_label(r) for r in results]),
        row("Configuration", [configuration_text(r) for r in results]),
        row("Training", [training_brief(r) for r in results]),
        row("Cost per query", [usd(r.chosen.cost_usd) for r in results]),
        row("Monthly cost", [usd(r.chosen.monthly_cost_usd) for r in results]),
        row("First words", [seconds(r.chosen.first_token_s) for r in results]),
        row("Whole answer", [seconds(r.chosen.latency_s) for r in results]),
        row("Latency budget applies to", [LATENCY_MEASURES[r.latency_measure]
                                          for r in results]),
        row("Expected quality", [quality(r.chosen.expected_quality) for r in results]),
        row("Fits the budgets", ["yes" if r.feasible else "no" for r in results]),
        row("Break-even", [break_even_brief(r.break_even) for r in results]),
    ]


def to_markdown(comparison: Comparison, *, vocabulary: Vocabulary) -> str:
    """The comparison as a Markdown record: answers, then results, one column per scenario."""
    versions = sorted({r.rules_version for r in comparison.results})
    lines = ["# Scenario comparison", "",
             f"Rules version: {', '.join(f'`{v}`' for v in versions)}", "",
             "## Answers", "", *answers_table(comparison, vocabulary).markdown(),
             "", "## Results", "", *results_table(comparison).markdown(),
             "", "Estimates are model-based; validate them on your own traffic before "
                 "committing.", ""]
    return "\n".join(lines)


class Difference(BaseModel):
    """One thing that differs between a frozen result and a fresh one."""

    label: str
    before: str
    after: str


def differences(before: Recommendation, after: Recommendation) -> list[Difference]:
    """What differs between two results of the same answers (e.g. a snapshot re-evaluated)."""
    pairs = [("Rules version", before.rules_version, after.rules_version)]
    for line in result_rows([before, after]):
        pairs.append((line.label, line.cells[0], line.cells[1]))
    fired_before = ", ".join(r.id for r in before.fired_rules) or "none"
    fired_after = ", ".join(r.id for r in after.fired_rules) or "none"
    pairs.append(("Rules that fired", fired_before, fired_after))
    return [Difference(label=label, before=b, after=a) for label, b, a in pairs if b != a]
