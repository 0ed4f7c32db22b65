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


class Estimate(Frozen):
    """One candidate configuration and its estimated figures."""

    strategy: str
    strategy_name: str
    model: str
    model_name: str
    fine_tuned: bool
    parameters: dict[str, int]
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


class DecisionMap(Frozen):
    """Verdict and chosen strategy over a grid of latency × per-query budgets."""

    latency_values: list[float]
    budget_values: list[float]
    verdicts: list[list[str]] = Field(description="[budget index][latency index]")
    strategies: list[list[str]]
    feasible: list[list[bool]]
