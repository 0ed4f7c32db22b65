"""Published results, reproduced with the project's own formulas: one table.

Each case is a figure from the evidence the default curves cite (``../shared/reference/
evidence.md``), the setting it was measured in, and what :func:`advisor.engine.curve.predict` gives
for that setting with the default rules. The cases are data, in ``replication.yaml`` beside this
module. The test suite fails when a prediction leaves its stated tolerance; the app's About page
shows the same table. A case marked "to check" rests on a figure that was quoted, not re-read in
the paper. A second table, ``training_replication.yaml``, does the same for training runs
(fine-tunes, distillations), each row predicted from the default ``training:`` options or from
a share fitted to a published pair that is not itself a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from advisor.engine import quality as q
from advisor.engine.costs import Workload, dispersion_of, verifier_of
from advisor.engine.curve import predict
from advisor.engine.effort import slope_for
from advisor.engine.training import shifted_logit
from advisor.model.rules import RuleSet

TABLE = Path(__file__).with_name("replication.yaml")
TRAINING_TABLE = Path(__file__).with_name("training_replication.yaml")


@dataclass(frozen=True)
class Case:
    """One published figure and how to predict it (a row of ``replication.yaml``)."""

    paper: str
    setting: str
    published: float
    predict: dict[str, Any]
    relation: Literal["about", "above", "below"] = "about"
    tolerance: float = 0.0
    unit: Literal["accuracy", "gain", "ratio", "margin"] = "accuracy"
    checked: bool = True

    def predicted(self, rules: RuleSet) -> float:
        arguments = dict(self.predict)
        return MEASURES[arguments.pop("measure")](rules, **arguments)


@dataclass(frozen=True)
class Row:
    """A case with its prediction, ready to show."""

    paper: str
    setting: str
    published: str
    predicted: str
    holds: bool
    checked: bool


def _accuracy(rules: RuleSet, **arguments: Any) -> float:
    return predict(rules, **arguments).accuracy


def _gain(rules: RuleSet, **arguments: Any) -> float:
    point = predict(rules, **arguments)
    return point.accuracy - point.single_pass


def _coverage(rules: RuleSet, **arguments: Any) -> float:
    return predict(rules, **arguments).coverage


MOST_SAMPLES = 4096  # the most best-of-N samples a search-efficiency row tries


def _search_efficiency(rules: RuleSet, *, breadth: int, depth: int, **setting: Any) -> float:
    """Generations best-of-N needs to match a tree of ``breadth`` × ``depth``, per generation
    the tree writes (its ``breadth`` continuations per level add up to ``breadth`` answers).

    Both select through the same check; the ratio comes out of the two quality formulas, with
    no efficiency parameter. Capped at :data:`MOST_SAMPLES` ÷ breadth where best-of-N never
    gets there (its accuracy plateaus below the tree's).
    """
    tree = predict(rules, strategy="tree_search", breadth=breadth, depth=depth, **setting)

    def best_of(n: int) -> float:
        return predict(rules, strategy="best_of_n_verifier", samples=n, **setting).accuracy

    low, high = 1, 2
    while best_of(high) < tree.accuracy:
        if high >= MOST_SAMPLES:
            return MOST_SAMPLES / breadth
        low, high = high, min(2 * high, MOST_SAMPLES)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if best_of(middle) < tree.accuracy else (low, middle)
    return high / breadth


def _pretraining_margin(rules: RuleSet, difficulty: str) -> float:
    """Larger tier answering once minus the smaller one with FLOPs-matched best-of-N.

    Llama 3.1 70B has 8.75× the parameters of 8B: nine samples of 8B cost about one 70B answer.
    """
    small = predict(rules, task="math", difficulty=difficulty, tier="llama-3.1-8b",
                    strategy="best_of_n_verifier", samples=9,
                    verifiability="verifiable_steps").accuracy
    large = predict(rules, task="math", difficulty=difficulty, tier="llama-3.1-70b",
                    strategy="single_pass").accuracy
    return large - small


def _fine_tuned_gain(rules: RuleSet, option: str, family: str, size: int,
                     base_accuracy: float) -> float:
    """What the rules' training ``option`` of ``size`` adds to a tier at ``base_accuracy``."""
    shifted = shifted_logit(rules.training_option(option), size, family,
                            float(q.logit(base_accuracy)))
    return float(q.sigmoid(shifted)) - base_accuracy


def _distilled(rules: RuleSet, base_accuracy: float, teacher_accuracy: float, fit: str
               ) -> float:
    """A student after distillation: the fitted share of the log-odds gap to its teacher."""
    pair = FITS[fit]
    student, teacher = q.logit(pair["student"]), q.logit(pair["teacher"])
    share = float((q.logit(pair["distilled"]) - student) / (teacher - student))
    base = float(q.logit(base_accuracy))
    return float(q.sigmoid(base + share * (float(q.logit(teacher_accuracy)) - base)))


def _effort_held_out(rules: RuleSet, benchmark: str, model: str, effort: str) -> float:
    """``model``'s score at ``effort`` from its medium score and the *other* models' published
    effort curves on ``benchmark`` (its own curve left out everywhere)."""
    scores = next(r for r in rules.benchmarks[benchmark].effort if r.model == model)
    slope = slope_for(rules, benchmark, model, leave_out=model)
    setting = rules.settings.thinking_effort
    tokens = getattr(setting, effort) / setting.medium
    return float(q.sigmoid(q.logit(scores.medium) + slope.shift(1000 * tokens, 1000)))


def _cascade(rules: RuleSet, first: float, second: float, *, what: str, task: str,
             difficulty: str, verifiability: str) -> float:
    """A cascade from a model of single-answer accuracy ``first`` to one of ``second`` at a
    level: its quality as a share of the second's (``what: quality_share``) or the share of
    queries it escalates (``what: escalated``), from the engine's cascade formula."""
    workload = Workload.of(rules, {"task_type": task, "difficulty": difficulty,
                                   "verifiability": verifiability})
    check = verifier_of(workload, rules)
    quality, escalated = q.cascade(np.array([first]), np.array([second]),
                                   dispersion_of(workload, rules), check.recall,
                                   check.false_accept)
    return float(quality[0] / second if what == "quality_share" else escalated[0])


def _cost_of_pass_ratio(rules: RuleSet, *, strategy: str, **setting: Any) -> float:
    """Cost per correct answer of ``strategy`` over that of a single pass on the same tier
    (Erol et al. 2025's cost-of-pass): above 1, the strategy does not pay on it."""
    def per_correct(point) -> float:
        return point.cost_usd / point.accuracy
    values = {k: v for k, v in setting.items() if k in ("samples", "rounds", "breadth", "depth")}
    common = {k: v for k, v in setting.items() if k not in values}
    return (per_correct(predict(rules, strategy=strategy, **values, **common))
            / per_correct(predict(rules, strategy="single_pass", **common)))


def _retrieval_recall(rules: RuleSet, *, strategy: str, chunks: int) -> float:
    """Share of questions whose passage ``strategy`` finds among ``chunks`` retrieved, from its
    retrieval block's recall curve."""
    chosen = next(s for s in rules.strategies if s.id == strategy)
    if chosen.retrieval is None:
        raise ValueError(f"'{strategy}' does not retrieve")
    r = chosen.retrieval
    return float(q.retrieval_recall(chunks, at_reference=r.recall_at_reference,
                                    reference=r.reference_chunks, maximum=r.recall_maximum,
                                    decay=r.recall_decay))


MEASURES: dict[str, Callable[..., float]] = {
    "accuracy": _accuracy, "gain": _gain, "coverage": _coverage,
    "search_efficiency": _search_efficiency, "pretraining_margin": _pretraining_margin,
    "fine_tuned_gain": _fine_tuned_gain, "distilled": _distilled,
    "effort_held_out": _effort_held_out, "cascade": _cascade,
    "cost_of_pass_ratio": _cost_of_pass_ratio, "retrieval_recall": _retrieval_recall}


def load_cases(path: Path = TABLE) -> tuple[Case, ...]:
    """The table's rows (package data, read with ``yaml.safe_load``): a list, or a mapping
    whose ``cases`` are the rows."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data["cases"] if isinstance(data, dict) else data
    return tuple(Case(**row) for row in rows)


def load_fits(path: Path = TRAINING_TABLE) -> dict[str, dict[str, Any]]:
    """The published pairs the training table's shares are fitted to (never one of its rows)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["fits"]


CASES = load_cases()
TRAINING_CASES = load_cases(TRAINING_TABLE)
FITS = load_fits()


def _shown(value: float, unit: str) -> str:
    if unit == "accuracy":
        return f"{value:.1%}"
    if unit == "gain":
        return f"{value * 100:+.1f} points"
    if unit == "ratio":
        return f"{value:.2g}×"
    return f"{value:+.3f}"


def replicate(rules: RuleSet, cases: tuple[Case, ...] = CASES) -> list[Row]:
    """Every case with its prediction under ``rules`` and whether it holds."""
    rows = []
    for case in cases:
        value = case.predicted(rules)
        if case.relation == "about":
            holds = abs(value - case.published) <= case.tolerance + 1e-9
            published = _shown(case.published, case.unit) + (
                f" ± {_shown(case.tolerance, case.unit).lstrip('+')}" if case.tolerance else "")
        else:
            holds = value > case.published if case.relation == "above" else value < case.published
            word = "more than" if case.relation == "above" else "less than"
            published = f"{word} {_shown(case.published, case.unit).lstrip('+')}"
        rows.append(Row(case.paper, case.setting, published, _shown(value, case.unit), holds,
                        case.checked))
    return rows
