"""Break-even arithmetic against hand-computed numbers (evidence notes: T / (c₁ − c₂)).

Toy rules keep every figure computable by hand: two tiers, two strategies (a single pass and one
round of refinement, whose quality is a closed-form shift of the log-odds), no thinking gain and
no rules (the shipped questions and settings).
Classification: 400 prompt and 10 answer tokens, no ordinary reasoning; 100 tokens/s and 0.25 s
to first token, so a single pass takes 0.35 s and a refinement round (3 calls) 1.05 s.

- Small: $1/1M tokens, quality 0.5 (log-odds 0). Its fine-tune (one training option, 1,000
  examples of 1,000 tokens, one epoch, no labels): $1/1M × 1M tokens + $999 = $1,000 one-time,
  served at ``tuned_price``, +ln 4 log-odds (0.5 → 0.8).
- Big: $10/1M, quality 0.85.
- Refinement, one round, with a checker: +``refine`` × (1 − 0.5) log-odds; the default
  2 ln 4 takes Small from 0.5 to 0.8. Cost (400 + 2·10 fresh + 2·400 re-read + 3·10 out) × price.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

from advisor import analyse, load_rules, parse_answers, recommend
from advisor.analysis.breakeven import break_even, crossing
from advisor.errors import RulesError
from advisor.render.report import to_json, to_markdown
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import break_even_text

RULES = Path(__file__).resolve().parent.parent / "rules"
FAMILIES = ("reasoning", "code", "knowledge", "classification", "open_ended")
# The shipped benchmarks of each family: every level of every task type needs a score.
BENCHMARKS = {"reasoning": ("gsm8k", "math", "aime_2024", "gpqa_diamond"),
              "code": ("humaneval", "swe_bench_verified"), "knowledge": ("mmlu", "simpleqa"),
              "classification": ("label_accuracy",), "open_ended": ("acceptable_answer",)}
LN4 = math.log(4)

MODELS = """
models:
  - id: small
    name: Small
    price_table_id: small
    input_per_1m: 1.0
    output_per_1m: 1.0
    output_tokens_per_s: 100
    time_to_first_token_s: 0.25
    scores: {small_scores}
    size: {{parameters: 1.0e9, training_tokens: 1.0e12, estimate: false, source: test}}
    price_date: 2026-11-28
    price_source: test
    speed_source: test
    quality_source: test
    fine_tune:
      training_per_1m_tokens: 1.0
      input_per_1m: {tuned_price}
      output_per_1m: {tuned_price}
      source: test
  - id: big
    name: Big
    price_table_id: big
    input_per_1m: 10.0
    output_per_1m: 10.0
    output_tokens_per_s: 100
    time_to_first_token_s: 0.25
    scores: {big_scores}
    size: {{parameters: 1.0e10, training_tokens: 1.0e12, estimate: false, source: test}}
    price_date: 2026-11-28
    price_source: test
    speed_source: test
    quality_source: test
"""
TRAINING = f"""
training:
  options:
    - id: sft
      name: Fine-tune
      kind: supervised_fine_tune
      description: test
      sizes: [1000]
      reference_size: 1000
      tokens_per_example: 1000
      epochs: 1
      fixed_usd: 999
      gain:
        at_reference: {{classification: {LN4}}}
        per_10x: {{classification: 0.0}}
        maximum: {{classification: {LN4}}}
      source: test
"""
ECONOMICS = """
economics:
  flops_source: test flops
  lifetime_requests_threshold: 1.0e9
  threshold_source: test threshold
"""
# Fine-tune affordable, a tight per-query budget: the fine-tune is the best that fits.
PROFILE = dict(task_type="classification", latency_budget_s=1.9, budget_per_query_usd=0.001,
               training_budget_usd=5000, verifiability="verifiable_steps",
               queries_per_day=10_000)


def _strategies(refine: float) -> str:
    shipped = yaml.safe_load((RULES / "strategies.yaml").read_text(encoding="utf-8"))
    strategies = [s for s in shipped["strategies"] if s["id"] == "single_pass"] + [{
        "id": "iterative_refinement", "name": "Iterative refinement", "kind": "refinement",
        "light": False, "description": "Draft, critique, rewrite.", "parameters": {"rounds": [1]},
        "curve": {"round_decay": 0.5}, "source": "test"}]
    families = {name: {"label": name, "thinking_gain": 0, "thinking_half_tokens": 256,
                       "dispersion": 1, "top_wrong_share": 0.5,
                       "refine_gain": {"verifiable_steps": refine, "external_judge": 0,
                                       "none": 0}, "source": "test"} for name in FAMILIES}
    return yaml.safe_dump({"strategies": strategies, "families": families,
                           "tasks": shipped["tasks"]}, sort_keys=False)


def _scores(other: float, classification: float, open_ended: float) -> str:
    """One flow-style mapping: ``classification`` on its scale, ``open_ended`` on its, ``other``
    on every other benchmark."""
    value = {"classification": classification, "open_ended": open_ended}
    return "{" + ", ".join(f"{bench}: {value.get(family, other)}"
                           for family, benches in BENCHMARKS.items() for bench in benches) + "}"


def toy_rules(*, tuned_price: float = 2.0, refine: float = 2 * LN4,
              economics: str = ECONOMICS, big: float = 0.85):
    return load_rules(RULES, overrides={
        "models.yaml": MODELS.format(tuned_price=tuned_price, ln4=LN4,
                                     small_scores=_scores(0.1, 0.5, 0.3),
                                     big_scores=_scores(0.2, big, 0.4)),
        "strategies.yaml": _strategies(refine), "economics.yaml": economics,
        "training.yaml": TRAINING, "rules.yaml": "rules: []\n"})


@pytest.mark.parametrize(("one_time", "c_inference", "c_training", "per_day", "expected"), [
    (1000, 0.0041, 0.00082, 10_000, ("pays_off", 1000 / 0.00328, 1000 / 0.00328 / 10_000)),
    (1000, 0.003, 0.001, 0, ("pays_off", 500_000, None)),
    (0, 0.01, 0.005, 100, ("cheaper_from_start", 0, 0)),
    (0, 0.005, 0.005, 100, ("cheaper_from_start", 0, 0)),
    (500, 0.001, 0.002, 100, ("never", None, None)),
    (500, 0.002, 0.002, 100, ("never", None, None)),
    (0, 0.001, 0.002, 100, ("never", None, None)),
])
def test_crossing_of_two_cost_lines(one_time, c_inference, c_training, per_day, expected):
    outcome, queries, days = crossing(one_time, c_inference, c_training, per_day)
    assert outcome == expected[0]
    assert queries == pytest.approx(expected[1])
    assert days == pytest.approx(expected[2])


def test_fine_tune_pays_off_after_hand_computed_queries():
    rules = toy_rules()
    rec = recommend(PROFILE, rules)
    # Within $0.001 a query: the fine-tune (0.8, $0.00082); Small refined costs $0.00125.
    assert (rec.model, rec.strategy, rec.verdict) == ("small-sft-1k", "single_pass", "training")
    be = break_even(parse_answers(PROFILE), rules)
    assert be.kind == "fine_tune" and be.recommended == "training"
    assert be.training.one_time_cost_usd == 1000
    assert be.training.cost_per_query_usd == pytest.approx(410 * 2.0 / 1e6)  # 0.00082
    assert be.target_quality == pytest.approx(0.79)  # the best that fits, less the tolerance
    # The inference side: Small, one refinement round, 0.8, over the per-query budget.
    assert (be.inference.model, be.inference.strategy) == ("small", "iterative_refinement")
    assert be.inference.expected_quality == pytest.approx(0.8)
    assert be.inference.cost_per_query_usd == pytest.approx(1250 / 1e6)
    assert not be.inference.fits_budget and be.training.fits_budget
    assert be.outcome == "pays_off"
    assert be.saving_per_query_usd == pytest.approx(0.00043)
    assert be.break_even_queries == pytest.approx(1000 / 0.00043)   # 2,325,581
    assert be.break_even_days == pytest.approx(1000 / 0.00043 / 10_000)
    assert be.days == pytest.approx([0, 232.5581395, 365])
    # After a year: 1000 + 0.00082 × 10,000 × 365 and 0.00125 × 10,000 × 365.
    assert be.cumulative_training_usd == pytest.approx([1000, 2906.98, 3993])
    assert be.cumulative_inference_usd == pytest.approx([0, 2906.98, 4562.5])
    # FLOPs: 6 × 1e9 × 1e6 to train; 2 × N × tokens read and written per query.
    assert be.training.training_flops == pytest.approx(6e15)
    assert be.training.inference_flops_per_query == pytest.approx(2e9 * 410)
    assert be.inference.inference_flops_per_query == pytest.approx(2e9 * 1250)
    assert be.break_even_flops_queries == pytest.approx(6e15 / (2e9 * 840))
    assert be.lifetime_queries == 3_650_000 and not be.beyond_chinchilla
    assert break_even_text(be) == (
        "Single pass on Small (fine-tuned, 1,000 examples), after a fine-tune costing $1,000, at "
        "$0.00082 per query pays back after 2,325,581 queries, on day 233 at 10,000 queries a "
        "day, against Iterative refinement (rounds 1) on Small at $0.0013 per query (over your "
        "per-query budget) at the same quality (0.79).")


def test_an_inference_recommendation_against_a_dearer_fine_tune_never_pays_off():
    # A fine-tune served at $5/1M costs $0.00205 a query: over the $0.002 budget, so the
    # recommendation is Small refined ($0.00125) and the fine-tune is the other side.
    profile = {**PROFILE, "budget_per_query_usd": 0.002}
    rules = toy_rules(tuned_price=5.0)
    rec = recommend(profile, rules)
    assert (rec.model, rec.strategy, rec.verdict) == ("small", "iterative_refinement",
                                                      "inference_time")
    be = break_even(parse_answers(profile), rules)
    assert be.recommended == "inference" and be.training.model == "small-sft-1k"
    assert be.outcome == "never"
    assert be.saving_per_query_usd == pytest.approx(0.00125 - 0.00205)
    assert be.break_even_queries is None and be.break_even_days is None
    assert be.days == [0, 365]
    assert break_even_text(be) == (
        "The run never pays back here: Iterative refinement (rounds 1) on Small at $0.0013 per "
        "query reaches quality 0.79 for less per query than Single pass on Small (fine-tuned, "
        "1,000 examples), after a fine-tune costing $1,000, at $0.0021 per query (over your "
        "per-query budget).")


def test_only_training_reaches_the_target():
    # Refinement worth one log-odds only: Small refined reaches σ(1) = 0.73 and Big, answering
    # 0.55, refined σ(0.2 + 1) = 0.77: both short of 0.79, so without the run nothing does.
    be = break_even(parse_answers(PROFILE), toy_rules(refine=2.0, big=0.55))
    assert be.outcome == "inference_unreachable"
    assert be.inference is None and be.cumulative_inference_usd is None
    assert be.training.model == "small-sft-1k"
    assert break_even_text(be).startswith("Without a training run nothing reaches quality 0.79")


def test_without_a_run_the_other_side_may_be_a_better_trained_tier():
    # Refinement short of the target, but Big answering once (0.85) reaches it, for
    # $0.0041 a query: the run pays back against a better-trained tier bought per token.
    be = break_even(parse_answers(PROFILE), toy_rules(refine=2.0))
    assert be.recommended == "training" and be.outcome == "pays_off"
    assert (be.inference.model, be.inference.strategy) == ("big", "single_pass")


def test_without_training_budget_the_option_is_a_larger_tier():
    profile = {**PROFILE, "training_budget_usd": 0, "budget_per_query_usd": 0.005}
    rules = toy_rules()
    rec = recommend(profile, rules)
    assert (rec.model, rec.verdict, rec.training.action) == ("big", "training", "larger_model")
    assert rec.training_route == "bought"
    be = break_even(parse_answers(profile), rules)
    # A better-trained tier is paid per query: the other side is a run, and none fits $0.
    assert be.kind == "larger_model" and be.recommended == "inference"
    assert be.inference.model == "big" and be.inference.one_time_cost_usd == 0
    assert be.outcome == "training_unreachable" and be.training is None
    assert break_even_text(be).startswith("No training run within the training budget reaches")


def test_beyond_chinchilla_from_the_threshold():
    be = break_even(parse_answers({**PROFILE, "queries_per_day": 3_000_000}), toy_rules())
    assert be.lifetime_queries == 1_095_000_000 and be.beyond_chinchilla


def test_neither_has_no_break_even():
    # $0.0005 a query only fits Small answering once: nothing to break even on.
    profile = {**PROFILE, "budget_per_query_usd": 0.0005}
    assert recommend(profile, toy_rules()).verdict == "neither"
    assert break_even(parse_answers(profile), toy_rules()) is None


def test_rules_without_economics_give_no_break_even():
    rules = toy_rules(economics="description: no economics section\n")
    assert rules.economics is None
    assert break_even(parse_answers(PROFILE), rules) is None


def test_model_sizes_live_with_their_tiers():
    """N moved from economics.model_sizes to each tier's size: the old key is named as unknown."""
    with pytest.raises(RulesError) as err:
        toy_rules(economics=ECONOMICS + "  model_sizes: {small: {parameters: 1.0e9}}\n")
    assert [p.message for p in err.value.problems] == [
        "unknown key 'economics.model_sizes'; known keys: training_flops_per_parameter_token, "
        "inference_flops_per_parameter_token, flops_source, lifetime_requests_threshold, "
        "threshold_source, frontier_offsets, published_rates"]


def test_reports_carry_the_break_even():
    rules = toy_rules()
    rec = analyse(PROFILE, rules)
    data = json.loads(to_json(rec))
    assert data["break_even"]["break_even_queries"] == pytest.approx(1000 / 0.00043)
    markdown = to_markdown(rec, vocabulary=Vocabulary.of(rules))
    assert "## Break-even" in markdown
    assert r"after a fine-tune costing \$1,000, at \$0.00082 per query pays back after 2,325,581 " \
        "queries" in markdown  # $ is maths
    assert "- Break-even: 2,325,581 queries (233 days)." in markdown
