"""Cost, latency and expected quality of every candidate configuration, as numpy columns.

A candidate is (strategy, its parameter values, model tier, base or fine-tuned, and for a
reasoning tier its thinking effort). Its figures depend only on the workload (task type, token
shape, verifiability) and the rules, never on the budgets, so a :class:`CandidateTable` is built
once per workload and reused by every recommendation, batch, decision map and probe.

Tokens (P prompt, A answer, V visible reasoning per answer, H hidden thinking per call, J judge
verdict; O = A + V + H written per full answer). A non-reasoning tier writes the task's ordinary
reasoning (V = ``reasoning_tokens``, or the chain-of-thought budget); a reasoning tier thinks
H = ``thinking_tokens`` × its ``thinking_scale`` × the effort's multiple on **every** call it
makes, voting, search, judging and refinement included. Prices per 1M tokens;
``t(O) = time_to_first_token + O / output_tokens_per_s``.

- single pass / chain of thought: one call writing O.
- majority vote / verified sampling (k): k parallel calls; the prompt is read once at the input
  price and k − 1 times cached; latency one call. A judge (external_judge) is a call per
  candidate reading P + A + V and writing J (+ H on a reasoning tier), in parallel.
- tree search (breadth b, depth d): d sequential levels of b calls, each writing a step of
  (A + V) / d plus its own thinking H; partial traces re-read as fresh input b·(A + V)·(d − 1)/2;
  a check (or judge call) per step; latency d · (call + check).
- refinement (R rounds): 1 + 2R sequential calls (draft, then critique + rewrite per round), each
  writing O and re-reading the prompt (cached) and the previous draft.

Quality comes from :mod:`advisor.engine.quality`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np

from advisor.engine import quality as q
from advisor.engine.anchors import tier_accuracy
from advisor.model.rules import ModelTier, RuleSet, Settings, Strategy, Verifier

EFFORTS = ("low", "medium", "high")
COST_DECIMALS = 9
QUALITY_DECIMALS = 4
LATENCY_DECIMALS = 4


@dataclass(frozen=True)
class Workload:
    """What one query of the user's task looks like: its family and token shape."""

    task_type: str
    family: str
    verifiability: str
    prompt_tokens: int
    answer_tokens: int
    reasoning_tokens: int
    thinking_tokens: int
    inference_gain: float = 1.0
    difficulty: str = ""
    measured_model: str | None = None
    measured_accuracy: float | None = None
    measured_dispersion: float | None = None

    @classmethod
    def of(cls, rules: RuleSet, answers: dict[str, Any], inference_gain: float = 1.0) -> Workload:
        """The workload of ``answers``: the task's token shape with the answers' overrides, its
        difficulty level, and the user's own measurement if any."""
        task = rules.tasks[answers["task_type"]]
        return cls(answers["task_type"], task.family, answers["verifiability"],
                   answers.get("prompt_tokens") or task.prompt_tokens,
                   answers.get("answer_tokens") or task.answer_tokens,
                   task.reasoning_tokens, task.thinking_tokens, inference_gain,
                   task.level(answers.get("difficulty")).id, answers.get("measured_model"),
                   answers.get("measured_accuracy"), answers.get("measured_dispersion"))

    @property
    def measured(self) -> tuple[str, float] | None:
        if self.measured_model is None or self.measured_accuracy is None:
            return None
        return self.measured_model, self.measured_accuracy


@dataclass(frozen=True)
class Serving:
    """A model tier as served: base, or its fine-tuned variant."""

    model_id: str
    model_name: str
    tier: ModelTier
    fine_tuned: bool
    input_per_1m: float
    output_per_1m: float
    cached_input_per_1m: float
    training_cost_usd: float
    calibrated: bool
    quality_logit: float
    tier_logit: float  # the base tier's, before any fine-tune

    @property
    def base_model(self) -> str | None:
        return self.tier.id if self.fine_tuned else None

    def call_seconds(self, output_tokens: np.ndarray | float) -> np.ndarray:
        """Latency of one call writing ``output_tokens``."""
        return self.tier.time_to_first_token_s + np.asarray(output_tokens) / \
            self.tier.output_tokens_per_s

    def usd(self, input_tokens, cached_tokens, output_tokens) -> np.ndarray:
        """Price of tokens; cached tokens cost the input price where there is no caching."""
        return (np.asarray(input_tokens) * self.input_per_1m
                + np.asarray(cached_tokens) * self.cached_input_per_1m
                + np.asarray(output_tokens) * self.output_per_1m) / 1e6


def _fine_tuned_name(name: str) -> str:
    """``GPT-4o mini (fine-tuned)``; ``Llama 3.1 8B (hosted, fine-tuned)`` for a name that
    already ends in parentheses."""
    if name.endswith(")") and "(" in name:
        return f"{name[:-1]}, fine-tuned)"
    return f"{name} (fine-tuned)"


def servings(model: ModelTier, family: str, accuracy: float) -> list[Serving]:
    """The base tier and, if it can be fine-tuned, its fine-tuned variant.

    ``accuracy`` is the tier's single-pass accuracy on the user's task
    (:mod:`advisor.engine.anchors`).
    """
    anchor = float(q.logit(accuracy))
    cached = model.input_per_1m if model.cached_input_per_1m is None else model.cached_input_per_1m
    base = Serving(model.id, model.name, model, False, model.input_per_1m, model.output_per_1m,
                   cached, 0.0, model.calibrated, anchor, anchor)
    ft = model.fine_tune
    if ft is None:
        return [base]
    tuned = Serving(f"{model.id}-ft", _fine_tuned_name(model.name), model, True, ft.input_per_1m,
                    ft.output_per_1m,
                    ft.input_per_1m if ft.cached_input_per_1m is None else ft.cached_input_per_1m,
                    ft.run_cost_usd, ft.calibrated or model.calibrated,
                    anchor + ft.gain_logit[family], anchor)
    return [base, tuned]


@dataclass
class _Row:
    """One candidate while the table is assembled."""

    strategy: Strategy
    parameters: dict[str, int]
    serving: Serving
    effort: str | None
    visible: float        # V: visible reasoning per answer
    hidden: float         # H: hidden thinking per call
    calls: float = 0
    input_tokens: float = 0
    cached_tokens: float = 0
    output_tokens: float = 0
    cost: float = 0
    latency: float = 0


def _hidden_thinking(workload: Workload, tier: ModelTier, effort: str | None,
                     settings: Settings) -> float:
    if effort is None:
        return 0.0
    return (workload.thinking_tokens * tier.thinking_scale
            * getattr(settings.thinking_effort, effort))


def _rows(rules: RuleSet, workload: Workload) -> list[_Row]:
    rows = []
    accuracy = tier_accuracy(rules, workload.task_type, workload.difficulty, workload.measured)
    for model in rules.models:
        for serving in servings(model, workload.family, accuracy[model.id]):
            for effort in (EFFORTS if model.reasoning else (None,)):
                hidden = _hidden_thinking(workload, model, effort, rules.settings)
                for strategy in rules.strategies:
                    if strategy.kind == "chain_of_thought" and model.reasoning:
                        continue  # a reasoning tier's chain of thought is its thinking effort
                    names = list(strategy.parameters)
                    for values in product(*(strategy.parameters[n] for n in names)):
                        params = dict(zip(names, values))
                        visible = 0.0 if model.reasoning else float(workload.reasoning_tokens)
                        if strategy.kind == "chain_of_thought":
                            if params["thinking_tokens"] <= workload.reasoning_tokens:
                                continue  # not more reasoning than the model writes anyway
                            visible = float(params["thinking_tokens"])
                        rows.append(_Row(strategy, params, serving, effort, visible, hidden))
    return rows


def _price(row: _Row, workload: Workload, verifier: Verifier) -> None:
    """Fill in calls, tokens, cost and latency of one row (see the module docstring)."""
    P, A, V, H = workload.prompt_tokens, workload.answer_tokens, row.visible, row.hidden
    s, kind = row.serving, row.strategy.kind
    out = A + V + H
    judge = verifier.judge_output_tokens
    judge_out = judge + H if judge else 0
    judge_in = P + A + V
    judge_seconds = float(s.call_seconds(judge_out)) if judge else 0.0
    check_seconds = verifier.latency_s + judge_seconds
    if kind in ("single_pass", "chain_of_thought"):
        row.calls, row.input_tokens, row.output_tokens = 1, P, out
        row.latency = float(s.call_seconds(out))
    elif kind in ("majority_vote", "verified_sampling"):
        k = row.parameters["samples"]
        (row.calls, row.input_tokens, row.cached_tokens,
         row.output_tokens) = k, P, (k - 1) * P, k * out
        row.latency = float(s.call_seconds(out))
        if kind == "verified_sampling":
            row.latency += check_seconds
            if judge:
                row.calls += k
                row.input_tokens += k * judge_in
                row.output_tokens += k * judge_out
    elif kind == "tree_search":
        b, d = row.parameters["breadth"], row.parameters["depth"]
        step = (A + V) / d
        calls = b * d
        row.calls = calls
        row.input_tokens = P + b * (A + V) * (d - 1) / 2
        row.cached_tokens = (calls - 1) * P
        row.output_tokens = calls * (step + H)
        row.latency = d * (float(s.call_seconds(step + H)) + check_seconds)
        if judge:
            row.calls += calls
            row.input_tokens += calls * (P + step)
            row.output_tokens += calls * judge_out
    elif kind == "refinement":
        rounds = row.parameters["rounds"]
        calls = 1 + 2 * rounds
        row.calls = calls
        row.input_tokens = P + 2 * rounds * (A + V)
        row.cached_tokens = 2 * rounds * P
        row.output_tokens = calls * out
        row.latency = calls * float(s.call_seconds(out))
    else:  # pragma: no cover - the schema restricts kinds
        raise AssertionError(f"unhandled strategy kind {kind}")
    row.cost = float(s.usd(row.input_tokens, row.cached_tokens, row.output_tokens))


def _qualities(rows: list[_Row], workload: Workload, rules: RuleSet
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(expected quality, trained quality, trained quality of the base tier) of every row."""
    settings = rules.settings
    curve = rules.families[workload.family]
    shift = dict(gain=curve.thinking_gain, half=curve.thinking_half_tokens)
    anchor = np.array([r.serving.quality_logit for r in rows])
    tier_anchor = np.array([r.serving.tier_logit for r in rows])
    tiers = {id(r.serving.tier): r.serving.tier for r in rows}
    # Per tier once: pydantic attribute reads cost more than the arithmetic over 1,000 rows.
    medium_of = {key: _hidden_thinking(workload, tier, "medium", settings) if tier.reasoning
                 else 0.0 for key, tier in tiers.items()}
    skill = np.array([r.serving.tier.thinking_skill for r in rows])
    reasoning = np.array([r.serving.tier.reasoning for r in rows])
    medium = np.array([medium_of[id(r.serving.tier)] for r in rows])
    ordinary = float(workload.reasoning_tokens)
    anchor_tokens = np.where(reasoning, medium, ordinary)
    per_answer = np.array([r.hidden if r.serving.tier.reasoning else r.visible for r in rows])
    default = np.array([r.hidden if r.serving.tier.reasoning else ordinary for r in rows])

    def at(base: np.ndarray, tokens: np.ndarray | float) -> np.ndarray:
        return q.sigmoid(base + q.reasoning_shift(tokens, anchor_tokens, skill=skill, **shift))

    mean, single = at(anchor, per_answer), at(anchor, default)
    trained, tier_trained = at(anchor, ordinary), at(tier_anchor, ordinary)
    quality = _strategy_qualities(rows, mean, workload, rules)
    quality = single + workload.inference_gain * (quality - single)
    if curve.knowledge_bound:
        # What some tier knows, answering once: sampling and search find answers a model
        # sometimes gives, never knowledge no model has.
        known = float(np.max(np.where([not r.serving.fine_tuned for r in rows], single, 0.0)))
        quality = np.minimum(quality, np.maximum(single, known))
    return np.clip(quality, 0.0, 1.0), trained, tier_trained


def dispersion_of(workload: Workload, rules: RuleSet) -> float:
    """α + β of per-problem success rates: the user's fit, else the level's, else the family's."""
    level = rules.tasks[workload.task_type].level(workload.difficulty)
    return (workload.measured_dispersion or level.dispersion
            or rules.families[workload.family].dispersion)


def _strategy_qualities(rows: list[_Row], mean: np.ndarray, workload: Workload,
                        rules: RuleSet) -> np.ndarray:
    """Quality of every row from its per-answer quality ``mean`` and its strategy.

    Why the weights once: rows of every strategy share the same few per-answer qualities (one
    per tier, effort and fine-tune), and the Beta weights of a quality are most of the cost.
    """
    curve = rules.families[workload.family]
    verifier = rules.settings.verifiers[workload.verifiability]
    quality = mean.copy()
    sampled = np.array([r.strategy.kind not in ("single_pass", "chain_of_thought",
                                                "refinement") for r in rows])
    if sampled.any():
        means, which = np.unique(mean[sampled], return_inverse=True)
        weights = q.problem_weights(means, dispersion_of(workload, rules))
        baseline = weights @ q.P_GRID
        where = np.flatnonzero(sampled)
        row_of = dict(zip(where.tolist(), which.reshape(-1).tolist()))
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        if r.strategy.kind not in ("single_pass", "chain_of_thought"):
            groups.setdefault((r.strategy.id, tuple(r.parameters.items())), []).append(i)
    for (_, params), members in groups.items():
        strategy = rows[members[0]].strategy
        index = np.array(members)
        values = dict(params)
        if strategy.kind == "refinement":
            gain = getattr(curve.refine_gain, workload.verifiability)
            quality[index] = q.refined(mean[index], values["rounds"], gain_logit=gain,
                                       decay=strategy.curve.round_decay)
            continue
        if strategy.kind == "majority_vote":
            shape = q.vote_curve(values["samples"], curve.top_wrong_share)
        else:
            samples = (values["samples"] if strategy.kind == "verified_sampling" else
                       q.search_samples(values["breadth"], values["depth"],
                                        strategy.curve.search_efficiency_max))
            shape = q.verified_curve(samples, verifier.recall, verifier.false_accept)[0]
        cells = np.array([row_of[i] for i in members])
        quality[index] = mean[index] + weights[cells] @ shape - baseline[cells]
    return quality


@dataclass(frozen=True)
class Columns:
    """A subset of a table's candidates as contiguous arrays (what selection reads)."""

    index: np.ndarray
    cost: np.ndarray
    latency: np.ndarray
    quality: np.ndarray
    rank: np.ndarray
    strategy_index: np.ndarray
    training_cost: np.ndarray
    calibrated: np.ndarray

    @classmethod
    def of(cls, table: CandidateTable, index: np.ndarray) -> Columns:
        return cls(index, *(np.ascontiguousarray(column[index]) for column in (
            table.cost, table.latency, table.quality, table.rank, table.strategy_index,
            table.training_cost, table.calibrated)))


@dataclass
class CandidateTable:
    """Every candidate for one workload, as numpy columns for fast selection.

    Figures are rounded once here (cost to 1e-9 USD, quality to 1e-4, latency to 1e-4 s), and
    selection, the result and every renderer use these same numbers.
    """

    workload: Workload
    strategies: list[Strategy]
    servings: list[Serving]
    strategy_index: np.ndarray
    serving_index: np.ndarray
    parameters: list[dict[str, int]]
    efforts: list[str | None]
    calls: np.ndarray
    tokens: np.ndarray
    cost: np.ndarray
    latency: np.ndarray
    quality: np.ndarray
    trained_quality: np.ndarray
    training_cost: np.ndarray
    fine_tuned: np.ndarray
    calibrated: np.ndarray
    tier_trained_quality: np.ndarray
    single_base: np.ndarray
    spends_inference: np.ndarray
    rank: np.ndarray = field(init=False)
    strategy_ids: list[str] = field(init=False)
    baseline_pool: np.ndarray = field(init=False)
    selectable: np.ndarray = field(init=False)
    pruned: Columns = field(init=False)
    baselines: Columns = field(init=False)
    baselines_by_cost: Columns = field(init=False)
    fine_tune_costs: np.ndarray = field(init=False)
    cache: dict = field(init=False, default_factory=dict)  # see memo

    def __post_init__(self) -> None:
        # Tie-break after cost: faster, then better, then catalogue order.
        order = np.lexsort((np.arange(len(self.cost)), -self.quality, self.latency))
        self.rank = np.empty_like(order)
        self.rank[order] = np.arange(len(order))
        self.strategy_ids = [self.strategies[i].id for i in self.strategy_index]
        # The baseline answers once with ordinary reasoning, so all its quality is training's.
        plain = self.single_base & (self.quality == self.trained_quality)
        self.baseline_pool = plain if plain.any() else self.single_base
        self.selectable = self._undominated()
        self.pruned = Columns.of(self, self.selectable)
        self.baselines = Columns.of(self, np.flatnonzero(self.baseline_pool))
        by_cost = np.lexsort((self.rank, self.cost))
        self.baselines_by_cost = Columns.of(self, by_cost[self.baseline_pool[by_cost]])
        self.fine_tune_costs = np.unique(self.training_cost[self.fine_tuned])

    def _undominated(self) -> np.ndarray:
        """Candidates the objective can ever pick: within each group of candidates the rules and
        budgets treat alike (same strategy, training cost, calibration, baseline eligibility),
        drop any that another beats or equals on quality, cost and latency (and on rank when all
        three tie).

        Why it is safe: every step of the objective prefers higher quality, lower cost, lower
        latency and lower rank, so a dominated candidate is never the first choice when its
        dominator is allowed, and the group guarantees the dominator is allowed too.
        """
        keep = np.ones(len(self.cost), dtype=bool)
        # One integer per group (np.unique over rows of a 2-D array sorts far slower).
        _, run = np.unique(self.training_cost, return_inverse=True)
        group = ((self.strategy_index * (run.max() + 1) + run.reshape(-1)) * 4
                 + self.calibrated * 2 + self.baseline_pool)
        for g in np.unique(group):
            members = np.flatnonzero(group == g)
            q, c, t, r = (self.quality[members], self.cost[members], self.latency[members],
                          self.rank[members])
            no_worse = ((q[:, None] >= q[None, :]) & (c[:, None] <= c[None, :])
                        & (t[:, None] <= t[None, :]))
            better = ((q[:, None] > q[None, :]) | (c[:, None] < c[None, :])
                      | (t[:, None] < t[None, :]) | (r[:, None] < r[None, :]))
            dominated = (no_worse & better).any(axis=0)
            keep[members[dominated]] = False
        return np.flatnonzero(keep)

    def __len__(self) -> int:
        return len(self.cost)

    def serving(self, index: int) -> Serving:
        return self.servings[self.serving_index[index]]

    def strategy(self, index: int) -> Strategy:
        return self.strategies[self.strategy_index[index]]

    def configuration(self, index: int) -> dict[str, Any]:
        """The :class:`~advisor.model.result.Configuration` fields of one candidate."""
        strategy, serving = self.strategy(index), self.serving(index)
        return {"strategy": strategy.id, "strategy_name": strategy.name,
                "model": serving.model_id, "model_name": serving.model_name,
                "fine_tuned": serving.fine_tuned, "parameters": self.parameters[index],
                "thinking_effort": self.efforts[index]}

    def memo(self, key: tuple, build: Callable[[], Any]) -> Any:
        """``build()`` computed once per table and ``key``, then reused: what the engine and
        the analyses derive from one workload's candidates (masks per class of profiles,
        estimate fields, frontier levels), as :meth:`RuleSet.memo` is for the rules."""
        try:
            return self.cache[key]
        except KeyError:
            value = self.cache[key] = build()
            return value


def build_table(rules: RuleSet, workload: Workload) -> CandidateTable:
    """All candidates of a workload (see the module docstring for the formulas)."""
    rows = _rows(rules, workload)
    verifier = rules.settings.verifiers[workload.verifiability]
    for row in rows:
        _price(row, workload, verifier)
    quality, trained, tier_trained = _qualities(rows, workload, rules)
    serving_list: list[Serving] = []
    serving_of: dict[str, int] = {}
    for row in rows:
        serving_of.setdefault(row.serving.model_id, len(serving_list))
        if len(serving_list) < len(serving_of):
            serving_list.append(row.serving)
    strategy_of = {s.id: i for i, s in enumerate(rules.strategies)}
    kinds = [r.strategy.kind for r in rows]
    single_pass = np.array([k == "single_pass" for k in kinds])
    fine_tuned = np.array([r.serving.fine_tuned for r in rows])
    reasoning_extra = np.array([r.serving.tier.reasoning and r.hidden > workload.reasoning_tokens
                                for r in rows])
    return CandidateTable(
        workload=workload, strategies=list(rules.strategies), servings=serving_list,
        strategy_index=np.array([strategy_of[r.strategy.id] for r in rows]),
        serving_index=np.array([serving_of[r.serving.model_id] for r in rows]),
        parameters=[r.parameters for r in rows], efforts=[r.effort for r in rows],
        calls=np.array([r.calls for r in rows], dtype=float),
        tokens=np.round([r.input_tokens + r.cached_tokens + r.output_tokens for r in rows], 1),
        cost=np.round([r.cost for r in rows], COST_DECIMALS),
        latency=np.round([r.latency for r in rows], LATENCY_DECIMALS),
        quality=np.round(quality, QUALITY_DECIMALS),
        trained_quality=np.round(trained, QUALITY_DECIMALS),
        tier_trained_quality=np.round(tier_trained, QUALITY_DECIMALS),
        training_cost=np.round([r.serving.training_cost_usd for r in rows], 2),
        fine_tuned=fine_tuned,
        calibrated=np.array([r.serving.calibrated for r in rows]),
        single_base=single_pass & ~fine_tuned,
        spends_inference=~single_pass | reasoning_extra)


def candidate_table(rules: RuleSet, workload: Workload) -> CandidateTable:
    """The candidate table of a workload, built once per rule set."""
    return rules.memo(("candidates", workload), lambda: build_table(rules, workload))
