"""The tables the reports show, built once and rendered both as Markdown and as HTML.

Why a model between the result and the renderers: the Markdown decision record and the HTML
report show the same answers, options, break-even and comparison tables; building each table
once means the two can never disagree on a row, a label or a number. :meth:`Table.markdown`
renders one as Markdown (every cell escaped); the HTML templates render the same object
(``advisor/render/templates/macros.html``, autoescaped).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.model.answers import Answers
from advisor.model.result import BreakEven, Estimate, Recommendation
from advisor.render.formats import count, days_text, flops, quality, tokens, usd
from advisor.render.markdown import md_cell
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import (BREAK_EVEN_SIDES, answer_items, configuration_text,
                                    ranged_figures)

OPTIONS_CONSIDERED = 8


class Row(BaseModel):
    """One line of a table: its label (the first column), a cell per column, and whether the
    cells differ (a comparison shows those in bold)."""

    model_config = ConfigDict(frozen=True)

    label: str
    cells: list[str]
    differs: bool = False


class Table(BaseModel):
    """A header (its first entry heads the label column) and rows."""

    model_config = ConfigDict(frozen=True)

    header: list[str]
    rows: list[Row]

    def markdown(self) -> list[str]:
        """The table as Markdown lines; every header and cell escaped for a table cell."""
        return ["| " + " | ".join(md_cell(h) for h in self.header) + " |",
                "|" + "---|" * len(self.header),
                *("| " + " | ".join(md_cell(c) for c in [row.label, *row.cells]) + " |"
                  for row in self.rows)]


def row(label: str, cells: list[str]) -> Row:
    """A row that knows whether its cells differ."""
    return Row(label=label, cells=cells, differs=len(set(cells)) > 1)


def context_table(answers: Answers, vocabulary: Vocabulary) -> Table:
    """The answers, one per row, in questionnaire order."""
    return Table(header=["Answer", "Value"],
                 rows=[Row(label=label, cells=[text])
                       for label, text in answer_items(answers, vocabulary)])


def options_considered(rec: Recommendation, *, limit: int = OPTIONS_CONSIDERED) -> list[Estimate]:
    """The chosen option and the best alternatives: best feasible per strategy, then the rest.

    Why: a decision record lists a handful of real alternatives, not all 1,000 candidates.
    """
    best: dict[str, Estimate] = {}
    for est in sorted(rec.estimates, key=lambda e: (not e.feasible, not e.available,
                                                    -e.expected_quality, e.cost_usd)):
        best.setdefault(est.strategy, est)
    options = [rec.chosen] + [e for e in best.values() if e != rec.chosen]
    return options[:limit]


def options_table(rec: Recommendation) -> Table:
    """The options considered with their cost, cost per correct answer, both latencies (first
    words, whole answer), quality (each with its range, where the rules give one) and whether
    they fit."""
    rows = []
    for est in options_considered(rec):
        note = "chosen" if est == rec.chosen else (est.unavailable_reason or "")
        shown = ranged_figures(est)
        per_correct = ("—" if est.cost_per_correct_usd is None
                       else usd(est.cost_per_correct_usd))
        rows.append(Row(label=configuration_text(est), cells=[
            shown["cost"], per_correct, shown["first_token"], shown["latency"],
            shown["quality"], shown["monthly"], "yes" if est.feasible else "no", note]))
    return Table(header=["Option", "Cost per query", "Per correct answer", "First words",
                         "Whole answer", "Quality", "Monthly", "Fits budgets", "Note"],
                 rows=rows)


def break_even_table(be: BreakEven) -> Table:
    """Both sides of the break-even: configuration, costs, quality and compute per query."""
    options = [(f"{BREAK_EVEN_SIDES[side]}{' (recommended)' if be.recommended == side else ''}",
                option) for side, option in (("training", be.training),
                                             ("inference", be.inference))
               if option is not None]
    cumulative = [c[-1] for c in (be.cumulative_training_usd, be.cumulative_inference_usd)
                  if c is not None]
    rows = [Row(label="Configuration", cells=[configuration_text(o) for _, o in options]),
            Row(label="One-time cost", cells=[usd(o.one_time_cost_usd) for _, o in options]),
            Row(label="Cost per query", cells=[usd(o.cost_per_query_usd) for _, o in options]),
            Row(label="Expected quality", cells=[quality(o.expected_quality) for _, o in options]),
            Row(label=f"Cumulative cost after {days_text(be.horizon_days)}",
                cells=[usd(c) for c in cumulative]),
            Row(label="Tokens per query", cells=[tokens(o.tokens_per_query) for _, o in options]),
            Row(label="Inference compute per query",
                cells=[flops(o.inference_flops_per_query) for _, o in options])]
    return Table(header=["", *(name for name, _ in options)], rows=rows)


def break_even_facts(be: BreakEven) -> list[str]:
    """The break-even's key figures as sentences: when it pays, the compute view, the demand."""
    facts = []
    if be.break_even_queries is not None and be.outcome == "pays_off":
        days = f" ({days_text(be.break_even_days)})" if be.break_even_days is not None else ""
        facts.append(f"Break-even: {count(be.break_even_queries)} queries{days}.")
    if be.training is not None and be.training.training_flops is not None:
        repaid = (f"; the inference compute it saves repays it after "
                  f"{count(be.break_even_flops_queries)} queries"
                  if be.break_even_flops_queries is not None else "")
        facts.append(f"Compute view: the fine-tune takes about "
                     f"{flops(be.training.training_flops)} (6·N·D){repaid}.")
    regime = "reaches" if be.beyond_chinchilla else "stays below"
    facts.append(f"Lifetime demand over {days_text(be.horizon_days)}: "
                 f"{count(be.lifetime_queries)} queries, which {regime} the volume from which "
                 "inference demand should shape training.")
    return facts
