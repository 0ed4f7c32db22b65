"""About the method: assumptions, formulas and curves, each with its source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.analysis.replication import TRAINING_CASES, replicate
from advisor.engine.costs import Workload, candidate_table
from advisor.engine.training import runs
from advisor.engine.intervals import SAMPLES
from advisor.render.chart_text import quality_curves_summary
from advisor.render.charts import quality_curves_figure
from advisor.render.markdown import md_escape
from advisor.render.vocabulary import Vocabulary
from ui import state

FORMULAS = (r"""
**Notation.** $P$ prompt tokens, $A$ answer tokens, $V$ visible reasoning per answer (a
non-reasoning tier's ordinary reasoning, or its chain-of-thought budget), $H$ hidden thinking per
call (a reasoning tier: the task's thinking tokens × the tier's scale × the effort's multiple),
prices $p_{in}, p_{cached}, p_{out}$ per 1M tokens, $t(O) = \text{TTFT} + O / \text{tokens per
second}$. Output per answer: $O = A + V + H$. A reasoning tier thinks on **every** call.

| Strategy | Cost per query | Latency | First visible token |
|---|---|---|---|
| Single pass / chain of thought | $P\,p_{in} + O\,p_{out}$ | $t(O)$ | $t(H)$ |
| Self-consistency / best-of-N, $k$ samples | $P\,p_{in} + (k-1)P\,p_{cached} + kO\,p_{out}$ """
            r"""(+ $k$ judge calls) | $t(O)$ + one check: samples run in parallel | the latency |
| Tree search, breadth $b$, depth $d$ | $P\,p_{in} + (bd-1)P\,p_{cached} """
            r"""+ b(A+V)\tfrac{d-1}{2}\,p_{in} + bd\,(\tfrac{A+V}{d} + H)\,p_{out}$ | """
            r"""$d\,(t(\tfrac{A+V}{d} + H) + \text{check})$: levels are sequential | the latency |
| Refinement, $r$ rounds | $P\,p_{in} + 2r(P\,p_{cached} + (A+V)\,p_{in}) + (1+2r)O\,p_{out}$ | """
            r"""$(1+2r)\,t(O)$ | $2r\,t(O) + t(H)$ |

When the answer streams (*Do users watch the answer appear?*), the latency budget applies to the
first visible token: a reasoning tier's hidden thinking comes first, the visible reasoning and
the answer stream; voting, best-of-N and search choose their answer only when every sample is
done; a refinement streams its last rewrite.

Monthly cost $=$ cost per query $\times$ queries per day $\times$ DAYS_PER_MONTH. Options are
compared on cost per query plus any fine-tune's one-time cost spread over the queries of
HORIZON days.

**Quality** is the probability that one answer is correct (or acceptable) on your task, at the
difficulty level you pick. Each level is tied to a public benchmark, and a tier's quality there
is its published single-pass score (at its normal setting: medium effort for a reasoning tier,
so its thinking is already in). A tier without a published score on that benchmark is placed by
one model of every score of the family: $\text{logit}(\text{score}) = \text{ability}_{tier} -
\text{difficulty}_{benchmark}$, fitted by least squares. Your own measurement of one tier
replaces the benchmark: every tier keeps its distance in log-odds from the one you measured.
$\sigma$ is the logistic function and everything shifts log-odds:

- Reasoning tokens $h$ add $G\,s\,\frac{h}{h + h_{1/2}}$ ($G$ per family, $s$ the tier's thinking
  skill), measured from the reasoning the tier's quality already includes.
- Each problem has its own success rate $p \sim \text{Beta}(\mu\kappa, (1-\mu)\kappa)$, $\mu$ the
  per-answer quality, $\kappa$ the family's dispersion (Schaeffer et al. 2025).
- Best-of-N with a check of recall $r$ and false-accept rate $f$: per problem, an accepted sample
  if any of $N$ is accepted, else any sample; averaged over the Beta. With a perfect check this is
  $1 - \mathbb{E}[(1-p)^N]$ (Large Language Monkeys, Brown et al. 2024).
- Self-consistency: per problem the right answer must outpoll the most common wrong one (a share
  $w$ of the wrong answers); it plateaus where the right answer is a minority (Wang et al. 2022).
- Tree search: best-of-N with $N = b\,(1 + (E-1)(1 - 1/d))$ (Snell et al. 2024).
- Refinement: log-odds $+\Delta\,(1 - \text{decay}^{\,r})$, $\Delta$ by family and verifiability
  (Self-Refine +20 points; Huang et al. 2024: reasoning gets worse without feedback).
- A fine-tune adds its tier's log-odds gain for the family.
- Knowledge: no inference-time strategy rises above the best single answer any tier gives at the
  level; sampling finds answers a model sometimes gives, never knowledge no model has.

**How sure.** Assumed numbers carry a range in the YAML (`ranges:`). SAMPLES rule sets are drawn
from them (a Latin hypercube, triangular between low, value and high), and every estimate shows
the 5th to 95th percentile of its figures across the draws beside the point value.
""")

VERDICT_METHOD = """
**How the verdict is decided.** The configuration comes first: among the options the rules allow
(exclusions, requirements such as a calibrated model, fine-tunes within the training budget), the
best expected quality within the latency and per-query budgets wins; options within
TOLERANCE of it count as equal and the cheapest of them is taken (a one-time training cost spread
over the horizon), then the fastest. The verdict is then read off what that configuration spends.
The **baseline** is the cheapest single answer from a base tier that fits; the gain over it splits
into a better-trained tier, a fine-tune and inference-time compute (samples, search, refinement,
extra reasoning, a reasoning tier's hidden thinking). **Combined** when each side adds at least
MARGIN of the gain, otherwise the side that adds more; **neither** when nothing beats the
baseline. The rules' pushes are summed into what the article's trade-off table says, shown beside
the verdict with the reason when they differ. Break-even and "what would change" use the same
objective.
"""


def _settings_text(text: str, rules) -> str:
    settings = rules.settings
    return (text.replace("DAYS_PER_MONTH", f"{settings.days_per_month:g}")
            .replace("HORIZON", f"{settings.horizon_days:,}")
            .replace("TOLERANCE", f"{settings.quality_tolerance:g}")
            .replace("MARGIN", f"{settings.combined_margin:.0%}")
            .replace("SAMPLES", str(SAMPLES)))


def _table_section(title: str, caption: str, rows: list[dict], key: str) -> None:
    st.header(title)
    st.caption(caption)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=key)


def _levels(rules) -> None:
    _table_section(
        "Difficulty levels and what anchors them",
        "Quality at a level is a tier's published single-pass score on the level's benchmark "
        "(or the fit's placement when it has none), shifted by the level's offset. Pick the "
        "level in the questionnaire; your own eval result replaces it.",
        [{"task type": Vocabulary.of(rules).option("task_type", name), "level": level.label,
          "default": level.id == task.default_difficulty,
          "benchmark": rules.benchmarks[level.benchmark].name,
          "measures": rules.benchmarks[level.benchmark].measures,
          "offset (log-odds)": level.offset_logit,
          "source": rules.benchmarks[level.benchmark].source}
         for name, task in rules.tasks.items() for level in task.difficulties], "levels_table")


def _replication(rules) -> None:
    _table_section(
        "Published results, reproduced",
        "Each row is a published figure and what this model predicts for its setting "
        "(`python -m advisor curve` reproduces any of them); the test suite fails when a "
        "prediction leaves its tolerance. 'to check' marks figures quoted, not re-read.",
        [{"paper": row.paper, "setting": row.setting, "published": row.published,
          "predicted": row.predicted, "holds": "yes" if row.holds else "NO",
          "figure": "checked" if row.checked else "to check"} for row in replicate(rules)],
        "replication_table")
    _table_section(
        "Training runs, reproduced",
        "Fine-tunes and distillations: each row is a published result and what the default "
        "training options predict for it. The distillation rows use one share of the gap to "
        "the teacher, fitted to R1-Distill-Llama-8B on MATH-500, which is not a row; the "
        "reinforcement fine-tune's curve was fitted to its only published run, so it has none.",
        [{"paper": row.paper, "setting": row.setting, "published": row.published,
          "predicted": row.predicted, "holds": "yes" if row.holds else "NO",
          "figure": "checked" if row.checked else "to check"}
         for row in replicate(rules, TRAINING_CASES)],
        "training_replication_table")


def render() -> None:
    """The About page: the method, then every assumed number with its source, section by
    section."""
    rules_state = state.get_rules()
    rules = rules_state.rules
    st.title("About the method")
    if rules is None:
        st.error("The rules could not be loaded; see the Advisor page for the problems.")
        return
    vocabulary = Vocabulary.of(rules)
    _method(rules)
    _levels(rules)
    _replication(rules)
    _quality_curves(rules, vocabulary)
    _families(rules)
    _strategies(rules)
    _model_tiers(rules)
    _training(rules, vocabulary)
    _verifiers(rules, vocabulary)
    _limits()


def _method(rules) -> None:
    st.markdown(
        "The advisor encodes *Inference-Time Scaling vs Training Compute: What the Trade-off "
        "Actually Means*. Every number below lives in the rules YAML (rules version "
        f"`{rules.version}`), with its source.")
    st.markdown(_settings_text(VERDICT_METHOD, rules))
    st.header("Cost and latency")
    st.markdown(_settings_text(FORMULAS, rules))


def _quality_curves(rules, vocabulary: Vocabulary) -> None:
    """The engine's quality curves for a workload the reader picks."""
    st.header("Quality curves")
    st.caption("The engine's own candidate table for one workload: each line is a strategy on one "
               "tier, more samples, depth or rounds to the right.")
    workload, model_id, effort = _curve_workload(rules, vocabulary)
    table = candidate_table(rules, Workload.of(rules, workload))
    summary = quality_curves_summary(table, model_id, effort=effort)
    st.markdown(md_escape(summary))
    st.plotly_chart(quality_curves_figure(table, model_id, effort=effort),
                    theme="streamlit", key="quality_curves_chart", alt=summary)


def _curve_workload(rules, vocabulary: Vocabulary) -> tuple[dict, str, str | None]:
    """The quality curves' controls: the workload's answers, the tier and its thinking effort."""
    cols = st.columns(4)
    task_type = cols[0].selectbox("Task type", list(rules.tasks), key="about_task_type",
                                  index=list(rules.tasks).index("math"),
                                  format_func=lambda v: vocabulary.option("task_type", v),
                                  help="Which task's token shape and family curve to draw.")
    model_id = cols[1].selectbox("Model tier", [m.id for m in rules.models], key="about_model",
                                 format_func=lambda i: rules.model(i).name,
                                 help="The tier whose single-answer quality the curves start "
                                      "from.")
    verifiability = cols[2].selectbox("Verifiability", list(rules.settings.verifiers),
                                      key="about_verifiability",
                                      format_func=lambda v: vocabulary.option("verifiability", v),
                                      help="Sets the check's recall and false-accept rate for "
                                           "best-of-N and search.")
    efforts = ["low", "medium", "high"] if rules.model(model_id).reasoning else [None]
    effort = cols[3].selectbox("Thinking effort", efforts, key="about_effort",
                               index=len(efforts) // 2,
                               format_func=lambda e: ("n/a (not a reasoning tier)" if e is None
                                                      else e),
                               help="Hidden thinking per call, for a reasoning tier.")
    task = rules.tasks[task_type]
    difficulty = st.selectbox("Difficulty", [lv.id for lv in task.difficulties],
                              key="about_difficulty",
                              index=[lv.id for lv in task.difficulties].index(
                                  task.default_difficulty),
                              format_func=lambda i: task.level(i).label,
                              help="The level whose benchmark anchors the tier.")
    workload = {"task_type": task_type, "verifiability": verifiability, "difficulty": difficulty}
    return workload, model_id, effort


def _families(rules) -> None:
    """Each model family's quality-curve parameters, under the quality curves."""
    st.dataframe(pd.DataFrame([{
        "family": name, "thinking gain (log-odds)": f.thinking_gain,
        "half-gain tokens": f.thinking_half_tokens, "dispersion κ": f.dispersion,
        "top wrong share": f.top_wrong_share,
        "refine Δ verifiable / judge / none":
            f"{f.refine_gain.verifiable_steps:+g} / {f.refine_gain.external_judge:+g} / "
            f"{f.refine_gain.none:+g}",
        "source": " ".join(f.source.split())} for name, f in rules.families.items()]),
        hide_index=True, key="families_table")


def _strategies(rules) -> None:
    st.header("Strategies")
    for s in rules.strategies:
        params = ", ".join(f"{k}: {v}" for k, v in s.parameters.items()) or "no parameters"
        st.markdown(f"**{md_escape(s.name)}** ({md_escape(params)}) · "
                    f"{md_escape(' '.join(s.description.split()))}  \n"
                    f"*Source: {md_escape(' '.join(s.source.split()))}*")


def _model_tiers(rules) -> None:
    st.header("Model tiers, prices and speeds")
    st.dataframe(pd.DataFrame([{
        "tier": m.name, "price table id": m.price_table_id, "reasoning": m.reasoning,
        "input $/1M": m.input_per_1m, "output $/1M": m.output_per_1m,
        "cached input $/1M": m.cached_input_per_1m, "tokens/s": m.output_tokens_per_s,
        "TTFT (s)": m.time_to_first_token_s, "thinking scale": m.thinking_scale,
        "trains at $/1M tokens": (m.fine_tune.training_per_1m_tokens
                                  if m.fine_tune and m.fine_tune.training_per_1m_tokens is not None
                                  else "—"),
        "without thinking": (", ".join(f"{b} {v:.0%}"
                                       for b, v in m.without_thinking.scores.items())
                             if m.without_thinking else "—"),
        "price date": m.price_date.isoformat(), "price source": m.price_source,
        "speed source": " ".join(m.speed_source.split()),
        "quality source": " ".join(m.quality_source.split())} for m in rules.models]),
        hide_index=True, key="models_table")


def _training(rules, vocabulary: Vocabulary) -> None:
    st.header("Training runs")
    st.markdown("What a training budget can buy: each run costed from its inputs and the tier's "
                "training price, its gain growing with its size (log-odds of a correct answer; "
                "for a distillation, the share of the gap to the teacher it closes). A "
                "better-trained tier is not a run: that is training compute someone else spent, "
                "bought through its price per token.")
    rows = []
    for tier in rules.models:
        for verifiability in rules.settings.verifiers:
            for run in runs(rules, tier, verifiability):
                needs = [vocabulary.option("verifiability", v)
                         for v in run.option.verifiabilities or []]
                rows.append({"run": run.option.name, "tier": tier.name, "size": run.size_text,
                             "one-time $": round(run.cost_usd), "of which teacher $":
                             round(run.teacher_usd),
                             "of which labels or prompts $": round(run.labels_usd),
                             "only where answers": ", ".join(needs) or "any"})
    frame = pd.DataFrame(rows).drop_duplicates(subset=["run", "tier", "size"])
    st.dataframe(frame, hide_index=True, key="training_runs_table")
    for option in rules.training.options:
        description = " ".join(option.description.split())
        st.markdown(f"**{md_escape(option.name)}** · {md_escape(description)}  \n"
                    f"*Source: {md_escape(' '.join(option.source.split()))}*")


def _verifiers(rules, vocabulary: Vocabulary) -> None:
    st.header("Verifiers")
    st.dataframe(pd.DataFrame([{
        "verifiability": vocabulary.option("verifiability", name), "recall": v.recall,
        "false accept": v.false_accept, "check latency (s)": v.latency_s,
        "judge tokens per candidate": v.judge_output_tokens,
        "source": " ".join(v.source.split())}
        for name, v in rules.settings.verifiers.items()]), hide_index=True, key="verifiers_table")


def _limits() -> None:
    st.header("Limits")
    st.markdown(
        "- Quality figures are anchored on public benchmarks where one exists and are "
        "assumptions elsewhere (each tier's quality source says which); replace them with your "
        "own evaluation.\n"
        "- Prices change monthly: each tier carries the date it was read. Speeds and "
        "fine-tuning training prices are typical published ranges, marked *to check*.\n"
        "- Parallel samples are assumed to run concurrently; rate limits can serialise them.\n"
        "- Calibration is a requirement, not a quality: only fine-tunes (or tiers marked "
        "calibrated) meet it.")
