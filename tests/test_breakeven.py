"""Break-even arithmetic against hand-computed numbers (evidence notes: T / (c₁ − c₂))."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor import load_rules, parse_answers
from advisor.analysis import analyse
from advisor.breakeven import break_even, crossing
from advisor.errors import RulesError
from advisor.report import to_json, to_markdown
from advisor.wording import break_even_text

RULES = Path(__file__).resolve().parent.parent / "rules"

# Two tiers whose figures are easy to compute by hand (classification: 400 prompt, 10 answer
# tokens; 100 tokens/s and 0.25 s to first token, so only a single pass fits 1.9 s).
MODELS = """
models:
  - id: small
    name: Small
    price_table_id: small
    input_per_1m: 1.0
    output_per_1m: 1.0
    output_tokens_per_s: 100
    time_to_first_token_s: 0.25
    quality: {{reasoning: 0.1, code: 0.1, knowledge: 0.1, classification: 0.5, open_ended: 0.3}}
    price_date: 2026-11-28
    price_source: test
    speed_source: test
    quality_source: test
    fine_tune:
      training_per_1m_tokens: 1.0
      training_tokens: 1000000
      fixed_cost_usd: 999
      input_per_1m: {tuned_price}
      output_per_1m: {tuned_price}
      quality_gain: {{reasoning: 0.0, code: 0.0, knowledge: 0.0, classification: 0.3, open_ended: 0.0}}
      source: test
  - id: big
    name: Big
    price_table_id: big
    input_per_1m: 10.0
    output_per_1m: 10.0
    output_tokens_per_s: 100
    time_to_first_token_s: 0.25
    quality: {{reasoning: 0.2, code: 0.2, knowledge: 0.2, classification: {big_quality}, open_ended: 0.4}}
    price_date: 2026-11-28
    price_source: test
    speed_source: test
    quality_source: test
"""
ECONOMICS = """
economics:
  horizon_days: 365
  flops_source: test flops
  lifetime_requests_threshold: 1.0e9
  threshold_source: test threshold
  model_sizes:
    small: {parameters: 1.0e9, source: test}
    big: {parameters: 1.0e10, source: test}
"""
PROFILE = dict(task_type="classification", latency_budget_s=1.9, budget_per_query_usd=0.01,
               training_budget_usd=5000, verifiability="none", queries_per_day=10_000)


def toy_rules(*, tuned_price: float = 2.0, big_quality: float = 0.85, economics: str = ECONOMICS):
    return load_rules(RULES, overrides={
        "models.yaml": MODELS.format(tuned_price=tuned_price, big_quality=big_quality),
        "economics.yaml": economics})


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
    be = break_even(parse_answers(PROFILE), toy_rules())
    # Fine-tune: 1M tokens × $1/1M + $999 = $1,000; tuned single pass (400 + 10) × $2/1M.
    assert be.kind == "fine_tune"
    assert be.training.model == "small-ft" and be.training.strategy == "single_pass"
    assert be.training.one_time_cost_usd == 1000
    assert be.training.cost_per_query_usd == pytest.approx(0.00082)
    assert be.target_quality == pytest.approx(0.8)
    # Cheapest base tier reaching 0.8 within 1.9 s: Big, single pass, (400 + 10) × $10/1M.
    assert be.inference.model == "big" and be.inference.strategy == "single_pass"
    assert be.inference.cost_per_query_usd == pytest.approx(0.0041)
    assert be.outcome == "pays_off"
    assert be.saving_per_query_usd == pytest.approx(0.00328)
    assert be.break_even_queries == pytest.approx(304_878.048780)
    assert be.break_even_days == pytest.approx(30.4878048780)
    assert be.days == pytest.approx([0, 30.4878048780, 365])
    # After a year: 1000 + 0.00082 × 10,000 × 365 and 0.0041 × 10,000 × 365.
    assert be.cumulative_training_usd == pytest.approx([1000, 1250, 3993])
    assert be.cumulative_inference_usd == pytest.approx([0, 1250, 14965])
    # FLOPs: 6 × 1e9 × 1e6 to train; 2 × N × 410 tokens per query on each side.
    assert be.training.training_flops == pytest.approx(6e15)
    assert be.training.inference_flops_per_query == pytest.approx(8.2e11)
    assert be.inference.inference_flops_per_query == pytest.approx(8.2e12)
    assert be.break_even_flops_queries == pytest.approx(6e15 / 7.38e12)
    assert be.lifetime_queries == 3_650_000 and not be.beyond_chinchilla
    assert break_even_text(be) == (
        "Single pass on Small (fine-tuned) at $0.00082 per query pays back its $1,000 fine-tune "
        "after 304,878 queries, about 30 days at 10,000 queries a day, against Single pass on Big "
        "at $0.0041 per query at the same quality (0.80).")


def test_fine_tune_dearer_per_query_never_pays_off():
    be = break_even(parse_answers(PROFILE), toy_rules(tuned_price=20.0))
    assert be.outcome == "never"
    assert be.saving_per_query_usd == pytest.approx(0.0041 - 0.0082)
    assert be.break_even_queries is None and be.break_even_days is None
    assert be.days == [0, 365]
    assert break_even_text(be).startswith("The fine-tune never pays off: Single pass on Big")


def test_only_training_reaches_the_target():
    be = break_even(parse_answers(PROFILE), toy_rules(big_quality=0.7))
    assert be.outcome == "inference_unreachable"
    assert be.inference is None and be.cumulative_inference_usd is None
    assert be.training.model == "small-ft"


def test_without_training_budget_the_option_is_a_larger_tier():
    be = break_even(parse_answers({**PROFILE, "training_budget_usd": 0}), toy_rules())
    assert be.kind == "larger_model"
    assert be.training.model == "big" and be.training.one_time_cost_usd == 0
    # The only less-trained tier, Small, tops out at 0.5 within 1.9 s.
    assert be.outcome == "inference_unreachable"


def test_beyond_chinchilla_from_the_threshold():
    be = break_even(parse_answers({**PROFILE, "queries_per_day": 3_000_000}), toy_rules())
    assert be.lifetime_queries == 1_095_000_000 and be.beyond_chinchilla


def test_rules_without_economics_give_no_break_even():
    rules = toy_rules(economics="description: no economics section\n")
    assert rules.economics is None
    assert break_even(parse_answers(PROFILE), rules) is None


def test_economics_names_only_known_models():
    with pytest.raises(RulesError) as err:
        toy_rules(economics=ECONOMICS.replace("big:", "bigg:"))
    assert [p.message for p in err.value.problems] == [
        "unknown model 'bigg' (did you mean 'big'?)"]


def test_shipped_rules_break_even_is_consistent():
    answers = parse_answers(dict(task_type="open_ended_explanation", latency_budget_s=30,
                                 budget_per_query_usd=0.05, training_budget_usd=5000,
                                 verifiability="verifiable_steps", queries_per_day=10_000))
    be = break_even(answers, load_rules(RULES))
    assert be.outcome == "pays_off"
    saving = be.inference.cost_per_query_usd - be.training.cost_per_query_usd
    assert be.break_even_queries == pytest.approx(be.training.one_time_cost_usd / saving)
    assert be.break_even_days == pytest.approx(be.break_even_queries / 10_000)
    assert be.inference.expected_quality >= be.target_quality
    assert not be.inference.fine_tuned and be.training.fine_tuned


def test_reports_carry_the_break_even():
    rec = analyse(PROFILE, toy_rules())
    data = json.loads(to_json(rec))
    assert data["break_even"]["break_even_queries"] == pytest.approx(304_878.048780)
    markdown = to_markdown(rec)
    assert "## Break-even" in markdown
    assert r"pays back its \$1,000 fine-tune after 304,878 queries" in markdown  # $ is maths
    assert "- Break-even: 304,878 queries (30 days)." in markdown
