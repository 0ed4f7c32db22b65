"""Cost, latency and expected quality of every candidate configuration.

A candidate is (strategy, its parameter values, model tier, base or fine-tuned). Its numbers
depend only on the task type, the verifiability answer and the rules, never on the budgets, so a
:class:`CandidateTable` is built once per (task type, verifiability) and reused: the decision map
evaluates 2,500 budget pairs against one table.

Formulas (P prompt, A answer, R visible reasoning, H hidden thinking tokens; prices per 1M;
``t(O) = time_to_first_token + O / output_tokens_per_s``):

- single pass: one call, output ``A + H``.
- chain of thought (T): one call, output ``A + T + H``.
- quality: see :func:`figures`; majority vote approaches ``p + vote_gain·p·(ceiling - p)`` as
  ``k^-c`` (low single-sample accuracy gains little from voting).
- majority vote / verified sampling (k): k parallel calls of output ``O = A + R + H``; the prompt is
  read once at the input price and k-1 times at the cached-input price (prompt caching); latency is
  one call, since samples run in parallel. A judge (external_judge) reads prompt and candidate and
  writes a short verdict per candidate, in parallel.
- tree search (breadth b, depth d): d sequential levels of b branches, each a step of ``O / d``
  tokens; generated tokens ``b·O``; prompt re-read by every call (cached after the first), partial
  traces re-read as fresh input ``b·O·(d-1)/2``; latency ``d·ttft + O/tps`` plus a check per level.
- refinement (R rounds): ``1 + 2R`` sequential calls (draft, then critique + rewrite per round), each
  writing O; every call after the first re-reads the prompt (cached) and the previous draft.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import product

import numpy as np

from advisor.result import Configuration
from advisor.schema import FamilyCurve, ModelTier, RuleSet, Strategy, TaskProfile, Verifier

CONFIGURATION_FIELDS = tuple(Configuration.model_fields)


@dataclass(frozen=True)
class Serving:
    """The serving side of a model tier (base or fine-tuned)."""

    model_id: str
    model_name: str
    input_per_1m: float
    output_per_1m: float
    cached_input_per_1m: float | None
    output_tokens_per_s: float
    time_to_first_token_s: float
    thinking_tokens: int
    cot_gain_scale: float
    base_quality: float
    fine_tuned: bool = False
    base_model: str | None = None
    training_cost_usd: float = 0.0

    def call_seconds(self, output_tokens: float) -> float:
        """Latency of one call writing ``output_tokens``."""
        return self.time_to_first_token_s + output_tokens / self.output_tokens_per_s

    def usd(self, *, input_tokens: float = 0, cached_tokens: float = 0,
            output_tokens: float = 0) -> float:
        """Price of tokens; cached tokens cost the input price where there is no caching."""
        cached_price = (self.input_per_1m if self.cached_input_per_1m is None
                        else self.cached_input_per_1m)
        return (input_tokens * self.input_per_1m + cached_tokens * cached_price
                + output_tokens * self.output_per_1m) / 1e6


def servings(model: ModelTier, family: str, ceiling: float) -> list[Serving]:
    """The base tier and, if it can be fine-tuned, its fine-tuned variant."""
    base = Serving(model.id, model.name, model.input_per_1m, model.output_per_1m,
                   model.cached_input_per_1m, model.output_tokens_per_s,
                   model.time_to_first_token_s, model.thinking_tokens, model.cot_gain_scale,
                   min(model.quality[family], ceiling))
    if model.fine_tune is None:
        return [base]
    ft = model.fine_tune
    tuned = Serving(f"{model.id}-ft", f"{model.name} (fine-tuned)", ft.input_per_1m,
                    ft.output_per_1m, None, model.output_tokens_per_s,
                    model.time_to_first_token_s, model.thinking_tokens, model.cot_gain_scale,
                    min(model.quality[family] + ft.quality_gain[family], ceiling),
                    fine_tuned=True, base_model=model.id, training_cost_usd=ft.run_cost_usd)
    return [base, tuned]


@dataclass(frozen=True)
class Figures:
    """What one configuration costs and buys, per query."""

    cost_usd: float
    latency_s: float
    expected_quality: float
    calls: int
    output_tokens: float


def cot_quality(serving: Serving, family: FamilyCurve, thinking: float) -> float:
    """Single-sample quality with ``thinking`` visible reasoning tokens (saturating)."""
    p0 = serving.base_quality
    gain = family.cot_gain * serving.cot_gain_scale * (1 - math.exp(-thinking / family.cot_scale_tokens))
    return p0 + (family.ceiling - p0) * gain


def coverage(p: float, samples: float, exponent: float) -> float:
    """Share solved by at least one of ``samples`` samples: ``p ** (samples ** -exponent)``.

    Why this form: Large Language Monkeys (Brown et al. 2024) fit coverage over a population of
    problems with an exponentiated power law; with exponent 0.21 it reproduces their SWE-bench
    Lite figures (15.9% at 1 sample, 56% at 250).
    """
    if p <= 0:
        return 0.0
    return p ** (samples ** -exponent)


def figures(strategy: Strategy, params: dict[str, int], serving: Serving, task: TaskProfile,
            family: FamilyCurve, verifier: Verifier, verifiability: str) -> Figures:
    """Cost, latency and expected quality of one configuration (see the module docstring)."""
    P, A, R, H = task.prompt_tokens, task.answer_tokens, task.reasoning_tokens, serving.thinking_tokens
    kind, curve = strategy.kind, strategy.curve
    ceiling = family.ceiling
    if kind == "single_pass":
        out = A + H
        return Figures(serving.usd(input_tokens=P, output_tokens=out), serving.call_seconds(out),
                       serving.base_quality, 1, out)
    if kind == "chain_of_thought":
        thinking = params["thinking_tokens"]
        out = A + thinking + H
        return Figures(serving.usd(input_tokens=P, output_tokens=out), serving.call_seconds(out),
                       cot_quality(serving, family, thinking), 1, out)

    out = A + R + H
    p = cot_quality(serving, family, R)
    judge_cost = judge_seconds = 0.0
    if verifier.judge_output_tokens:
        judge_cost = serving.usd(input_tokens=P + out, output_tokens=verifier.judge_output_tokens)
        judge_seconds = serving.call_seconds(verifier.judge_output_tokens)
    check_seconds = verifier.latency_s + judge_seconds

    if kind in ("majority_vote", "verified_sampling"):
        k = params["samples"]
        cost = serving.usd(input_tokens=P, cached_tokens=(k - 1) * P, output_tokens=k * out)
        latency = serving.call_seconds(out)
        if kind == "majority_vote":
            acc_inf = min(p + family.vote_gain * p * (ceiling - p), ceiling)
            quality = acc_inf - (acc_inf - p) * k ** -curve.vote_exponent
            return Figures(cost, latency, quality, k, k * out)
        quality = p + (min(coverage(p, k, curve.coverage_exponent), ceiling) - p) * verifier.precision
        return Figures(cost + k * judge_cost, latency + check_seconds, quality,
                       k * (2 if judge_cost else 1), k * out)

    if kind == "tree_search":
        b, d = params["breadth"], params["depth"]
        calls = b * d
        cost = serving.usd(input_tokens=P + b * out * (d - 1) / 2, cached_tokens=(calls - 1) * P,
                           output_tokens=b * out) + calls * judge_cost
        latency = d * serving.time_to_first_token_s + out / serving.output_tokens_per_s \
            + d * check_seconds
        efficiency = 1 + (curve.search_efficiency_max - 1) * (1 - 1 / d)
        quality = p + (min(coverage(p, efficiency * b, curve.coverage_exponent), ceiling) - p) \
            * verifier.precision
        return Figures(cost, latency, quality, calls * (2 if judge_cost else 1), b * out)

    if kind == "refinement":
        rounds = params["rounds"]
        calls = 1 + 2 * rounds
        cost = serving.usd(input_tokens=P + 2 * rounds * out, cached_tokens=2 * rounds * P,
                           output_tokens=calls * out)
        delta = getattr(family.refine_gain, verifiability)
        quality = min(max(p + delta * (1 - curve.round_decay ** rounds), 0.0), ceiling)
        return Figures(cost, calls * serving.call_seconds(out), quality, calls, calls * out)
    raise AssertionError(f"unhandled strategy kind {kind}")  # schema restricts kinds


@dataclass(frozen=True)
class Candidate:
    """One configuration with its figures."""

    strategy: Strategy
    parameters: dict[str, int]
    serving: Serving
    figures: Figures


@dataclass
class CandidateTable:
    """Every candidate for one (task type, verifiability), with numpy columns for fast selection."""

    candidates: list[Candidate]
    cost: np.ndarray = field(init=False)
    latency: np.ndarray = field(init=False)
    quality: np.ndarray = field(init=False)
    strategy_ids: list[str] = field(init=False)
    fine_tuned: np.ndarray = field(init=False)
    light: np.ndarray = field(init=False)
    training_cost: np.ndarray = field(init=False)
    described: list[dict] = field(init=False)

    def __post_init__(self) -> None:
        self.cost = np.array([c.figures.cost_usd for c in self.candidates])
        self.latency = np.array([c.figures.latency_s for c in self.candidates])
        self.quality = np.array([c.figures.expected_quality for c in self.candidates])
        self.strategy_ids = [c.strategy.id for c in self.candidates]
        self.fine_tuned = np.array([c.serving.fine_tuned for c in self.candidates])
        self.light = np.array([c.strategy.light for c in self.candidates])
        self.training_cost = np.array([c.serving.training_cost_usd for c in self.candidates])
        # Why: the budget-independent half of every estimate, built once per table, not per query;
        # its first keys are the candidate's Configuration (see configuration()).
        self.described = [{
            "strategy": c.strategy.id, "strategy_name": c.strategy.name,
            "model": c.serving.model_id, "model_name": c.serving.model_name,
            "fine_tuned": c.serving.fine_tuned, "parameters": c.parameters,
            "calls": c.figures.calls, "cost_usd": round(c.figures.cost_usd, 8),
            "latency_s": round(c.figures.latency_s, 4),
            "expected_quality": round(c.figures.expected_quality, 4),
        } for c in self.candidates]

    def configuration(self, index: int) -> dict:
        """The :class:`~advisor.result.Configuration` fields of one candidate."""
        described = self.described[index]
        return {name: described[name] for name in CONFIGURATION_FIELDS}


def candidate_table(rules: RuleSet, task_type: str, verifiability: str) -> CandidateTable:
    """All candidates for a task type and verifiability, cached on the rule set."""
    key = ("candidates", task_type, verifiability)
    if key not in rules._memo:
        task = rules.tasks[task_type]
        family = rules.families[task.family]
        verifier = rules.settings.verifiers[verifiability]
        candidates = []
        for model in rules.models:
            for serving in servings(model, task.family, family.ceiling):
                for strategy in rules.strategies:
                    names = list(strategy.parameters)
                    for values in product(*(strategy.parameters[n] for n in names)):
                        params = dict(zip(names, values))
                        candidates.append(Candidate(strategy, params, serving, figures(
                            strategy, params, serving, task, family, verifier, verifiability)))
        rules._memo[key] = CandidateTable(candidates)
    return rules._memo[key]
