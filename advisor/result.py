"""The result of a recommendation: what the engine returns and every renderer reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.answers import Answers
from advisor.schema import Verdict


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class FiredRule(Frozen):
    """A rule that fired, with what it did."""

    id: str
    because: str
    source: str
    effects: list[str] = Field(description="What the rule did, e.g. 'pushes training ×2'.")


class Caveat(Frozen):
    """A warning that goes with the recommendation."""

    text: str
    rule_id: str | None = Field(description="The rule that raised it; None for the engine's own.")
    source: str


class Scores(Frozen):
    inference_time: float
    training: float


class Configuration(Frozen):
    """A strategy with its parameter values on a model tier (base or fine-tuned)."""

    strategy: str
    strategy_name: str
    model: str
    model_name: str
    fine_tuned: bool
    parameters: dict[str, int]


class Estimate(Configuration):
    """One candidate configuration and its estimated figures."""

    calls: int = Field(description="Model calls per query (judge calls included).")
    cost_usd: float = Field(description="Cost per query, USD.")
    latency_s: float = Field(description="Time to the final answer, seconds.")
    expected_quality: float = Field(description="Expected quality index, 0-1.")
    monthly_cost_usd: float = Field(description="cost_usd × queries_per_day × days per month.")
    fits_latency: bool
    fits_budget: bool
    feasible: bool = Field(description="Fits both the latency and the per-query budget.")
    available: bool = Field(description="Allowed by the verdict, the rules and the training budget.")
    unavailable_reason: str | None = None


class BrokenConstraint(Frozen):
    """A budget the closest option does not meet."""

    answer: Literal["latency_budget_s", "budget_per_query_usd"]
    needed: float
    allowed: float


class TrainingAdvice(Frozen):
    """Where to spend training compute."""

    action: Literal["fine_tune", "larger_model"] = Field(
        description="fine_tune: run a fine-tune within the training budget; larger_model: serve a "
                    "larger, better-trained tier (no run is feasible or none pays off).")
    model: str = Field(description="The model to serve.")
    model_name: str
    base_model: str | None = Field(description="The tier that gets fine-tuned, for fine_tune.")
    one_time_cost_usd: float
    training_budget_usd: float


class CostOption(Configuration):
    """One side of the break-even: a configuration, what it costs once and per query."""

    one_time_cost_usd: float = Field(description="Training spend before the first query.")
    cost_per_query_usd: float
    latency_s: float
    expected_quality: float
    tokens_per_query: float = Field(description="Prompt tokens read per call plus tokens written.")
    inference_flops_per_query: float | None = Field(
        description="2·N × tokens_per_query; None when the tier's size N is unknown.")
    training_flops: float | None = Field(
        description="6·N·D of the fine-tune; None for a provider's tier or unknown N.")


class BreakEven(Frozen):
    """Cumulative cost of inference-time compute against a training investment, for one profile.

    Cumulative cost after n queries: ``one_time_cost_usd + n · cost_per_query_usd`` per option.
    """

    kind: Literal["fine_tune", "larger_model"] = Field(
        description="The training investment: a fine-tune within the training budget, or a "
                    "larger, better-trained tier.")
    target_quality: float = Field(description="Quality both options must reach: the training "
                                              "option's expected quality.")
    training: CostOption
    inference: CostOption | None = Field(
        description="Cheapest inference-time option reaching the target; None when none can "
                    "within the latency budget.")
    outcome: Literal["pays_off", "cheaper_from_start", "never", "inference_unreachable"] = Field(
        description="pays_off: training costs more up front and less per query; "
                    "cheaper_from_start: training is never more expensive; never: inference-time "
                    "stays cheaper; inference_unreachable: only training reaches the target.")
    saving_per_query_usd: float | None = Field(
        description="Inference-time cost per query minus the training option's.")
    break_even_queries: float | None = Field(
        description="one-time cost / saving per query; None when never or unreachable.")
    break_even_days: float | None = Field(
        description="break_even_queries / queries_per_day; None when never or no traffic.")
    queries_per_day: int
    horizon_days: int
    days: list[float] = Field(description="Chart x values: 0, the break-even day if within the "
                                          "horizon, the horizon.")
    cumulative_training_usd: list[float]
    cumulative_inference_usd: list[float] | None
    break_even_flops_queries: float | None = Field(
        description="Queries after which the fine-tune's training FLOPs are repaid by the "
                    "inference FLOPs it saves; None when not computable or never.")
    lifetime_queries: float = Field(description="queries_per_day × horizon_days.")
    beyond_chinchilla: bool = Field(description="lifetime_queries reaches the threshold from "
                                                "which inference demand should shape training.")
    sources: list[str]


class Turn(Configuration):
    """The nearest change of one answer that changes the verdict or the recommended strategy."""

    field: str = Field(description="The answer field that changes.")
    value: bool | int | float | str = Field(description="The new value at which the outcome changes.")
    relation: Literal["at_least", "above", "at_most", "below", "equals"] = Field(
        description="at_least / above: from this value upward; at_most / below: from this value "
                    "down; equals: a categorical or yes/no answer set to this value.")
    changes: list[Literal["verdict", "strategy", "training"]] = Field(
        description="What differs from the current recommendation.")
    verdict: Verdict
    feasible: bool


class Recommendation(Frozen):
    """An explained recommendation with its estimates."""

    verdict: Verdict
    scores: Scores
    strategy: str
    strategy_name: str
    parameters: dict[str, int]
    model: str
    model_name: str
    training: TrainingAdvice | None
    feasible: bool = Field(description="False when nothing fits the budgets; then `chosen` is the "
                                       "closest option and `broken_constraints` says what it breaks.")
    broken_constraints: list[BrokenConstraint]
    chosen: Estimate
    fired_rules: list[FiredRule]
    caveats: list[Caveat]
    estimates: list[Estimate]
    rules_version: str
    answers: Answers
    break_even: BreakEven | None = Field(None, description="Set by advisor.analysis.analyse.")
    what_would_change: list[Turn] = Field(default_factory=list,
                                          description="Set by advisor.analysis.analyse.")


class DecisionMap(Frozen):
    """Verdict and chosen strategy over a grid of latency × per-query budgets."""

    latency_values: list[float]
    budget_values: list[float]
    verdicts: list[list[str]] = Field(description="[budget index][latency index]")
    strategies: list[list[str]]
    feasible: list[list[bool]]
