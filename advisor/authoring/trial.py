"""Try a rule set through every stage before serving it: engine, charts and reports.

Rules can pass every check and still fail in a later stage: a chart that plotly refuses, a
report that meets a value nobody foresaw. A server that swaps in such rules fails for every
visitor. :func:`trial_run` runs a new rule set on a few answer profiles (the questions' defaults
and the examples) through what the app and the CLI do with a recommendation, and turns any
failure into a :class:`~advisor.errors.Problem`, so the app can keep serving the last valid rules
and say why.

Why catch every exception here, against the rule that bugs keep their traceback: the failure is
reported (and logged with its traceback) instead of taking the server down, and the rules that
were serving before keep serving.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from advisor.analysis.full import analyse
from advisor.authoring.lint import profile_text
from advisor.engine.costs import Workload, candidate_table
from advisor.engine.decide import decision_map
from advisor.errors import Problem, UserInputError
from advisor.model.rules import RuleSet
from advisor.render.chart_text import (cost_latency_summary, decision_map_lines,
                                       decision_map_summary, frontier_lines,
                                       quality_curves_summary)
from advisor.render.charts import cost_latency_figure, decision_map_figure, quality_curves_figure
from advisor.render.insight_charts import break_even_figure
from advisor.render.report import to_json, to_markdown
from advisor.render.vocabulary import Vocabulary

log = logging.getLogger(__name__)


def _every_stage(answers: Mapping[str, Any], rules: RuleSet) -> None:
    rec = analyse(answers, rules)
    dmap = decision_map(rec.answers, rules)
    names = {s.id: s.name for s in rules.strategies}
    to_json(rec)
    to_markdown(rec, vocabulary=Vocabulary.of(rules))
    # Why no to_html: it is these figures, serialised; plotly validates them as they are built.
    cost_latency_figure(rec)
    cost_latency_summary(rec)
    frontier_lines(rec)
    for colour_by in ("verdict", "strategy"):
        decision_map_figure(dmap, rec, colour_by=colour_by, strategy_names=names)
        decision_map_summary(dmap, rec, colour_by=colour_by, strategy_names=names)
        decision_map_lines(dmap, rec, colour_by=colour_by, strategy_names=names)
    if rec.break_even is not None:
        break_even_figure(rec.break_even)


def trial_run(rules: RuleSet, profiles: Iterable[Mapping[str, Any]], *,
              where: str | Path = "rules") -> list[Problem]:
    """Problems met running ``rules`` through every stage, for each answer profile.

    Args:
        rules: a rule set that loaded without errors.
        profiles: answers to try (for example the questions' defaults and the examples).
        where: how problems name the rules (their directory).

    Returns:
        One problem for the first failure, naming the answers it met (empty when all passed).
    """
    answers: Mapping[str, Any] | None = None
    try:
        for answers in profiles:
            try:
                _every_stage(answers, rules)
            except UserInputError:
                continue  # an example the rules reject is the example's problem, not a crash
        answers = None
        for verifiability in rules.settings.verifiers:
            table = candidate_table(rules, Workload.of(rules, {
                "task_type": next(iter(rules.tasks)), "verifiability": verifiability}))
            for model in rules.models:
                for effort in (("low", "medium", "high") if model.reasoning else (None,)):
                    quality_curves_figure(table, model.id, effort=effort)
                    quality_curves_summary(table, model.id, effort=effort)
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        log.exception("rules in %s fail in use", where)
        reason = " ".join(str(exc).split())[:300]
        stage = (f"on the answers {profile_text(dict(answers))}" if answers is not None
                 else "drawing the quality curves")
        return [Problem(str(where), 0, f"the rules load, but the advisor fails with them {stage}: "
                                       f"{type(exc).__name__}: {reason}")]
    return []
