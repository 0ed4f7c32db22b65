"""Render a recommendation as JSON or as a Markdown decision record."""

from __future__ import annotations

import datetime as dt

from advisor.analysis.plan import improvement_plan
from advisor.model.result import Recommendation
from advisor.render.formats import count
from advisor.render.frontier_text import frontier_lines
from advisor.render.markdown import md_escape
from advisor.render.tables import break_even_facts, break_even_table, context_table, options_table
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import (RANGES_NOTE, SEVERITY_LABELS, break_even_text, broken_text,
                                    caveat_origin, configuration_text, figure_ranges, headline,
                                    latency_text, lead_sentence, per_correct_text, plan_step_text,
                                    plan_summary,
                                    quality_meaning, ranged_figures, risk_counts, shares_text,
                                    table_text, training_text, turn_text, verdict_label,
                                    verdict_summary)

FRONTIER_HEADING = "## Training against inference compute"


def to_json(rec: Recommendation) -> str:
    """The full result; byte-identical for the same answers and rules."""
    return rec.model_dump_json(indent=2) + "\n"


def to_markdown(rec: Recommendation, *, vocabulary: Vocabulary,
                generated: dt.date | None = None) -> str:
    """A decision record (context, options, decision, consequences, reasons) to paste anywhere.

    Args:
        rec: an analysed recommendation.
        vocabulary: the words for answer values and ids (:meth:`Vocabulary.of` the rules).
        generated: the date the record states; today when omitted.

    Every text that comes from the rules or the answers is escaped (:func:`md_escape`), so a rule
    cannot put a link, an image or HTML into the record.
    """
    generated = generated or dt.date.today()
    lines = [f"# Decision record: {md_escape(headline(rec))}", "",
             f"Date: {generated.isoformat()} · Rules version: `{rec.rules_version}`", "",
             "## Context", "", *context_table(rec.answers, vocabulary).markdown(),
             *_decision_lines(rec, vocabulary),
             "", "## Options considered", "", *options_table(rec).markdown(),
             *_break_even_lines(rec)]
    if rec.frontier is not None:
        lines += ["", FRONTIER_HEADING, "", *frontier_lines(rec.frontier)]
    if rec.what_would_change:
        steps = improvement_plan(rec)
        lines += ["", "## Improvement plan", "", plan_summary(steps), ""]
        lines += [f"{i}. {md_escape(plan_step_text(step))}" for i, step in enumerate(steps, 1)]
        lines += ["", "## What would change the answer", ""]
        lines += [f"- {md_escape(turn_text(turn, vocabulary))}" for turn in rec.what_would_change]
    lines += [*_reason_lines(rec, vocabulary), *_caveat_lines(rec)]
    lines += ["", "Estimates are model-based (see the app's About page for formulas and sources); "
                  "validate them on your own traffic before committing.", ""]
    return "\n".join(lines)


def _decision_lines(rec: Recommendation, vocabulary: Vocabulary) -> list[str]:
    """The verdict, the chosen configuration and its figures with their ranges, and the broken
    budget if none fits."""
    c = rec.chosen
    shown = ranged_figures(c)
    lines = [
        "", "## Decision", "",
        f"**{verdict_label(rec)}:** {md_escape(configuration_text(rec))}. "
        f"{md_escape(lead_sentence(rec))}",
        "",
        f"- Why this verdict: {verdict_summary(rec)}",
        f"- Configuration: **{md_escape(configuration_text(rec))}**",
        f"- Training: {md_escape(training_text(rec))}",
        f"- Cost per query: {md_escape(shown['cost'])} · monthly at "
        f"{count(rec.answers.queries_per_day)} queries a day: {md_escape(shown['monthly'])}",
        f"- Per correct answer: {md_escape(per_correct_text(rec))}",
        f"- Latency: {md_escape(latency_text(rec))}",
        f"- Expected quality: {shown['quality']}. "
        f"{md_escape(quality_meaning(rec, vocabulary))}",
        *([f"- {RANGES_NOTE}"] if any(figure_ranges(c).values()) else []),
        f"- Where the quality comes from: {md_escape(shares_text(rec))}",
        f"- {md_escape(table_text(rec))}",
    ]
    if not rec.feasible:
        lines += ["", f"> **{md_escape(broken_text(rec))}**"]
    return lines


def _break_even_lines(rec: Recommendation) -> list[str]:
    """The break-even section: its sentence, table, facts and sources; none without one."""
    be = rec.break_even
    if be is None:
        return []
    return ["", "## Break-even", "", md_escape(break_even_text(be)), "",
            *break_even_table(be).markdown(), "",
            *(f"- {md_escape(fact)}" for fact in break_even_facts(be)),
            "- Sources: " + md_escape("; ".join(be.sources))]


def _reason_lines(rec: Recommendation, vocabulary: Vocabulary) -> list[str]:
    """Why: each fired rule's reason, id, effects and source."""
    lines = ["", "## Why", ""]
    for rule in rec.fired_rules:
        lines.append(f"- {md_escape(rule.because)} (rule {md_escape(rule.id)}: "
                     f"{md_escape(vocabulary.effects(rule.effects))}) "
                     f"*Source: {md_escape(rule.source)}*")
    if not rec.fired_rules:
        lines.append("- No rule fired for these answers.")
    return lines


def _caveat_lines(rec: Recommendation) -> list[str]:
    """Risks and caveats, most serious first, each with its severity and where it comes from."""
    if not rec.caveats:
        return ["", "## Risks and caveats", "", "- None raised by the rules."]
    return ["", "## Risks and caveats", "", risk_counts(rec.caveats), "",
            *(f"- **{SEVERITY_LABELS[cav.severity]}:** {md_escape(cav.text)} "
              f"*({md_escape(caveat_origin(cav))})*" for cav in rec.caveats)]
