"""Where each model tier stands on the user's task: the single-pass accuracy every estimate
starts from.

Quality means one thing throughout: the probability that one answer to a query of the user's
task is correct (or acceptable, for open-ended work). Each task type has difficulty levels, each
tied to a public benchmark (``benchmarks.yaml``); a tier's accuracy at a level is its published
score on that benchmark (``scores`` in ``models.yaml``), shifted by the level's ``offset_logit``.

Tiers lack scores on some benchmarks, so scores are also read through one model: the log-odds
of a correct answer is the tier's ability minus the benchmark's difficulty,
``logit(score[t, b]) ≈ ability[t] − difficulty[b]`` per task family (a Rasch model, fitted by
least squares to every published score of the family). It places a tier on a benchmark it has
no score for, and it re-anchors every tier when the user measured one of them on their own eval
set: the task's own difficulty is ``ability[T] − logit(measured)``, so every tier t gets
``sigmoid(ability[t] − ability[T] + logit(measured))``, and tier T exactly what was measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.engine import quality as q
from advisor.model.rules import RuleSet


@dataclass(frozen=True)
class Placement:
    """One task family's fit: ability per tier id, difficulty per benchmark id (log-odds)."""

    ability: dict[str, float]
    difficulty: dict[str, float]

    def predicted(self, tier: str, benchmark: str) -> float:
        """The fitted single-pass accuracy of ``tier`` on ``benchmark``."""
        return float(q.sigmoid(self.ability[tier] - self.difficulty[benchmark]))


def fit_placement(scores: list[tuple[str, str, float]]) -> Placement:
    """Least-squares abilities and difficulties from ``(tier, benchmark, score)`` triples.

    The scale's origin is fixed by making the difficulties average zero; a tier or benchmark
    with a single score is placed exactly on it.
    """
    tiers = sorted({t for t, _, _ in scores})
    benches = sorted({b for _, b, _ in scores})
    t_of = {t: i for i, t in enumerate(tiers)}
    b_of = {b: len(tiers) + i for i, b in enumerate(benches)}
    rows = np.zeros((len(scores) + 1, len(tiers) + len(benches)))
    target = np.zeros(len(scores) + 1)
    for row, (tier, bench, score) in enumerate(scores):
        rows[row, t_of[tier]] = 1.0
        rows[row, b_of[bench]] = -1.0
        target[row] = float(q.logit(score))
    rows[-1, len(tiers):] = 1.0  # Σ difficulty = 0
    solution = np.linalg.lstsq(rows, target, rcond=None)[0]
    return Placement(ability={t: float(solution[t_of[t]]) for t in tiers},
                     difficulty={b: float(solution[b_of[b]]) for b in benches})


def placement(rules: RuleSet, family: str) -> Placement:
    """The fit of one family's published scores (once per rule set)."""
    def build() -> Placement:
        scores = [(m.id, name, value) for m in rules.models for name, value in m.scores.items()
                  if name in rules.benchmarks and rules.benchmarks[name].family == family]
        return fit_placement(scores)
    return rules.memo(("placement", family), build)


def tier_accuracy(rules: RuleSet, task_type: str, difficulty: str | None = None,
                  measured: tuple[str, float] | None = None) -> dict[str, float]:
    """Single-pass accuracy of every tier on the user's task, by tier id.

    Args:
        difficulty: a level id of the task type (None: its default level).
        measured: ``(tier id, accuracy)`` the user measured on their own eval set, which
            replaces the benchmark as the anchor of every tier.
    """
    task = rules.tasks[task_type]
    fit = placement(rules, task.family)
    if measured is not None:
        model, accuracy = measured
        shift = float(q.logit(accuracy)) - fit.ability[model]
        return {m.id: float(q.sigmoid(fit.ability[m.id] + shift)) for m in rules.models}
    level = task.level(difficulty)
    out = {}
    for m in rules.models:
        published = m.scores.get(level.benchmark)
        base = (float(q.logit(published)) if published is not None
                else fit.ability[m.id] - fit.difficulty[level.benchmark])
        out[m.id] = float(q.sigmoid(base + level.offset_logit))
    return out


def anchor_source(rules: RuleSet, task_type: str, difficulty: str | None, model_id: str,
                  measured_model: str | None = None) -> str:
    """Where one tier's accuracy comes from, in a few words (for the result and the app)."""
    if measured_model is not None:
        return ("your measurement" if model_id == measured_model
                else f"re-anchored on your measurement of {rules.model(measured_model).name}")
    level = rules.tasks[task_type].level(difficulty)
    bench = rules.benchmarks[level.benchmark]
    how = "published" if level.benchmark in rules.model(model_id).scores else "placed by the fit"
    offset = f", {level.offset_logit:+g} log-odds for the level" if level.offset_logit else ""
    return f"{bench.name} ({how}{offset})"
