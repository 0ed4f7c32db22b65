"""Cost, latency and quality formulas against numbers worked out by hand.

Prices and speeds are the default rules' (rules/models.yaml), per 1M tokens:

- gpt-4o-mini: input 0.15, cached input 0.075, output 0.60; 90 tokens/s; first token 0.4 s.
- llama-3.1-8b: input 0.18, no prompt caching (cached tokens pay 0.18), output 0.18; 400 tokens/s;
  first token 0.25 s.
- o4-mini: input 1.10, output 4.40; 120 tokens/s; first token 1.0 s; 2,000 hidden thinking tokens.
- gpt-4o-mini fine-tuned: input 0.30, output 1.20, no caching; run 10M tokens × $3/1M + $1,000.

Task math (rules/strategies.yaml): prompt P = 300, answer A = 200, visible reasoning R = 1,500;
so a sample writes O = A + R = 1,700 tokens (plus thinking on o4-mini). Verifiers (settings.yaml):
verifiable_steps adds 0.5 s; external_judge reads P + O and writes 50 tokens per candidate.
"""

from __future__ import annotations

import math

import pytest

from advisor import load_answers, recommend
from advisor.costs import Serving, cot_quality, coverage, figures, servings
from helpers import EXAMPLES_DIR

# (strategy, parameters, model tier, fine-tuned?, verifiability,
#  cost per query USD, latency s, calls, output tokens) -- all on task type math.
COST_CASES = [
    # single pass: P in, A (+ H) out.
    ("single_pass", {}, "gpt-4o-mini", False, "none",
     (300 * 0.15 + 200 * 0.60) / 1e6,                      # 0.000165
     0.4 + 200 / 90, 1, 200),                              # 2.6222 s
    ("single_pass", {}, "llama-3.1-8b", False, "none",
     (300 + 200) * 0.18 / 1e6,                             # 0.00009
     0.25 + 200 / 400, 1, 200),                            # 0.75 s
    ("single_pass", {}, "o4-mini", False, "none",
     (300 * 1.10 + (200 + 2000) * 4.40) / 1e6,             # 0.01001: thinking is billed output
     1.0 + 2200 / 120, 1, 2200),                           # 19.333 s
    ("single_pass", {}, "gpt-4o-mini", True, "none",
     (300 * 0.30 + 200 * 1.20) / 1e6,                      # 0.00033 at fine-tuned prices
     0.4 + 200 / 90, 1, 200),
    # chain of thought (T thinking tokens): P in, A + T out.
    ("chain_of_thought", {"thinking_tokens": 2048}, "gpt-4o-mini", False, "none",
     (300 * 0.15 + 2248 * 0.60) / 1e6,                     # 0.0013938
     0.4 + 2248 / 90, 1, 2248),                            # 25.378 s
    ("chain_of_thought", {"thinking_tokens": 512}, "llama-3.1-8b", False, "none",
     (300 + 712) * 0.18 / 1e6,                             # 0.00018216
     0.25 + 712 / 400, 1, 712),                            # 2.03 s
    # majority vote (k): prompt once at input price, k-1 times cached; k × O out; parallel.
    ("self_consistency", {"samples": 5}, "gpt-4o-mini", False, "none",
     (300 * 0.15 + 4 * 300 * 0.075 + 5 * 1700 * 0.60) / 1e6,   # 45 + 90 + 5100 -> 0.005235
     0.4 + 1700 / 90, 5, 8500),                                 # 19.289 s
    ("self_consistency", {"samples": 5}, "llama-3.1-8b", False, "none",
     (300 + 4 * 300 + 5 * 1700) * 0.18 / 1e6,                   # 10,000 tokens -> 0.0018
     0.25 + 1700 / 400, 5, 8500),                               # 4.5 s
    ("self_consistency", {"samples": 3}, "gpt-4o-mini", True, "none",
     (3 * 300 * 0.30 + 3 * 1700 * 1.20) / 1e6,                  # no caching: 0.00639
     0.4 + 1700 / 90, 3, 5100),
    # verified sampling, checked by a program: as majority vote, plus 0.5 s for the check.
    ("best_of_n_verifier", {"samples": 8}, "gpt-4o-mini", False, "verifiable_steps",
     (300 * 0.15 + 7 * 300 * 0.075 + 8 * 1700 * 0.60) / 1e6,   # 45 + 157.5 + 8160 -> 0.0083625
     0.4 + 1700 / 90 + 0.5, 8, 13600),                          # 19.789 s
    # verified sampling with a judge: + k judge calls of (P + O) in, 50 out, in parallel.
    ("best_of_n_verifier", {"samples": 8}, "gpt-4o-mini", False, "external_judge",
     0.0083625 + 8 * ((300 + 1700) * 0.15 + 50 * 0.60) / 1e6,  # + 8 × 0.00033 -> 0.0110025
     0.4 + 1700 / 90 + 0.4 + 50 / 90, 16, 13600),               # 20.244 s
    ("best_of_n_verifier", {"samples": 4}, "llama-3.1-8b", False, "external_judge",
     (300 + 3 * 300 + 4 * 1700) * 0.18 / 1e6                    # 0.00144
     + 4 * (2000 + 50) * 0.18 / 1e6,                            # + 0.001476 -> 0.002916
     0.25 + 1700 / 400 + 0.25 + 50 / 400, 8, 6800),             # 4.875 s
    # tree search (b, d): b·d calls; input P + b·O·(d-1)/2, cached (b·d - 1)·P, output b·O;
    # latency d·ttft + O/tps + d checks.
    ("tree_search", {"breadth": 3, "depth": 4}, "gpt-4o-mini", False, "verifiable_steps",
     (7950 * 0.15 + 11 * 300 * 0.075 + 5100 * 0.60) / 1e6,     # 1192.5 + 247.5 + 3060 -> 0.0045
     4 * 0.4 + 1700 / 90 + 4 * 0.5, 12, 5100),                  # 22.489 s
    ("tree_search", {"breadth": 3, "depth": 2}, "llama-3.1-8b", False, "external_judge",
     (2850 + 5 * 300 + 5100) * 0.18 / 1e6                       # 0.001701
     + 6 * (2000 + 50) * 0.18 / 1e6,                            # + 6 judge calls -> 0.003915
     2 * 0.25 + 1700 / 400 + 2 * (0.25 + 50 / 400), 12, 5100),  # 5.5 s
    # refinement (R rounds): 1 + 2R sequential calls of O; input P + 2R·O, cached 2R·P.
    ("iterative_refinement", {"rounds": 2}, "gpt-4o-mini", False, "none",
     (7100 * 0.15 + 4 * 300 * 0.075 + 5 * 1700 * 0.60) / 1e6,  # 1065 + 90 + 5100 -> 0.006255
     5 * (0.4 + 1700 / 90), 5, 8500),                           # 96.444 s
    ("iterative_refinement", {"rounds": 1}, "llama-3.1-8b", False, "external_judge",
     (3700 + 600 + 5100) * 0.18 / 1e6,                          # 0.001692: no judge calls
     3 * (0.25 + 1700 / 400), 3, 5100),                         # 13.5 s
]


def _serving(rules, model_id: str, fine_tuned: bool, family: str = "reasoning") -> Serving:
    base, *tuned = servings(rules.model(model_id), family, rules.families[family].ceiling)
    return tuned[0] if fine_tuned else base


def _figures(rules, strategy_id, params, serving, verifiability, task_type="math"):
    task = rules.tasks[task_type]
    return figures(rules.strategy(strategy_id), params, serving, task,
                   rules.families[task.family], rules.settings.verifiers[verifiability],
                   verifiability)


@pytest.mark.parametrize(
    "strategy_id, params, model_id, fine_tuned, verifiability, cost, latency, calls, output",
    COST_CASES,
    ids=[f"{c[0]}-{'-'.join(map(str, c[1].values()))}-{c[2]}{'-ft' if c[3] else ''}-{c[4]}"
         for c in COST_CASES])
def test_cost_and_latency(rules, strategy_id, params, model_id, fine_tuned, verifiability,
                          cost, latency, calls, output):
    result = _figures(rules, strategy_id, params, _serving(rules, model_id, fine_tuned),
                      verifiability)
    assert result.cost_usd == pytest.approx(cost, rel=1e-9)
    assert result.latency_s == pytest.approx(latency, rel=1e-9)
    assert result.calls == calls
    assert result.output_tokens == output


def test_every_strategy_kind_has_cost_cases(rules):
    kinds = {rules.strategy(case[0]).kind for case in COST_CASES}
    assert kinds == {"single_pass", "chain_of_thought", "majority_vote", "verified_sampling",
                     "tree_search", "refinement"}


def test_fine_tuned_serving(rules):
    base, tuned = servings(rules.model("gpt-4o-mini"), "knowledge", 0.9)
    assert (base.fine_tuned, base.cached_input_per_1m, base.base_quality) == (False, 0.075, 0.09)
    assert tuned.model_id == "gpt-4o-mini-ft"
    assert tuned.model_name == "GPT-4o mini (fine-tuned)"
    assert tuned.base_model == "gpt-4o-mini"
    assert tuned.cached_input_per_1m is None
    assert (tuned.input_per_1m, tuned.output_per_1m) == (0.30, 1.20)
    assert tuned.training_cost_usd == pytest.approx(10_000_000 * 3.0 / 1e6 + 1000)  # 1,030
    assert tuned.base_quality == pytest.approx(0.09 + 0.25)                       # + knowledge gain


def test_fine_tuned_quality_is_capped_at_the_ceiling(rules):
    base, tuned = servings(rules.model("llama-3.1-8b"), "knowledge", 0.2)
    assert base.base_quality == 0.05
    assert tuned.base_quality == 0.2  # 0.05 + 0.25 would pass the ceiling


def test_a_tier_without_fine_tuning_has_one_serving(rules):
    assert [s.model_id for s in servings(rules.model("o1"), "reasoning", 0.95)] == ["o1"]


# --- quality formulas ----------------------------------------------------------------------------

# gpt-4o-mini on math: p0 = 0.08, reasoning family ceiling 0.95, cot_gain 0.35, scale 1,024 tokens.
# With R = 1,500 visible reasoning tokens each sample starts from
P_MINI_MATH = 0.08 + (0.95 - 0.08) * 0.35 * (1 - math.exp(-1500 / 1024))  # 0.31413


def test_coverage_reproduces_large_language_monkeys():
    # DeepSeek-Coder-V2 on SWE-bench Lite: 15.9% with one sample, 56% with 250.
    assert coverage(0.159, 1, 0.21) == pytest.approx(0.159)
    assert coverage(0.159, 250, 0.21) == pytest.approx(0.56, abs=0.005)
    assert coverage(0.0, 250, 0.21) == 0.0


def test_chain_of_thought_quality(rules):
    serving = _serving(rules, "gpt-4o-mini", False)
    # 1,024 thinking tokens: 1 - e^-1 = 63% of the gain.
    assert cot_quality(serving, rules.families["reasoning"], 1024) == pytest.approx(
        0.08 + 0.87 * 0.35 * (1 - math.exp(-1)))  # 0.27248
    # o4-mini already reasons: only 30% of the gain is left; p0 0.60.
    o4 = _serving(rules, "o4-mini", False)
    assert cot_quality(o4, rules.families["reasoning"], 1024) == pytest.approx(
        0.60 + 0.35 * 0.35 * 0.3 * (1 - math.exp(-1)))  # 0.62323


# (strategy, parameters, verifiability, expected quality) for gpt-4o-mini on math.
_ACC_INF = P_MINI_MATH + 0.98 * P_MINI_MATH * (0.95 - P_MINI_MATH)  # 0.50988
QUALITY_CASES = [
    ("single_pass", {}, "none", 0.08),
    ("chain_of_thought", {"thinking_tokens": 2048},
     "none", 0.08 + 0.87 * 0.35 * (1 - math.exp(-2))),                                # 0.34325
    ("self_consistency", {"samples": 4}, "none", _ACC_INF - (_ACC_INF - P_MINI_MATH) / 2),  # 0.41201
    ("best_of_n_verifier", {"samples": 8}, "verifiable_steps",
     P_MINI_MATH + (P_MINI_MATH ** (8 ** -0.21) - P_MINI_MATH) * 0.9),                # 0.54097
    ("best_of_n_verifier", {"samples": 8}, "external_judge",
     P_MINI_MATH + (P_MINI_MATH ** (8 ** -0.21) - P_MINI_MATH) * 0.5),
    ("best_of_n_verifier", {"samples": 8}, "none", P_MINI_MATH),                       # no gain
    # Search efficiency at depth 4: 1 + (4 - 1)(1 - 1/4) = 3.25 samples' worth per branch.
    ("tree_search", {"breadth": 3, "depth": 4}, "verifiable_steps",
     P_MINI_MATH + (P_MINI_MATH ** (9.75 ** -0.21) - P_MINI_MATH) * 0.9),
    # Refinement without feedback on reasoning: -0.08 × (1 - 0.5²) = -0.06.
    ("iterative_refinement", {"rounds": 2}, "none", P_MINI_MATH - 0.06),
    ("iterative_refinement", {"rounds": 1}, "verifiable_steps", P_MINI_MATH + 0.05 * 0.5),
]


@pytest.mark.parametrize("strategy_id, params, verifiability, quality", QUALITY_CASES,
                         ids=[f"{c[0]}-{c[2]}-{'-'.join(map(str, c[1].values()))}"
                              for c in QUALITY_CASES])
def test_quality(rules, strategy_id, params, verifiability, quality):
    result = _figures(rules, strategy_id, params, _serving(rules, "gpt-4o-mini", False),
                      verifiability)
    assert result.expected_quality == pytest.approx(quality, rel=1e-9)


def _plain_serving(base_quality: float) -> Serving:
    return Serving("m", "M", 1.0, 1.0, None, 100, 0.1, 0, 1.0, base_quality)


def test_majority_vote_reproduces_self_consistency_on_gsm8k(rules):
    """Wang et al. 2022: 56.5% with one path, +17.9 points with 40 paths."""
    no_reasoning = rules.tasks["math"].model_copy(update={"reasoning_tokens": 0})
    result = figures(rules.strategy("self_consistency"), {"samples": 40}, _plain_serving(0.565),
                     no_reasoning, rules.families["reasoning"],
                     rules.settings.verifiers["none"], "none")
    # acc_inf = 0.565 + 0.98 × 0.565 × (0.95 - 0.565) = 0.77818; 40^-0.5 = 0.15811.
    assert result.expected_quality == pytest.approx(0.7445, abs=0.0005)
    assert result.expected_quality - 0.565 == pytest.approx(0.179, abs=0.001)


def test_refinement_without_feedback_reproduces_huang_et_al(rules):
    """GPT-4 on GSM8K: 95.5% -> 91.5% -> 89.0% over two self-correction rounds."""
    no_reasoning = rules.tasks["math"].model_copy(update={"reasoning_tokens": 0})
    drops = [0.955 - figures(rules.strategy("iterative_refinement"), {"rounds": rounds},
                             _plain_serving(0.955), no_reasoning, rules.families["reasoning"],
                             rules.settings.verifiers["none"], "none").expected_quality
             for rounds in (1, 2)]
    # -0.08 × (1 - 0.5) and -0.08 × (1 - 0.25); observed: 4.0 and 6.5 points.
    assert drops == pytest.approx([0.04, 0.06])
    assert drops == pytest.approx([0.955 - 0.915, 0.955 - 0.890], abs=0.006)


# --- monthly cost --------------------------------------------------------------------------------

@pytest.mark.parametrize("queries_per_day, monthly", [
    (200, 0.000165 * 200 * 30),        # 0.99
    (50_000, 0.000165 * 50_000 * 30),  # 247.5
    (0, 0.0),
])
def test_monthly_cost_is_cost_times_queries_times_30_days(rules, queries_per_day, monthly):
    answers = load_answers(EXAMPLES_DIR / "competition-math.yaml").model_copy(
        update={"queries_per_day": queries_per_day})
    rec = recommend(answers, rules)
    single = next(e for e in rec.estimates if (e.strategy, e.model) == ("single_pass",
                                                                         "gpt-4o-mini"))
    assert single.cost_usd == pytest.approx(0.000165)
    assert single.monthly_cost_usd == pytest.approx(monthly)
    for estimate in rec.estimates:
        assert estimate.monthly_cost_usd == pytest.approx(
            estimate.cost_usd * queries_per_day * 30, abs=0.01)
