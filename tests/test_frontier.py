"""The iso-quality frontier of training against inference compute (advisor/analysis/frontier.py).

Properties over the answer space: along each curve more training never needs more inference;
the recommendation lies on its curve (or the result names the budget that keeps it off the
frontier); the cheapest point is a brute-force search over every allowed candidate. Then the
CLI, the chart and the app section.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import analyse, load_rules
from advisor.model.answers import TaskType, Verifiability
from advisor.source.answers_file import load_answers
from advisor.engine.decide import CandidateView, amortising_volume, decide, validated_answers
from advisor.analysis.frontier import dominates, frontier
from advisor.render.frontier_chart import frontier_figure
from advisor.render.frontier_text import frontier_lines, rate_text, recommended_text, summary_text
from advisor.model.frontier import ExchangeRate
from advisor.render.report import FRONTIER_HEADING, to_markdown
from advisor.render.vocabulary import Vocabulary
from advisor.engine.training import runs
from helpers import EXAMPLES_DIR, RULES_DIR, open_tab, run_app, run_cli

RULES = load_rules(RULES_DIR)
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))
PROPERTIES = settings(max_examples=60, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])

profiles = st.fixed_dictionaries({
    "task_type": st.sampled_from([t.value for t in TaskType]),
    "verifiability": st.sampled_from([v.value for v in Verifiability]),
    "latency_budget_s": st.floats(min_value=0.3, max_value=3600, allow_nan=False),
    "budget_per_query_usd": st.floats(min_value=1e-5, max_value=20, allow_nan=False),
    "training_budget_usd": st.sampled_from([0.0, 451.0, 1501.5, 5000.0, 20_000.0, 1e6]),
    "queries_per_day": st.sampled_from([0, 10, 1000, 2_000_000]),
    "needs_calibration": st.booleans(),
    "high_stakes": st.booleans(),
})


def _xy(point, unit):
    return ((point.training_flops, point.inference_flops_per_query) if unit == "flops"
            else (point.training_usd, point.inference_usd_per_query))


@PROPERTIES
@given(profiles)
def test_more_training_never_needs_more_inference_along_a_curve(answers):
    result = frontier(RULES, answers)
    for curve in result.curves:
        for unit, points in (("flops", curve.flops_points), ("usd", curve.usd_points)):
            on = [_xy(p, unit) for p in points if p.on_frontier]
            assert on == sorted(on), "frontier points are in training order"
            for (x1, y1), (x2, y2) in zip(on, on[1:]):
                assert x2 >= x1 and y2 < y1, (unit, curve.target_quality)
            # Every point off the frontier is beaten by one on it.
            for p in points:
                if not p.on_frontier:
                    assert any(dominates(q, p, unit) or _xy(q, unit) == _xy(p, unit)
                               for q in points if q.on_frontier)
            assert all(p.expected_quality >= curve.target_quality - 1e-9 for p in points)


@PROPERTIES
@given(profiles)
def test_the_recommendation_lies_on_its_curve(answers):
    rec = analyse(answers, RULES)
    result, where = rec.frontier, rec.frontier.recommended
    if not rec.feasible:
        assert where.reason == "infeasible" and not where.on_frontier
        return
    curve = result.curves[where.curve]
    assert curve.offset == 0
    assert curve.target_quality == pytest.approx(rec.chosen.expected_quality, abs=1e-4)
    point = curve.usd_points[where.usd_point]
    assert where.on_curve and point.level == rec.model
    assert point.cost_per_query_usd == pytest.approx(rec.chosen.cost_usd, abs=1e-9)
    if where.on_frontier:
        assert where.reason is None and point.on_frontier
    else:
        # Only a level the budgets rule out can beat the recommendation.
        beaten_by = next(p for p in curve.usd_points if p.level == where.dominated_by)
        assert dominates(beaten_by, point, "usd")
        assert where.reason in ("training_budget", "per_query_budget")
        assert not (beaten_by.fits_training_budget and beaten_by.fits_budget)


def _brute_force_cheapest(answers, target):
    """min over every candidate the rules allow within the latency budget that reaches target."""
    values = validated_answers(answers, RULES)
    decision = decide(RULES, values.model_dump())
    view = CandidateView(decision, RULES)
    table = view.table
    volume = float(amortising_volume(values.queries_per_day, RULES.settings.horizon_days))
    best = None
    for i in range(len(table)):
        # A calibration requirement is the table's own: every candidate in it is calibrated.
        assert table.calibrated[i] or not decision.requires_calibration
        if not (view.rules_allow[i] and view.fits_latency[i]):
            continue
        if table.quality[i] < target - 1e-9:
            continue
        total = float(table.training_cost[i]) + float(table.cost[i]) * volume
        best = total if best is None else min(best, total)
    return best


@settings(max_examples=25, deadline=None)
@given(profiles)
def test_the_cheapest_point_is_a_brute_force_search(answers):
    result = frontier(RULES, answers)
    for curve in result.curves:
        cheapest = curve.usd_points[curve.cheapest]
        assert cheapest.total_usd == pytest.approx(
            _brute_force_cheapest(answers, curve.target_quality), rel=1e-9, abs=1e-6)
        assert cheapest.on_frontier


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_has_a_frontier_with_the_recommendation_on_it(example):
    rec = analyse(load_answers(example), RULES)
    result = rec.frontier
    assert result.curves and result.recommended.on_curve
    assert rec.chosen.expected_quality == pytest.approx(result.recommended_quality)
    assert result.published_rates and any(r.checked for r in result.published_rates)
    markdown = to_markdown(rec, vocabulary=Vocabulary.of(RULES))
    assert FRONTIER_HEADING in markdown and "Published exchange rates" in markdown


def test_training_and_inference_dollars_add_up_to_the_total():
    answers = load_answers(EXAMPLES_DIR / "competition-math.yaml")
    result = frontier(RULES, answers)
    for curve in result.curves:
        for p in curve.usd_points:
            assert p.training_usd + p.inference_usd_per_query * result.horizon_queries == \
                pytest.approx(p.total_usd, rel=1e-6)
            assert p.total_usd == pytest.approx(p.one_time_cost_usd
                                                + p.cost_per_query_usd * result.horizon_queries)


def test_flops_follow_6nd_and_2n_per_token():
    answers = load_answers(EXAMPLES_DIR / "support-faq-bot.yaml")
    result = frontier(RULES, answers)
    tier = RULES.model("llama-3.1-8b")
    point = next(p for c in result.curves for p in c.usd_points
                 if p.level == "llama-3.1-8b-distil-10k")
    run = next(r for r in runs(RULES, tier, answers.verifiability)
               if (r.option.id, r.size) == ("distil", 10_000)).tokens
    assert run == 10_000 * (500 + 4000) * 2  # prompt and trace, two epochs
    n, d = tier.size.parameters, tier.size.training_tokens
    assert point.training_flops == pytest.approx(6 * n * (d + run))
    assert point.inference_flops_per_query == pytest.approx(2 * n * point.tokens_per_query)
    assert point.training_flops_low <= point.training_flops <= point.training_flops_high
    assert not point.size_estimated


def test_explicit_targets_and_unreachable_ones():
    answers = load_answers(EXAMPLES_DIR / "bank-compliance-review.yaml")
    result = frontier(RULES, answers, targets=[0.3, 0.5, 1.0, 0.5])
    assert result.targets == [0.3, 0.5]  # 1.0 is out of reach, duplicates once


def test_no_economics_no_frontier(tmp_path):
    for path in RULES_DIR.glob("*.yaml"):
        if path.name != "economics.yaml":
            (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    rules = load_rules(tmp_path)
    assert frontier(rules, load_answers(EXAMPLES[0])) is None
    result = run_cli("frontier", "--answers", EXAMPLES[0], "--rules", tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"{tmp_path}: the rules have no 'economics' section, which "
                                     "the frontier needs (training and inference FLOPs per "
                                     "parameter and token)")


@pytest.mark.parametrize(("rate", "text"), [
    (ExchangeRate(from_level="a", to_level="b", training_ratio=20.0, inference_ratio=40.0,
                  per_10x_training=float(10 ** (np.log10(40) / np.log10(20)))),
     "From A to B: here, 10× more training compute saves about 17× inference compute per query "
     "(20× more training, 40× less inference)."),
    (ExchangeRate(from_level="a", to_level="b", training_ratio=1.2, inference_ratio=5.0,
                  per_10x_training=None),
     "From A to B: 1.2× more training compute saves 5.0× inference compute per query (too "
     "little more training to extrapolate to 10×)."),
])
def test_rate_in_words(rate, text):
    assert rate_text(rate, "flops", {"a": "A", "b": "B"}) == text


def test_cli_json_and_markdown(tmp_path):
    answers = EXAMPLES_DIR / "competition-math.yaml"
    result = run_cli("frontier", "--answers", answers)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["curves"] and data["recommended"]["on_curve"]
    assert data == json.loads(frontier(RULES, load_answers(answers)).model_dump_json())
    out = tmp_path / "frontier.md"
    result = run_cli("frontier", "--answers", answers, "--format", "markdown", "-o", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Training against inference compute\n")
    assert "Cheapest at quality" in text


def test_cli_bad_answers_name_the_line(tmp_path):
    bad = tmp_path / "answers.yaml"
    bad.write_text("task_type: math\nlatency_budget_s: soon\n", encoding="utf-8")
    result = run_cli("frontier", "--answers", bad)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{bad}:2: 'latency_budget_s' must be a number, got 'soon'" in result.stderr
    result = run_cli("frontier", "--answers", bad, "--format", "html")
    assert result.returncode == 2 and "invalid choice: 'html'" in result.stderr


def test_chart_draws_each_curve_in_both_units():
    answers = load_answers(EXAMPLES_DIR / "competition-math.yaml")
    result = frontier(RULES, answers)
    flops_fig = frontier_figure(result, unit="flops")
    usd_fig = frontier_figure(result, unit="usd")
    assert flops_fig.layout.xaxis.type == "log" and flops_fig.layout.yaxis.type == "log"
    assert usd_fig.layout.xaxis.type == "log" and usd_fig.layout.yaxis.type == "log"
    names = [t.name for t in usd_fig.data]
    for curve in result.curves:
        label = f"quality {curve.target_quality:.2f}"
        assert any(n.startswith(label) for n in names)
        line = next(t for t in usd_fig.data if t.name.startswith(label) and t.mode ==
                    "lines+markers")
        assert len(line.x) == sum(p.on_frontier for p in curve.usd_points)
    assert "recommended" in names
    assert sum(t.name.startswith("cheapest") for t in usd_fig.data) == len(result.curves)
    assert summary_text(result, "usd").startswith("Iso-quality curves in dollars")


@pytest.mark.parametrize("example", ["bank-compliance-review.yaml", "competition-math.yaml"])
def test_both_axes_show_two_decade_labels_and_every_point(example):
    """One label a decade must still give two labels, and no point may fall off the plot."""
    result = frontier(RULES, load_answers(EXAMPLES_DIR / example))
    for unit in ("usd", "flops"):
        fig = frontier_figure(result, unit=unit)
        for axis, column in ((fig.layout.xaxis, "x"), (fig.layout.yaxis, "y")):
            low, high = axis.range
            values = [np.log10(v) for t in fig.data for v in (getattr(t, column) or ()) if v > 0]
            assert low <= min(values) and max(values) <= high
            assert np.floor(high) - np.ceil(low) >= 1, (unit, column, axis.range)
        if unit == "usd":
            assert fig.layout.yaxis.tickformat == "$,~g"


def test_rule_text_is_escaped_in_the_section():
    answers = load_answers(EXAMPLES_DIR / "competition-math.yaml")
    result = frontier(RULES, answers)
    hostile = result.model_copy(update={"published_rates": [
        result.published_rates[0].model_copy(update={"source": "[x](javascript:1) <b>"})]})
    lines = "\n".join(frontier_lines(hostile))
    assert "\\[x\\](javascript:1) \\<b>" in lines


def test_app_section_switches_units():
    at = open_tab(run_app(), "advisor_section", "Training vs inference")
    assert any(h.value == "The trade-off itself: training against inference compute"
               for h in at.subheader)
    units = at.radio(key="frontier_units")
    assert units.value == "Dollars"  # dollars first, as in the reports (issue 21)
    assert any("Iso-quality curves in dollars" in c.value for c in at.caption)
    units.set_value("Compute (FLOPs)").run()
    assert not at.exception
    assert not any("Iso-quality curves in dollars" in c.value for c in at.caption)
    assert at.selectbox(key="frontier_curve").value.endswith("(recommended)")


def test_html_report_carries_the_frontier():
    from advisor.render.html import to_html

    rec = analyse(load_answers(EXAMPLES_DIR / "competition-math.yaml"), RULES)
    html = to_html(rec, vocabulary=Vocabulary.of(RULES))
    assert '<h2 id="frontier">Training against inference compute</h2>' in html
    assert "Iso-quality curves in dollars" in html and "Published exchange rates" in html


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_sentence_never_contradicts_the_compute_chart(example):
    """On the dollar frontier but off the one in FLOPs: the sentence says which, and why."""
    result = analyse(load_answers(example), RULES)
    r = result.frontier.recommended
    curve = result.frontier.curves[r.curve]
    flops_point = next(p for p in curve.flops_points if p.level == r.level)
    text = recommended_text(result.frontier)
    assert "in dollars" in text
    assert ("off the frontier" in text.split("in dollars", 1)[1]) == (not flops_point.on_frontier)


def test_rates_are_set_beside_the_published_ones_for_the_same_kind_of_work():
    answers = {"task_type": "math", "verifiability": "verifiable_steps", "latency_budget_s": 120,
               "budget_per_query_usd": 0.5, "training_budget_usd": 20_000}
    result = frontier(RULES, answers)
    published = {c.setting.split(" (")[0] for c in result.rate_checks}
    # Math with a checker: Epoch's cheaply verifiable tasks and Jones's tree search, not the
    # knowledge-free or Chinchilla-style rows.
    assert len(result.rate_checks) == 2
    assert any(s.startswith("cheaply verifiable") for s in published)
    for check in result.rate_checks:
        assert check.reason
        if check.model_per_10x is not None:
            assert check.factor == pytest.approx(check.model_per_10x / check.published_per_10x,
                                                 rel=0.01)
            assert check.within_3x == (1 / 3 <= check.factor <= 3)
    for curve in result.curves:
        for rate in curve.series_rates:
            assert rate.training_ratio >= 10 ** 0.5
            assert rate.per_10x_training == pytest.approx(
                10 ** (math.log10(rate.inference_ratio) / math.log10(rate.training_ratio)),
                rel=0.02, abs=0.005)  # shown to two decimals
            points = {p.level: p for p in curve.flops_points}
            small, large = points[rate.from_level], points[rate.to_level]
            assert rate.inference_ratio == pytest.approx(
                small.inference_flops_per_query / large.inference_flops_per_query, rel=0.02)
