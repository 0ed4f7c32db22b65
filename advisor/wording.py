"""Sentences and number formats shared by every renderer (Markdown, HTML, the app).

Why a module of its own: the engine never formats, and the Markdown report, the HTML report and
the app must say the same thing in the same words.
"""

from __future__ import annotations

from advisor.result import Estimate, Recommendation

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
    "latency_budget_s": "latency budget",
    "budget_per_query_usd": "budget per query",
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


def configuration_text(estimate: Estimate | Recommendation) -> str:
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
