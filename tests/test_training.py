"""Training runs: each kind's one-time cost against numbers worked out by hand, and its gain.

Inputs are the default rules' (rules/training.yaml, the tiers' fine_tune blocks in
rules/models.yaml):

- sft (LoRA): 1,000 tokens per example, 3 epochs, $0.50 a label, $1,000 per run; gpt-4o-mini
  trains at $3 per 1M tokens.
- sft-full: as sft at 4 × the LoRA price and $2,000 per run; llama-3.1-8b trains at $0.50.
- distil: DeepSeek R1 (input $0.28, output $0.42 per 1M) reads 500 and writes 4,000 tokens per
  trace; $0.02 a prompt; 2 epochs over 4,500 tokens per trace; $1,500 per run.
- rft: o4-mini at $100 a training hour; $2,000 per run.
- calibrate: 500 held-out answers at $0.50 a label, scored once (1,000 input tokens each at the
  tier's input price), $200 of fitting.
"""

from __future__ import annotations

import math
import typing

import pytest

from advisor.analysis.replication import FITS, TRAINING_CASES, replicate
from advisor.engine.training import (KINDS, calibration_cost, cheapest_run_usd, runs,
                                     shifted_logit, variant_ids)
from advisor.model.training import GainCurve, TrainingKind

# (tier, option, size, verifiability, one-time cost USD, of which the teacher's traces)
RUN_CASES = [
    ("gpt-4o-mini", "sft", 10_000, "none",
     10_000 * 1000 * 3 * 3.0 / 1e6 + 10_000 * 0.5 + 1000, 0.0),          # 90 + 5,000 + 1,000
    ("gpt-4o-mini", "sft", 1000, "none",
     1000 * 1000 * 3 * 3.0 / 1e6 + 1000 * 0.5 + 1000, 0.0),              # 1,509
    ("llama-3.1-8b", "sft-full", 100_000, "none",
     100_000 * 1000 * 3 * 0.5 * 4 / 1e6 + 100_000 * 0.5 + 2000, 0.0),    # 600 + 50,000 + 2,000
    ("llama-3.1-8b", "distil", 10_000, "none",
     10_000 * (500 * 0.28 + 4000 * 0.42) / 1e6 + 10_000 * 0.02
     + 10_000 * 4500 * 2 * 0.5 / 1e6 + 1500,                             # 18.20 + 200 + 45 + 1,500
     10_000 * (500 * 0.28 + 4000 * 0.42) / 1e6),
    ("o4-mini", "rft", 50, "verifiable_steps", 50 * 100 + 2000, 0.0),    # 7,000
]


def _run(rules, tier: str, option: str, size: int, verifiability: str):
    return next(r for r in runs(rules, rules.model(tier), verifiability)
                if r.option.id == option and r.size == size)


@pytest.mark.parametrize("tier, option, size, verifiability, cost, teacher", RUN_CASES,
                         ids=lambda v: str(v))
def test_run_cost(rules, tier, option, size, verifiability, cost, teacher):
    run = _run(rules, tier, option, size, verifiability)
    assert run.cost_usd == pytest.approx(round(cost, 2))
    assert run.teacher_usd == pytest.approx(teacher)


def test_every_training_kind_is_registered_and_costed(rules):
    kinds = set(typing.get_args(TrainingKind))
    assert set(KINDS) == kinds
    costed = {rules.training_option(case[1]).kind for case in RUN_CASES} | {"calibration"}
    assert costed == kinds, "a training kind without a hand-computed cost case"


def test_calibration_cost_and_its_labels_from_a_labelled_run(rules):
    option = rules.training_option("calibrate")
    tier = rules.model("gpt-4o-mini")
    cost, labels = calibration_cost(option, tier, 500, labels_held=False)
    assert (cost, labels) == pytest.approx((500 * 0.5 + 500 * 1000 * 0.15 / 1e6 + 200, 250))
    held, _ = calibration_cost(option, tier, 500, labels_held=True)
    assert held == pytest.approx(cost - 250)


def test_reinforcement_needs_a_checker(rules):
    tier = rules.model("o4-mini")
    assert [r.option.id for r in runs(rules, tier, "verifiable_steps")] == ["rft"] * 3
    assert runs(rules, tier, "none") == [] and runs(rules, tier, "external_judge") == []


def test_a_reasoning_tier_is_never_a_distillation_student(rules):
    for tier in rules.models:
        students = [r for r in runs(rules, tier, "none") if r.kind == "distillation"]
        assert not (tier.reasoning and students), tier.id


@pytest.mark.parametrize("family", ["reasoning", "code", "knowledge", "classification",
                                    "open_ended"])
def test_a_larger_run_never_gains_less(rules, family):
    for option in rules.training.options:
        if option.gain is None:
            continue
        gains = [shifted_logit(option, size, family, 0.0, 2.0) for size in option.sizes]
        assert gains == sorted(gains), (option.id, family)


def test_fine_tunes_claim_almost_no_new_knowledge(rules):
    """Ovadia et al. 2023 and Gekhman et al. 2024: fine-tuning adds little knowledge, while it
    learns labels and formats; the default gains keep that order at every size."""
    for option_id in ("sft", "sft-full"):
        option = rules.training_option(option_id)
        for size in option.sizes:
            knowledge = option.gain.at("knowledge", size, option.reference_size)
            labels = option.gain.at("classification", size, option.reference_size)
            assert knowledge <= 0.15 < labels, (option_id, size)


def test_gain_curve_grows_with_the_log_of_the_size_and_levels_off():
    curve = GainCurve(at_reference={"classification": 0.8}, per_10x={"classification": 0.4},
                      maximum={"classification": 1.5})
    assert curve.at("classification", 1000, 1000) == 0.8
    assert curve.at("classification", 10_000, 1000) == pytest.approx(1.2)
    assert curve.at("classification", 100_000, 1000) == 1.5  # levelled off
    assert curve.at("classification", 100, 1000) == pytest.approx(0.4)
    assert curve.at("knowledge", 10_000, 1000) == 0.0  # a family not listed gains nothing


def test_distillation_closes_its_share_of_the_gap_and_never_moves_away(rules):
    option = rules.training_option("distil")
    share = option.gain.at("reasoning", 10_000, option.reference_size)
    assert shifted_logit(option, 10_000, "reasoning", -1.0, 3.0) == pytest.approx(-1 + share * 4)
    assert shifted_logit(option, 10_000, "reasoning", 2.0, 1.0) == 2.0  # a weaker teacher


def test_cheapest_run_is_the_cheapest_weight_changing_run(rules):
    costs = [r.cost_usd for t in rules.models for v in rules.settings.verifiers
             for r in runs(rules, t, v)]
    assert cheapest_run_usd(rules) == min(costs)
    assert math.isfinite(cheapest_run_usd(rules))


def test_variant_ids_name_every_served_model(rules):
    ids = variant_ids(rules)
    assert {"gpt-4o-mini", "gpt-4o-mini-cal", "gpt-4o-mini-sft-10k",
            "gpt-4o-mini-sft-10k-cal", "llama-3.1-8b-distil-1k", "o4-mini-rft-50"} <= set(ids)
    assert len(ids) == len(set(ids))


# --- the training-side replication table --------------------------------------------------------

@pytest.mark.parametrize("index", range(len(TRAINING_CASES)),
                         ids=[f"{c.paper.split(' ')[0]}-{i}"
                              for i, c in enumerate(TRAINING_CASES)])
def test_published_training_results_are_reproduced(rules, index):
    row = replicate(rules, (TRAINING_CASES[index],))[0]
    assert row.holds, f"{row.paper}: {row.setting}: published {row.published}, " \
                      f"predicted {row.predicted}"


def test_no_training_row_reads_back_what_it_was_fitted_to():
    fitted = {(round(f["student"], 4), round(f["distilled"], 4)) for f in FITS.values()}
    for case in TRAINING_CASES:
        base = case.predict.get("base_accuracy")
        assert (base, case.published) not in fitted, case.setting
    kinds = {case.predict["measure"] for case in TRAINING_CASES}
    assert {"distilled", "fine_tuned_gain"} <= kinds
