"""Sentences and number formats shared by every renderer (Markdown, HTML, the app).

Why a module of its own: the engine never formats, and the Markdown report, the HTML report and
the app must say the same thing in the same words.
"""

from __future__ import annotations

from typing import Any

from advisor.answers import ANSWER_FIELDS, Answers
from advisor.result import BreakEven, CostOption, Estimate, Recommendation, Turn

VERDICT_LABELS = {
    "inference_time": "Inference-time compute",
    "training": "Training compute",
    "combined": "Combine both",
}
VERDICT_SUMMARIES = {
    "inference_time": "Buy quality at query time: spend tokens on reasoning, samples or search.",
    "training": "Buy quality with training: a fine-tuned or better-trained model, "
                "with at most a light inference strategy.",
    "combined": "The factors split: a better-trained model and an inference-time strategy together.",
}
PARAMETER_LABELS = {
    "thinking_tokens": "thinking tokens",
    "samples": "samples",
    "breadth": "breadth",
    "depth": "depth",
    "rounds": "rounds",
}
ANSWER_LABELS = {
    "task_type": "Task type",
    "latency_budget_s": "Latency budget",
    "budget_per_query_usd": "Budget per query",
    "training_budget_usd": "Training budget",
    "verifiability": "Verifiability",
    "queries_per_day": "Queries per day",
    "needs_calibration": "Needs calibration",
    "high_stakes": "High stakes",
}


def usd(value: float) -> str:
    """Money with sensible precision: $0.00012, $0.0135, $1.25, $12,345."""
    if value == 0:
        return "$0"
    if abs(value) >= 100:
        return f"${value:,.0f}"
    if abs(value) >= 1:
        return f"${value:,.2f}"
    digits = 2
    while abs(value) < 10 ** -digits and digits < 8:
        digits += 1
    return f"${value:.{digits + 1}f}"


def seconds(value: float) -> str:
    """1.2 s, 35 s, 4.5 min."""
    if value >= 120:
        return f"{value / 60:.1f} min"
    if value >= 10:
        return f"{value:.0f} s"
    return f"{value:.2g} s" if value < 1 else f"{value:.1f} s"


def quality(value: float) -> str:
    return f"{value:.2f}"


def parameters_text(parameters: dict[str, int]) -> str:
    """``breadth 8, depth 4`` (empty for a strategy without parameters)."""
    return ", ".join(f"{PARAMETER_LABELS.get(k, k)} {v:,}" for k, v in parameters.items())


def configuration_text(estimate: Estimate | Recommendation | CostOption | Turn) -> str:
    """``Self-consistency (10 samples) on GPT-4o mini``."""
    params = parameters_text(estimate.parameters)
    strategy = f"{estimate.strategy_name} ({params})" if params else estimate.strategy_name
    return f"{strategy} on {estimate.model_name}"


def training_text(rec: Recommendation) -> str:
    """What to do on the training side, in one sentence."""
    if rec.training is None:
        return "No training spend: the model tiers stay as they are."
    t = rec.training
    if t.action == "fine_tune":
        return (f"Fine-tune {t.base_model} on your own data (about {usd(t.one_time_cost_usd)} "
                f"one-time, within the {usd(t.training_budget_usd)} training budget).")
    if t.training_budget_usd > 0:
        return (f"Serve {t.model_name}, the best-trained tier that fits; no fine-tune within the "
                f"{usd(t.training_budget_usd)} training budget beats it.")
    return f"Serve {t.model_name}, the best-trained tier that fits; no training run is feasible."


def broken_text(rec: Recommendation) -> str:
    """Plain statement of what the closest option breaks (empty when it fits)."""
    parts = []
    for broken in rec.broken_constraints:
        if broken.answer == "latency_budget_s":
            parts.append(f"it takes {seconds(broken.needed)} against a latency budget of "
                         f"{seconds(broken.allowed)}")
        else:
            parts.append(f"it costs {usd(broken.needed)} per query against a budget of "
                         f"{usd(broken.allowed)}")
    if not parts:
        return ""
    return "Nothing fits both budgets. The closest option is shown: " + " and ".join(parts) + "."


def headline(rec: Recommendation) -> str:
    """Five-second summary: verdict and configuration."""
    return f"{VERDICT_LABELS[rec.verdict]}: {configuration_text(rec)}"


def count(value: float) -> str:
    """Whole numbers with thousands separators: 304,878."""
    return f"{value:,.0f}"


def break_even_text(be: BreakEven) -> str:
    """The break-even in one sentence."""
    t, i = be.training, be.inference
    target = quality(be.target_quality)
    option = configuration_text(t)
    if t.fine_tuned:
        option += f", after a {usd(t.one_time_cost_usd)} fine-tune,"
    if be.outcome == "inference_unreachable":
        return (f"Only training reaches quality {target}: no inference-time configuration on a "
                f"base tier gets there within the latency budget, while {option} does.")
    rival = f"{configuration_text(i)} at {usd(i.cost_per_query_usd)} per query"
    if be.outcome == "never":
        investment = "The fine-tune" if t.fine_tuned else "Serving the better-trained tier"
        return (f"{investment} never pays off: {rival} reaches quality {target} for "
                f"less than {option} at {usd(t.cost_per_query_usd)} per query.")
    if be.outcome == "cheaper_from_start":
        return (f"{option} at {usd(t.cost_per_query_usd)} per query is cheaper from the first "
                f"query than reaching quality {target} with {rival}.")
    when = f"after {count(be.break_even_queries)} queries"
    if be.break_even_days is not None:
        when += (f", about {days_text(be.break_even_days)} at {count(be.queries_per_day)} "
                 "queries a day")
        if be.break_even_days > be.horizon_days:
            when += f" (beyond the {be.horizon_days}-day horizon)"
    return (f"{configuration_text(t)} at {usd(t.cost_per_query_usd)} per query pays back its "
            f"{usd(t.one_time_cost_usd)} fine-tune {when}, against {rival} at the same quality "
            f"({target}).")


def flops(value: float | None) -> str:
    """``4.8e17 FLOPs``; ``unknown`` when the model size is not known."""
    return "unknown" if value is None else f"{value:.2g} FLOPs".replace("e+", "e")


def days_text(value: float) -> str:
    """0.5 days, 30 days, 2.1 years."""
    if value >= 730:
        return f"{value / 365:.1f} years"
    if value < 10:
        return f"{value:.2g} days" if value != 1 else "1 day"
    return f"{value:,.0f} days"


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
          ("high_stakes", False): "if the decisions were not high-stakes"}
_VERIFIABILITY = {"verifiable_steps": "with a checker for intermediate steps",
                  "external_judge": "with only an external judge to check answers",
                  "none": "with no way to check answers"}


def _reads_back(text: str, value: float) -> bool:
    """True when ``text`` (``$0.013``, ``2.3 s``, ``4.5 min``) states ``value`` exactly."""
    number = text.strip("$").replace(",", "").split(" ")[0]
    scale = 60 if text.endswith("min") else 1
    return abs(float(number) * scale - value) <= 1e-9 * max(abs(value), 1)


def turn_value_text(turn: Turn) -> str:
    """How the changed answer reads: ``latency budget of 12 s or more``."""
    value = turn.value
    # Why not seconds()/usd() alone: a turning point must not be rounded across (2.28 s is not
    # "2.3 s or less"), so fall back to the exact value when the short form would change it.
    if turn.field == "latency_budget_s":
        amount = seconds(value) if _reads_back(seconds(value), value) else f"{value:g} s"
    elif turn.field in ("budget_per_query_usd", "training_budget_usd"):
        amount = usd(value) if _reads_back(usd(value), value) else f"${value:,.10g}"
    elif turn.field == "queries_per_day":
        amount = f"{count(value)} queries a day"
    else:
        amount = str(value)
    lead = ("at" if turn.field == "queries_per_day"
            else f"with a {TURN_VALUE_LABELS[turn.field]} of")
    if turn.relation in ("above", "below"):
        word = "more than" if turn.relation == "above" else "less than"
        return f"{lead} {word} {amount}"
    return f"{lead} {amount} {_RELATION_WORDS[turn.relation]}"


def turn_text(turn: Turn) -> str:
    """``with a latency budget of 12 s or more: Inference-time compute, Self-consistency (...)``."""
    if turn.field == "verifiability":
        condition = _VERIFIABILITY[turn.value]
    elif turn.field == "task_type":
        condition = f"for {str(turn.value).replace('_', ' ')} work"
    elif (turn.field, turn.value) in _FLAGS:
        condition = _FLAGS[(turn.field, turn.value)]
    else:
        condition = turn_value_text(turn)
    return f"{condition}: {VERDICT_LABELS[turn.verdict].lower()}, {configuration_text(turn)}"


def answer_text(field: str, value: Any) -> str:
    """One answer as reports and tables show it: 30 s, $0.50, 2,000, yes."""
    if field == "latency_budget_s":
        return seconds(value)
    if field in ("budget_per_query_usd", "training_budget_usd"):
        return usd(value)
    if field == "queries_per_day":
        return f"{value:,}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))


def answer_items(answers: Answers) -> list[tuple[str, str]]:
    """(label, text) of every answer, in questionnaire order."""
    return [(ANSWER_LABELS[field], answer_text(field, getattr(answers, field)))
            for field in ANSWER_FIELDS]
