"""How a reasoning tier's accuracy moves with its thinking effort, from published effort curves.

Model cards that publish scores at several efforts (gpt-oss at low, medium and high; o3-mini)
show accuracy rising about log-linearly in thinking tokens ("log-linear returns", gpt-oss model
card, arXiv 2508.10925), steeply on olympiad maths and gently on knowledge. So a reasoning tier
thinking h tokens instead of its medium-effort h₀ shifts its log-odds by
``slope × log2(h / h₀)``, with one slope below medium and one above (the cards' curves bend).

Where the slope comes from, most specific first:

1. **own** — the tier's own published scores on this benchmark (the curve goes through them);
2. **fitted** — the mean slope of the other models published on this benchmark;
3. **assumed** — the mean over every published benchmark of the same family, else of all
   (nothing measured this benchmark's effort curve: say so).

The published points are data, in ``benchmarks.yaml`` (``effort:``), at the tokens the effort
multiples in ``settings.yaml`` give; the replication table predicts each model's low and high
scores from the *other* models' curves, never from its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from advisor.engine import quality as q
from advisor.model.rules import EffortScores, RuleSet

Basis = Literal["own", "fitted", "assumed"]
SIDES = ("low", "high")


@dataclass(frozen=True)
class Slope:
    """Log-odds per doubling of thinking, below and above medium effort, and where from."""

    below: float
    above: float
    basis: Basis
    models: tuple[str, ...]  # whose published curves it rests on

    def shift(self, tokens: np.ndarray | float, anchor_tokens: np.ndarray | float) -> np.ndarray:
        """Log-odds added by thinking ``tokens`` instead of ``anchor_tokens`` (medium)."""
        ratio = np.log2(np.maximum(np.asarray(tokens, dtype=float), 1.0)
                        / np.maximum(np.asarray(anchor_tokens, dtype=float), 1.0))
        return np.where(ratio < 0, self.below, self.above) * ratio


def side_slope(rules: RuleSet, scores: EffortScores, side: str) -> float | None:
    """One model's log-odds per doubling between medium and ``side`` (None: not published)."""
    score = getattr(scores, side)
    if score is None:
        return None
    efforts = rules.settings.thinking_effort
    multiple = getattr(efforts, side) / efforts.medium
    return float((q.logit(score) - q.logit(scores.medium)) / np.log2(multiple))


def _mean_slope(rules: RuleSet, rows: list[EffortScores], basis: Basis) -> Slope | None:
    below = [v for r in rows if (v := side_slope(rules, r, "low")) is not None]
    above = [v for r in rows if (v := side_slope(rules, r, "high")) is not None]
    if not below and not above:
        return None
    below = below or above
    above = above or below
    return Slope(float(np.mean(below)), float(np.mean(above)), basis,
                 tuple(sorted({r.model for r in rows})))


def slope_for(rules: RuleSet, benchmark: str, model: str, *, leave_out: str | None = None
              ) -> Slope:
    """The effort curve of ``model`` on ``benchmark`` (see the module docstring).

    ``leave_out`` drops one model's published curve everywhere: the replication table predicts
    a model's scores from the others'.
    """
    def published(name: str) -> list[EffortScores]:
        return [r for r in rules.benchmarks[name].effort if r.model != leave_out]

    own = [r for r in published(benchmark) if r.model == model]
    for rows, basis in ((own, "own"), (published(benchmark), "fitted")):
        slope = _mean_slope(rules, rows, basis)
        if slope is not None:
            return slope
    family = rules.benchmarks[benchmark].family
    kin = [r for name, b in rules.benchmarks.items() if b.family == family
           for r in published(name)]
    everything = [r for name in rules.benchmarks for r in published(name)]
    slope = _mean_slope(rules, kin or everything, "assumed")
    return slope or Slope(0.0, 0.0, "assumed", ())


def tier_slope(rules: RuleSet, task_type: str, difficulty: str | None, model: str) -> Slope:
    """The effort curve of tier ``model`` at a task's level (memoised per rule set)."""
    benchmark = rules.tasks[task_type].level(difficulty).benchmark
    return rules.memo(("effort", benchmark, model),
                      lambda: slope_for(rules, benchmark, model))
