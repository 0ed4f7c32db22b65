"""The result of a recommendation: what the engine returns and every renderer reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field, PrivateAttr, computed_field, model_validator

from advisor.model.answers import Answers
from advisor.model.configuration import Configuration, Frozen, stored_first_token
from advisor.model.frontier import Frontier
from advisor.model.rules import Effort, Severity, TableVerdict, Verdict


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
    severity: Severity = Field("medium", description="How serious it is: high, medium or low "
                                                     "(the rule's severity; high for the "
                                                     "engine's own).")


class Scores(Frozen):
    """The trade-off table's pushes: the sum of the weights of the rules pointing each way."""

    inference_time: float
    training: float


LatencyMeasure = Literal["first_token", "whole_answer"]


class Estimate(Configuration):
    """One candidate configuration and its estimated figures."""

    calls: int = Field(description="Model calls per query (judge calls included).")
    tokens_per_query: float = Field(description="Tokens read and written per query, thinking "
                                                "and judge calls included.")
    cost_usd: float = Field(description="Cost per query of the model calls, USD.")
    latency_s: float = Field(description="Time to the whole answer, seconds.")
    first_token_s: float = Field(
        description="Time to the first visible token of the answer, seconds: a reasoning "
                    "tier's hidden thinking included; as late as latency_s for strategies that "
                    "pick their answer only at the end (voting, verified sampling, search). The "
                    "latency budget applies to it when the answer streams.")
    expected_quality: float = Field(
        description="Probability that one answer is correct (or acceptable) on your task, 0-1.")
    trained_quality: float = Field(
        description="The same model answering once with ordinary reasoning: what its training "
                    "alone buys, before any inference-time compute.")
    one_time_cost_usd: float = Field(description="Training spend before the first query (a "
                                                 "fine-tune's run), USD.")
    amortised_cost_usd: float = Field(
        description="cost_usd plus one_time_cost_usd spread over queries_per_day × the horizon "
                    "(at least one query); options are compared on this.")
    monthly_cost_usd: float = Field(description="cost_usd × queries_per_day × days per month.")
    cost_per_correct_usd: float | None = Field(
        None, description="What one correct answer costs: amortised_cost_usd ÷ expected_quality "
                          "(the expected dollars per correct answer, Erol et al. 2025's "
                          "cost-of-pass); None where quality is zero.")
    fits_latency: bool
    fits_budget: bool
    feasible: bool = Field(description="Fits both the latency and the per-query budget.")
    available: bool = Field(description="Allowed by the rules' constraints and the training "
                                        "budget.")
    unavailable_reason: str | None = None
    # Intervals from the assumed ranges in the rules (advisor.engine.intervals): the 5th to 95th
    # percentile over draws of every ranged number; None without ranges or from recommend().
    expected_quality_low: float | None = Field(None, description="Low end of expected_quality.")
    expected_quality_high: float | None = Field(None, description="High end of expected_quality.")
    cost_usd_low: float | None = Field(None, description="Low end of cost_usd.")
    cost_usd_high: float | None = Field(None, description="High end of cost_usd.")
    latency_s_low: float | None = Field(None, description="Low end of latency_s.")
    latency_s_high: float | None = Field(None, description="High end of latency_s.")
    first_token_s_low: float | None = Field(None, description="Low end of first_token_s.")
    first_token_s_high: float | None = Field(None, description="High end of first_token_s.")
    monthly_cost_usd_low: float | None = Field(None, description="Low end of monthly_cost_usd.")
    monthly_cost_usd_high: float | None = Field(None, description="High end of monthly_cost_usd.")
    cost_per_correct_usd_low: float | None = Field(
        None, description="Low end of cost_per_correct_usd: the low cost over the high quality.")
    cost_per_correct_usd_high: float | None = Field(
        None, description="High end of cost_per_correct_usd: the high cost over the low quality.")

    @model_validator(mode="before")
    @classmethod
    def _stored_before_streaming(cls, data):
        return stored_first_token(data)

    def latency_for(self, measure: LatencyMeasure) -> float:
        """The latency ``measure`` names: what a latency budget is compared with."""
        return self.first_token_s if measure == "first_token" else self.latency_s

    def latency_range_for(self, measure: LatencyMeasure) -> tuple[float | None, float | None]:
        """The likely range (low, high) of :meth:`latency_for`, None without ranges."""
        if measure == "first_token":
            return self.first_token_s_low, self.first_token_s_high
        return self.latency_s_low, self.latency_s_high


class BrokenConstraint(Frozen):
    """A budget or requirement an option does not meet."""

    answer: Literal["latency_budget_s", "budget_per_query_usd", "training_budget_usd",
                    "needs_calibration"]
    needed: float = Field(description="What the option needs (seconds, USD; 1 for a "
                                      "requirement it lacks).")
    allowed: float = Field(description="What the answers allow.")


class Shares(Frozen):
    """Where the recommended option's quality comes from, against the baseline.

    The baseline is the cheapest single answer from a base tier that fits the budgets. The gain
    over it splits into a better-trained tier (``tier_gain``, negative when the option uses a
    cheaper, weaker tier), a fine-tune (``fine_tune_gain``) and inference-time compute
    (``inference_gain``: samples, search, refinement, extra reasoning or a reasoning tier's
    hidden thinking beyond ordinary reasoning). The shares are of the positive parts.
    """

    baseline: Estimate
    gain: float = Field(description="expected_quality − the baseline's trained_quality.")
    tier_gain: float
    fine_tune_gain: float
    inference_gain: float
    shorter_answer_gain: float = Field(
        0.0, description="≤ 0: what a fast student loses by answering with a short rationale "
                         "instead of the task's usual reasoning (less inference per query); 0 "
                         "for every other option. The four parts add up to the gain.")
    training_share: float = Field(description="(tier gain if positive + fine-tune gain) / the "
                                              "sum of the positive parts; 0 when nothing gains.")
    inference_share: float


class TableDifference(Frozen):
    """Why the verdict differs from what the trade-off table says, as data for one sentence."""

    reason: Literal["breaks_constraints", "costs_more", "lower_quality", "no_option",
                    "other_side_adds", "one_side_enough"]
    side: Literal["inference_time", "training"] = Field(
        description="The side the sentence is about: the table's side, or for 'other_side_adds' "
                    "the side the model adds.")
    option: Estimate | None = Field(None, description="The best option on that side, if any.")
    broken: list[BrokenConstraint] = Field(default_factory=list)


class TableVote(Frozen):
    """What the article's trade-off table says for these answers, beside the verdict."""

    verdict: TableVerdict | None = Field(
        description="inference_time or training when the pushes lean one way by more than the "
                    "combined margin, combined when they balance; None when no rule pushes.")
    scores: Scores
    agrees: bool
    difference: TableDifference | None = None


class Objective(Frozen):
    """The objective every section of the result uses."""

    best_quality: float = Field(description="Best expected quality among options that fit.")
    quality_tolerance: float = Field(description="Options within this of the best count as equal.")
    target_quality: float = Field(description="best_quality − quality_tolerance: the quality "
                                              "any alternative must reach to compare.")
    horizon_days: int = Field(description="Horizon a one-time training cost is spread over.")


TrainingAction = Literal["fine_tune", "distillation", "reinforcement_fine_tune", "calibration",
                         "larger_model"]
TrainingRoute = Literal["run", "bought"]


class TrainingAdvice(Frozen):
    """Where the recommendation spends training compute.

    Two kinds of training, told apart: a **run** you pay for once (a fine-tune, a distillation,
    a reinforcement fine-tune, or a calibration on a held-out set), and a **bought** one: a
    better-trained tier than the baseline, training compute someone else spent, paid through
    its price per token.
    """

    action: TrainingAction = Field(
        description="fine_tune / distillation / reinforcement_fine_tune: run it within the "
                    "training budget (calibration too when the run includes one); calibration: "
                    "only calibrate the tier on a labelled held-out set; larger_model: serve a "
                    "better-trained tier than the baseline, with no run.")
    route: TrainingRoute = Field("run", description="run: a one-time run you pay for; bought: "
                                                    "a better-trained tier only.")
    model: str = Field(description="The model to serve.")
    model_name: str
    base_model: str | None = Field(description="The tier that gets trained or calibrated.")
    base_model_name: str | None = Field(None, description="Its display name.")
    baseline_model: str = Field(description="The baseline tier the gain is measured against.")
    one_time_cost_usd: float
    amortised_cost_usd: float = Field(description="The one-time cost spread per query over the "
                                                  "horizon.")
    training_budget_usd: float
    run_name: str | None = Field(None, description="The training option's name, for a run.")
    run_size: int | None = Field(None, description="Examples (or hours) of the run.")
    run_unit: str | None = Field(None, description="What run_size counts: examples, traces or "
                                                   "hours.")
    teacher: str | None = Field(None, description="The teacher tier of a distillation.")
    teacher_name: str | None = Field(None, description="Its display name.")
    teacher_usd: float = Field(0, description="Of one_time_cost_usd: the teacher's traces, "
                                              "inference compute spent once.")
    labels_usd: float = Field(0, description="Of one_time_cost_usd: labelling or collecting "
                                             "examples.")
    calibrated: bool = Field(False, description="The run ends with a calibration on held-out "
                                                "data (its cost is in one_time_cost_usd).")
    better_tier: bool = Field(False, description="The tier itself is better trained than the "
                                                 "baseline's (training bought per token too).")
    larger_run_gains: float | None = Field(
        None, description="Expected quality the next larger run of the same option would add "
                          "(None when there is none); shown when more budget buys nothing.")


class CostOption(Configuration):
    """One side of the break-even: a configuration, what it costs once and per query."""

    one_time_cost_usd: float = Field(description="Training spend before the first query.")
    cost_per_query_usd: float
    latency_s: float = Field(description="Time to the whole answer, seconds.")
    first_token_s: float = Field(description="Time to its first visible token, seconds.")
    expected_quality: float
    fits_budget: bool = Field(description="Within the per-query budget (both sides always fit "
                                          "the latency budget).")

    @model_validator(mode="before")
    @classmethod
    def _stored_before_streaming(cls, data):
        return stored_first_token(data)
    tokens_per_query: float = Field(description="Tokens read and written per query.")
    inference_flops_per_query: float | None = Field(
        description="2·N × tokens_per_query; None when the tier's size N is unknown.")
    training_flops: float | None = Field(
        description="6·N·D of the fine-tune; None for a provider's tier or unknown N.")


class BreakEven(Frozen):
    """The recommendation against the best option on the other side, over time.

    One side is the recommendation. The other is the cheapest option that reaches the same
    target quality (the objective's) within the latency budget by the other means: without the
    training investment when the recommendation makes one, or with a training investment (a
    fine-tune or a better-trained tier) and no inference-time compute when it does not.
    Cumulative cost after n queries: ``one_time_cost_usd + n · cost_per_query_usd``.
    """

    kind: TrainingAction = Field(
        description="The training side's investment: its run's kind (fine_tune, distillation, "
                    "reinforcement_fine_tune, calibration), or larger_model for a "
                    "better-trained tier with no run.")
    recommended: Literal["training", "inference"] = Field(
        description="Which of the two options is the recommendation.")
    target_quality: float = Field(description="Quality both options must reach: the "
                                              "objective's target.")
    training: CostOption | None = Field(description="The training-side option; None when none "
                                                    "reaches the target.")
    inference: CostOption | None = Field(description="The inference-time option; None when "
                                                     "none reaches the target.")
    outcome: Literal["pays_off", "cheaper_from_start", "never", "inference_unreachable",
                     "training_unreachable"] = Field(
        description="pays_off: training costs more up front and less per query; "
                    "cheaper_from_start: training is never more expensive; never: "
                    "inference-time stays cheaper; *_unreachable: only one side reaches the "
                    "target within the latency budget.")
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
    cumulative_training_usd: list[float] | None
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
    value: bool | int | float | str = Field(description="The new value at which the outcome "
                                                        "changes.")
    value_label: str | None = Field(None, description="What the user reads for the value (a "
                                                      "difficulty level's label).")
    relation: Literal["at_least", "above", "at_most", "below", "equals"] = Field(
        description="at_least / above: from this value upward; at_most / below: from this value "
                    "down; equals: a categorical or yes/no answer set to this value.")
    changes: list[Literal["verdict", "strategy", "training"]] = Field(
        description="What differs from the current recommendation.")
    verdict: Verdict
    feasible: bool
    expected_quality: float = Field(description="Expected quality of the new recommendation.")
    cost_usd: float = Field(description="Its cost per query.")
    monthly_cost_usd: float = Field(0.0, description="Its cost per month at the answered "
                                                     "volume, USD.")
    one_time_cost_usd: float = Field(0.0, description="Its one-time training cost, USD (0 "
                                                      "without a run).")
    quality_change: Literal["up", "down", "same"] = Field(
        description="Against the current recommendation; 'same' within the quality tolerance.")
    cost_change: Literal["up", "down", "same"]


class PlanStep(Frozen):
    """One step of the improvement plan: a turn a team can take, with what it buys and costs.

    Every figure is the recommendation after the change against the recommendation now, both
    chosen by the same objective (:mod:`advisor.analysis.plan`).
    """

    turn: Turn = Field(description="The change of one answer and the recommendation it gives.")
    makes_feasible: bool = Field(description="Nothing fits now, and after this step it does.")
    quality_gain: float = Field(description="Expected quality after minus now (points, 0-1).")
    extra_per_query_usd: float = Field(description="Cost per query after minus now, USD.")
    extra_monthly_usd: float = Field(description="Cost per month after minus now, USD.")
    extra_one_time_usd: float = Field(description="One-time training cost after minus now, USD.")
    extra_over_horizon_usd: float = Field(
        description="What the step adds over the objective's horizon: the per-query change "
                    "times the queries in it, plus the one-time change, USD (negative saves).")


PARAMETER_LABELS = {
    "thinking_tokens": "thinking tokens",
    "samples": "samples",
    "breadth": "breadth",
    "depth": "depth",
    "rounds": "rounds",
    "chunks": "chunks",
}


def parameters_text(parameters: dict[str, int]) -> str:
    """``breadth 8, depth 4`` (empty for a strategy without parameters)."""
    return ", ".join(f"{PARAMETER_LABELS.get(k, k)} {v:,}" for k, v in parameters.items())


ESTIMATE_COLUMNS = ["recommended", "strategy", "parameters", "model", "cost per query (USD)",
                    "per correct answer (USD)", "latency (s)", "first token (s)",
                    "expected quality", "quality likely from",
                    "quality likely to", "thinking effort", "monthly cost (USD)", "fits budgets",
                    "available", "why not available"]
"""The columns of :meth:`Recommendation.estimates_frame`."""


class Recommendation(Frozen):
    """An explained recommendation with its estimates.

    ``estimates`` (every candidate) is built when first read: :func:`advisor.recommend` stays fast
    when only the headline is needed. A stored result (JSON) carries its estimates.
    """

    verdict: Verdict = Field(
        description="Read off what the configuration spends: inference_time, training, combined "
                    "(each side adds at least the combined margin of the gain) or neither (the "
                    "budgets leave only the baseline).")
    shares: Shares
    table: TableVote
    strategy: str
    strategy_name: str
    parameters: dict[str, int]
    thinking_effort: Effort | None = None
    model: str
    model_name: str
    first_stage: str | None = Field(None, description="A cascade's cheap first stage (tier id); "
                                                      "`model` answers what it escalates.")
    first_stage_name: str | None = None
    escalation_share: float | None = Field(None, description="Share of queries a cascade sends "
                                                             "on to `model`.")
    training: TrainingAdvice | None
    training_route: TrainingRoute | None = Field(
        None, description="Which kind of training the configuration spends: run (a one-time "
                          "run you pay for) or bought (a better-trained tier); None for none.")
    feasible: bool = Field(description="False when nothing fits the budgets and requirements; "
                                       "then `chosen` is the closest option and "
                                       "`broken_constraints` says what it breaks.")
    latency_measure: LatencyMeasure = Field(
        "whole_answer", description="Which latency the latency budget applied to: first_token "
                                    "(the answer streams, so the time to its first visible "
                                    "token, hidden thinking included) or whole_answer.")
    broken_constraints: list[BrokenConstraint]
    chosen: Estimate
    objective: Objective
    fired_rules: list[FiredRule]
    caveats: list[Caveat]
    rules_version: str
    answers: Answers
    break_even: BreakEven | None = Field(None, description="Set by advisor.analysis.full.analyse.")
    what_would_change: list[Turn] = Field(default_factory=list,
                                          description="Set by advisor.analysis.full.analyse.")
    frontier: Frontier | None = Field(None, description="Iso-quality curves of training against "
                                                    "inference compute; set by "
                                                    "advisor.analysis.full.analyse.")
    _estimates: list[Estimate] | None = PrivateAttr(None)
    _estimate_source: Callable[[], list[Estimate]] | None = PrivateAttr(None)
    _build: Callable[[], dict] | None = PrivateAttr(None)

    @classmethod
    def deferred(cls, build: Callable[[], dict],
                 estimates: Callable[[], list[Estimate]]) -> Recommendation:
        """A result whose fields are computed by ``build()`` when one is first read.

        Why: :func:`advisor.recommend` answers in tens of microseconds when a caller only needs
        the decision (a batch, a probe); reading any field, dumping or comparing builds it all.
        """
        # Why not model_construct: it fills every default, inspecting factories on each call.
        result = cls.__new__(cls)
        object.__setattr__(result, "__dict__", {})
        object.__setattr__(result, "__pydantic_fields_set__", set())
        object.__setattr__(result, "__pydantic_extra__", None)
        object.__setattr__(result, "__pydantic_private__", {
            "_estimates": None, "_estimate_source": estimates, "_build": build})
        return result

    def _materialise(self) -> None:
        build = self.__pydantic_private__.get("_build")
        if build is not None:
            self.__dict__.update(build())
            self.__pydantic_fields_set__.update(type(self).model_fields)
            self._build = None

    def __getattr__(self, name: str):
        if name in type(self).model_fields and self.__pydantic_private__.get("_build"):
            self._materialise()
            return self.__dict__[name]
        return super().__getattr__(name)

    def model_dump(self, **kwargs):
        self._materialise()
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs):
        self._materialise()
        return super().model_dump_json(**kwargs)

    def model_copy(self, **kwargs):
        self._materialise()
        return super().model_copy(**kwargs)

    def __repr_args__(self):
        self._materialise()
        return super().__repr_args__()

    def __getstate__(self):
        self._materialise()
        state = super().__getstate__()
        state["__pydantic_private__"] = {**state["__pydantic_private__"], "_build": None,
                                         "_estimate_source": None,
                                         "_estimates": self.estimates}
        return state

    @model_validator(mode="wrap")
    @classmethod
    def _stored_estimates(cls, data, handler):
        # Why: estimates are a computed field (lazy), so a stored result brings its own.
        estimates = None
        if isinstance(data, dict) and "estimates" in data:
            data = dict(data)
            estimates = data.pop("estimates")
        result = handler(data)
        if estimates is not None:
            result._estimates = [e if isinstance(e, Estimate) else Estimate.model_validate(e)
                                 for e in estimates]
        return result

    @computed_field(description="Every candidate configuration with its figures.")
    @property
    def estimates(self) -> list[Estimate]:
        if self._estimates is None:
            self._estimates = self._estimate_source() if self._estimate_source else []
        return self._estimates

    def budgeted_latency_s(self, estimate: Estimate) -> float:
        """The latency of ``estimate`` the latency budget applies to (:attr:`latency_measure`)."""
        return estimate.latency_for(self.latency_measure)

    def estimates_frame(self):
        """Every candidate as a row of a pandas DataFrame, the recommended one marked: the table
        the app shows, with the same columns.

        Why here: notebooks and scripts get the table from the library, without Streamlit.

        Returns:
            pandas.DataFrame: one row per candidate, in the order of ``estimates``. The quality
            range columns are empty (NaN) unless the result came from :func:`advisor.analyse`,
            which samples the rules' assumed ranges.
        """
        import pandas as pd  # Why lazy: a recommendation is often read without any table

        return pd.DataFrame([(e == self.chosen, e.strategy_name, parameters_text(e.parameters),
                              e.model_name, e.cost_usd, e.cost_per_correct_usd, e.latency_s,
                              e.first_token_s,
                              e.expected_quality,
                              e.expected_quality_low, e.expected_quality_high,
                              e.thinking_effort or "", e.monthly_cost_usd, e.feasible,
                              e.available, e.unavailable_reason or "") for e in self.estimates],
                            columns=ESTIMATE_COLUMNS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Recommendation):
            return NotImplemented
        self._materialise()
        other._materialise()
        return self.__dict__ == other.__dict__ and self.estimates == other.estimates

    __hash__ = None


class DecisionMap(Frozen):
    """Verdict and chosen strategy over a grid of latency × per-query budgets."""

    latency_values: list[float]
    budget_values: list[float]
    verdicts: list[list[str]] = Field(description="[budget index][latency index]")
    strategies: list[list[str]]
    feasible: list[list[bool]]
