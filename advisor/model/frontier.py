"""The result models of the iso-quality frontier (:mod:`advisor.analysis.frontier`).

Why a module of their own: :class:`~advisor.model.result.Recommendation` carries a frontier, and
the frontier module needs the engine, which needs the result models.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from advisor.model.configuration import Configuration, Frozen, stored_first_token

Unit = Literal["flops", "usd"]


class FrontierPoint(Configuration):
    """The least inference spend that reaches a curve's quality at one training level."""

    level: str = Field(description="The training level: a model tier id, or a trained "
                                   "variant's ('<tier>-<option>-<size>', '-cal' calibrated).")
    level_name: str
    expected_quality: float = Field(description="Probability one answer is correct; at least "
                                                "the curve's target.")
    tokens_per_query: float = Field(description="Tokens read and written per query.")
    cost_per_query_usd: float
    latency_s: float = Field(description="Time to the whole answer, seconds.")
    first_token_s: float = Field(description="Time to its first visible token, seconds.")
    one_time_cost_usd: float = Field(description="The training run (and calibration), USD; 0 "
                                                 "for a tier as it comes.")
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
    fits_training_budget: bool = Field(description="The run fits the training budget (always "
                                                   "for a tier as it comes).")
    training_route: Literal["run", "bought"] | None = Field(
        None, description="The side this point is on, as the headline reads it: run (a "
                          "training run paid once), bought (a better-trained tier than the "
                          "baseline) or None.")

    @model_validator(mode="before")
    @classmethod
    def _stored_before_streaming(cls, data):
        return stored_first_token(data)


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


class SeriesRate(Frozen):
    """The exchange rate along one series of sizes (one model scaled), at one quality."""

    series: str
    from_level: str
    to_level: str
    training_ratio: float
    inference_ratio: float = Field(description="Inference per query of the smaller / the "
                                               "larger's least that reaches the target.")
    per_10x_training: float = Field(description="Times less inference per 10× more training "
                                                "along the series (below 1: more).")
    estimated: bool = Field(description="A size in it is an estimate or an assumption.")


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
    series_rates: list[SeriesRate] = Field(
        default_factory=list, description="Along each series of sizes with two tiers (as they "
                                          "come) that reach the target, at least half an order "
                                          "of magnitude of training apart; published sizes "
                                          "first.")
    usd_rate: float | None = Field(
        None, description="The same in dollars, over the frontier points with training_usd > "
                          "0: times less inference spend per query per 10× more training "
                          "spend; None when they span under one order of magnitude.")
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


class RateCheck(Frozen):
    """The recommended curve's exchange rate in FLOPs beside one published rate for the same
    kind of work."""

    source: str
    setting: str
    published_per_10x: float = Field(description="The published rate: times less inference "
                                                 "per 10× more training.")
    model_per_10x: float | None = Field(description="The curve's flops_rate; None when it has "
                                                    "none.")
    factor: float | None = Field(description="model / published; None without a model rate.")
    within_3x: bool | None = Field(description="The two agree within a factor of three; None "
                                               "without a model rate.")
    reason: str = Field(description="Why they differ (or why there is no rate), in a sentence.")
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
    rate_checks: list[RateCheck] = Field(
        default_factory=list, description="The recommended curve's rate against each published "
                                          "rate for the task's family and verifiability; more "
                                          "than 3× apart is said, with why.")
    sources: list[str]
