"""Pydantic models of the rules directory: questions, rules, strategies, model tiers, curves.

Every YAML file under ``rules/`` is a :class:`RulesFile`; the loader merges them into a
:class:`RuleSet`. Field descriptions here are what editors show (the JSON Schema is generated from
these models), so they are written for the people who edit the YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator,
                      model_validator)

from advisor.model.answers import TaskType, Verifiability
from advisor.model.base import IDENTIFIER, Family, Ranged, Strict
from advisor.model.limits import MAX_CONDITIONS_PER_RULE, sane_numbers
from advisor.model.training import TrainingCatalogue, TrainingOption

Verdict = Literal["inference_time", "training", "combined", "neither"]
TableVerdict = Literal["inference_time", "training", "combined"]
Effort = Literal["low", "medium", "high"]
Property = Literal["calibrated"]
Severity = Literal["high", "medium", "low"]
# Most serious first: the order caveats are listed in, everywhere.
SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
StrategyKind = Literal["single_pass", "chain_of_thought", "majority_vote", "verified_sampling",
                       "tree_search", "refinement", "cascade", "retrieval"]

# Which tunable parameters each kind of strategy takes (their candidate values live in YAML).
KIND_PARAMETERS: dict[str, tuple[str, ...]] = {
    "single_pass": (),
    "chain_of_thought": ("thinking_tokens",),
    "majority_vote": ("samples",),
    "verified_sampling": ("samples",),
    "tree_search": ("breadth", "depth"),
    "refinement": ("rounds",),
    "cascade": (),
    "retrieval": ("chunks",),
}
# Which curve constants each kind needs.
KIND_CURVE: dict[str, tuple[str, ...]] = {
    "single_pass": (),
    "chain_of_thought": (),
    "majority_vote": (),
    "verified_sampling": (),
    "tree_search": (),
    "refinement": ("round_decay",),
    "cascade": (),
    "retrieval": (),
}
# Answer fields that are budgets: more of any of them must never give worse advice.
BUDGET_FIELDS = ("latency_budget_s", "budget_per_query_usd", "training_budget_usd",
                 "training_run_feasible")


# --- questions -----------------------------------------------------------------------------------

class Option(Strict):
    """One choice of a categorical question."""

    value: str | bool = Field(description="The stored value, as used in answers and rules.",
                              examples=["math", True])
    label: str = Field(description="What the user sees.", examples=["Math"])
    help: str = Field("", description="One sentence explaining when to pick this option.",
                      examples=["Word problems with a single right answer."])


class Question(Strict):
    """How one answer field is asked in the app."""

    field: str = Field(description="The answer field this question fills.",
                       examples=["latency_budget_s"])
    label: str = Field(description="The question as the user reads it.",
                       examples=["Slowest acceptable response"])
    help: str = Field(description="Help text shown beside the question.",
                      examples=["Seconds from request to final answer that users tolerate."])
    unit: str = Field("", description="Unit shown next to the value.", examples=["seconds"])
    default: Any = Field(description="Value used when the user has not answered.", examples=[10])
    min: float | None = Field(None, description="Smallest value the widget offers (numbers).",
                              examples=[0.1])
    max: float | None = Field(None, description="Largest value the widget offers (numbers).",
                              examples=[3600])
    step: float | None = Field(None, gt=0, description="Widget step (numbers).", examples=[0.1])
    options: list[Option] | None = Field(None, description="The choices (categorical questions).",
                                         examples=[[{"value": "verifiable_steps",
                                                     "label": "Yes, steps can be checked"},
                                                    {"value": "none", "label": "No"}]])
    advanced: bool = Field(False, description="Shown under 'Advanced' in the app: optional "
                                              "answers most users leave empty.", examples=[True])

    @field_validator("min", "max")
    @classmethod
    def _range_holds_default(cls, bound: float | None, info: ValidationInfo) -> float | None:
        # Why here: the widget refuses to draw with min > max or a default outside them.
        if bound is None:
            return bound
        default, low = info.data.get("default"), info.data.get("min")
        if info.field_name == "max" and low is not None and bound < low:
            raise ValueError(f"is {bound:g}, below min ({low:g}); min <= default <= max must hold")
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if info.field_name == "min" and default < bound:
                raise ValueError(f"is {bound:g}, above the default ({default:g}); "
                                 "min <= default <= max must hold")
            if info.field_name == "max" and default > bound:
                raise ValueError(f"is {bound:g}, below the default ({default:g}); "
                                 "min <= default <= max must hold")
        return bound


# --- rules ---------------------------------------------------------------------------------------

OPERATORS = ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge")


class Condition(Strict):
    """A structured test on the answers: exactly one of all / any / not / field.

    A field test names the answer field and exactly one operator, for example
    ``{field: latency_budget_s, lt: 1}`` or
    ``{field: task_type, in: [math, formal_verification]}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    all: list[Condition] | None = Field(None, description="True when every condition is true.",
                                        examples=[[{"field": "high_stakes", "eq": True},
                                                   {"field": "latency_budget_s", "ge": 10}]])
    any: list[Condition] | None = Field(None, description="True when one condition is true.",
                                        examples=[[{"field": "task_type", "eq": "knowledge_qa"},
                                                   {"field": "needs_calibration", "eq": True}]])
    not_: Condition | None = Field(None, alias="not", description="True when this one is false.",
                                   examples=[{"field": "verifiability", "eq": "none"}])
    field: str | None = Field(None, description="Answer field to test.",
                              examples=["task_type", "latency_budget_s"])
    eq: str | float | bool | None = Field(None, description="Field equals this value.",
                                          examples=["knowledge_qa", True, 0])
    ne: str | float | bool | None = Field(None, description="Field differs from this value.",
                                          examples=["none"])
    in_: list[str | float | bool] | None = Field(None, alias="in",
                                                 description="Field is one of these values.",
                                                 examples=[["math", "formal_verification"]])
    not_in: list[str | float | bool] | None = Field(None, description="Field is none of these.",
                                                    examples=[["creative_writing",
                                                               "nuanced_judgment"]])
    lt: float | None = Field(None, description="Field is less than this number.", examples=[1])
    le: float | None = Field(None, description="Field is at most this number.", examples=[0.002])
    gt: float | None = Field(None, description="Field is greater than this number.",
                             examples=[1000])
    ge: float | None = Field(None, description="Field is at least this number.", examples=[10])

    @field_validator("lt", "le", "gt", "ge", mode="before")
    @classmethod
    def _number_not_bool(cls, value: Any) -> Any:
        # Why: pydantic reads true as 1.0, so `lt: true` would silently mean `lt: 1`.
        if isinstance(value, bool):
            raise ValueError(f"comparisons need a number, got {str(value).lower()}")
        return value

    # Why before: after, a NaN fails each type of the union and reads as three errors.
    _sane_values = field_validator("eq", "ne", "in_", "not_in", mode="before")(sane_numbers)

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        kinds = [k for k in ("all", "any", "not_", "field") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a condition needs exactly one of 'all', 'any', 'not' or 'field'")
        ops = self.operators
        if self.field is not None and len(ops) != 1:
            raise ValueError(f"a test on '{self.field}' needs exactly one operator of "
                             f"{', '.join(OPERATORS)}")
        if self.field is None and ops:
            raise ValueError("operators such as 'lt' or 'in' belong in a test with 'field'")
        return self

    def walk(self) -> Iterator[Condition]:
        """This condition and every condition inside it."""
        pending = [self]
        while pending:
            cond = pending.pop()
            yield cond
            pending += (cond.all or []) + (cond.any or []) + ([cond.not_] if cond.not_ else [])

    @cached_property
    def operators(self) -> dict[str, Any]:
        """The operators set on this node, by their YAML names."""
        names = {"in_": "in"}
        return {names.get(op, op): getattr(self, op)
                for op in ("eq", "ne", "in_", "not_in", "lt", "le", "gt", "ge")
                if getattr(self, op) is not None}


class Rule(Strict):
    """One piece of advice: when the condition holds, apply the effects, and say why.

    Effects are inputs to the decision model, never the decision itself: ``exclude`` and
    ``require`` are hard constraints on the candidates, ``inference_gain`` adjusts the quality
    model, ``push`` is the trade-off table's vote shown beside the verdict, ``caveat`` a warning.
    The configuration is always the best option the constraints allow (see
    ``advisor.engine.decide``).
    """

    id: str = Field(pattern=IDENTIFIER, description="Unique, stable id (lower-case, dashes).",
                    examples=["latency-sub-second"])
    when: Condition = Field(description="When the rule fires.",
                            examples=[{"field": "latency_budget_s", "lt": 1},
                                      {"all": [{"field": "task_type", "eq": "code_generation"},
                                               {"field": "verifiability",
                                                "eq": "verifiable_steps"}]}])
    push: Literal["inference_time", "training"] | None = Field(
        None, description="The trade-off table's vote: which way this row points. Shown as "
                          "'what the trade-off table says' beside the verdict; it does not pick "
                          "the configuration.", examples=["training", "inference_time"])
    weight: float = Field(1.0, gt=0, le=10, description="How hard it pushes (1 = one table row).",
                          examples=[1, 2])
    exclude: list[str] = Field(default_factory=list,
                               description="Strategy ids this rule rules out (a hard constraint).",
                               examples=[["tree_search", "iterative_refinement"]])
    require: list[Property] = Field(
        default_factory=list,
        description="Properties every recommended option must have (a hard constraint): "
                    "'calibrated' keeps only options whose confidence can be calibrated on your "
                    "data (fine-tunes, or tiers marked calibrated).",
        examples=[["calibrated"]])
    inference_gain: float | None = Field(
        None, ge=0, le=1,
        description="Scale the quality inference-time compute adds over the model's own single "
                    "answer (0-1; 0.5 halves it). Conditions of such rules may test only "
                    "task_type, verifiability, knowledge_source, needs_calibration and "
                    "high_stakes, so quality never depends on a budget.", examples=[0.5])
    caveat: str | None = Field(None, description="A warning shown with the recommendation.",
                               examples=["Sub-second responses rule out deep tree search."])
    severity: Severity = Field(
        "medium",
        description="How serious the caveat is, for ranking the risks: 'high' where acting on "
                    "the advice without heeding it can give wrong answers or break a "
                    "requirement (measure or change something first), 'medium' where it shapes "
                    "how to run the configuration, 'low' for context worth knowing. Only with a "
                    "caveat.", examples=["high", "low"])
    because: str = Field(min_length=1, description="One sentence users read: why this holds.",
                         examples=["Inference-time scaling costs latency, and sub-second budgets "
                                   "leave none to spend."])
    source: str = Field(min_length=1, description="Article section or paper this rests on.",
                        examples=["Inference-Time Scaling vs Training Compute, section 'When "
                                  "Training Compute Still Dominates'"])

    @model_validator(mode="after")
    def _has_effect(self) -> Rule:
        if not (self.push or self.exclude or self.require or self.caveat
                or self.inference_gain is not None):
            raise ValueError("a rule needs at least one effect: push, exclude, require, "
                             "inference_gain or caveat")
        if "severity" in self.model_fields_set and not self.caveat:
            raise ValueError("severity ranks a caveat, and this rule has none: add a caveat or "
                             "remove severity")
        return self

    @field_validator("when")
    @classmethod
    def _bounded(cls, when: Condition) -> Condition:
        # Why: every test is evaluated, and probed by lint and the counterfactual, per answer.
        count = sum(1 for _ in when.walk())
        if count > MAX_CONDITIONS_PER_RULE:
            raise ValueError(f"holds {count:,} conditions (tests, all, any and not); the limit "
                             f"is {MAX_CONDITIONS_PER_RULE} per rule")
        return when


# --- strategies, model tiers, curves -------------------------------------------------------------

class Curve(Ranged):
    """Constants of a strategy's quality curve (which ones depends on its kind)."""

    round_decay: float | None = Field(
        None, gt=0, lt=1, description="Share of the remaining refinement gain each round leaves.",
        examples=[0.5])


class Retrieval(Ranged):
    """What a retrieval strategy fetches from the user's documents, how often it finds the
    right passage, and what one query of it costs beyond the model's tokens.

    Recall at k chunks: ``recall_maximum − (recall_maximum − recall_at_reference) ×
    (k / reference_chunks)^(−recall_decay)``, a miss rate falling as a power of k towards what
    no number of chunks finds.
    """

    chunk_tokens: int = Field(gt=0, le=100_000, description="Tokens per retrieved chunk, read "
                                                            "as input with every query.",
                              examples=[800])
    reference_chunks: int = Field(gt=0, description="The number of chunks recall_at_reference "
                                                    "is quoted at.", examples=[20])
    recall_at_reference: float = Field(
        gt=0, le=1, description="Share of questions whose answer is in the top "
                                "reference_chunks chunks retrieved.", examples=[0.806])
    recall_maximum: float = Field(
        gt=0, le=1, description="Recall that no number of chunks exceeds: questions whose "
                                "passage the retriever never ranks high.", examples=[0.91])
    recall_decay: float = Field(gt=0, le=5, description="How fast the miss rate falls with more "
                                                        "chunks (its power of k).",
                                examples=[0.55])
    reading_gain_logit: float = Field(
        ge=0, le=5, description="Log-odds a tier gains over its score at the level when the "
                                "right passage is in its prompt (reading rather than "
                                "recalling).", examples=[0.5])
    embedding_per_1m: float = Field(ge=0, description="USD per million tokens to embed the "
                                                      "query (the prompt) for the search.",
                                    examples=[0.02])
    store_usd_per_query: float = Field(
        ge=0, description="A vector store's running cost spread per query (its read charge and "
                          "monthly minimum over the queries of a month), USD.",
        examples=[0.0005])
    latency_s: float = Field(ge=0, description="Seconds of the retrieval round trip (embed the "
                                               "query, search the index) before the model call.",
                             examples=[0.3])
    source: str = Field(min_length=1, description="Where these numbers come from, and which are "
                                                  "assumptions.",
                        examples=["Karpukhin et al. 2020 (arXiv 2004.04906); assumption"])

    @model_validator(mode="after")
    def _recall_ordered(self) -> Retrieval:
        if self.recall_at_reference > self.recall_maximum:
            raise ValueError(f"recall_at_reference ({self.recall_at_reference:g}) is above "
                             f"recall_maximum ({self.recall_maximum:g})")
        return self


class Strategy(Strict):
    """An inference-time strategy: how one answer is produced, and its tunable parameters."""

    id: str = Field(pattern=IDENTIFIER, description="Unique, stable id (lower-case, underscores); "
                                                    "rules name it in exclude.",
                    examples=["self_consistency"])
    name: str = Field(description="Display name.", examples=["Self-consistency"])
    kind: StrategyKind = Field(description="Which cost, latency and quality formulas apply.",
                               examples=["majority_vote"])
    light: bool = Field(description="Cheap enough to accompany a training-side recommendation.",
                        examples=[True])
    description: str = Field(description="What it does, in one or two sentences.",
                             examples=["Sample several reasoning paths and return the majority "
                                       "answer."])
    parameters: dict[str, list[int]] = Field(
        default_factory=dict, description="Candidate values of each tunable parameter.",
        examples=[{"samples": [5, 10, 20]}])
    curve: Curve = Field(default_factory=Curve, description="Quality-curve constants.",
                         examples=[{"round_decay": 0.5}])
    first_stages: list[str] = Field(
        default_factory=list,
        description="A cascade's cheap first stages: tier ids that answer first, each paired "
                    "with every dearer tier the unchecked answers escalate to.",
        examples=[["gpt-4.1-nano", "gpt-4o-mini"]])
    retrieval: Retrieval | None = Field(
        None, description="A retrieval strategy's chunks, recall, reading gain, prices and "
                          "latency; only a 'retrieval' strategy takes it.",
        examples=[{"chunk_tokens": 800, "reference_chunks": 20, "recall_at_reference": 0.806,
                   "recall_maximum": 0.91, "recall_decay": 0.55, "reading_gain_logit": 0.5,
                   "embedding_per_1m": 0.02, "store_usd_per_query": 0.0005, "latency_s": 0.3,
                   "source": "Karpukhin et al. 2020; assumption"}])
    source: str = Field(min_length=1, description="Where the mechanism and its numbers come from.",
                        examples=["Wang et al. 2022 (arXiv 2203.11171)"])

    @model_validator(mode="after")
    def _fits_kind(self) -> Strategy:
        wanted = set(KIND_PARAMETERS[self.kind])
        if set(self.parameters) != wanted:
            need = ", ".join(sorted(wanted)) or "none"
            raise ValueError(f"a '{self.kind}' strategy takes parameters: {need}; "
                             f"got {', '.join(sorted(self.parameters)) or 'none'}")
        for name, values in self.parameters.items():
            if not values or any(v < 1 for v in values):
                raise ValueError(f"parameter '{name}' needs one or more values of at least 1")
        if (self.kind == "cascade") != bool(self.first_stages):
            raise ValueError("a 'cascade' strategy needs first_stages (tier ids), and only a "
                             "cascade takes them")
        if (self.kind == "retrieval") != (self.retrieval is not None):
            raise ValueError("a 'retrieval' strategy needs a retrieval block (chunk_tokens, "
                             "recall, prices, latency), and only a retrieval strategy takes one")
        missing = [c for c in KIND_CURVE[self.kind] if getattr(self.curve, c) is None]
        if missing:
            raise ValueError(f"a '{self.kind}' strategy needs curve constants: "
                             f"{', '.join(missing)}")
        return self


class FineTune(Ranged):
    """What the tier's host charges to train it and to serve the trained weights.

    The runs themselves (how many examples, what they gain) are ``training:`` options; these
    are the tier's prices they are costed at.
    """

    training_per_1m_tokens: float | None = Field(
        None, ge=0, description="USD per 1M training tokens (LoRA, or the host's default); "
                                "empty where supervised fine-tuning is not offered.",
        examples=[3.0])
    reinforcement_per_hour: float | None = Field(
        None, ge=0, description="USD per hour of reinforcement fine-tuning (the provider's "
                                "price, or GPU hours on your own); empty where it is not "
                                "offered.", examples=[100.0])
    input_per_1m: float = Field(ge=0, description="Serving price of the tuned model, input.",
                                examples=[0.3])
    output_per_1m: float = Field(ge=0, description="Serving price of the tuned model, output.",
                                 examples=[1.2])
    cached_input_per_1m: float | None = Field(
        None, ge=0, description="Serving price of cached input; empty if no prompt caching.",
        examples=[0.15])
    source: str = Field(min_length=1, description="Where the training and serving prices come "
                                                  "from.", examples=["assumption"])


class WithoutThinking(Ranged):
    """A reasoning tier's published scores with its thinking off or at its minimum: what its
    training alone gives, before it spends thinking tokens on a query."""

    scores: dict[str, Annotated[float, Field(gt=0, lt=1)]] = Field(
        min_length=1, description="Single-pass accuracy without extended thinking (its minimal "
                                  "or no-thinking mode, or its non-reasoning sibling on the same "
                                  "base), by benchmark id; each benchmark must also be in the "
                                  "tier's scores. A level whose benchmark is not listed takes "
                                  "the average log-odds drop of its family's listed ones, else "
                                  "of all of them.",
        examples=[{"gpqa_diamond": 0.591, "aime_2024": 0.392}])
    setting: str = Field(min_length=1, description="Which mode or sibling the scores are of.",
                         examples=["DeepSeek-V3, R1's base before reasoning RL"])
    source: str = Field(min_length=1, description="Where the scores were published, and whether "
                                                  "they were checked.",
                        examples=["DeepSeek-R1 paper (arXiv 2501.12948), table 4"])


class TierSize(Ranged):
    """How big a tier is and how long it was pretrained: N and D of the compute view.

    Training compute ≈ 6·N·D and inference ≈ 2·N per token (``economics:``). Only open-weight
    developers publish both; for closed tiers these are third-party estimates or assumptions,
    marked ``estimate: true`` with wide ``ranges``.
    """

    parameters: float = Field(gt=0, description="N: parameters used per token (the active ones "
                                                "for a mixture of experts).", examples=[8.03e9])
    total_parameters: float | None = Field(
        None, gt=0, description="All parameters of a mixture of experts, for reference; empty "
                                "for a dense model.", examples=[1.17e11])
    training_tokens: float = Field(gt=0, description="D: pretraining tokens.",
                                   examples=[1.5e13])
    estimate: bool = Field(description="True when the developer publishes neither N nor D: the "
                                       "figures are a third-party estimate or an assumption.",
                           examples=[False])
    source: str = Field(min_length=1, description="Where N and D come from, and what could not "
                                                  "be checked.",
                        examples=["Llama 3.1 model card (Meta, 2024)"])


class ModelTier(Ranged):
    """A model you can call, with its prices, speed and published single-pass scores."""

    id: str = Field(pattern=IDENTIFIER, description="Unique, stable id; a fine-tunable tier's "
                                                    "tuned variant is '<id>-ft'.",
                    examples=["gpt-4o-mini"])
    name: str = Field(description="Display name.", examples=["GPT-4o mini"])
    price_table_id: str | None = Field(
        None, min_length=1, description="Its id in litellm's price table, which `python -m "
        "advisor prices` checks the prices against; empty for a model the table does not list.",
        examples=["gpt-4o-mini"])
    reasoning: bool = Field(False, description="Thinks (hidden, billed as output) before every "
                                               "answer, with a low, medium or high effort.",
                            examples=[False])
    input_per_1m: float = Field(ge=0, description="USD per 1M input tokens.", examples=[0.15])
    output_per_1m: float = Field(ge=0, description="USD per 1M output tokens (thinking included).",
                                 examples=[0.6])
    cached_input_per_1m: float | None = Field(
        None, ge=0, description="USD per 1M cached input tokens; empty if no prompt caching.",
        examples=[0.075])
    output_tokens_per_s: float = Field(gt=0, description="Decode speed.", examples=[100])
    time_to_first_token_s: float = Field(ge=0, description="Time to first token, seconds "
                                                           "(before any thinking).",
                                         examples=[0.4])
    thinking_scale: float = Field(
        1.0, gt=0, le=10, description="Hidden thinking of a reasoning tier relative to the task's "
                                      "typical thinking_tokens (1 = typical; reasoning tiers "
                                      "only).",
        examples=[1.0, 1.5])
    thinking_skill: float = Field(
        1.0, ge=0, le=2, description="How much of the family's thinking_gain reasoning tokens buy "
                                     "on this tier (1 for tiers trained to reason, lower for the "
                                     "others).", examples=[1.0, 0.3])
    calibrated: bool = Field(False, description="Its confidence is known to track its accuracy "
                                                "on your kind of task without a fine-tune.",
                             examples=[False])
    scores: dict[str, Annotated[float, Field(gt=0, lt=1)]] = Field(
        description="Single-pass accuracy on public benchmarks (ids from benchmarks.yaml) at the "
                    "tier's normal setting (medium effort for a reasoning tier), as published; "
                    "at least one per task family. Levels a tier has no score for are placed by "
                    "one ability-per-tier, difficulty-per-benchmark fit; see quality_source.",
        examples=[{"gsm8k": 0.845, "math": 0.519, "aime_2024": 0.02}])
    price_date: dt.date = Field(description="When the prices were read.", examples=["2026-11-28"])
    price_source: str = Field(min_length=1, description="Where the prices were read.",
                              examples=["litellm 1.110.2, "
                                        "model_prices_and_context_window_backup.json"])
    speed_source: str = Field(min_length=1, description="Where the speed figures come from.",
                              examples=["assumption: typical published range"])
    quality_source: str = Field(min_length=1, description="Where the quality figures come from.",
                                examples=["assumption"])
    series: str | None = Field(
        None, pattern=IDENTIFIER, description="The family of sizes it belongs to (one maker's "
                                              "one design at several sizes, e.g. 'llama-3.1'): "
                                              "the frontier reads its exchange rate along it, "
                                              "one model scaled, as published rates are.",
        examples=["llama-3.1"])
    fine_tune: FineTune | None = Field(
        None, description="Present when the tier can be trained: its training and serving "
                          "prices (the runs are training: options).",
        examples=[{"training_per_1m_tokens": 3.0, "input_per_1m": 0.3, "output_per_1m": 1.2,
                   "source": "assumption"}])
    without_thinking: WithoutThinking | None = Field(
        None, description="A reasoning tier's published score without extended thinking: its "
                          "trained quality. Empty: the family's thinking curve with no "
                          "thinking tokens, never below the benchmark's chance level.",
        examples=[{"scores": {"gpqa_diamond": 0.591}, "setting": "DeepSeek-V3, R1's base",
                   "source": "DeepSeek-R1 paper"}])
    size: TierSize | None = Field(
        None, description="N and D for the compute view (break-even, frontier); empty when "
                          "not even an estimate exists, and the tier is then left out of it.",
        examples=[{"parameters": 8.03e9, "training_tokens": 1.5e13, "estimate": False,
                   "ranges": {"training_tokens": [1.5e13, 1.6e13]},
                   "source": "Llama 3.1 model card (Meta, 2024)"}])


class RefineGain(Strict):
    """Log-odds change from refinement after many rounds, by how answers can be checked."""

    verifiable_steps: float = Field(description="Quality change from refinement when steps can be "
                                                "checked.", examples=[0.05])
    external_judge: float = Field(description="Quality change from refinement with a judge's "
                                              "feedback.", examples=[0.0])
    none: float = Field(description="Quality change from refinement with no feedback at all.",
                        examples=[-0.08])


class FamilyCurve(Ranged):
    """How inference-time compute changes the chance of a correct answer, for one task family.

    Each problem has its own single-attempt success rate p; across problems p follows a Beta
    distribution whose mean is the tier's quality and whose ``dispersion`` (α + β) says how
    spread out problems are: small values mean most problems are either easy or out of reach,
    so sampling more helps little (knowledge); larger values mean many problems are solved
    sometimes, so sampling and voting pay (reasoning, code). Schaeffer et al. 2025.
    """

    label: str = Field(description="Display name of the family.",
                       examples=["Reasoning (math, proofs, multi-step)"])
    thinking_gain: float = Field(
        ge=0, le=30, description="Log-odds that unlimited reasoning adds over answering with "
                                 "none, for a tier with thinking_skill 1; tokens h add "
                                 "thinking_gain × h / (h + thinking_half_tokens).",
        examples=[12])
    thinking_half_tokens: float = Field(
        gt=0, description="Reasoning tokens at which half of thinking_gain is in.", examples=[256])
    dispersion: float = Field(
        gt=0, le=100, description="α + β of the Beta distribution of per-problem success "
                                  "rates; fitted to published sampling curves.", examples=[0.8])
    top_wrong_share: float = Field(
        gt=0, le=1, description="Share of wrong answers that agree on the most common wrong "
                                "answer: majority voting plateaus where it outvotes the right "
                                "one.",
        examples=[0.3])
    refine_gain: RefineGain = Field(description="Log-odds change from refinement after many "
                                                "rounds, by verifiability.",
                                    examples=[{"verifiable_steps": 0.05, "external_judge": 0.0,
                                               "none": -0.08}])
    knowledge_bound: bool = Field(
        False, description="Inference-time compute cannot lift an answer above the best single "
                           "answer some tier gives at this difficulty: it cannot create "
                           "knowledge no model has (knowledge work).", examples=[True])
    closed_book_share: float | None = Field(
        None, ge=0, le=1,
        description="Share of questions about documents the user holds that a model's general "
                    "knowledge answers without them (knowledge_source: documents): a candidate "
                    "that does not retrieve keeps this share of its quality. Empty: the family "
                    "has no such documents and the answer does not apply.", examples=[0.1])
    fine_tuned_share: float | None = Field(
        None, ge=0, le=1,
        description="Of the questions about the user's documents that general knowledge "
                    "misses, the share a supervised fine-tune on those documents answers (it "
                    "learned their facts). Needs closed_book_share.", examples=[0.15])
    source: str = Field(min_length=1, description="Where the curve parameters come from.",
                        examples=["Wang et al. 2022"])

    @model_validator(mode="after")
    def _fine_tuned_share_needs_closed_book(self) -> FamilyCurve:
        if self.fine_tuned_share is not None and self.closed_book_share is None:
            raise ValueError("fine_tuned_share needs closed_book_share: it is a share of the "
                             "questions about your documents that general knowledge misses")
        return self


class EffortScores(Strict):
    """One model's published single-pass scores on a benchmark at its reasoning efforts."""

    model: str = Field(min_length=1, description="A tier id, or the name of a model that is not "
                                                 "a tier (its curve still informs the others).",
                       examples=["gpt-oss-120b"])
    low: float | None = Field(None, ge=0, le=1, description="Score at low effort.",
                              examples=[0.563])
    medium: float = Field(ge=0, le=1, description="Score at medium effort.", examples=[0.804])
    high: float | None = Field(None, ge=0, le=1, description="Score at high effort.",
                               examples=[0.958])
    source: str = Field(min_length=1, description="Model card or paper, and whether it was "
                                                  "checked.", examples=["gpt-oss model card"])


class Benchmark(Strict):
    """A public benchmark whose published single-pass scores anchor every tier at one level."""

    name: str = Field(description="Display name.", examples=["GSM8K"])
    family: Family = Field(description="The task family it measures.", examples=["reasoning"])
    measures: str = Field(description="What one item is, in a few words.",
                          examples=["grade-school math word problems"])
    source: str = Field(min_length=1, description="The paper that defines it.",
                        examples=["Cobbe et al. 2021 (arXiv 2110.14168)"])
    chance: float = Field(0, ge=0, lt=1, description="Accuracy of a random answer (0.25 for "
                                                     "four options; 0 for free-form answers): "
                                                     "no quality, trained or not, is put "
                                                     "below it.", examples=[0.25])
    effort: list[EffortScores] = Field(
        default_factory=list,
        description="Published scores at several reasoning efforts: a reasoning tier's accuracy "
                    "moves with its thinking along the curve they give (advisor/engine/"
                    "effort.py).",
        examples=[[{"model": "gpt-oss-120b", "low": 0.563, "medium": 0.804, "high": 0.958,
                    "source": "gpt-oss model card"}]])


class Verifier(Ranged):
    """How a candidate answer gets checked, for one verifiability answer."""

    recall: float = Field(ge=0, le=1, description="Probability the check accepts a correct "
                                                  "answer.", examples=[0.95])
    false_accept: float = Field(ge=0, le=1, description="Probability the check accepts a wrong "
                                                        "answer.", examples=[0.02])
    latency_s: float = Field(0, ge=0,
                             description="Seconds one check adds (checks run in parallel).",
                             examples=[0.5])
    judge_output_tokens: int = Field(0, ge=0, description="Tokens a judge writes per candidate; "
                                                          "0 = the check is not a model call.",
                                     examples=[50])
    source: str = Field(min_length=1, description="Where the verifier figures come from.",
                        examples=["assumption"])


class DifficultyLevel(Ranged):
    """One difficulty level of a task type, tied to a benchmark."""

    id: str = Field(pattern=IDENTIFIER, description="Unique within the task type, stable id "
                                                    "(lower-case); answers name it in "
                                                    "'difficulty'.",
                    examples=["competition"])
    label: str = Field(description="What the user reads.", examples=["Competition problems"])
    help: str = Field(description="When to pick this level, in one sentence.",
                      examples=["High-school competition problems, AMC to AIME level (MATH)."])
    benchmark: str = Field(description="The benchmark whose scores anchor this level.",
                           examples=["math"])
    offset_logit: float = Field(
        0, ge=-10, le=10, description="Log-odds added to every tier's benchmark score: 0 for the "
                                      "benchmark itself, negative for harder work (an assumption; "
                                      "give it a range).", examples=[-1.0])
    dispersion: float | None = Field(
        None, gt=0, le=100, description="α + β of the per-problem success rates at this level, "
                                        "when it differs from the family's.", examples=[2.0])
    verifiers: dict[Verifiability, Verifier] = Field(
        default_factory=dict,
        description="How checks behave at this level, where they differ from settings' "
                    "verifiers (a repository's tests pass more wrong patches than a unit test "
                    "passes wrong functions).",
        examples=[{"verifiable_steps": {"recall": 0.9, "false_accept": 0.3, "latency_s": 60,
                                        "source": "assumption"}}])
    source: str | None = Field(None, description="Where this level's own numbers (dispersion, "
                                                 "offset, verifiers) come from.",
                               examples=["dispersion fitted to Minerva 540B on MATH"])


class TaskProfile(Ranged):
    """Token shape and difficulty levels of one task type (answers may override token sizes)."""

    family: Family = Field(description="The task family whose quality curve applies.",
                           examples=["reasoning"])
    prompt_tokens: int = Field(gt=0, description="Prompt tokens per query.", examples=[300])
    answer_tokens: int = Field(gt=0, description="Answer tokens per query.", examples=[200])
    reasoning_tokens: int = Field(
        ge=0, description="Visible reasoning a non-reasoning model writes by default before the "
                          "answer; the tiers' quality includes it.", examples=[1500])
    thinking_tokens: int = Field(
        ge=0, description="Hidden thinking of a typical reasoning tier at medium effort on this "
                          "task, per call.", examples=[6000])
    difficulties: list[DifficultyLevel] = Field(
        min_length=1, description="The levels users choose from, easiest first.",
        examples=[[{"id": "competition", "label": "Competition problems",
                    "help": "AMC to AIME level (MATH).", "benchmark": "math"}]])
    default_difficulty: str = Field(description="The level used when the answers name none.",
                                    examples=["competition"])
    source: str = Field(min_length=1, description="Where the token sizes come from.",
                        examples=["assumption: typical sizes"])

    @model_validator(mode="after")
    def _levels(self) -> TaskProfile:
        ids = [level.id for level in self.difficulties]
        if len(set(ids)) != len(ids):
            raise ValueError(f"difficulty ids must be unique, got {', '.join(ids)}")
        if self.default_difficulty not in ids:
            raise ValueError(f"default_difficulty '{self.default_difficulty}' is not one of the "
                             f"levels: {', '.join(ids)}")
        return self

    def level(self, difficulty: str | None) -> DifficultyLevel:
        """The level named ``difficulty``, or the default one for None."""
        wanted = difficulty or self.default_difficulty
        return next(level for level in self.difficulties if level.id == wanted)


class ThinkingEffort(Strict):
    """Hidden thinking at each effort, as a multiple of the task's thinking_tokens."""

    low: float = Field(0.3, gt=0, description="Multiple of the task's thinking_tokens at low "
                                               "effort.", examples=[0.3])
    medium: float = Field(1.0, gt=0, description="Multiple at medium effort (the effort tiers' "
                                                 "quality is quoted at).", examples=[1.0])
    high: float = Field(3.0, gt=0, description="Multiple at high effort.", examples=[3.0])

    @model_validator(mode="after")
    def _ordered(self) -> ThinkingEffort:
        if not self.low <= self.medium <= self.high:
            raise ValueError("thinking effort multiples must grow: low ≤ medium ≤ high")
        return self


class DecisionMapAxes(Strict):
    """Ranges of the decision map (log-spaced)."""

    latency_min_s: float = Field(0.1, gt=0, description="Shortest latency budget on the map, "
                                                       "seconds.", examples=[0.1])
    latency_max_s: float = Field(600, gt=0, description="Longest latency budget on the map, "
                                                       "seconds.", examples=[600])
    budget_min_usd: float = Field(0.0001, gt=0, description="Smallest per-query budget on the "
                                                            "map, USD.", examples=[0.0001])
    budget_max_usd: float = Field(10, gt=0, description="Largest per-query budget on the map, "
                                                        "USD.", examples=[10])
    points: int = Field(50, ge=2, le=200, description="Grid points per axis.", examples=[50])


class Settings(Strict):
    """Engine settings: the objective, the verdict margin, thinking and verification."""

    days_per_month: float = Field(30, gt=0, description="Days used to turn daily volume into "
                                                        "monthly cost.", examples=[30])
    quality_tolerance: float = Field(
        0.01, ge=0, lt=1, description="Options within this much expected quality of the best "
                                      "that fits count as equal: the cheapest of them is "
                                      "recommended, then the fastest.", examples=[0.01])
    horizon_days: int = Field(
        365, gt=0, le=36500, description="Horizon over which a one-time training cost is spread "
                                         "across the queries when options are compared on cost, "
                                         "and the break-even chart's span.", examples=[365])
    combined_margin: float = Field(
        0.25, ge=0, lt=0.5, description="The verdict is 'combined' when each side's share of "
                                        "the quality gain over the baseline is at least this; "
                                        "the same margin decides when the trade-off table's "
                                        "pushes balance.", examples=[0.25])
    thinking_effort: ThinkingEffort = Field(
        default_factory=ThinkingEffort,
        description="Hidden thinking per call at each effort of a reasoning tier, as a multiple "
                    "of the task's thinking_tokens.",
        examples=[{"low": 0.3, "medium": 1.0, "high": 3.0}])
    verifiers: dict[Verifiability, Verifier] = Field(
        description="How candidates are checked, for each verifiability answer.",
        examples=[{"verifiable_steps": {"recall": 0.95, "false_accept": 0.02, "latency_s": 0.5,
                                        "source": "assumption"},
                   "external_judge": {"recall": 0.85, "false_accept": 0.25,
                                      "judge_output_tokens": 50, "source": "assumption"},
                   "none": {"recall": 1.0, "false_accept": 1.0, "source": "assumption"}}])
    decision_map: DecisionMapAxes = Field(default_factory=DecisionMapAxes,
                                          description="Ranges of the decision map.",
                                          examples=[{"latency_min_s": 0.1, "latency_max_s": 600,
                                                     "budget_min_usd": 0.0001,
                                                     "budget_max_usd": 10, "points": 50}])

    @model_validator(mode="after")
    def _all_verifiers(self) -> Settings:
        missing = [v.value for v in Verifiability if v not in self.verifiers]
        if missing:
            raise ValueError(f"verifiers needs an entry for: {', '.join(missing)}")
        return self


class PublishedRate(Strict):
    """A published exchange rate between training and inference compute, shown beside the
    frontier's own."""

    source: str = Field(min_length=1, description="Who published it, where.",
                        examples=["Villalobos & Atkinson 2023 (Epoch AI)"])
    setting: str = Field(min_length=1, description="The technique and task it was measured on.",
                         examples=["repeated sampling with filtering, code generation"])
    training_oom: float = Field(gt=0, description="Orders of magnitude of training compute "
                                                  "saved.", examples=[1.0])
    inference_oom: float = Field(gt=0, description="Orders of magnitude more inference "
                                                   "compute per query that make up for it.",
                                 examples=[1.5])
    checked: bool = Field(description="True when the figure was read in the publication (or "
                                      "the publisher's own page); false when only quoted "
                                      "second-hand.", examples=[True])
    families: list[Family] = Field(
        default_factory=list, description="Task families the rate is compared with; empty: "
                                          "shown beside every frontier but compared with none.",
        examples=[["reasoning", "code"]])
    verifiabilities: list[Verifiability] = Field(
        default_factory=list, description="Only for work checkable this way; empty: any.",
        examples=[["verifiable_steps"]])

    @property
    def per_10x_training(self) -> float:
        """Times less inference compute 10× more training compute buys."""
        return 10 ** (self.inference_oom / self.training_oom)


class Economics(Strict):
    """Parameters of the break-even between training and inference-time compute."""

    training_flops_per_parameter_token: float = Field(
        6, gt=0, description="Training FLOPs ≈ this × N × D (Kaplan et al. 2020).", examples=[6])
    inference_flops_per_parameter_token: float = Field(
        2, gt=0, description="Inference FLOPs ≈ this × N per token processed.", examples=[2])
    flops_source: str = Field(min_length=1, description="Where the two FLOPs factors come from.",
                              examples=["Kaplan et al. 2020; Hoffmann et al. 2022"])
    lifetime_requests_threshold: float = Field(
        gt=0, description="Lifetime requests from which inference demand should shape training "
                          "(smaller model, trained longer).", examples=[1.0e9])
    threshold_source: str = Field(min_length=1, description="Where the threshold comes from.",
                                  examples=["Sardana et al. 2023 (arXiv 2401.00448)"])
    frontier_offsets: list[Annotated[float, Field(ge=-1, le=1)]] = Field(
        default_factory=lambda: [-0.1, -0.05, 0.05, 0.1], max_length=8,
        description="Quality targets of the frontier beside the recommended quality, as "
                    "differences from it (0.05 = five points more); targets outside (0, 1] "
                    "or that no option reaches are left out.", examples=[[-0.1, -0.05, 0.05]])
    published_rates: list[PublishedRate] = Field(
        default_factory=list, description="Published exchange rates shown beside the "
                                          "frontier's.",
        examples=[[{"source": "Villalobos & Atkinson 2023 (Epoch AI)",
                    "setting": "repeated sampling with filtering", "training_oom": 1.0,
                    "inference_oom": 1.5, "checked": True}]])


class RulesFile(Strict):
    """One YAML file of the rules directory; every section is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Advisor rules file")

    description: str | None = Field(None, description="What this file holds.",
                                    examples=["Rules encoding the trade-off table of the "
                                              "reference article."])
    questions: list[Question] | None = Field(
        None, description="How each answer field is asked in the app (one entry per answer "
                          "field).",
        examples=[[{"field": "high_stakes", "label": "Regulated or high-stakes decisions?",
                    "help": "Tick for compliance work.", "default": False,
                    "options": [{"value": False, "label": "No"},
                                {"value": True, "label": "Yes"}]}]])
    rules: list[Rule] | None = Field(
        None, description="The advice. A rule fires when its 'when' condition holds and applies "
                          "its effects.",
        examples=[[{"id": "knowledge-task-favours-training",
                    "when": {"field": "task_type", "eq": "knowledge_qa"}, "push": "training",
                    "weight": 2, "because": "Inference-time compute cannot create knowledge.",
                    "source": "Inference-Time Scaling vs Training Compute, section 'When "
                              "Training Compute Still Dominates'"}]])
    strategies: list[Strategy] | None = Field(
        None, description="The inference-time strategies the advisor can recommend.",
        examples=[[{"id": "single_pass", "name": "Single pass", "kind": "single_pass",
                    "light": True, "description": "One call.", "source": "baseline"}]])
    models: list[ModelTier] | None = Field(
        None, description="Model tiers with prices, speeds and published single-pass scores per "
                          "benchmark.",
        examples=[[{"id": "gpt-4o-mini", "name": "GPT-4o mini", "price_table_id": "gpt-4o-mini",
                    "input_per_1m": 0.15, "output_per_1m": 0.6, "output_tokens_per_s": 80,
                    "time_to_first_token_s": 0.4, "thinking_skill": 0.3,
                    "scores": {"math": 0.702, "humaneval": 0.872, "mmlu": 0.82, "simpleqa": 0.09,
                               "label_accuracy": 0.8, "acceptable_answer": 0.55},
                    "price_date": "2026-11-28", "price_source": "litellm",
                    "speed_source": "assumption", "quality_source": "assumption"}]])
    families: dict[Family, FamilyCurve] | None = Field(
        None, description="Quality-curve parameters per task family.",
        examples=[{"reasoning": {"label": "Reasoning", "thinking_gain": 16,
                                 "thinking_half_tokens": 256, "dispersion": 0.5,
                                 "top_wrong_share": 0.3,
                                 "refine_gain": {"verifiable_steps": 0.3, "external_judge": 0.0,
                                                 "none": -1.2},
                                 "source": "Wang et al. 2022"}}])
    benchmarks: dict[str, Benchmark] | None = Field(
        None, description="Public benchmarks whose published single-pass scores anchor the model "
                          "tiers at each difficulty level of a task type.",
        examples=[{"gsm8k": {"name": "GSM8K", "family": "reasoning",
                             "measures": "grade-school math word problems",
                             "source": "Cobbe et al. 2021 (arXiv 2110.14168)"}}])
    tasks: dict[TaskType, TaskProfile] | None = Field(
        None, description="Token shape, family and difficulty levels of each task type.",
        examples=[{"math": {"family": "reasoning", "prompt_tokens": 300, "answer_tokens": 200,
                            "reasoning_tokens": 800, "thinking_tokens": 6000,
                            "difficulties": [{"id": "competition", "label": "Competition problems",
                                              "help": "AMC to AIME level (MATH).",
                                              "benchmark": "math"}],
                            "default_difficulty": "competition", "source": "assumption"}}])
    settings: Settings | None = Field(
        None, description="Engine settings (one file defines them).",
        examples=[{"quality_tolerance": 0.01, "combined_margin": 0.25,
                   "verifiers": {"verifiable_steps": {"recall": 0.95, "false_accept": 0.02,
                                                      "source": "assumption"},
                                 "external_judge": {"recall": 0.85, "false_accept": 0.25,
                                                    "judge_output_tokens": 50,
                                                    "source": "assumption"},
                                 "none": {"recall": 1.0, "false_accept": 1.0,
                                          "source": "assumption"}}}])
    economics: Economics | None = Field(
        None, description="Break-even parameters between a training investment and inference-time "
                          "compute, and the frontier's quality targets and published exchange "
                          "rates (one file defines them).",
        examples=[{"flops_source": "Kaplan et al. 2020", "lifetime_requests_threshold": 1.0e9,
                   "threshold_source": "Sardana et al. 2023",
                   "frontier_offsets": [-0.1, -0.05, 0.05, 0.1],
                   "published_rates": [{"source": "Villalobos & Atkinson 2023 (Epoch AI)",
                                        "setting": "repeated sampling with filtering",
                                        "training_oom": 1.0, "inference_oom": 1.5,
                                        "checked": True}]}])
    training: TrainingCatalogue | None = Field(
        None, description="The training runs a team can pay for once: supervised fine-tunes, "
                          "distillations, reinforcement fine-tunes and calibrations, each at a "
                          "few sizes, costed from their inputs (one file defines them).",
        examples=[{"options": [{"id": "calibrate", "name": "Post-hoc calibration",
                                "kind": "calibration", "description": "Fit confidence to "
                                "accuracy on labelled held-out answers.", "sizes": [1000],
                                "reference_size": 1000, "tokens_per_example": 800,
                                "label_usd_per_example": 0.5, "calibrates": True,
                                "source": "Guo et al. 2017"}]}])


class RuleSet(Strict):
    """Everything the engine needs, merged from a rules directory and cross-checked."""

    questions: list[Question]
    rules: list[Rule]
    strategies: list[Strategy]
    models: list[ModelTier]
    families: dict[str, FamilyCurve]
    benchmarks: dict[str, Benchmark]
    tasks: dict[str, TaskProfile]
    settings: Settings
    economics: Economics | None = Field(None, description="Break-even parameters, if any file "
                                                          "defines them.")
    training: TrainingCatalogue = Field(default_factory=lambda: TrainingCatalogue(options=[]),
                                        description="The training runs on offer.")
    version: str = Field(description="Hash of the rules files' contents.")
    files: list[str] = Field(default_factory=list)
    _memo: dict = PrivateAttr(default_factory=dict)

    def memo(self, key: tuple, build: Callable[[], Any]) -> Any:
        """``build()`` computed once per rule set and ``key``, then reused.

        The public way to keep a table derived from the rules (candidate tables, compiled
        conditions, intervals); no other module reads or writes the cache itself.

        Args:
            key: names the derived table and what else it depends on, e.g.
                ``("candidates", workload)``; hashable.
            build: computes the table from this rule set when the key is new.

        Returns:
            The table built for ``key``, the same object on every later call.

        Why on the rule set: what is cached depends only on the rules (and the key), so it
        lives and dies with them; a new rules version, or a copy with other values
        (:meth:`model_copy`), starts empty, and nothing has to be invalidated by hand.
        """
        memo = self.__pydantic_private__["_memo"]  # Why not self._memo: pydantic's lookup is slow
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = build()
            return value

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False
                   ) -> RuleSet:
        """A copy with ``update`` applied, starting with an empty :meth:`memo` cache.

        Why: pydantic's copy shares the cache, whose tables were derived from this rule set's
        values; a copy with other values (an interval's sampled rules) must build its own.
        """
        copy = super().model_copy(update=update, deep=deep)
        object.__setattr__(copy, "__pydantic_private__",
                           {**copy.__pydantic_private__, "_memo": {}})
        return copy

    def strategy(self, strategy_id: str) -> Strategy:
        return next(s for s in self.strategies if s.id == strategy_id)

    def model(self, model_id: str) -> ModelTier:
        return next(m for m in self.models if m.id == model_id)

    def question(self, field: str) -> Question:
        return next(q for q in self.questions if q.field == field)

    def training_option(self, option_id: str) -> TrainingOption:
        return next(o for o in self.training.options if o.id == option_id)

    def verifier(self, task_type: str, difficulty: str | None, verifiability: str) -> Verifier:
        """How a candidate is checked at this level: the level's own verifier, else settings'."""
        level = self.tasks[task_type].level(difficulty)
        return level.verifiers.get(verifiability) or self.settings.verifiers[verifiability]


def fields_of(cond: Condition) -> set[str]:
    """Every answer field ``cond`` tests, at any depth."""
    children = (cond.all or []) + (cond.any or []) + ([cond.not_] if cond.not_ else [])
    found = {cond.field} if cond.field else set()
    for child in children:
        found |= fields_of(child)
    return found
