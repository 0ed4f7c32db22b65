"""Cost, latency and expected quality of every candidate configuration, as numpy columns.

A candidate is (strategy, its parameter values, model tier, base or fine-tuned, and for a
reasoning tier its thinking effort). Its figures depend only on the workload (task type, token
shape, verifiability) and the rules, never on the budgets, so a :class:`CandidateTable` is built
once per workload and reused by every recommendation, batch, decision map and probe.

Tokens (P prompt, A answer, V visible reasoning per answer, H hidden thinking per call): a
non-reasoning tier writes the task's ordinary reasoning (V = ``reasoning_tokens``, or the
chain-of-thought budget); a reasoning tier thinks H = ``thinking_tokens`` × its
``thinking_scale`` × the effort's multiple on **every** call it makes, voting, search, judging
and refinement included. What each strategy kind's calls cost is in :mod:`advisor.engine.kinds`
(the one registry of kinds); a served tier's variants — trained, calibrated — come from
:mod:`advisor.engine.training`.

Latency: every candidate has two, the time to the whole answer and the time to its first
visible token (:attr:`~advisor.engine.kinds.Priced.first_visible`, a reasoning tier's hidden
thinking included). The latency budget applies to the first when the answer streams
(``streaming``, part of the workload), else to the second; that one is the table's ``latency``,
so selection, the decision map, the probes and the analyses all read the same figure.

Knowledge in the user's documents (``knowledge_source: documents``, part of the workload, on a
family with a ``closed_book_share``): every candidate that does not retrieve answers closed-book,
keeping that share s of its quality (the questions general knowledge answers) and answering no
other, or for a supervised fine-tune on the documents s + (1 − s)·f (it learned the share f of
the facts general knowledge misses, the family's ``fine_tuned_share``); a retrieval candidate
with k chunks reads the right passage for the share recall(k) of questions and answers the rest
closed-book: ``recall · sigmoid(logit(q) + reading_gain) + (1 − recall) · s · q`` for its
tier's single-answer quality q. Retrieval rows exist only then,
so which candidates exist depends on the workload alone, never on a ranged number.

Quality comes from :mod:`advisor.engine.quality`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import product
from typing import Any

import numpy as np

from advisor.engine import quality as q
from advisor.engine.anchors import tier_accuracy
from advisor.engine.effort import tier_slope
from advisor.engine.kinds import KINDS, Tokens, price
from advisor.engine.training import (Run, calibration_cost, calibration_for, runs,
                                     shifted_logit, variant_id)
from advisor.model.rules import KIND_PARAMETERS, ModelTier, RuleSet, Settings, Strategy, Verifier

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
    calibrated_only: bool = False  # a rule requires calibrated confidence
    streaming: bool = False  # the budget applies to the first visible token, not the whole answer
    documents: bool = False  # the knowledge lives in the user's documents: retrieval applies

    @classmethod
    def of(cls, rules: RuleSet, answers: dict[str, Any], inference_gain: float = 1.0, *,
           calibrated_only: bool = False) -> Workload:
        """The workload of ``answers``: the task's token shape with the answers' overrides, its
        difficulty level, the user's own measurement if any, and whether only calibrated
        candidates count, whether the answer streams, and whether the knowledge lives in the
        user's documents (only on a family that says how much of it a model knows)."""
        task = rules.tasks[answers["task_type"]]
        source = getattr(answers.get("knowledge_source"), "value", answers.get("knowledge_source"))
        documents = (source == "documents"
                     and rules.families[task.family].closed_book_share is not None)
        return cls(answers["task_type"], task.family, answers["verifiability"],
                   answers.get("prompt_tokens") or task.prompt_tokens,
                   answers.get("answer_tokens") or task.answer_tokens,
                   task.reasoning_tokens, task.thinking_tokens, inference_gain,
                   task.level(answers.get("difficulty")).id, answers.get("measured_model"),
                   answers.get("measured_accuracy"), answers.get("measured_dispersion"),
                   calibrated_only, bool(answers.get("streaming")), documents)

    @property
    def measured(self) -> tuple[str, float] | None:
        if self.measured_model is None or self.measured_accuracy is None:
            return None
        return self.measured_model, self.measured_accuracy


@dataclass(frozen=True)
class Serving:
    """A model tier as served: as it comes, after a training run, calibrated, or both."""

    model_id: str
    model_name: str
    tier: ModelTier
    run: Run | None          # the run that changed its weights, if any
    calibration: str | None  # the calibration option it was calibrated with, if any
    input_per_1m: float
    output_per_1m: float
    cached_input_per_1m: float
    training_cost_usd: float
    calibrated: bool
    quality_logit: float     # at the tier's normal setting, after the run
    trained_logit: float     # without inference-time compute (a reasoning tier not thinking)
    tier_logit: float        # the tier's trained_logit before any run
    visible_tokens: float | None = None  # a fast student's reasoning, instead of the task's

    @property
    def fine_tuned(self) -> bool:
        """The weights were trained for the task (a fine-tune, distillation or RL)."""
        return self.run is not None

    @property
    def base_model(self) -> str | None:
        return self.tier.id if self.run is not None or self.calibration else None

    def call_seconds(self, output_tokens: np.ndarray | float) -> np.ndarray:
        """Latency of one call writing ``output_tokens``."""
        return self.tier.time_to_first_token_s + np.asarray(output_tokens) / \
            self.tier.output_tokens_per_s

    def usd(self, input_tokens, cached_tokens, output_tokens) -> np.ndarray:
        """Price of tokens; cached tokens cost the input price where there is no caching."""
        return (np.asarray(input_tokens) * self.input_per_1m
                + np.asarray(cached_tokens) * self.cached_input_per_1m
                + np.asarray(output_tokens) * self.output_per_1m) / 1e6


def _variant_name(name: str, *notes: str) -> str:
    """``GPT-4o mini (fine-tuned, 10,000 examples)``; ``Llama 3.1 8B (hosted, distilled …)``
    for a name that already ends in parentheses."""
    if not notes:
        return name
    joined = ", ".join(notes)
    if name.endswith(")") and "(" in name:
        return f"{name[:-1]}, {joined})"
    return f"{name} ({joined})"


def _run_note(run: Run, rules: RuleSet) -> str:
    if run.kind == "distillation":
        return f"distilled from {rules.model(run.option.teacher or '').name.split(' (')[0]}, " \
               f"{run.size_text}"
    if run.kind == "reinforcement_fine_tune":
        return f"RL fine-tuned, {run.size_text}"
    method = "full fine-tune" if run.option.training_price_multiple > 1 else "fine-tuned"
    return f"{method}, {run.size_text}"


def published_drops(model: ModelTier) -> dict[str, float]:
    """Log-odds a reasoning tier loses with its thinking off, by benchmark, as published
    (empty without ``without_thinking:``)."""
    if model.without_thinking is None:
        return {}
    return {name: float(q.logit(model.scores[name]) - q.logit(score))
            for name, score in model.without_thinking.scores.items()}


def without_thinking_drop(model: ModelTier, benchmark: str, family_of: dict[str, str]
                          ) -> float | None:
    """How many log-odds a reasoning tier loses on ``benchmark`` with its thinking off: the
    published drop there, else the average over its family's listed benchmarks; None when its
    family has none listed."""
    drops = published_drops(model)
    if benchmark in drops:
        return drops[benchmark]
    same = [d for name, d in drops.items() if family_of.get(name) == family_of.get(benchmark)]
    return sum(same) / len(same) if same else None


def trained_logit(model: ModelTier, anchor: float, workload: Workload, rules: RuleSet) -> float:
    """The log-odds of a correct answer a tier gives from its training alone: for a reasoning
    tier, without its thinking (its published no-thinking scores in the task's family where
    there are some, else the family's thinking curve at the task's ordinary reasoning, losing
    no more than its largest published drop), never below chance."""
    drop = None
    if model.reasoning and model.without_thinking is not None:
        level = rules.tasks[workload.task_type].level(workload.difficulty)
        family_of = {name: b.family for name, b in rules.benchmarks.items()}
        drop = without_thinking_drop(model, level.benchmark, family_of)
    if drop is not None:
        value = anchor - drop
    elif model.reasoning:
        curve = rules.families[workload.family]
        medium = hidden_thinking(workload, model, "medium", rules.settings)
        shift = -float(q.reasoning_shift(float(workload.reasoning_tokens), medium,
                                         skill=model.thinking_skill, gain=curve.thinking_gain,
                                         half=curve.thinking_half_tokens))
        drops = published_drops(model)
        if drops:  # no family loses more by not thinking than the tier's largest published drop
            shift = min(shift, max(drops.values()))
        value = anchor - shift
    else:
        value = anchor
    chance = chance_of(workload, rules)
    return max(value, float(q.logit(chance))) if chance > 0 else value


def chance_of(workload: Workload, rules: RuleSet) -> float:
    """The accuracy of a random answer at the workload's level (0 for free-form answers, and
    for questions about the user's own documents)."""
    if workload.documents:
        return 0.0  # Why: a question about your contracts offers no options to guess among
    level = rules.tasks[workload.task_type].level(workload.difficulty)
    benchmark = rules.benchmarks.get(level.benchmark)
    return benchmark.chance if benchmark is not None else 0.0


def servings(model: ModelTier, workload: Workload, accuracy: dict[str, float],
             rules: RuleSet) -> list[Serving]:
    """The tier as it comes and after each training run it can take; where a rule requires
    calibrated confidence (``workload.calibrated_only``), only the calibrated ones: those
    calibrated already and each of the others after a calibration run.

    ``accuracy`` is every tier's single-pass accuracy on the user's task
    (:mod:`advisor.engine.anchors`); a distillation reads its teacher's.
    """
    anchor = float(q.logit(accuracy[model.id]))
    trained = trained_logit(model, anchor, workload, rules)
    cached = model.input_per_1m if model.cached_input_per_1m is None else model.cached_input_per_1m
    found = [Serving(model.id, model.name, model, None, None, model.input_per_1m,
                     model.output_per_1m, cached, 0.0, model.calibrated, anchor, trained,
                     trained)]
    ft = model.fine_tune
    curve = rules.families[workload.family]
    for run in runs(rules, model, workload.verifiability):
        assert ft is not None
        teacher = (float(q.logit(accuracy[run.option.teacher])) if run.option.teacher else None)
        # A fast student answers with a short rationale: its own quality there is the start.
        visible = run.option.student_reasoning_tokens
        start = anchor
        if visible is not None and visible < workload.reasoning_tokens:
            start = anchor + float(q.reasoning_shift(
                float(visible), float(workload.reasoning_tokens), skill=model.thinking_skill,
                gain=curve.thinking_gain, half=curve.thinking_half_tokens))
        else:
            visible = None
        shifted = shifted_logit(run.option, run.size, workload.family, start, teacher)
        # What training gave, measured at the student's own length; a shorter answer than the
        # tier's usual is less inference per query, which the split counts on that side.
        gain = shifted - start
        found.append(Serving(
            variant_id(model.id, run, False),
            _variant_name(model.name, _run_note(run, rules)), model, run, None, ft.input_per_1m,
            ft.output_per_1m,
            ft.input_per_1m if ft.cached_input_per_1m is None else ft.cached_input_per_1m,
            run.cost_usd, model.calibrated, shifted, trained + gain, trained,
            None if visible is None else float(visible)))
    if not workload.calibrated_only:
        return found
    option = calibration_for(rules, model)
    if option is not None:
        size = option.sizes[0]
        for serving in list(found):
            labelled = serving.run is not None and serving.run.labelled
            cost, _ = calibration_cost(option, model, size, labels_held=labelled)
            found.append(replace(
                serving, model_id=variant_id(model.id, serving.run, True),
                model_name=_variant_name(serving.model_name, "calibrated"),
                calibration=option.id, calibrated=True,
                training_cost_usd=round(serving.training_cost_usd + cost, 2)))
    return [serving for serving in found if serving.calibrated]


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
    latency: float = 0      # to the whole answer
    first_token: float = 0  # to the first visible token
    first_stage: int | None = None  # a cascade's: the row of its cheap first stage
    escalation: float = 0.0         # a cascade's: the share its check sends on


def hidden_thinking(workload: Workload, tier: ModelTier, effort: str | None,
                    settings: Settings) -> float:
    """H: a reasoning tier's hidden thinking per call at ``effort`` (0 without one)."""
    if effort is None:
        return 0.0
    return (workload.thinking_tokens * tier.thinking_scale
            * getattr(settings.thinking_effort, effort))


def _rows(rules: RuleSet, workload: Workload) -> list[_Row]:
    """One row per serving, effort, strategy and parameter values."""
    rows = []
    accuracy = tier_accuracy(rules, workload.task_type, workload.difficulty, workload.measured)
    combinations = []
    for strategy in rules.strategies:
        if strategy.kind == "cascade":
            continue  # two stages: its rows come from the single answers (_cascade_rows)
        if KINDS[strategy.kind].recall is not None and not workload.documents:
            continue  # nothing to retrieve from: the knowledge is the model's own
        names = list(strategy.parameters)
        combinations.append((strategy, KINDS[strategy.kind].extra_reasoning,
                             [dict(zip(names, values)) for values in
                              product(*(strategy.parameters[n] for n in names))]))
    ordinary = float(workload.reasoning_tokens)
    for model in rules.models:
        efforts = EFFORTS if model.reasoning else (None,)
        hidden_of = {e: hidden_thinking(workload, model, e, rules.settings) for e in efforts}
        for serving in servings(model, workload, accuracy, rules):
            own = ordinary if serving.visible_tokens is None else serving.visible_tokens
            for effort in efforts:
                hidden = hidden_of[effort]
                for strategy, extra, combos in combinations:
                    if extra and (model.reasoning or serving.visible_tokens is not None):
                        # A reasoning tier's chain of thought is its thinking effort; a fast
                        # student was trained to answer with a short rationale.
                        continue
                    for params in combos:
                        visible = 0.0 if model.reasoning else own
                        if extra:
                            if params["thinking_tokens"] <= own:
                                continue  # not more reasoning than the model writes anyway
                            visible = float(params["thinking_tokens"])
                        rows.append(_Row(strategy, params, serving, effort, visible, hidden))
    return rows + _cascade_rows(rules, workload, rows)


def _cascade_rows(rules: RuleSet, workload: Workload, rows: list[_Row]) -> list[_Row]:
    """A cascade per first stage and dearer single answer: the first stage answers, the check
    sends what it rejects on. None where nothing checks answers (``verifiability: none``).

    Which pairs exist depends only on the catalogue and the prices, never on a ranged number,
    so every draw of the intervals has the same candidates.
    """
    cascades = [s for s in rules.strategies if s.kind == "cascade"]
    if not cascades or getattr(workload.verifiability, "value", workload.verifiability) == "none":
        return []
    plain = [i for i, r in enumerate(rows) if KINDS[r.strategy.kind].plain]
    first_of = {}
    for i in plain:
        row = rows[i]
        if not row.serving.fine_tuned and row.effort in (None, "medium"):
            first_of.setdefault(row.serving.tier.id, i)
    found = []
    for strategy in cascades:
        for tier in strategy.first_stages:
            first = first_of.get(tier)
            if first is None:
                continue
            price = rows[first].serving.output_per_1m
            found += [_Row(strategy, {}, rows[i].serving, rows[i].effort, rows[i].visible,
                           rows[i].hidden, first_stage=first)
                      for i in plain if rows[i].serving.tier.id != tier
                      and rows[i].serving.output_per_1m > price]
    return found


def _settle_cascades(rows: list[_Row], quality: np.ndarray, workload: Workload,
                     rules: RuleSet) -> np.ndarray:
    """Each cascade row, priced and rated as its two stages (rows hold the second stage's
    single answer until now): cost and tokens are the first stage's, the check's and the
    escalated share of the second's; latency is the escalated path's, the one a latency
    budget has to allow; quality is :func:`quality.cascade`."""
    index = np.array([i for i, r in enumerate(rows) if r.first_stage is not None], dtype=int)
    if not len(index):
        return quality
    verifier = verifier_of(workload, rules)
    firsts = np.array([rows[i].first_stage for i in index])
    rated, escalated = q.cascade(quality[firsts], quality[index], dispersion_of(workload, rules),
                                 verifier.recall, verifier.false_accept)
    quality = quality.copy()
    quality[index] = np.maximum(rated, chance_of(workload, rules))
    for i, first, share in zip(index.tolist(), firsts.tolist(), escalated.tolist()):
        row, cheap = rows[i], rows[first]
        judge_in = judge_out = judge_s = 0.0
        if verifier.judge_output_tokens:  # the second stage's tier judges the first answer
            judge_in = workload.prompt_tokens + workload.answer_tokens + cheap.visible
            judge_out = verifier.judge_output_tokens + row.hidden
            judge_s = float(row.serving.call_seconds(judge_out))
        check_s = verifier.latency_s + judge_s
        row.cost = (cheap.cost + float(row.serving.usd(judge_in, 0, judge_out))
                    + share * row.cost)
        row.calls = cheap.calls + (1 if judge_out else 0) + share * row.calls
        row.input_tokens = cheap.input_tokens + judge_in + share * row.input_tokens
        row.cached_tokens = cheap.cached_tokens + share * row.cached_tokens
        row.output_tokens = cheap.output_tokens + judge_out + share * row.output_tokens
        row.latency = cheap.latency + check_s + row.latency
        row.first_token = cheap.latency + check_s + row.first_token
        row.escalation = share
    return quality


def price_rows(rows: list[_Row], workload: Workload, verifier: Verifier) -> None:
    """Fill in calls, tokens, cost and both latencies of every row, a strategy at a time
    (its kind's formulas in :mod:`advisor.engine.kinds`, its own retrieval figures if any)."""
    by_strategy: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_strategy.setdefault(row.strategy.id, []).append(i)
    for members in by_strategy.values():
        group = [rows[i] for i in members]
        strategy, tiers = group[0].strategy, [r.serving.tier for r in group]
        kind = strategy.kind
        tokens = Tokens(
            workload.prompt_tokens, workload.answer_tokens,
            np.array([r.visible for r in group]), np.array([r.hidden for r in group]),
            np.array([t.time_to_first_token_s for t in tiers]),
            np.array([t.output_tokens_per_s for t in tiers]), verifier, strategy.retrieval)
        names = KIND_PARAMETERS[kind]
        params = {n: np.array([r.parameters[n] for r in group], dtype=float) for n in names}
        priced = price(kind, tokens, params)
        servings = [r.serving for r in group]
        cost = (np.asarray(priced.input_tokens) * [s.input_per_1m for s in servings]
                + np.asarray(priced.cached_tokens) * [s.cached_input_per_1m for s in servings]
                + np.asarray(priced.output_tokens) * [s.output_per_1m for s in servings]) / 1e6
        cost = cost + np.asarray(priced.usd)
        columns = [np.broadcast_to(np.asarray(a, dtype=float), (len(group),)) for a in (
            priced.calls, priced.input_tokens, priced.cached_tokens, priced.output_tokens,
            priced.latency, priced.first_visible, cost)]
        for k, row in enumerate(group):
            (row.calls, row.input_tokens, row.cached_tokens, row.output_tokens, row.latency,
             row.first_token, row.cost) = (float(c[k]) for c in columns)


def _qualities(rows: list[_Row], workload: Workload, rules: RuleSet
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(expected quality, trained quality, trained quality of the base tier, what a fast
    student's shorter answer costs: its single answer minus its trained quality, else 0) of
    every row."""
    settings = rules.settings
    curve = rules.families[workload.family]
    shift = dict(gain=curve.thinking_gain, half=curve.thinking_half_tokens)
    anchor = np.array([r.serving.quality_logit for r in rows])
    tiers = {id(r.serving.tier): r.serving.tier for r in rows}
    # Per tier once: pydantic attribute reads cost more than the arithmetic over 1,000 rows.
    medium_of = {key: hidden_thinking(workload, tier, "medium", settings) if tier.reasoning
                 else 0.0 for key, tier in tiers.items()}
    skill = np.array([r.serving.tier.thinking_skill for r in rows])
    reasoning = np.array([r.serving.tier.reasoning for r in rows])
    medium = np.array([medium_of[id(r.serving.tier)] for r in rows])
    ordinary = np.array([float(workload.reasoning_tokens) if r.serving.visible_tokens is None
                         else r.serving.visible_tokens for r in rows])
    anchor_tokens = np.where(reasoning, medium, ordinary)
    per_answer = np.array([r.hidden if r.serving.tier.reasoning else r.visible for r in rows])
    default = np.where(reasoning, np.array([r.hidden for r in rows]), ordinary)

    # A reasoning tier moves along its published effort curve (advisor.engine.effort); an
    # ordinary tier's visible chain of thought along the family's thinking curve.
    slope_of = {key: tier_slope(rules, workload.task_type, workload.difficulty, tier.id)
                for key, tier in tiers.items() if tier.reasoning}
    below = np.array([slope_of[id(r.serving.tier)].below if r.serving.tier.reasoning else 0.0
                      for r in rows])
    above = np.array([slope_of[id(r.serving.tier)].above if r.serving.tier.reasoning else 0.0
                      for r in rows])

    def at(base: np.ndarray, tokens: np.ndarray | float) -> np.ndarray:
        ordinary_shift = q.reasoning_shift(tokens, anchor_tokens, skill=skill, **shift)
        doublings = np.log2(np.maximum(tokens, 1.0) / np.maximum(anchor_tokens, 1.0))
        effort_shift = np.where(doublings < 0, below, above) * doublings
        return q.sigmoid(base + np.where(reasoning, effort_shift, ordinary_shift))

    # A reasoning tier thinking less than normal never falls below its no-thinking score.
    trained = q.sigmoid(np.array([r.serving.trained_logit for r in rows]))
    tier_trained = q.sigmoid(np.array([r.serving.tier_logit for r in rows]))
    floor = np.where(reasoning, trained, 0.0)
    mean = np.maximum(at(anchor, per_answer), floor)
    single = np.maximum(at(anchor, default), floor)
    quality = _strategy_qualities(rows, mean, workload, rules)
    quality = single + workload.inference_gain * (quality - single)
    if curve.knowledge_bound:
        # What some tier knows, answering once: sampling and search find answers a model
        # sometimes gives, never knowledge no model has.
        known = float(np.max(np.where([not r.serving.fine_tuned for r in rows], single, 0.0)))
        quality = np.minimum(quality, np.maximum(single, known))
    if workload.documents:
        quality, single, trained, tier_trained = _from_documents(
            rows, quality, single, trained, tier_trained, workload, rules)
    chance = chance_of(workload, rules)
    fast = np.array([r.serving.visible_tokens is not None for r in rows])
    cut = np.where(fast, np.maximum(single, chance) - trained, 0.0)
    return np.clip(quality, chance, 1.0), trained, tier_trained, cut


def _from_documents(rows: list[_Row], quality: np.ndarray, single: np.ndarray,
                    trained: np.ndarray, tier_trained: np.ndarray, workload: Workload,
                    rules: RuleSet) -> tuple[np.ndarray, ...]:
    """(quality, single answer, trained, tier trained) of every row when the knowledge lives
    in the user's documents: closed-book for every figure, from what it reads for a retrieval
    row (the module docstring has the formula).

    Why after the knowledge cap: the cap bounds what sampling finds in a model's knowledge; a
    retrieval row reads what no model knows, so only its recall bounds it.
    """
    family = rules.families[workload.family]
    share = np.full(len(rows), family.closed_book_share or 0.0)
    # A supervised fine-tune on your documents learns some of their facts (the family's
    # fine_tuned_share of those general knowledge misses): it answers those as it answers
    # what it knows. Distillation and RL teach reasoning, not the documents.
    learned = np.array([r.serving.run is not None
                        and r.serving.run.kind == "supervised_fine_tune" for r in rows])
    share = np.where(learned, share + (1 - share) * (family.fine_tuned_share or 0.0), share)
    base_share = family.closed_book_share or 0.0
    closed = share * quality
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        if KINDS[r.strategy.kind].recall is not None:
            groups.setdefault((r.strategy.id, tuple(r.parameters.items())), []).append(i)
    for members in groups.values():
        index = np.array(members)
        strategy, parameters = rows[members[0]].strategy, rows[members[0]].parameters
        retrieval = strategy.retrieval
        assert retrieval is not None, "a retrieval strategy carries its retrieval block"
        recall = KINDS[strategy.kind].recall(parameters, retrieval)
        reading = q.sigmoid(q.logit(single[index]) + retrieval.reading_gain_logit)
        own = share[index] * single[index]  # its closed-book answer: what it adds is retrieval's
        bound = q.retrieved(own, reading, recall)
        closed[index] = own + workload.inference_gain * (bound - own)
    return closed, share * single, share * trained, base_share * tier_trained


def verifier_of(workload: Workload, rules: RuleSet) -> Verifier:
    """How candidates of ``workload`` are checked: its level's verifier, else settings'."""
    return rules.verifier(workload.task_type, workload.difficulty, workload.verifiability)


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
    verifier = verifier_of(workload, rules)
    quality = mean.copy()
    sampled = np.array([KINDS[r.strategy.kind].shape is not None for r in rows])
    if sampled.any():
        means, which = np.unique(mean[sampled], return_inverse=True)
        weights = q.problem_weights(means, dispersion_of(workload, rules))
        baseline = weights @ q.P_GRID
        where = np.flatnonzero(sampled)
        row_of = dict(zip(where.tolist(), which.reshape(-1).tolist()))
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        kind = KINDS[r.strategy.kind]
        if kind.shape is not None or kind.refine is not None:
            groups.setdefault((r.strategy.id, tuple(r.parameters.items())), []).append(i)
    for (_, params), members in groups.items():
        strategy = rows[members[0]].strategy
        kind = KINDS[strategy.kind]
        index = np.array(members)
        values = dict(params)
        if kind.refine is not None:
            quality[index] = kind.refine(mean[index], values, curve, workload.verifiability,
                                         strategy.curve)
            continue
        shape = kind.shape(values, curve, verifier, strategy.curve)
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

    @classmethod
    def of(cls, table: CandidateTable, index: np.ndarray) -> Columns:
        return cls(index, *(np.ascontiguousarray(column[index]) for column in (
            table.cost, table.latency, table.quality, table.rank, table.strategy_index,
            table.training_cost)))


@dataclass
class CandidateTable:
    """Every candidate for one workload, as numpy columns for fast selection.

    Figures are rounded once here (cost to 1e-9 USD, quality to 1e-4, latency to 1e-4 s), and
    selection, the result and every renderer use these same numbers. ``latency`` is the one the
    latency budget applies to: ``first_token_latency`` when the workload streams, else
    ``answer_latency``.
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
    answer_latency: np.ndarray       # to the whole answer
    first_token_latency: np.ndarray  # to the first visible token, hidden thinking included
    quality: np.ndarray
    trained_quality: np.ndarray
    training_cost: np.ndarray
    fine_tuned: np.ndarray
    calibrated: np.ndarray
    tier_trained_quality: np.ndarray
    shorter_answer: np.ndarray  # ≤ 0: a fast student's short rationale against the usual one
    single_base: np.ndarray
    spends_inference: np.ndarray
    first_stages: list[Serving | None]  # a cascade's cheap first stage, else None
    escalation: np.ndarray               # a cascade's share escalated, else 0
    latency: np.ndarray = field(init=False)  # the budgeted one
    rank: np.ndarray = field(init=False)
    strategy_ids: list[str] = field(init=False)
    baseline_pool: np.ndarray = field(init=False)
    selectable: np.ndarray = field(init=False)
    pruned: Columns = field(init=False)
    baselines: Columns = field(init=False)
    baselines_by_cost: Columns = field(init=False)
    run_costs: np.ndarray = field(init=False)  # every distinct one-time cost above 0
    cache: dict = field(init=False, default_factory=dict)  # see memo

    def __post_init__(self) -> None:
        self.latency = (self.first_token_latency if self.workload.streaming
                        else self.answer_latency)
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
        self.run_costs = np.unique(self.training_cost[self.training_cost > 0])

    def _undominated(self) -> np.ndarray:
        """Candidates the objective can ever pick: within each group of candidates the rules
        treat alike (same strategy and baseline eligibility), drop any that another
        beats or equals on quality, cost per query, latency and one-time cost (and on rank when
        all four tie).

        Why it is safe: every step of the objective prefers higher quality, lower cost, lower
        latency, a one-time cost within the training budget and lower rank (the amortised cost
        too, which falls with both costs), so a dominated candidate is never the first choice
        when its dominator is allowed; the group and the lower one-time cost guarantee it is.
        """
        keep = np.ones(len(self.cost), dtype=bool)
        # One integer per group (np.unique over rows of a 2-D array sorts far slower).
        group = self.strategy_index * 2 + self.baseline_pool
        for g in np.unique(group):
            members = np.flatnonzero(group == g)
            q, c, t, r, o = (self.quality[members], self.cost[members], self.latency[members],
                             self.rank[members], self.training_cost[members])
            no_worse = ((q[:, None] >= q[None, :]) & (c[:, None] <= c[None, :])
                        & (t[:, None] <= t[None, :]) & (o[:, None] <= o[None, :]))
            better = ((q[:, None] > q[None, :]) | (c[:, None] < c[None, :])
                      | (t[:, None] < t[None, :]) | (o[:, None] < o[None, :])
                      | (r[:, None] < r[None, :]))
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
        found = {"strategy": strategy.id, "strategy_name": strategy.name,
                 "model": serving.model_id, "model_name": serving.model_name,
                 "fine_tuned": serving.fine_tuned, "parameters": self.parameters[index],
                 "thinking_effort": self.efforts[index]}
        first = self.first_stages[index]
        found.update(first_stage=None, first_stage_name=None, escalation_share=None)
        if first is not None:
            found.update(first_stage=first.model_id, first_stage_name=first.model_name,
                         escalation_share=float(self.escalation[index]))
        return found

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
    price_rows(rows, workload, verifier_of(workload, rules))
    quality, trained, tier_trained, cut = _qualities(rows, workload, rules)
    quality = _settle_cascades(rows, quality, workload, rules)
    serving_list: list[Serving] = []
    serving_of: dict[str, int] = {}
    for row in rows:
        serving_of.setdefault(row.serving.model_id, len(serving_list))
        if len(serving_list) < len(serving_of):
            serving_list.append(row.serving)
    strategy_of = {s.id: i for i, s in enumerate(rules.strategies)}
    kinds = [r.strategy.kind for r in rows]
    single_pass = np.array([KINDS[k].plain for k in kinds])
    fine_tuned = np.array([r.serving.fine_tuned for r in rows])
    training = np.round([r.serving.training_cost_usd for r in rows], 2)
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
        answer_latency=np.round([r.latency for r in rows], LATENCY_DECIMALS),
        first_token_latency=np.round([r.first_token for r in rows], LATENCY_DECIMALS),
        quality=np.round(quality, QUALITY_DECIMALS),
        trained_quality=np.round(trained, QUALITY_DECIMALS),
        tier_trained_quality=np.round(tier_trained, QUALITY_DECIMALS),
        shorter_answer=np.round(cut, QUALITY_DECIMALS),
        training_cost=training,
        fine_tuned=fine_tuned,
        calibrated=np.array([r.serving.calibrated for r in rows]),
        single_base=single_pass & ~fine_tuned,
        spends_inference=~single_pass | reasoning_extra,
        first_stages=[None if r.first_stage is None else rows[r.first_stage].serving
                      for r in rows],
        escalation=np.round([r.escalation for r in rows], QUALITY_DECIMALS))


def candidate_table(rules: RuleSet, workload: Workload) -> CandidateTable:
    """The candidate table of a workload, built once per rule set."""
    return rules.memo(("candidates", workload), lambda: build_table(rules, workload))
