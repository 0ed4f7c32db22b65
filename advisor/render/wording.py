"""Sentences shared by every renderer (Markdown, HTML, the app).

Why a module of its own: the engine never formats, and the Markdown report, the HTML report and
the app must say the same thing in the same words. Numbers inside the sentences come from
:mod:`advisor.render.formats`, answer values and ids become words through
:mod:`advisor.render.vocabulary`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.model.answers import ANSWER_FIELDS, MEASURED_FIELDS, Answers
from advisor.model.result import (BreakEven, BrokenConstraint, Caveat, Configuration, CostOption,
                                  PlanStep, Recommendation, Turn, parameters_text)
from advisor.render.formats import (count, percent, quality, seconds, signed,
                                    significant, tokens, usd)
from advisor.render.vocabulary import Vocabulary, humanise

VERDICT_LABELS = {
    "inference_time": "Inference-time compute",
    "training": "Training compute",
    "combined": "Combine both",
    "neither": "Neither: the baseline is all that fits",
}
VERDICT_SUMMARIES = {
    "inference_time": "Most of the quality this configuration buys comes at query time: "
                      "reasoning, samples, search or refinement.",
    "training": "Most of the quality this configuration buys comes from training: a fine-tune "
                "or a better-trained model, answering once.",
    "combined": "Both pay here: a better-trained model and inference-time compute each add a "
                "real share of the quality.",
    "neither": "Within these budgets nothing beats the cheapest model answering once; see what "
               "would change the answer.",
}
SIDE_LABELS = {"inference_time": "inference-time compute", "training": "training compute"}
EFFORT_LABELS = {"low": "low effort", "medium": "medium effort", "high": "high effort"}
ANSWER_LABELS = {
    "task_type": "Task type",
    "knowledge_source": "Where the knowledge lives",
    "latency_budget_s": "Latency budget",
    "budget_per_query_usd": "Budget per query",
    "training_budget_usd": "Training budget",
    "verifiability": "Verifiability",
    "queries_per_day": "Queries per day",
    "needs_calibration": "Needs calibration",
    "high_stakes": "High stakes",
    "streaming": "Answer streams",
    "prompt_tokens": "Tokens read per query",
    "answer_tokens": "Tokens in the answer",
    "difficulty": "Difficulty",
    "measured_model": "Model you measured",
    "measured_accuracy": "Its measured accuracy",
    "measured_dispersion": "Spread of per-problem success",
    "human_cost_per_task_usd": "A person's cost per task",
}


def configuration_text(estimate: Configuration | Recommendation) -> str:
    """``Self-consistency (samples 10) on GPT-4o mini``, with a reasoning tier's effort; a
    cascade as what it does: ``Cascade: 84% answered by GPT-4o mini, 16% escalated to …``."""
    params = parameters_text(estimate.parameters)
    strategy = f"{estimate.strategy_name} ({params})" if params else estimate.strategy_name
    effort = getattr(estimate, "thinking_effort", None)
    model = estimate.model_name + (f", {EFFORT_LABELS[effort]}" if effort else "")
    first = getattr(estimate, "first_stage_name", None)
    if first:
        share = estimate.escalation_share or 0.0
        return f"{strategy}: {1 - share:.0%} answered by {first}, {share:.0%} escalated to {model}"
    return f"{strategy} on {model}"


_FIGURES = {"quality": ("expected_quality", quality), "cost": ("cost_usd", usd),
            "latency": ("latency_s", seconds), "monthly": ("monthly_cost_usd", usd),
            "first_token": ("first_token_s", seconds)}


RANGES_NOTE = ("In brackets: the range each figure likely lies in, the 5th to 95th percentile "
               "over draws from the assumed ranges of the rules' numbers.")


def figure_bounds(e: Any) -> dict[str, tuple[str, str] | None]:
    """An estimate's low and high of each figure as text, None where it has no range or both ends
    read the same."""
    out: dict[str, tuple[str, str] | None] = {}
    for key, (name, fmt) in _FIGURES.items():
        low, high = getattr(e, f"{name}_low", None), getattr(e, f"{name}_high", None)
        shown = None if low is None or high is None else (fmt(low), fmt(high))
        out[key] = None if shown is None or shown[0] == shown[1] else shown
    return out


def figure_ranges(e: Any) -> dict[str, str | None]:
    """An estimate's ranges as text (``0.52–0.68``), None where it has none or it is one value."""
    return {key: None if bounds is None else f"{bounds[0]}–{bounds[1]}"
            for key, bounds in figure_bounds(e).items()}


@dataclass(frozen=True)
class Metric:
    """One headline figure: which (a key of :func:`figure_bounds`), its label, its value and,
    where the rules give one, its likely low and high."""

    key: str
    label: str
    value: str
    bounds: tuple[str, str] | None


# The headline figures, in the order every view shows them, and their labels.
METRIC_LABELS = {"cost": "Cost per query", "latency": "Latency", "quality": "Expected quality",
                 "monthly": "Monthly cost"}
# What the latency budget applies to, by Recommendation.latency_measure.
LATENCY_MEASURES = {"first_token": "first words", "whole_answer": "whole answer"}
# The headline's latency is the one the budget applies to, and says which.
LATENCY_LABELS = {"first_token": "Latency to first words", "whole_answer": "Latency"}


def headline_metrics(e: Any, *, labels: Mapping[str, str] | None = None,
                     measure: str = "whole_answer") -> list[Metric]:
    """An estimate's cost per query, latency, quality and monthly cost, each with its range.

    Args:
        e: an estimate (or any result with its figures and their ``_low``/``_high`` ends).
        labels: labels to use instead of :data:`METRIC_LABELS`, by key.
        measure: the latency the budget applies to (``Recommendation.latency_measure``):
            first_token shows the time to the first words, whole_answer the whole answer's.

    Returns:
        The four metrics in the order of :data:`METRIC_LABELS`.
    """
    bounds = figure_bounds(e)
    shown = {**METRIC_LABELS, "latency": LATENCY_LABELS[measure], **(labels or {})}
    metrics = []
    for key in METRIC_LABELS:
        figure = "first_token" if key == "latency" and measure == "first_token" else key
        name, fmt = _FIGURES[figure]
        metrics.append(Metric(key, shown[key], fmt(getattr(e, name)), bounds[figure]))
    return metrics


def latency_pair(e: Any) -> str:
    """``first words after 0.4 s, whole answer after 6.1 s`` with their ranges; one figure when
    both read the same (a vote shows its answer only when every sample is done)."""
    shown = ranged_figures(e)
    if shown["first_token"] == shown["latency"]:
        return f"first words and whole answer after {shown['latency']}"
    return f"first words after {shown['first_token']}, whole answer after {shown['latency']}"


def latency_text(rec: Recommendation) -> str:
    """Both latencies of the recommendation and which one its budget applies to: ``first words
    after 0.4 s, whole answer after 6.1 s; your 1.5 s budget applies to the first words because
    the answer streams``."""
    budget = seconds(rec.answers.latency_budget_s, exact=True)
    why = ("the first words because the answer streams" if rec.latency_measure == "first_token"
           else "the whole answer because it does not stream")
    escalated = (f" (the escalated path: the {percent(1 - (rec.escalation_share or 0.0))} "
                 f"{rec.first_stage_name} answers on its own arrive sooner)"
                 if rec.first_stage_name else "")
    return f"{latency_pair(rec.chosen)}{escalated}; your {budget} budget applies to {why}"


PER_CORRECT_MEANING = "cost per query ÷ the chance an answer is right"


def per_correct_text(rec: Recommendation) -> str:
    """What a correct answer costs: ``$0.0004 ($0.0003–$0.0006; cost per query ÷ the chance an
    answer is right), against $8.00 for a person doing the task (20,000× less)``; the person
    only when the answers say what one costs."""
    c = rec.chosen
    if c.cost_per_correct_usd is None:
        return "No answer is expected to be correct, so a correct answer has no price here."
    low, high = c.cost_per_correct_usd_low, c.cost_per_correct_usd_high
    spread = (f"{usd(low)}–{usd(high)}; " if low is not None and high is not None
              and usd(low) != usd(high) else "")
    text = f"{usd(c.cost_per_correct_usd)} ({spread}{PER_CORRECT_MEANING})"
    person = rec.answers.human_cost_per_task_usd
    if person:
        ratio = person / c.cost_per_correct_usd if c.cost_per_correct_usd > 0 else float("inf")
        how = (f"{count(round(ratio))}× less" if ratio >= 1.5 else
               "about the same" if ratio > 1 / 1.5 else f"{1 / ratio:.1f}× more")
        text += f", against {usd(person, exact=True)} for a person doing the task ({how})"
    return text


def ranged_figures(e: Any) -> dict[str, str]:
    """An estimate's quality, cost, latency and monthly cost as text, each with its range."""
    ranges = figure_ranges(e)
    return {key: fmt(getattr(e, name)) + (f" ({ranges[key]})" if ranges[key] else "")
            for key, (name, fmt) in _FIGURES.items()}


def quality_meaning(rec: Recommendation, vocabulary: Vocabulary) -> str:
    """What the expected quality is a probability of, and what anchors it, in one sentence."""
    a = rec.answers
    level = vocabulary.level(a.task_type, a.difficulty)
    if a.measured_model is not None:
        anchor = (f"re-anchored on your measurement of {vocabulary.model(a.measured_model)} "
                  f"({percent(a.measured_accuracy)} with one attempt)")
    else:
        anchor = f"anchored on {level.benchmark or 'published benchmark'} scores"
    task = in_sentence(vocabulary.option("task_type", a.task_type))
    text = (f"Probability that one answer is correct (or acceptable) on {task} work at the "
            f"level '{level.label}', {anchor}")
    if (getattr(a.knowledge_source, "value", a.knowledge_source) == "documents"
            and getattr(a.task_type, "value", a.task_type) in vocabulary.documents_tasks):
        # Why say it: the anchor is a general-knowledge benchmark, the questions are not.
        text += (", for questions about your documents: a model answers the share of them "
                 "general knowledge covers, retrieval the ones whose passage it finds")
    return text + "."


_RUN_WORDS = {"fine_tune": "a fine-tune", "distillation": "a distillation",
              "reinforcement_fine_tune": "a reinforcement fine-tune",
              "calibration": "a calibration"}


def verdict_label(rec: Recommendation) -> str:
    """The verdict as the headline says it, telling a run you pay for once from a
    better-trained model you buy per token; a result where nothing fits says so first."""
    label = VERDICT_LABELS[rec.verdict]
    t = rec.training
    if rec.training_route == "run" and t is not None:
        run = _RUN_WORDS.get(t.action, "a training run")
        label = (f"Train: {run} you pay for once" if rec.verdict == "training"
                 else f"Combine {run} you pay for once with inference-time compute"
                 if rec.verdict == "combined" else label)
    elif rec.training_route == "bought":
        label = ("Buy a better-trained model" if rec.verdict == "training"
                 else "Combine a better-trained model with inference-time compute"
                 if rec.verdict == "combined" else label)
    return label if rec.feasible else f"Nothing fits; the closest option: {in_sentence(label)}"


def retrieves(e: Configuration | Recommendation) -> bool:
    """Whether a configuration reads passages retrieved from the user's documents.

    Why by its parameters: ``chunks`` is the retrieval kind's own parameter
    (``KIND_PARAMETERS``), and a stored result names the strategy, not its kind.
    """
    return "chunks" in e.parameters


def verdict_summary(rec: Recommendation) -> str:
    """The verdict's one-sentence meaning, for the kind of training it spends; a retrieval's
    per-query spend is its passages, read at query time."""
    if rec.verdict == "inference_time" and retrieves(rec):
        return ("Most of the quality comes at query time, from passages of your documents "
                "retrieved and read with every question: paid per query, no weights change.")
    if rec.verdict == "training" and rec.training_route == "run":
        return ("Most of the quality comes from a training run you pay for once, then the "
                "trained model answers at its own speed and price.")
    if rec.verdict == "training" and rec.training_route == "bought":
        return ("Most of the quality comes from a better-trained model: training compute "
                "someone else spent, paid through its price per token.")
    if rec.verdict == "combined" and rec.training_route == "run":
        return ("A training run you pay for once and inference-time compute each add to the "
                "quality.")
    return VERDICT_SUMMARIES[rec.verdict]


def lead_sentence(rec: Recommendation) -> str:
    """The sentence a lead repeats, after the verdict and the configuration: ``It costs $0.0058
    a query ($3,480 a month), shows its first words in 0.5 s and is right 90% of the time; $1,763
    is paid once for the distillation from DeepSeek R1.`` When nothing fits it says so first."""
    c = rec.chosen
    speed = (f"shows its first words in {seconds(c.first_token_s)}"
             if rec.latency_measure == "first_token" else f"answers in {seconds(c.latency_s)}")
    figures = (f"costs {usd(c.cost_usd)} a query ({usd(c.monthly_cost_usd)} a month), {speed} "
               f"and is right {percent(c.expected_quality)} of the time")
    t = rec.training
    once = ""
    if t is not None and t.one_time_cost_usd > 0:
        what = ("the " + in_sentence(t.run_name) if t.run_name
                else "a calibration" if t.calibrated else "training")
        once = f"; {usd(t.one_time_cost_usd)} is paid once for {what}"
    if not rec.feasible:
        return f"Nothing fits every constraint; the closest option {figures}{once}."
    return f"It {figures}{once}."


def _uncalibrated(name: str) -> str:
    """``Llama 3.1 8B (hosted)`` for ``Llama 3.1 8B (hosted, calibrated)``."""
    if name.endswith(" (calibrated)"):
        return name.removesuffix(" (calibrated)")
    return name.removesuffix(", calibrated)") + ")" if name.endswith(", calibrated)") else name


def training_text(rec: Recommendation) -> str:
    """What to do on the training side, in one sentence; never a spend the training budget
    does not allow without saying so."""
    t = rec.training
    if t is None:
        return ("No training spend: the model is no better trained than the baseline, "
                f"{_uncalibrated(rec.shares.baseline.model_name)}, and no run is needed.")
    budget = (f"within the {usd(t.training_budget_usd)} training budget"
              if t.one_time_cost_usd <= t.training_budget_usd + 1e-9
              else f"over the {usd(t.training_budget_usd)} training budget")
    once = (f"about {usd(t.one_time_cost_usd)} once, {usd(t.amortised_cost_usd)} per query "
            f"over the horizon, {budget}")
    calibrate = ", calibrate it on a held-out split of them" if t.calibrated else ""
    if t.run_size is not None:
        tier = t.base_model_name or t.model_name
        size = (f"{count(t.run_size)} training hours" if t.run_unit == "hours"
                else f"{count(t.run_size)}")
        what = {"fine_tune": f"Fine-tune {tier} on {size} of your labelled examples{calibrate}",
                "distillation": f"Distil: have {t.teacher_name or 'the teacher'} answer {size} "
                                f"of your prompts once, reasoning included "
                                f"({usd(t.teacher_usd)} of inference spent once), fine-tune "
                                f"{tier} on those answers{calibrate}",
                "reinforcement_fine_tune": f"Run a reinforcement fine-tune of {tier} for {size} "
                                           f"on answers your checker grades{calibrate}"}[t.action]
        lead = f"{what}, and serve it as {t.model_name} ({once})."
    elif t.action == "calibration":
        lead = (f"Calibrate {_uncalibrated(rec.model_name)} on a labelled held-out set so its "
                f"confidence tracks its accuracy ({once}); no weights change.")
    else:
        lead = ""
    if t.better_tier:
        baseline = _uncalibrated(rec.shares.baseline.model_name)
        bought = (f"{t.base_model_name or t.model_name} itself is better trained than the "
                  f"baseline ({baseline}): training compute someone else spent, paid through "
                  "its price per token.")
        if t.action == "larger_model":
            bought = (f"Serve {t.model_name}, better trained than the baseline ({baseline}): "
                      "training compute someone else spent, paid through its price per token; "
                      "no training run of your own.")
            if t.calibrated:
                bought += f" Calibrate it on a labelled held-out set once ({once})."
        lead = f"{lead} {bought}".strip()
    if rec.first_stage_name:
        lead += (f" It answers only the {percent(rec.escalation_share or 0.0)} of queries whose "
                 f"first answer, from {rec.first_stage_name}, fails the check.")
    if t.larger_run_gains is not None and t.larger_run_gains <= 0.005:
        lead += (" The next larger run of the same kind would add under 0.01 quality: more "
                 "training budget buys almost nothing more here.")
    return lead


# What each broken budget reads as: its sentence and the format of its two figures.
_BROKEN_BUDGETS = {
    "latency_budget_s": ("it takes {needed} against a latency budget of {allowed}", seconds),
    "budget_per_query_usd": ("it costs {needed} per query against a budget of {allowed}", usd),
    "training_budget_usd": ("its one-time run costs {needed} against a training budget of "
                            "{allowed}", usd),
}


def constraint_text(broken: BrokenConstraint) -> str:
    """``it takes 12 s against a latency budget of 5 s``."""
    if broken.answer not in _BROKEN_BUDGETS:
        return "its confidence is not calibrated on your data"
    sentence, fmt = _BROKEN_BUDGETS[broken.answer]
    return sentence.format(needed=fmt(broken.needed), allowed=fmt(broken.allowed))


def broken_text(rec: Recommendation) -> str:
    """Plain statement of what the closest option breaks (empty when it fits)."""
    if not rec.broken_constraints:
        return ""
    parts = " and ".join(constraint_text(b) for b in rec.broken_constraints)
    return f"Nothing meets every constraint. The closest option is shown: {parts}."


def shares_text(rec: Recommendation) -> str:
    """Where the quality comes from, in one sentence."""
    s = rec.shares
    base = (f"the baseline, {_uncalibrated(s.baseline.model_name)} answering once "
            f"(quality {quality(s.baseline.trained_quality)})")
    if rec.verdict == "neither":
        return f"The recommendation is {base}: nothing that fits adds quality over it."
    parts = []
    if s.tier_gain:
        parts.append(f"{'a better' if s.tier_gain > 0 else 'a cheaper, weaker'}-trained tier "
                     f"{signed(s.tier_gain)}")
    if s.fine_tune_gain:
        run = _RUN_WORDS.get(rec.training.action if rec.training else "", "a training run")
        parts.append(f"{run.replace('a ', 'the ', 1)} {signed(s.fine_tune_gain)}")
    if s.shorter_answer_gain:
        parts.append(f"answering with a short rationale instead of the usual reasoning "
                     f"{signed(s.shorter_answer_gain)}")
    if rec.first_stage_name and abs(s.inference_gain) < 0.005:
        parts.append("checking and escalating: the stronger model's own quality for less")
    elif s.inference_gain:
        what = ("checking and escalating, against the stronger model alone"
                if rec.first_stage_name else "retrieving from your documents, against "
                "answering closed-book" if retrieves(rec) else "inference-time compute")
        parts.append(f"{what} {signed(s.inference_gain)}")
    shares = (f"{percent(s.training_share)} of the gain from training, "
              f"{percent(s.inference_share)} from inference-time compute")
    return f"Against {base}: {', '.join(parts)} ({shares})."


def difference_text(rec: Recommendation) -> str:
    """Why the verdict differs from the trade-off table, in one sentence (empty if it agrees)."""
    d = rec.table.difference
    if d is None or rec.table.verdict is None:
        return ""
    table = VERDICT_LABELS[rec.table.verdict].lower()
    side = SIDE_LABELS[d.side]
    if d.reason == "one_side_enough":
        return (f"The table's factors balance, but here {side} adds only {_share(rec, d.side)} "
                "of the gain, too little to call it a combination.")
    if d.reason == "other_side_adds":
        return (f"The table points to {table}; the best option also buys quality with {side} "
                f"({_share(rec, d.side)} of the gain), so it combines both.")
    if d.reason == "no_option":
        return f"The table points to {table}, but no option spends on {side} alone."
    option = configuration_text(d.option)
    if d.reason == "lower_quality":
        return (f"The table points to {table}, but the best option spending on {side} alone, "
                f"{option}, reaches only {quality(d.option.expected_quality)}.")
    if d.reason == "costs_more":
        return (f"The table points to {table}; {option} reaches the same quality with {side} "
                f"alone but costs {usd(d.option.amortised_cost_usd)} per query against "
                f"{usd(rec.chosen.amortised_cost_usd)}.")
    broken = " and ".join(constraint_text(b) for b in d.broken)
    return (f"The table points to {table}, but the cheapest option reaching the same quality "
            f"with {side} alone, {option}, does not fit: {broken}.")


def _share(rec: Recommendation, side: str) -> str:
    value = rec.shares.training_share if side == "training" else rec.shares.inference_share
    return percent(value)


def table_text(rec: Recommendation) -> str:
    """What the trade-off table says, beside the verdict."""
    vote = rec.table
    if vote.verdict is None:
        return "The trade-off table has no row that applies to these answers."
    scores = (f"(rows for inference-time weigh {vote.scores.inference_time:g}, for training "
              f"{vote.scores.training:g})")
    lead = f"The trade-off table says {VERDICT_LABELS[vote.verdict].lower()} {scores}"
    if vote.agrees:
        return lead + ", and the configuration agrees."
    return lead + ". " + difference_text(rec)


SEVERITY_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}


def risk_counts(caveats: Sequence[Caveat]) -> str:
    """How many caveats of each severity, for the line above the list: "Most serious first: 1
    high, 2 medium." ("" when there are none)."""
    if not caveats:
        return ""
    counts = Counter(c.severity for c in caveats)
    return "Most serious first: " + ", ".join(
        f"{counts[level]} {level}" for level in SEVERITY_LABELS if counts[level]) + "."


def caveat_origin(caveat: Caveat) -> str:
    """Where a caveat comes from: ``rule no-training-run``, or the engine's source."""
    return f"rule {caveat.rule_id}" if caveat.rule_id else caveat.source


def headline(rec: Recommendation) -> str:
    """Five-second summary: verdict and configuration."""
    return f"{verdict_label(rec)}: {configuration_text(rec)}"


BREAK_EVEN_SIDES = {"training": "With a training run", "inference": "Without a run"}
"""What each side of the break-even is: a run paid once, or everything paid per query."""


def break_even_text(be: BreakEven) -> str:
    """The break-even in one sentence, from the recommendation's side."""
    t, i = be.training, be.inference
    target = quality(be.target_quality)
    if be.outcome == "training_unreachable":
        return (f"No training run within the training budget reaches quality {target} within "
                f"the latency budget, so there is nothing to break even against: "
                f"{configuration_text(i)} pays per query.")
    if be.outcome == "inference_unreachable":
        return (f"Without a training run nothing reaches quality {target} within the latency "
                f"budget, while {configuration_text(t)} does: the run is what makes the "
                "target reachable.")
    run = _RUN_WORDS.get(be.kind, "a training run")
    investment = (f"{configuration_text(t)}, after {run} costing "
                  f"{usd(t.one_time_cost_usd - i.one_time_cost_usd)}")

    def per_query(option: CostOption) -> str:
        over = "" if option.fits_budget else " (over your per-query budget)"
        return f"{usd(option.cost_per_query_usd)} per query{over}"

    rival = f"{configuration_text(i)} at {per_query(i)}"
    if be.outcome == "never":
        return (f"The run never pays back here: {rival} reaches quality {target} for less per "
                f"query than {investment}, at {per_query(t)}.")
    if be.outcome == "cheaper_from_start":
        return (f"{investment}, at {per_query(t)} is cheaper from the first query than reaching "
                f"quality {target} with {rival}.")
    when = f"after {count(be.break_even_queries)} queries"
    if be.break_even_days is not None:
        when += (f", on day {count(math.ceil(be.break_even_days))} at "
                 f"{count(be.queries_per_day)} queries a day")
        if be.break_even_days > be.horizon_days:
            when += f", beyond the {be.horizon_days}-day horizon, so not within it"
    return (f"{investment}, at {per_query(t)} pays back {when}, against {rival} at the same "
            f"quality ({target}).")


def break_even_brief(be: BreakEven | None) -> str:
    """The break-even in a table cell: ``pays back on day 233``, ``never pays back``,
    ``cheaper from the first query``, ``no run reaches the target``, ``only the run reaches
    the target``; ``—`` without one."""
    if be is None:
        return "—"
    if be.outcome == "training_unreachable":
        return "no run reaches the target"
    if be.outcome == "inference_unreachable":
        return "only the run reaches the target"
    if be.outcome == "never":
        return "the run never pays back"
    if be.outcome == "cheaper_from_start":
        return "the run is cheaper from the first query"
    if be.break_even_days is None:
        return f"pays back after {count(be.break_even_queries)} queries"
    beyond = (f", beyond the {be.horizon_days}-day horizon"
              if be.break_even_days > be.horizon_days else "")
    return f"pays back on day {count(math.ceil(be.break_even_days))}{beyond}"


def training_brief(rec: Recommendation) -> str:
    """The training side in a table cell: ``Distillation from DeepSeek R1 (10,000 traces),
    $1,763 once``, ``bought: GPT-4.1``, ``none``."""
    t = rec.training
    if t is None:
        return "none"
    if t.one_time_cost_usd > 0:
        size = f" ({count(t.run_size)} {t.run_unit})" if t.run_size and t.run_unit else ""
        what = (f"{t.run_name}{size}" if t.run_name
                else "calibration" + (f" of {_uncalibrated(t.model_name)}" if t.better_tier
                                      else ""))
        return f"{what}, {usd(t.one_time_cost_usd)} once"
    return f"bought: {_uncalibrated(t.model_name)}"


TURN_VALUE_LABELS = {
    "latency_budget_s": "latency budget",
    "budget_per_query_usd": "budget per query",
    "training_budget_usd": "training budget",
}
_RELATION_WORDS = {"at_least": "or more", "above": "or more", "at_most": "or less",
                   "below": "or less"}
_FLAGS = {("needs_calibration", True): "if confidence must track accuracy",
          ("needs_calibration", False): "if confidence need not track accuracy",
          ("high_stakes", True): "if the decisions were high-stakes",
          ("high_stakes", False): "if the decisions were not high-stakes",
          ("streaming", True): "if the answer streamed (the budget then applies to its first "
                               "words)",
          ("streaming", False): "if the whole answer had to arrive within the latency budget"}
_KNOWLEDGE = {"documents": "if the knowledge lived in documents you hold",
              "model": "if the knowledge were general knowledge a model learns in training"}
_VERIFIABILITY = {"verifiable_steps": "with a checker for intermediate steps",
                  "external_judge": "with only an external judge to check answers",
                  "none": "with no way to check answers"}


def _turn_amount(turn: Turn) -> str:
    """A numeric turn's value as stated: exact, since a turning point must not be rounded
    across (2.28 s is not "2.3 s or less")."""
    if turn.field == "latency_budget_s":
        return seconds(turn.value, exact=True)
    if turn.field in ("budget_per_query_usd", "training_budget_usd"):
        return usd(turn.value, exact=True)
    if turn.field == "queries_per_day":
        return f"{count(turn.value)} queries a day"
    return str(turn.value)


def turn_value_text(turn: Turn) -> str:
    """How the changed answer reads: ``latency budget of 12 s or more``."""
    amount = _turn_amount(turn)
    lead = ("at" if turn.field == "queries_per_day"
            else f"with a {TURN_VALUE_LABELS[turn.field]} of")
    if turn.relation in ("above", "below"):
        word = "more than" if turn.relation == "above" else "less than"
        return f"{lead} {word} {amount}"
    return f"{lead} {amount} {_RELATION_WORDS[turn.relation]}"


def in_sentence(label: str) -> str:
    """A label inside a sentence: ``Multi-step reasoning`` → ``multi-step reasoning``, while
    ``Knowledge Q&A`` keeps its capitals after the first letter."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def turn_text(turn: Turn, vocabulary: Vocabulary) -> str:
    """``with a latency budget of 12 s or more: Inference-time compute, Self-consistency
    (...)``."""
    if turn.field == "verifiability":
        condition = _VERIFIABILITY[turn.value]
    elif turn.field == "knowledge_source":
        condition = _KNOWLEDGE[getattr(turn.value, "value", turn.value)]
    elif turn.field == "task_type":
        condition = f"for {in_sentence(vocabulary.option(turn.field, turn.value))} work"
    elif turn.field == "difficulty":
        condition = f"at the level '{turn.value_label or humanise(str(turn.value))}'"
    elif (turn.field, turn.value) in _FLAGS:
        condition = _FLAGS[(turn.field, turn.value)]
    else:
        condition = turn_value_text(turn)
    moves = {"up": "higher", "down": "lower", "same": "the same"}
    effect = (f"quality {moves[turn.quality_change]} ({quality(turn.expected_quality)}), "
              f"cost {moves[turn.cost_change]} ({usd(turn.cost_usd)} per query)")
    fits = ("" if turn.feasible
            else "; then nothing fits every constraint, and this is the closest option")
    return (f"{condition}: {VERDICT_LABELS[turn.verdict].lower()}, {configuration_text(turn)}; "
            f"{effect}{fits}")


def answer_text(field: str, value: Any, vocabulary: Vocabulary, *,
                task_type: Any = None) -> str:
    """One answer as reports and tables show it: 30 s, $0.00012, 2,000, Math, Yes.

    Args:
        field: the answer field.
        value: its value.
        vocabulary: the words for answer values and ids.
        task_type: the answers' task type, which names the difficulty levels.

    Why exact: this is what the user answered, so a budget of $0.000125 must not read $0.00013.
    """
    if field == "latency_budget_s":
        return seconds(value, exact=True)
    if field in ("budget_per_query_usd", "training_budget_usd"):
        return usd(value, exact=True)
    if field == "human_cost_per_task_usd":
        return "not given" if value is None else usd(value, exact=True)
    if field == "queries_per_day":
        return count(value)
    if field in ("prompt_tokens", "answer_tokens"):
        return "typical for the task" if value is None else tokens(value)
    if field == "difficulty":
        label = vocabulary.level(task_type, value).label
        return f"{label} (the task type's default)" if value is None else label
    if field in MEASURED_FIELDS and value is None:
        return "not measured"
    if field == "measured_model":
        return vocabulary.model(value)
    if field == "measured_accuracy":
        return percent(value, decimals=1)
    if field == "measured_dispersion":
        return significant(value, 2)
    return vocabulary.option(field, value)


def answer_items(answers: Answers, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(label, text) of every answer, in questionnaire order."""
    return [(ANSWER_LABELS[field], answer_text(field, getattr(answers, field), vocabulary,
                                               task_type=answers.task_type))
            for field in ANSWER_FIELDS]


# A budget turn as a step: "Raise the latency budget to 0.94 s", "Lower … below $1,000".
_LEVER_MOVES = {"at_least": "Raise the {} to", "above": "Raise the {} above",
                "at_most": "Lower the {} to", "below": "Lower the {} below"}
_LEVER_OPTIONS = {
    ("verifiability", "verifiable_steps"): "Make answers checkable step by step (tests, a "
                                           "checker, a calculator)",
    ("verifiability", "external_judge"): "Add a judge that scores answers (a grader or a "
                                         "reward model)",
    ("verifiability", "none"): "Stop checking answers",
    ("streaming", True): "Stream the answer as it is written (the latency budget then applies "
                         "to its first words)",
    ("streaming", False): "Deliver the whole answer at once"}


def plan_step_text(step: PlanStep) -> str:
    """One step of the plan as a lead repeats it: ``Raise the training budget to $1,800: then
    … on …; +0.06 quality (0.75 → 0.81) for $4,200 once and $120 a month less``."""
    turn = step.turn
    action = (_LEVER_OPTIONS[(turn.field, turn.value)] if turn.relation == "equals" else
              f"{_LEVER_MOVES[turn.relation].format(TURN_VALUE_LABELS[turn.field])} "
              f"{_turn_amount(turn)}")
    return f"{action}: then {configuration_text(turn)}; {plan_effect_text(step)}"


def plan_effect_text(step: PlanStep) -> str:
    """What a step buys and costs: ``+0.06 quality (0.75 → 0.81) for $4,200 once and $120 a
    month less``; "makes it fit" first when nothing fits now."""
    before = step.turn.expected_quality - step.quality_gain
    after = quality(step.turn.expected_quality)
    gain = (f"the same quality ({after})" if quality(before) == after else
            f"about the same quality ({quality(before)} → {after})"
            if step.turn.quality_change == "same" else
            f"{signed(step.quality_gain)} quality ({quality(before)} → {after})")
    costs = []
    if abs(step.extra_one_time_usd) >= 0.5:
        costs.append(f"{usd(abs(step.extra_one_time_usd))} "
                     f"{'more' if step.extra_one_time_usd > 0 else 'less'} once")
    if abs(step.extra_monthly_usd) >= 0.5:
        costs.append(f"{usd(abs(step.extra_monthly_usd))} a month "
                     f"{'more' if step.extra_monthly_usd > 0 else 'less'}")
    elif abs(step.extra_per_query_usd) > 1e-9:
        costs.append(f"{usd(abs(step.extra_per_query_usd))} a query "
                     f"{'more' if step.extra_per_query_usd > 0 else 'less'}")
    money = " and ".join(costs) if costs else "no change in cost"
    fits = "makes every constraint fit; " if step.makes_feasible else ""
    return f"{fits}{gain}, {money}"


def plan_summary(steps: Sequence[PlanStep]) -> str:
    """The line above the plan: how many steps and how they are ordered."""
    if not steps:
        return ("No change of a budget, a check or streaming improves on this answer: it is "
                "the best these answers allow.")
    if len(steps) == 1:
        return "One step a team can take: it changes one answer and keeps the rest."
    return (f"{len(steps)} steps a team can take, best value first (what makes the answer fit, "
            "then what pays for itself, then quality gained per dollar over the horizon); each "
            "changes one answer and keeps the rest.")
