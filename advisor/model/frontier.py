"""The result models of the iso-quality frontier (:mod:`advisor.analysis.frontier`).

Why a module of their own: :class:`~advisor.model.result.Recommendation` carries a frontier, and
the frontier module needs the engine, which needs the result models.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from advisor.model.configuration import Configuration, Frozen

Unit = Literal["flops", "usd"]


class FrontierPoint(Configuration):
    """The least inference spend that reaches a curve's quality at one training level."""

    level: str = Field(description="The training level: a model tier id, '-ft' for its "
                                   "fine-tune.")
    level_name: str
    expected_quality: float = Field(description="Probability one answer is correct; at least "
                                                "the curve's target.")
    tokens_per_query: float = Field(description="Tokens read and written per query.")
    cost_per_query_usd: float
    latency_s: float
    one_time_cost_usd: float = Field(description="The fine-tune's run, USD; 0 for a base tier.")
    training_flops: float | None = Field(
        description="6·N·D of the tier's pretraining, plus 6·N·D of the fine-tune; None when "
                    "the tier has no size.")
    training_flops_low: float | None = Field(None, description="From the low ends of N and D.")
    training_flops_high: float | None = Field(None, description="From the high ends of N and D.")
    inference_flops_per_query: float | None = Field(
        description="2·N × tokens_per_query; None when the tier has no size.")
    size_estimated: bool = Field(description="N or D is an estimate or an assumption, not "
                                             "published.")
    training_usd: float = Field(
        description="What this level's training costs you over the horizon: the fine-tune's "
                    "run plus the tier's price premium per query (a plain answer on this tier "
                    "minus the same answer on the cheapest tier) × the horizon's queries.")
    inference_usd_per_query: float = Field(
        description="cost_per_query_usd minus the tier's price premium per query, so that "
                    "training_usd + inference_usd_per_query × queries = total_usd.")
    total_usd: float = Field(description="one_time_cost_usd + cost_per_query_usd × the "
                                         "horizon's queries.")
    total_flops: float | None = Field(
        description="training_flops + inference_flops_per_query × the horizon's queries (the "
                    "tier's pretraining counted whole, although its developer shares it across "
                    "every user).")
    on_frontier: bool = Field(description="No other level reaches the target with no more "
                                          "training and no more inference (in this unit).")
    fits_budget: bool = Field(description="Within the per-query budget.")
    fits_training_budget: bool = Field(description="The fine-tune's run fits the training "
                                                   "budget (always for a base tier).")


class ExchangeRate(Frozen):
    """The slope between two neighbouring frontier points, in log-log."""

    from_level: str
    to_level: str
    training_ratio: float = Field(description="Training of the second point / the first's.")
    inference_ratio: float = Field(description="Inference per query of the first / the "
                                               "second's: how many times less it needs.")
    per_10x_training: float | None = Field(
        description="10 ** (log inference_ratio / log training_ratio): times less inference "
                    "per 10× more training; None when training barely changes (a fine-tune "
                    "adds under half an order of magnitude).")


class FrontierCurve(Frozen):
    """One iso-quality curve: at each training level, the least inference that reaches it."""

    target_quality: float
    offset: float = Field(description="target_quality − the recommended quality.")
    flops_points: list[FrontierPoint] = Field(
        description="Per level with a size, the option with the fewest inference FLOPs per "
                    "query; ordered by training compute.")
    usd_points: list[FrontierPoint] = Field(
        description="Per level, the option with the lowest cost per query; ordered by "
                    "training_usd.")
    flops_rates: list[ExchangeRate] = Field(description="Between neighbouring frontier points "
                                                        "in FLOPs.")
    usd_rates: list[ExchangeRate] = Field(description="Between neighbouring frontier points in "
                                                      "dollars with training_usd > 0.")
    flops_rate: float | None = Field(
        description="The curve's overall exchange rate in FLOPs: times less inference per 10× "
                    "more training, the least-squares log-log slope over its frontier points; "
                    "None when they span under one order of magnitude of training.")
    cheapest: int | None = Field(description="Index into usd_points of the least total_usd.")
    least_compute: int | None = Field(description="Index into flops_points of the least "
                                                  "total_flops.")


class RecommendedOnFrontier(Frozen):
    """Where the recommended configuration stands on its own curve."""

    curve: int | None = Field(description="Index of its curve (the recommended quality's); "
                                          "None when no allowed option within the latency "
                                          "budget reaches it.")
    level: str
    usd_point: int | None = Field(description="Its level's index in the curve's usd_points.")
    on_curve: bool = Field(description="The recommendation is its level's least-cost option at "
                                       "its quality (within the quality tolerance).")
    on_frontier: bool = Field(description="On the curve and not dominated by another level.")
    reason: Literal["infeasible", "training_budget", "per_query_budget", "constraint"] | None = (
        Field(None, description="Why it is off the frontier: nothing fits the budgets, a "
                                "dominating level is over the training or per-query budget, or "
                                "a rule's requirement; None when on it."))
    dominated_by: str | None = Field(None, description="The level that beats it, if any.")


class PublishedExchange(Frozen):
    """A published exchange rate (from the rules' ``economics.published_rates``)."""

    source: str
    setting: str
    training_oom: float
    inference_oom: float
    per_10x_training: float = Field(description="Times less inference per 10× more training.")
    checked: bool


class Frontier(Frozen):
    """Iso-quality curves of training against inference compute for the user's task."""

    recommended_quality: float
    targets: list[float]
    curves: list[FrontierCurve]
    recommended: RecommendedOnFrontier | None
    queries_per_day: int
    horizon_days: int
    horizon_queries: float = Field(description="Queries a one-time cost is spread over "
                                               "(queries_per_day × horizon_days, at least one), "
                                               "as the recommendation does.")
    cheapest_tier: str = Field(description="The level with no price premium: the tier whose "
                                           "plain answer costs least.")
    latency_budget_s: float = Field(description="Every point fits it.")
    excluded_strategies: list[str] = Field(description="Strategies the fired rules exclude: no "
                                                       "point uses them.")
    requires_calibration: bool = Field(description="A fired rule requires a calibrated model: "
                                                   "every point has one.")
    budget_per_query_usd: float = Field(description="Not required of the points; those over "
                                                    "it are marked.")
    training_budget_usd: float = Field(description="Not required of the points; fine-tunes "
                                                   "over it are marked.")
    published_rates: list[PublishedExchange] = Field(
        description="The rules' published exchange rates, to read the curves' beside.")
    sources: list[str]
