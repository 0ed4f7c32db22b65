"""The charts answer the question, and say it in words: the cost chart, the decision map and
their text alternatives, for every example profile."""

from __future__ import annotations

import math

import numpy as np
import plotly.io as pio
import pytest

from advisor import load_answers, parse_answers, recommend
from advisor.analysis.full import analyse
from advisor.render.chart_text import (comparison_summary, cost_latency_summary,
                                       decision_map_lines, decision_map_summary, frontier_lines,
                                       quality_curves_summary, single_category)
from advisor.render.charts import (MARKER_TEXT, cost_latency_figure, decision_map_figure,
                            map_categories, pareto_frontier, thinned)
from advisor.analysis.compare import NamedScenario, compare
from advisor.engine.costs import Workload, candidate_table
from advisor.engine.decide import decision_map
from advisor.render.wording import VERDICT_LABELS, configuration_text
from helpers import EXAMPLES_DIR

EXAMPLES = sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml"))
# The cost chart is resent on every edit; issue 12 allows 60 KB for a whole edit.
COST_CHART_BYTES = 30_000


@pytest.fixture(scope="module")
def analysed(rules):
    """Each example's analysed recommendation and decision map, computed once."""
    found = {}
    for name in EXAMPLES:
        answers = load_answers(EXAMPLES_DIR / f"{name}.yaml")
        found[name] = (analyse(answers, rules), decision_map(answers, rules))
    return found


def traces(fig) -> dict[str, object]:
    return {trace.name: trace for trace in fig.data}


@pytest.mark.parametrize("example", EXAMPLES)
def test_cost_chart_shows_the_frontier_and_the_choice_and_the_rest_quietly(analysed, example):
    rec, _ = analysed[example]
    fig = cost_latency_figure(rec)
    shown = traces(fig)
    frontier = pareto_frontier(rec.estimates, min_quality=rec.chosen.expected_quality,
                               measure=rec.latency_measure)
    line = next(t for name, t in shown.items() if name.startswith("Cheapest at each latency"))
    # The x axis is the latency the budget applies to: the first words when the answer streams.
    assert list(line.x) == [rec.budgeted_latency_s(e) for e in frontier]
    assert list(line.hovertext) and all("<b>" in h for h in line.hovertext)
    assert list(line.marker.symbol) == ["diamond" if e.fine_tuned else "circle"
                                        for e in frontier]
    star = shown["Recommended"]
    assert (star.x[0], star.y[0]) == (rec.budgeted_latency_s(rec.chosen), rec.chosen.cost_usd)
    quiet = [t for name, t in shown.items() if name.startswith(("Other options", "Ruled out"))]
    assert quiet and all(t.hoverinfo == "skip" for t in quiet)
    assert shown.get("Ruled out (rules or training budget)", star).visible in ("legendonly", None)
    assert fig.layout.legend.itemclick == "toggle"
    assert len(pio.to_json(fig, validate=False)) < COST_CHART_BYTES


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_star_and_its_labels_stay_inside_the_plot(analysed, example):
    rec, _ = analysed[example]
    fig = cost_latency_figure(rec)
    x_range, y_range = fig.layout.xaxis.range, fig.layout.yaxis.range
    x, y = math.log10(rec.chosen.latency_s), math.log10(rec.chosen.cost_usd)
    # A 22 px star needs about a tenth of a decade of room on a 500 px axis.
    assert x_range[0] + 0.1 <= x <= x_range[1] - 0.1
    assert y_range[0] + 0.1 <= y <= y_range[1] - 0.1
    assert traces(fig)["Recommended"].cliponaxis is False
    label = next(a for a in fig.layout.annotations if a.text == "<b>Recommended</b>")
    share = (x - x_range[0]) / (x_range[1] - x_range[0])
    assert (label.ax < 0) == (share > 0.5)  # the label sits on the side with more room


def test_fine_tuned_options_are_diamonds_and_toggle_on_their_own(rules):
    rec = analyse({"task_type": "knowledge_qa", "latency_budget_s": 0.8,
                   "budget_per_query_usd": 0.001, "training_budget_usd": 5000,
                   "verifiability": "none"}, rules)
    shown = traces(cost_latency_figure(rec))
    assert shown["Other options, fine-tuned"].marker.symbol == "diamond"
    assert shown["Other options"].marker.symbol == "circle"
    assert shown["Other options, fine-tuned"].legendgroup is None  # its own legend entry


def test_thinning_keeps_the_first_point_of_each_screen_cell():
    latency = np.array([1.0, 1.0, 10.0, 1.0, 10.0, 100.0])
    cost = np.array([0.1, 0.1, 1.0, 0.1, 1.0, 0.001])
    assert list(thinned(latency, cost)) == [0, 2, 5]
    rng = np.random.default_rng(12)
    latency, cost = 10 ** rng.uniform(-1, 3, 500), 10 ** rng.uniform(-4, 1, 500)
    kept = thinned(latency, cost, cells=(10, 10))
    assert list(kept) == sorted(set(kept)) and 10 <= len(kept) <= 121
    assert len(thinned(latency, cost, cells=(100_000, 100_000))) == 500
    assert len(thinned(np.array([]), np.array([]))) == 0


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("colour_by", ["verdict", "strategy"])
def test_decision_map_names_its_colours_and_marks_you_in_a_readable_box(analysed, rules,
                                                                        example, colour_by):
    rec, dmap = analysed[example]
    names = {s.id: s.name for s in rules.strategies}
    fig = decision_map_figure(dmap, rec, colour_by=colour_by, strategy_names=names)
    _, categories = map_categories(dmap, colour_by=colour_by, strategy_names=names)
    legend = [t for t in fig.data if t.type == "scatter" and t.showlegend is not False]
    assert [(t.name, t.marker.color) for t in legend] == [(label, colour)
                                                           for _, label, colour in categories]
    assert fig.data[0].showscale is False
    marker = next(a for a in fig.layout.annotations if MARKER_TEXT in a.text)
    assert (marker.bgcolor, marker.bordercolor, marker.font.color) == ("white", "black", "black")
    one = single_category(dmap, colour_by=colour_by, strategy_names=names)
    same = [a for a in fig.layout.annotations if a.text.startswith("The same everywhere")]
    assert bool(same) == (one is not None)


# A labelling workload with a training budget: a fine-tune wins at every latency and price.
ONE_COLOUR = {"task_type": "classification", "latency_budget_s": 0.8,
              "budget_per_query_usd": 0.001, "training_budget_usd": 5000,
              "verifiability": "none", "queries_per_day": 50_000}


def test_a_map_of_one_colour_says_so_in_words(rules):
    answers = parse_answers(ONE_COLOUR)
    rec, dmap = recommend(answers, rules), decision_map(answers, rules)
    assert single_category(dmap) == VERDICT_LABELS["training"]
    assert decision_map_summary(dmap, rec) == (
        "The verdict is the same at every one of 2,601 budget pairs, latency budgets from 0.1 s "
        "to 10 min and per-query budgets from $0.0001 to $10.00: Training compute.")


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_words_under_the_map_agree_with_the_map(analysed, example):
    rec, dmap = analysed[example]
    summary = decision_map_summary(dmap, rec)
    assert summary.endswith(f"{VERDICT_LABELS[rec.verdict]}.")  # the cell under you is you
    along_latency, along_budget = decision_map_lines(dmap, rec)
    grid, categories = map_categories(dmap)
    labels = {c: label for c, label, _ in categories}
    row = dmap.budget_values.index(rec.answers.budget_per_query_usd)
    column = dmap.latency_values.index(rec.answers.latency_budget_s)
    # Every change along your row and your column is named, in order.
    assert along_latency.count(";") == sum(a != b for a, b in zip(grid[row], grid[row][1:]))
    assert along_budget.count(";") == sum(a != b for a, b in zip(
        [r[column] for r in grid], [r[column] for r in grid][1:]))
    assert labels[grid[row][-1]] + "." == along_latency.rsplit(": ", 1)[1]


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_cost_chart_in_words(analysed, example):
    rec, _ = analysed[example]
    summary = cost_latency_summary(rec)
    assert summary.startswith(f"Cost per query against latency for {len(rec.estimates):,} "
                              "candidate configurations: the recommended "
                              f"{configuration_text(rec.chosen)} costs ")
    lines = frontier_lines(rec)
    frontier = pareto_frontier(rec.estimates, min_quality=rec.chosen.expected_quality,
                               measure=rec.latency_measure)
    assert len(lines) == len(frontier) + (rec.chosen not in frontier)
    assert sum(line.startswith("Recommended: ") for line in lines) == 1


def test_comparison_and_quality_curves_in_words(rules):
    answers = load_answers(EXAMPLES_DIR / "competition-math.yaml")
    comparison = compare([NamedScenario(name="Math", answers=answers),
                          NamedScenario(name="FAQ", answers=load_answers(
                              EXAMPLES_DIR / "support-faq-bot.yaml"))], rules)
    text = comparison_summary(comparison)
    assert text.startswith("Cost per query against expected quality of each scenario's "
                           "recommendation: Math: ")
    assert "; FAQ: combine a distillation you pay for once with inference-time compute, " in text
    table = candidate_table(rules, Workload.of(rules, {"task_type": "math",
                                                       "verifiability": "verifiable_steps"}))
    assert quality_curves_summary(table, "llama-3.1-8b").startswith(
        "Expected quality against cost per query on Llama 3.1 8B (hosted): Single pass up to ")


def test_names_from_rules_are_escaped_in_the_map_legend(analysed):
    rec, dmap = analysed["competition-math"]
    names = {s: "<img src=x onerror=alert(1)>" for row in dmap.strategies for s in row}
    fig = decision_map_figure(dmap, rec, colour_by="strategy", strategy_names=names)
    assert all("<img" not in (t.name or "") for t in fig.data)
