"""Render a recommendation as JSON or as a Markdown decision record."""

from __future__ import annotations

import datetime as dt

from advisor.markdown import md_cell, md_escape
from advisor.result import BreakEven, Estimate, Recommendation
from advisor.wording import (VERDICT_LABELS, VERDICT_SUMMARIES, answer_items, break_even_text,
                             broken_text, configuration_text, count, days_text, flops, headline,
                             quality, ranged_figures, seconds, shares_text, table_text,
                             training_text, turn_text, usd)

OPTIONS_CONSIDERED = 8


def to_json(rec: Recommendation) -> str:
    """The full result; byte-identical for the same answers and rules."""
    return rec.model_dump_json(indent=2) + "\n"


def options_considered(rec: Recommendation, *, limit: int = OPTIONS_CONSIDERED) -> list[Estimate]:
    """The chosen option and the best alternatives: best feasible per strategy, then the rest.

    Why: a decision record lists a handful of real alternatives, not all 200 candidates.
    """
    best: dict[str, Estimate] = {}
    for est in sorted(rec.estimates, key=lambda e: (not e.feasible, not e.available,
                                                    -e.expected_quality, e.cost_usd)):
        best.setdefault(est.strategy, est)
    options = [rec.chosen] + [e for e in best.values() if e != rec.chosen]
    return options[:limit]


def to_markdown(rec: Recommendation, *, generated: dt.date | None = None) -> str:
    """A decision record (context, options, decision, consequences, reasons) to paste anywhere.

    Every text that comes from the rules or the answers is escaped (:func:`md_escape`), so a rule
    cannot put a link, an image or HTML into the record.
    """
    generated = generated or dt.date.today()
    c = rec.chosen
    shown = ranged_figures(c)
    lines = [
        f"# Decision record: {md_escape(headline(rec))}",
        "",
        f"Date: {generated.isoformat()} · Rules version: `{rec.rules_version}`",
        "",
        "## Context",
        "",
        "| Answer | Value |",
        "|---|---|",
        *(f"| {label} | {md_cell(text)} |" for label, text in answer_items(rec.answers)),
        "",
        "## Decision",
        "",
        f"**{VERDICT_LABELS[rec.verdict]}.** {VERDICT_SUMMARIES[rec.verdict]}",
        "",
        f"- Configuration: **{md_escape(configuration_text(rec))}**",
        f"- Training: {md_escape(training_text(rec))}",
        f"- Cost per query: {md_escape(shown['cost'])} · monthly at "
        f"{rec.answers.queries_per_day:,} queries/day: {md_escape(shown['monthly'])}",
        f"- Latency: {md_escape(shown['latency'])} · expected quality (probability one answer "
        f"is correct, at the level '{md_escape(rec.answers.difficulty or 'default')}'): "
        f"{md_escape(shown['quality'])}",
        "- In brackets: the 5th to 95th percentile over draws from the rules' assumed ranges.",
        f"- Where the quality comes from: {md_escape(shares_text(rec))}",
        f"- {md_escape(table_text(rec))}",
    ]
    if not rec.feasible:
        lines += ["", f"> **{md_escape(broken_text(rec))}**"]
    lines += ["", "## Options considered", "",
              "| Option | Cost/query | Latency | Quality | Monthly | Fits budgets | Note |",
              "|---|---|---|---|---|---|---|"]
    for est in options_considered(rec):
        note = "chosen" if est == c else (est.unavailable_reason or "")
        lines.append(f"| {md_cell(configuration_text(est))} | {md_cell(usd(est.cost_usd))} | "
                     f"{seconds(est.latency_s)} | {quality(est.expected_quality)} | "
                     f"{md_cell(usd(est.monthly_cost_usd))} | {'yes' if est.feasible else 'no'} | "
                     f"{md_cell(note)} |")
    if rec.break_even is not None:
        lines += ["", "## Break-even", "", *break_even_lines(rec.break_even)]
    if rec.what_would_change:
        lines += ["", "## What would change the answer", ""]
        lines += [f"- {md_escape(turn_text(turn))}" for turn in rec.what_would_change]
    lines += ["", "## Why", ""]
    for rule in rec.fired_rules:
        lines.append(f"- **{md_escape(rule.id)}** ({md_escape('; '.join(rule.effects))}): "
                     f"{md_escape(rule.because)} *Source: {md_escape(rule.source)}*")
    if not rec.fired_rules:
        lines.append("- No rule fired for these answers.")
    lines += ["", "## Consequences and caveats", ""]
    lines += [f"- {md_escape(cav.text)} *({md_escape(cav.rule_id or cav.source)})*"
              for cav in rec.caveats] or [
        "- None raised by the rules."]
    lines += ["", "Estimates are model-based (see the app's About page for formulas and sources); "
                  "validate them on your own traffic before committing.", ""]
    return "\n".join(lines)


def break_even_lines(be: BreakEven) -> list[str]:
    """The break-even as Markdown: the sentence, a table of both options, the compute view."""
    options = [(name, option) for name, option in (("Training option", be.training),
                                                   ("Inference-time option", be.inference))
               if option is not None]
    cumulative = [c[-1] for c in (be.cumulative_training_usd, be.cumulative_inference_usd)
                  if c is not None]
    lines = [md_escape(break_even_text(be)), "",
             "| | " + " | ".join(name for name, _ in options) + " |",
             "|---|" + "---|" * len(options),
             "| Configuration | " + " | ".join(md_cell(configuration_text(o))
                                               for _, o in options) + " |",
             "| One-time cost | " + " | ".join(md_cell(usd(o.one_time_cost_usd))
                                              for _, o in options) + " |",
             "| Cost per query | " + " | ".join(md_cell(usd(o.cost_per_query_usd))
                                               for _, o in options) + " |",
             "| Expected quality | " + " | ".join(quality(o.expected_quality)
                                                 for _, o in options) + " |",
             f"| Cumulative cost after {days_text(be.horizon_days)} | "
             + " | ".join(md_cell(usd(c)) for c in cumulative) + " |",
             "| Inference compute per query | " + " | ".join(
                 flops(o.inference_flops_per_query) for _, o in options) + " |",
             ""]
    if be.break_even_queries is not None and be.outcome == "pays_off":
        days = (f" ({days_text(be.break_even_days)})" if be.break_even_days is not None else "")
        lines.append(f"- Break-even: {count(be.break_even_queries)} queries{days}.")
    if be.training is not None and be.training.training_flops is not None:
        repaid = (f"; the inference compute it saves repays it after "
                  f"{count(be.break_even_flops_queries)} queries"
                  if be.break_even_flops_queries is not None else "")
        lines.append(f"- Compute view: the fine-tune takes about "
                     f"{flops(be.training.training_flops)} (6·N·D){repaid}.")
    regime = ("reaches" if be.beyond_chinchilla else "stays below")
    lines.append(f"- Lifetime demand over the horizon: {count(be.lifetime_queries)} queries, which "
                 f"{regime} the volume from which inference demand should shape training.")
    lines.append("- Sources: " + md_escape("; ".join(be.sources)))
    return lines
