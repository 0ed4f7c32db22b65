"""The training runs a tier can get, each costed from its inputs and its gain from its size.

One registry, :data:`KINDS`, describes every kind of ``training:`` option once: which tiers and
workloads it applies to, what one run costs, and what it does to the tier's log-odds of a
correct answer. :mod:`advisor.engine.costs` turns each run into a served variant of its tier;
the replication table (:mod:`advisor.analysis.replication`) reads the same gain functions.

Costs (n examples or hours, T tokens per example, E epochs, p the tier's training price per 1M
tokens × the option's multiple):

- supervised fine-tune: n·T·E·p/1e6 + n × label price + fixed.
- distillation: the teacher's traces, n × (T input + teacher_output_tokens output) at the
  teacher's prices (inference compute spent once), + n × prompt price + training on
  n·(T + teacher_output_tokens)·E tokens at the student's price + fixed.
- reinforcement fine-tune: hours × the tier's reinforcement_per_hour + fixed.
- calibration: n held-out answers labelled (free when a labelled run already holds a held-out
  split) and scored once at the tier's price (n·T input tokens) + fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from advisor.model.rules import ModelTier, RuleSet
from advisor.model.training import TrainingOption


@dataclass(frozen=True)
class Run:
    """One run of a training option at one size on one tier."""

    option: TrainingOption
    size: int
    tier_id: str
    cost_usd: float
    teacher_usd: float  # of cost_usd: the teacher's traces (inference spent once)
    labels_usd: float   # of cost_usd: labelling or collecting examples
    tokens: float       # training tokens, for the compute view (6·N·tokens)

    @property
    def kind(self) -> str:
        return self.option.kind

    @property
    def labelled(self) -> bool:
        """The run holds labelled (or checkable) answers, so a held-out split of them can
        calibrate it without new labels."""
        return KINDS[self.kind].labelled

    @property
    def unit(self) -> str:
        """What its size counts, as the user reads it: examples, traces or hours."""
        return KINDS[self.kind].unit

    @property
    def size_text(self) -> str:
        return f"{self.size:,} h" if self.unit == "hours" else f"{self.size:,} {self.unit}"


def _training_price(option: TrainingOption, tier: ModelTier) -> float:
    assert tier.fine_tune is not None and tier.fine_tune.training_per_1m_tokens is not None
    return tier.fine_tune.training_per_1m_tokens * option.training_price_multiple


def _sft_cost(option: TrainingOption, tier: ModelTier, size: int, rules: RuleSet
              ) -> tuple[float, float, float, float]:
    tokens = size * option.tokens_per_example * option.epochs
    labels = size * option.label_usd_per_example
    return tokens * _training_price(option, tier) / 1e6 + labels + option.fixed_usd, 0.0, \
        labels, tokens


def _distillation_cost(option: TrainingOption, tier: ModelTier, size: int, rules: RuleSet
                       ) -> tuple[float, float, float, float]:
    teacher = rules.model(option.teacher or "")
    teacher_usd = size * (option.tokens_per_example * teacher.input_per_1m
                          + option.teacher_output_tokens * teacher.output_per_1m) / 1e6
    prompts = size * option.prompt_usd_per_example
    tokens = size * (option.tokens_per_example + option.teacher_output_tokens) * option.epochs
    training = tokens * _training_price(option, tier) / 1e6
    return training + teacher_usd + prompts + option.fixed_usd, teacher_usd, prompts, tokens


def _reinforcement_cost(option: TrainingOption, tier: ModelTier, size: int, rules: RuleSet
                        ) -> tuple[float, float, float, float]:
    assert tier.fine_tune is not None and tier.fine_tune.reinforcement_per_hour is not None
    return size * tier.fine_tune.reinforcement_per_hour + option.fixed_usd, 0.0, 0.0, 0.0


def calibration_cost(option: TrainingOption, tier: ModelTier, size: int, *,
                     labels_held: bool) -> tuple[float, float]:
    """(cost, of which labels) of calibrating ``tier`` on ``size`` held-out answers."""
    labels = 0.0 if labels_held else size * option.label_usd_per_example
    scoring = size * option.tokens_per_example * tier.input_per_1m / 1e6
    return labels + scoring + option.fixed_usd, labels


def _calibration_cost(option: TrainingOption, tier: ModelTier, size: int, rules: RuleSet
                      ) -> tuple[float, float, float, float]:
    cost, labels = calibration_cost(option, tier, size, labels_held=False)
    return cost, 0.0, labels, 0.0


def shifted_logit(option: TrainingOption, size: int, family: str, student: float,
                  teacher: float | None = None) -> float:
    """The log-odds of a correct answer after a run of ``size``, from the tier's ``student``.

    A fine-tune or RL adds its gain; a distillation closes its gain's share of the gap to the
    ``teacher`` (never moving away from it).
    """
    if option.gain is None:
        return student
    gain = option.gain.at(family, size, option.reference_size)
    if option.kind == "distillation":
        return student + gain * max(0.0, (teacher if teacher is not None else student) - student)
    return student + gain


@dataclass(frozen=True)
class Kind:
    """What every consumer needs to know about one kind of training run."""

    action: str           # what the result's training advice calls a run of this kind
    applies: Callable[[TrainingOption, ModelTier, RuleSet, str], bool]
    cost: Callable[[TrainingOption, ModelTier, int, RuleSet], tuple[float, float, float, float]]
    unit: str             # what a size counts, as the user reads it
    changes_weights: bool = True
    labelled: bool = False  # its examples carry labels (or checkable answers)


def _named(option: TrainingOption, tier: ModelTier, verifiability: str) -> bool:
    """The option lists the tier (or no tier) and the work's verifiability (or none)."""
    listed = option.tiers is None or tier.id in option.tiers
    return listed and (option.verifiabilities is None
                       or verifiability in option.verifiabilities)


def _trainable(option: TrainingOption, tier: ModelTier, rules: RuleSet, verifiability: str
               ) -> bool:
    return (_named(option, tier, verifiability) and tier.fine_tune is not None
            and tier.fine_tune.training_per_1m_tokens is not None)


def _distillable(option: TrainingOption, tier: ModelTier, rules: RuleSet, verifiability: str
                 ) -> bool:
    return _trainable(option, tier, rules, verifiability) and tier.id != option.teacher \
        and not tier.reasoning


def _reinforceable(option: TrainingOption, tier: ModelTier, rules: RuleSet, verifiability: str
                   ) -> bool:
    return (_named(option, tier, verifiability) and tier.fine_tune is not None
            and tier.fine_tune.reinforcement_per_hour is not None)


def _calibratable(option: TrainingOption, tier: ModelTier, rules: RuleSet, verifiability: str
                  ) -> bool:
    return not tier.calibrated and _named(option, tier, verifiability)


KINDS: Mapping[str, Kind] = {
    "supervised_fine_tune": Kind("fine_tune", _trainable, _sft_cost, "examples",
                                 labelled=True),
    "distillation": Kind("distillation", _distillable, _distillation_cost, "traces"),
    "reinforcement_fine_tune": Kind("reinforcement_fine_tune", _reinforceable,
                                    _reinforcement_cost, "hours", labelled=True),
    "calibration": Kind("calibration", _calibratable, _calibration_cost, "examples",
                        changes_weights=False, labelled=True),
}
"""The registry: one entry per :data:`~advisor.model.training.TrainingKind`."""


def runs(rules: RuleSet, tier: ModelTier, verifiability: str) -> list[Run]:
    """Every run that changes ``tier``'s weights, for work of ``verifiability``, every size."""
    found = []
    for option in rules.training.options:
        kind = KINDS[option.kind]
        if not kind.changes_weights or not kind.applies(option, tier, rules, verifiability):
            continue
        for size in option.sizes:
            cost, teacher, labels, tokens = kind.cost(option, tier, size, rules)
            found.append(Run(option, size, tier.id, round(cost, 2), teacher, labels, tokens))
    return found


def size_id(size: int) -> str:
    """``10k`` for 10,000; the size itself otherwise."""
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def variant_id(tier_id: str, run: Run | None, calibrated: bool) -> str:
    """``gpt-4.1-mini-sft-10k``, ``…-cal`` when calibrated too: a served variant's model id."""
    found = tier_id if run is None else f"{tier_id}-{run.option.id}-{size_id(run.size)}"
    return f"{found}-cal" if calibrated else found


def every_run(rules: RuleSet) -> list[Run]:
    """Every weight-changing run of every tier, for any verifiability, each once."""
    def build() -> list[Run]:
        found = {(run.tier_id, run.option.id, run.size): run for tier in rules.models
                 for verifiability in rules.settings.verifiers
                 for run in runs(rules, tier, verifiability)}
        return list(found.values())

    return rules.memo(("every-run",), build)


def variant_ids(rules: RuleSet) -> list[str]:
    """Every model id a recommendation can name: tiers and their trained variants."""
    found: dict[str, None] = {}
    trained = every_run(rules)
    for tier in rules.models:
        for run in [None, *(r for r in trained if r.tier_id == tier.id)]:
            found[variant_id(tier.id, run, False)] = None
            if calibration_for(rules, tier) is not None:
                found[variant_id(tier.id, run, True)] = None
    return list(found)


def calibration_for(rules: RuleSet, tier: ModelTier) -> TrainingOption | None:
    """The calibration option that applies to ``tier``: the first listed (a variant is served
    calibrated one way, '-cal'); None for a tier calibrated already or without one."""
    return next((option for option in rules.training.options
                 if option.kind == "calibration"
                 and KINDS["calibration"].applies(option, tier, rules, "none")), None)


def cheapest_run_usd(rules: RuleSet) -> float | None:
    """One-time cost of the cheapest run that changes weights, on any tier and for any
    verifiability (None when the rules offer none); a calibration does not count."""
    costs = [run.cost_usd for run in every_run(rules)]
    return min(costs) if costs else None


def cheapest_per_option(rules: RuleSet) -> set[float]:
    """The cheapest one-time cost of each training option over every tier it applies to."""
    def build() -> set[float]:
        cheapest: dict[str, float] = {}
        for run in every_run(rules):
            cheapest[run.option.id] = min(cheapest.get(run.option.id, run.cost_usd),
                                          run.cost_usd)
        for tier in rules.models:
            option = calibration_for(rules, tier)
            if option is not None:
                cost = round(calibration_cost(option, tier, option.sizes[0],
                                              labels_held=False)[0], 2)
                cheapest[option.id] = min(cheapest.get(option.id, cost), cost)
        return set(cheapest.values())

    return rules.memo(("cheapest-per-option",), build)
