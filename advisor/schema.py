"""Pydantic models of the rules directory: questions, rules, strategies, model tiers, curves.

Every YAML file under ``rules/`` is a :class:`RulesFile`; the loader merges them into a
:class:`RuleSet`. Field descriptions here are what editors show (the JSON Schema is generated from
these models), so they are written for the people who edit the YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator,
                      model_validator)

from advisor.answers import TaskType, Verifiability
from advisor.limits import MAX_CONDITIONS_PER_RULE, sane_numbers

Verdict = Literal["inference_time", "training", "combined"]
Family = Literal["reasoning", "code", "knowledge", "classification", "open_ended"]
StrategyKind = Literal["single_pass", "chain_of_thought", "majority_vote", "verified_sampling",
                       "tree_search", "refinement"]
IDENTIFIER = r"^[a-z0-9][a-z0-9_.-]*$"

# Which tunable parameters each kind of strategy takes (their candidate values live in YAML).
KIND_PARAMETERS: dict[str, tuple[str, ...]] = {
    "single_pass": (),
    "chain_of_thought": ("thinking_tokens",),
    "majority_vote": ("samples",),
    "verified_sampling": ("samples",),
    "tree_search": ("breadth", "depth"),
    "refinement": ("rounds",),
}
# Which curve constants each kind needs.
KIND_CURVE: dict[str, tuple[str, ...]] = {
    "single_pass": (),
    "chain_of_thought": (),
    "majority_vote": ("vote_exponent",),
    "verified_sampling": ("coverage_exponent",),
    "tree_search": ("coverage_exponent", "search_efficiency_max"),
    "refinement": ("round_decay",),
}


class Strict(BaseModel):
    """Base: unknown keys are errors, instances are immutable, every number is finite and sane."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    # Why every field: 1e308 is finite, yet a price of it makes every cost infinite.
    _sane_numbers = field_validator("*")(sane_numbers)


# --- questions -----------------------------------------------------------------------------------

class Option(Strict):
    """One choice of a categorical question."""

    value: str | bool = Field(description="The stored value, as used in answers and rules.",
                              examples=["math", True])
    label: str = Field(description="What the user sees.", examples=["Math"])
    help: str = Field("", description="One sentence explaining when to pick this option.")


class Question(Strict):
    """How one answer field is asked in the app."""

    field: str = Field(description="The answer field this question fills.",
                       examples=["latency_budget_s"])
    label: str = Field(description="The question as the user reads it.",
                       examples=["Slowest acceptable response"])
    help: str = Field(description="Help text shown beside the question.")
    unit: str = Field("", description="Unit shown next to the value.", examples=["seconds"])
    default: Any = Field(description="Value used when the user has not answered.", examples=[10])
    min: float | None = Field(None, description="Smallest value the widget offers (numbers).")
    max: float | None = Field(None, description="Largest value the widget offers (numbers).")
    step: float | None = Field(None, gt=0, description="Widget step (numbers).")
    options: list[Option] | None = Field(None, description="The choices (categorical questions).")

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
    ``{field: latency_budget_s, lt: 1}`` or ``{field: task_type, in: [math, formal_verification]}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    all: list[Condition] | None = Field(None, description="True when every condition is true.")
    any: list[Condition] | None = Field(None, description="True when one condition is true.")
    not_: Condition | None = Field(None, alias="not", description="True when this one is false.")
    field: str | None = Field(None, description="Answer field to test.",
                              examples=["task_type", "latency_budget_s"])
    eq: str | float | bool | None = Field(None, description="Field equals this value.")
    ne: str | float | bool | None = Field(None, description="Field differs from this value.")
    in_: list[str | float | bool] | None = Field(None, alias="in",
                                                 description="Field is one of these values.")
    not_in: list[str | float | bool] | None = Field(None, description="Field is none of these.")
    lt: float | None = Field(None, description="Field is less than this number.")
    le: float | None = Field(None, description="Field is at most this number.")
    gt: float | None = Field(None, description="Field is greater than this number.")
    ge: float | None = Field(None, description="Field is at least this number.")

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
    """One piece of advice: when the condition holds, apply the effects, and say why."""

    id: str = Field(pattern=IDENTIFIER, description="Unique, stable id (lower-case, dashes).",
                    examples=["latency-sub-second"])
    when: Condition = Field(description="When the rule fires.")
    push: Literal["inference_time", "training"] | None = Field(
        None, description="Which way the rule pushes the verdict.")
    weight: float = Field(1.0, gt=0, le=10, description="How hard it pushes (1 = one table row).")
    exclude: list[str] = Field(default_factory=list,
                               description="Strategy ids this rule rules out.")
    favour: list[str] = Field(default_factory=list,
                              description="Strategy ids this rule prefers among near-equals.")
    caveat: str | None = Field(None, description="A warning shown with the recommendation.")
    because: str = Field(min_length=1, description="One sentence users read: why this holds.")
    source: str = Field(min_length=1, description="Article section or paper this rests on.")

    @model_validator(mode="after")
    def _has_effect(self) -> Rule:
        if not (self.push or self.exclude or self.favour or self.caveat):
            raise ValueError("a rule needs at least one effect: push, exclude, favour or caveat")
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

class Curve(Strict):
    """Constants of a strategy's quality curve (which ones depends on its kind)."""

    vote_exponent: float | None = Field(
        None, gt=0, description="c in acc(k) = acc_inf - (acc_inf - acc_1) * k^-c.")
    coverage_exponent: float | None = Field(
        None, gt=0, description="b in coverage(k) = p^(k^-b) (Large Language Monkeys fit).")
    search_efficiency_max: float | None = Field(
        None, ge=1, description="Samples-equivalent gain of step-level search over best-of-N.")
    round_decay: float | None = Field(
        None, gt=0, lt=1, description="Share of the remaining refinement gain each round leaves.")


class Strategy(Strict):
    """An inference-time strategy: how one answer is produced, and its tunable parameters."""

    id: str = Field(pattern=IDENTIFIER, examples=["self_consistency"])
    name: str = Field(description="Display name.", examples=["Self-consistency"])
    kind: StrategyKind = Field(description="Which cost, latency and quality formulas apply.")
    light: bool = Field(description="Cheap enough to accompany a training-side recommendation.")
    description: str = Field(description="What it does, in one or two sentences.")
    parameters: dict[str, list[int]] = Field(
        default_factory=dict, description="Candidate values of each tunable parameter.",
        examples=[{"samples": [5, 10, 20]}])
    curve: Curve = Field(default_factory=Curve, description="Quality-curve constants.")
    source: str = Field(min_length=1, description="Where the mechanism and its numbers come from.")

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
        missing = [c for c in KIND_CURVE[self.kind] if getattr(self.curve, c) is None]
        if missing:
            raise ValueError(f"a '{self.kind}' strategy needs curve constants: {', '.join(missing)}")
        return self


class FineTune(Strict):
    """What a fine-tune of a tier costs and buys."""

    training_per_1m_tokens: float = Field(ge=0, description="USD per 1M training tokens.")
    training_tokens: int = Field(gt=0, description="Tokens in one run (examples × length × epochs).")
    fixed_cost_usd: float = Field(0, ge=0, description="Data preparation and evaluation, USD.")
    input_per_1m: float = Field(ge=0, description="Serving price of the tuned model, input.")
    output_per_1m: float = Field(ge=0, description="Serving price of the tuned model, output.")
    quality_gain: dict[Family, Annotated[float, Field(ge=-1, le=1)]] = Field(
        description="Absolute quality gain on in-domain work, per task family.")
    source: str = Field(min_length=1)

    @property
    def run_cost_usd(self) -> float:
        """One run, data preparation included."""
        return self.training_tokens * self.training_per_1m_tokens / 1e6 + self.fixed_cost_usd


class ModelTier(Strict):
    """A model you can call, with its prices, speed and quality per task family."""

    id: str = Field(pattern=IDENTIFIER, examples=["gpt-4o-mini"])
    name: str = Field(description="Display name.")
    price_table_id: str = Field(description="Its id in the price table the prices come from.")
    reasoning: bool = Field(False, description="Spends hidden thinking tokens on every call.")
    input_per_1m: float = Field(ge=0, description="USD per 1M input tokens.")
    output_per_1m: float = Field(ge=0, description="USD per 1M output tokens (thinking included).")
    cached_input_per_1m: float | None = Field(
        None, ge=0, description="USD per 1M cached input tokens; empty if no prompt caching.")
    output_tokens_per_s: float = Field(gt=0, description="Decode speed.")
    time_to_first_token_s: float = Field(ge=0, description="Time to first token, seconds.")
    thinking_tokens: int = Field(0, ge=0, description="Hidden thinking tokens billed per call.")
    cot_gain_scale: float = Field(1.0, ge=0, le=1,
                                  description="Share of the chain-of-thought gain still open "
                                              "(lower for models that already reason).")
    quality: dict[Family, Annotated[float, Field(ge=0, le=1)]] = Field(
        description="Single-pass quality index (0-1) per family.")
    price_date: dt.date = Field(description="When the prices were read.")
    price_source: str = Field(min_length=1)
    speed_source: str = Field(min_length=1)
    quality_source: str = Field(min_length=1)
    fine_tune: FineTune | None = Field(None, description="Present when the tier can be fine-tuned.")


class RefineGain(Strict):
    """Absolute quality change from refinement, by how answers can be checked."""

    verifiable_steps: float
    external_judge: float
    none: float


class FamilyCurve(Strict):
    """Quality-curve parameters shared by the task types of one family."""

    label: str
    ceiling: float = Field(gt=0, le=1, description="Best quality reachable by any strategy.")
    cot_gain: float = Field(ge=0, le=1, description="Share of the headroom chain-of-thought closes.")
    cot_scale_tokens: float = Field(
        gt=0, description="Thinking tokens at which ~63% of the chain-of-thought gain is in.")
    vote_gain: float = Field(ge=0, le=2,
                             description="g in acc_inf = p + g·p·(ceiling - p): the most majority "
                                         "voting can add to single-sample accuracy p.")
    refine_gain: RefineGain = Field(description="Quality change from refinement, by verifiability.")
    source: str = Field(min_length=1)


class TaskProfile(Strict):
    """Token shape of one task type."""

    family: Family
    prompt_tokens: int = Field(gt=0)
    answer_tokens: int = Field(gt=0)
    reasoning_tokens: int = Field(ge=0, description="Visible chain-of-thought tokens per sample.")
    source: str = Field(min_length=1)


class Verifier(Strict):
    """How a candidate answer gets checked, for one verifiability answer."""

    precision: float = Field(ge=0, le=1, description="Share of the coverage gain the check keeps.")
    latency_s: float = Field(0, ge=0, description="Seconds one check adds (checks run in parallel).")
    judge_output_tokens: int = Field(0, ge=0, description="Tokens a judge writes per candidate; "
                                                          "0 = the check is not a model call.")
    source: str = Field(min_length=1)


class DecisionMapAxes(Strict):
    """Ranges of the decision map (log-spaced)."""

    latency_min_s: float = Field(0.1, gt=0)
    latency_max_s: float = Field(600, gt=0)
    budget_min_usd: float = Field(0.0001, gt=0)
    budget_max_usd: float = Field(10, gt=0)
    points: int = Field(50, ge=2, le=200)


class Settings(Strict):
    """Engine settings."""

    days_per_month: float = Field(30, gt=0)
    combined_margin: float = Field(
        0.25, ge=0, lt=1, description="Verdict is 'combined' when |inference - training| is at most "
                                      "this share of their sum.")
    favour_bonus: float = Field(0.02, ge=0, le=1,
                                description="Ranking bonus (quality points) of favoured strategies.")
    verifiers: dict[Verifiability, Verifier]
    decision_map: DecisionMapAxes = Field(default_factory=DecisionMapAxes)

    @model_validator(mode="after")
    def _all_verifiers(self) -> Settings:
        missing = [v.value for v in Verifiability if v not in self.verifiers]
        if missing:
            raise ValueError(f"verifiers needs an entry for: {', '.join(missing)}")
        return self


class ModelSize(Strict):
    """A model tier's parameter count, for the FLOPs view of the break-even."""

    parameters: float = Field(gt=0, description="N, the number of parameters.",
                              examples=[8.0e9])
    source: str = Field(min_length=1, description="Where N comes from (or 'assumption').",
                        examples=["Llama 3.1 model card (Meta, 2024)"])


class Economics(Strict):
    """Parameters of the break-even between training and inference-time compute."""

    horizon_days: int = Field(365, gt=0, description="How far the cumulative-cost chart looks.",
                              examples=[365])
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
    model_sizes: dict[str, ModelSize] = Field(
        default_factory=dict, description="Parameter count N of each model tier, by model id.",
        examples=[{"llama-3.1-8b": {"parameters": 8.0e9, "source": "Llama 3.1 model card"}}])


class RulesFile(Strict):
    """One YAML file of the rules directory; every section is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Advisor rules file")

    description: str | None = Field(None, description="What this file holds.")
    questions: list[Question] | None = None
    rules: list[Rule] | None = None
    strategies: list[Strategy] | None = None
    models: list[ModelTier] | None = None
    families: dict[Family, FamilyCurve] | None = None
    tasks: dict[TaskType, TaskProfile] | None = None
    settings: Settings | None = None
    economics: Economics | None = None


class RuleSet(Strict):
    """Everything the engine needs, merged from a rules directory and cross-checked."""

    questions: list[Question]
    rules: list[Rule]
    strategies: list[Strategy]
    models: list[ModelTier]
    families: dict[str, FamilyCurve]
    tasks: dict[str, TaskProfile]
    settings: Settings
    economics: Economics | None = Field(None, description="Break-even parameters, if any file "
                                                          "defines them.")
    version: str = Field(description="Hash of the rules files' contents.")
    files: list[str] = Field(default_factory=list)
    _memo: dict = PrivateAttr(default_factory=dict)

    def strategy(self, strategy_id: str) -> Strategy:
        return next(s for s in self.strategies if s.id == strategy_id)

    def model(self, model_id: str) -> ModelTier:
        return next(m for m in self.models if m.id == model_id)

    def question(self, field: str) -> Question:
        return next(q for q in self.questions if q.field == field)
