"""One point of a scaling curve, with any parameter value: check a number against a paper.

``python -m advisor curve`` prints what :func:`predict` returns. It uses the formulas the engine
uses (:mod:`advisor.engine.quality`, :mod:`advisor.engine.costs`), but takes any positive number of
samples, branches, levels, rounds or thinking tokens (a paper's 250 or 10,000 samples), not only
the values the strategy catalogue offers, and either a model tier or a bare single-pass accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from advisor.engine import quality as q
from advisor.engine.anchors import anchor_source, tier_accuracy
from advisor.engine.costs import (Workload, candidate_table, dispersion_of, hidden_thinking,
                                  trained_logit, verifier_of)
from advisor.engine.kinds import KINDS, Tokens, price
from advisor.engine.decide import firing
from advisor.engine.effort import tier_slope
from advisor.model.rules import KIND_PARAMETERS, RuleSet

MEANING = ("probability that one answer is correct (or acceptable, for open-ended work) on "
           "the task at this difficulty level")


@dataclass(frozen=True)
class Point:
    """Where one configuration lands (see :func:`predict`)."""

    accuracy: float
    single_pass: float
    coverage: float | None
    dispersion: float
    cost_usd: float | None
    latency_s: float | None
    tokens_per_query: float | None


def coverage(accuracy: float, dispersion: float, attempts: float) -> float:
    """Share of problems solved by at least one of ``attempts`` tries (an oracle's pass@k).

    ``1 − E[(1 − p)^k]`` over p ~ Beta(μκ, (1 − μ)κ), in closed form:
    ``1 − B(α, β + k) / B(α, β)`` (Schaeffer et al. 2025, arXiv 2502.17578).
    """
    a, b = accuracy * dispersion, (1 - accuracy) * dispersion
    return float(1 - np.exp(special.betaln(a, b + attempts) - special.betaln(a, b)))


def _parameters(kind: str, given: dict[str, int | None]) -> dict[str, int]:
    wanted = KIND_PARAMETERS[kind]
    missing = [name for name in wanted if given.get(name) is None]
    if missing:
        raise ValueError(f"a '{kind}' strategy needs "
                         f"{', '.join('--' + m.replace('_', '-') for m in missing)}")
    for name in wanted:
        if given[name] < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be a positive whole number")
    return {name: int(given[name]) for name in wanted}


def predict(rules: RuleSet, *, task: str, strategy: str, difficulty: str | None = None,
            tier: str | None = None, base_accuracy: float | None = None,
            base_tokens: float | None = None, effort: str = "medium",
            verifiability: str = "none", **parameters: int | None) -> Point:
    """Accuracy (and, for a tier, cost and latency) of one configuration.

    Args:
        task, difficulty: the task type and one of its levels (None: the default level).
        strategy: a strategy id from the catalogue; its kind decides the formula.
        tier: a model tier id, anchored at the level; or ``base_accuracy``: the single-pass
            accuracy of a model trained to reason (thinking_skill 1) that thought
            ``base_tokens`` tokens per answer (default: the task's thinking_tokens).
        parameters: samples, breadth, depth, rounds, thinking_tokens, chunks; any positive value.
            ``thinking_tokens`` is the reasoning per answer (hidden on a reasoning tier).
    """
    if (tier is None) == (base_accuracy is None):
        raise ValueError("give exactly one of a tier or a base accuracy")
    level = rules.tasks[task].level(difficulty)
    chosen = rules.strategy(strategy)
    values = _parameters(chosen.kind, parameters)
    thinking = parameters.get("thinking_tokens")
    workload = Workload.of(rules, {"task_type": task, "verifiability": verifiability,
                                   "difficulty": level.id})
    if tier is not None:
        single = _tier_single_pass(rules, workload, tier, effort=effort, thinking=thinking)
    else:
        single = _base_single_pass(rules, workload, base_accuracy, base_tokens=base_tokens,
                                   thinking=thinking)
    dispersion = dispersion_of(workload, rules)
    accuracy, attempts = _strategy_accuracy(rules, chosen, values, single, workload, dispersion)
    accuracy = single + _rules_gain(rules, workload) * (accuracy - single)
    if KINDS[chosen.kind].recall is None:  # a retrieval reads what no tier knows
        accuracy = _within_knowledge(rules, workload, accuracy, single)
    cost = latency = tokens_used = None
    if tier is not None:
        cost, latency, tokens_used = _priced(rules, workload, rules.model(tier), chosen, values,
                                             effort, thinking)
    return Point(accuracy=round(float(accuracy), 4), single_pass=round(single, 4),
                 coverage=(round(coverage(single, dispersion, attempts), 4)
                           if attempts is not None else None),
                 dispersion=dispersion, cost_usd=cost, latency_s=latency,
                 tokens_per_query=tokens_used)


def _tier_single_pass(rules: RuleSet, workload: Workload, tier: str, *, effort: str,
                      thinking: int | None) -> float:
    """Single-pass accuracy of a tier at the level, thinking ``thinking`` tokens (or its effort).

    The tier's anchor is its accuracy at medium effort (a reasoning tier's hidden thinking)
    or with the task's visible reasoning; other amounts of thinking shift a reasoning tier
    along its published effort curve (:mod:`advisor.engine.effort`), an ordinary tier along
    the family's thinking curve.
    """
    model = rules.model(tier)
    anchor_p = tier_accuracy(rules, workload.task_type, workload.difficulty)[tier]
    if model.reasoning:
        anchor_tokens = hidden_thinking(workload, model, "medium", rules.settings)
        tokens = thinking or hidden_thinking(workload, model, effort, rules.settings)
        slope = tier_slope(rules, workload.task_type, workload.difficulty, tier)
        moved = float(q.sigmoid(q.logit(anchor_p) + slope.shift(tokens, anchor_tokens)))
        floor = trained_logit(model, float(q.logit(anchor_p)), workload, rules)
        return max(moved, float(q.sigmoid(floor)))  # never below its no-thinking score
    else:
        anchor_tokens = float(rules.tasks[workload.task_type].reasoning_tokens)
        tokens = thinking or anchor_tokens
    return _thought(rules, workload, anchor_p, tokens, anchor_tokens,
                    skill=model.thinking_skill)


def _base_single_pass(rules: RuleSet, workload: Workload, base_accuracy: float, *,
                      base_tokens: float | None, thinking: int | None) -> float:
    """Single-pass accuracy of a bare model trained to reason (thinking_skill 1) that scored
    ``base_accuracy`` thinking ``base_tokens`` (default: the task's thinking_tokens)."""
    anchor_tokens = float(base_tokens if base_tokens is not None
                          else rules.tasks[workload.task_type].thinking_tokens)
    return _thought(rules, workload, base_accuracy, thinking or anchor_tokens, anchor_tokens,
                    skill=1.0)


def _thought(rules: RuleSet, workload: Workload, anchor_p: float, tokens: float,
             anchor_tokens: float, *, skill: float) -> float:
    """``anchor_p`` (measured thinking ``anchor_tokens``) moved to ``tokens`` of thinking."""
    curve = rules.families[workload.family]
    return float(q.sigmoid(q.logit(anchor_p) + q.reasoning_shift(
        tokens, anchor_tokens, skill=skill, gain=curve.thinking_gain,
        half=curve.thinking_half_tokens)))


def _rules_gain(rules: RuleSet, workload: Workload) -> float:
    """How much of a strategy's gain the rules let through for this task (default answers
    otherwise), as the engine applies it."""
    answers = {question.field: question.default for question in rules.questions}
    answers.update(task_type=workload.task_type, verifiability=workload.verifiability,
                   difficulty=workload.difficulty)
    return firing(rules, answers).gain


def _within_knowledge(rules: RuleSet, workload: Workload, accuracy: float, single: float
                      ) -> float:
    """``accuracy`` capped, on knowledge-bound work, at the best single answer of any tier.

    Why: where a family's answers need knowledge a model lacks, sampling more of the same
    model cannot find it; the engine caps its candidates the same way.
    """
    if not rules.families[workload.family].knowledge_bound:
        return accuracy
    table = candidate_table(rules, workload)
    known = float(table.quality[table.single_base].max())
    return min(accuracy, max(single, known))


def _strategy_accuracy(rules: RuleSet, strategy, values: dict[str, int], single: float,
                       workload: Workload, dispersion: float) -> tuple[float, float | None]:
    """(accuracy, attempts an oracle would get, for sampling strategies) of one strategy, from
    the same registry of kinds the candidate table reads (:mod:`advisor.engine.kinds`)."""
    curve = rules.families[workload.family]
    verifier = verifier_of(workload, rules)
    kind = KINDS[strategy.kind]
    if kind.recall is not None:
        share = curve.closed_book_share
        if share is None or strategy.retrieval is None:
            raise ValueError(f"'{strategy.id}' reads your documents; the {workload.family} "
                             "family has no closed_book_share to answer without them")
        reading = q.sigmoid(q.logit(single) + strategy.retrieval.reading_gain_logit)
        return float(q.retrieved(share * single, reading,
                                 kind.recall(values, strategy.retrieval))), None
    if kind.refine is not None:
        return float(kind.refine(np.array([single]), values, curve, workload.verifiability,
                                 strategy.curve)[0]), None
    if kind.shape is None:
        return single, None
    shape = kind.shape(values, curve, verifier, strategy.curve)
    attempts = kind.attempts(values, strategy.curve) if kind.attempts else None
    return float(q.expected_gain(np.array([single]), dispersion, shape)[0]), attempts


def _priced(rules: RuleSet, workload: Workload, model, strategy, values: dict[str, int],
            effort: str, thinking: int | None) -> tuple[float, float, float]:
    hidden = hidden_thinking(workload, model, effort if model.reasoning else None,
                             rules.settings)
    visible = 0.0 if model.reasoning else float(workload.reasoning_tokens)
    if thinking:
        hidden, visible = (float(thinking), visible) if model.reasoning else (hidden,
                                                                               float(thinking))
    tokens = Tokens(workload.prompt_tokens, workload.answer_tokens, visible, hidden,
                    model.time_to_first_token_s, model.output_tokens_per_s,
                    verifier_of(workload, rules), strategy.retrieval)
    p = price(strategy.kind, tokens, values)
    cached = model.input_per_1m if model.cached_input_per_1m is None else model.cached_input_per_1m
    cost = (float(p.input_tokens) * model.input_per_1m + float(p.cached_tokens) * cached
            + float(p.output_tokens) * model.output_per_1m) / 1e6 + float(p.usd)
    used = float(p.input_tokens) + float(p.cached_tokens) + float(p.output_tokens)
    return round(cost, 9), round(float(p.latency), 4), round(used, 1)


def describe(rules: RuleSet, point: Point, *, task: str, difficulty: str | None,
             tier: str | None, strategy: str, verifiability: str,
             parameters: dict[str, Any]) -> dict[str, Any]:
    """``point`` as the JSON the CLI prints, with what each number means."""
    level = rules.tasks[task].level(difficulty)
    bench = rules.benchmarks[level.benchmark]
    return {
        "task_type": task, "difficulty": level.id, "difficulty_label": level.label,
        "benchmark": bench.name, "model": tier,
        "anchor": anchor_source(rules, task, level.id, tier) if tier else "your base accuracy",
        "strategy": strategy, "parameters": {k: v for k, v in parameters.items() if v is not None},
        "verifiability": verifiability, "accuracy": point.accuracy,
        "single_pass_accuracy": point.single_pass, "coverage": point.coverage,
        "dispersion": point.dispersion, "cost_usd": point.cost_usd, "latency_s": point.latency_s,
        "tokens_per_query": point.tokens_per_query,
        "meaning": {"accuracy": MEANING,
                    "coverage": "share of problems at least one attempt solves (an oracle "
                                "verifier's pass@k); null for strategies that do not sample",
                    "dispersion": "α + β of the Beta distribution of per-problem success rates"},
    }
