"""About the method: assumptions, formulas and curves, each with its source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.charts import quality_curves_figure
from advisor.markdown import md_escape
from ui import state

FORMULAS = r"""
**Notation.** $P$ prompt tokens, $A$ answer tokens, $R$ visible reasoning tokens per sample (per task
type), $H$ hidden thinking tokens per call (reasoning tiers), prices $p_{in}, p_{cached}, p_{out}$ per
1M tokens, $t(O) = \text{TTFT} + O / \text{tokens per second}$. Output per sample: $O = A + R + H$.

| Strategy | Cost per query | Latency |
|---|---|---|
| Single pass | $P\,p_{in} + (A+H)\,p_{out}$ | $t(A+H)$ |
| Chain-of-thought, $T$ thinking tokens | $P\,p_{in} + (A+T+H)\,p_{out}$ | $t(A+T+H)$ |
| Self-consistency / best-of-N, $k$ samples | $P\,p_{in} + (k-1)P\,p_{cached} + kO\,p_{out}$ (+ $k$ judge calls) | $t(O)$ + one check: samples run in parallel |
| Tree search, breadth $b$, depth $d$ | $P\,p_{in} + (bd-1)P\,p_{cached} + b\,O\,\tfrac{d-1}{2}\,p_{in} + bO\,p_{out}$ | $d\cdot\text{TTFT} + O/\text{tps} + d\cdot$check: levels are sequential |
| Refinement, $r$ rounds | $P\,p_{in} + 2r(P\,p_{cached} + O\,p_{in}) + (1+2r)O\,p_{out}$ | $(1+2r)\,t(O)$: every call waits for the previous one |

Monthly cost $=$ cost per query $\times$ queries per day $\times$ DAYS_PER_MONTH (settings).

**Quality** (index 0–1 per task family; $p_0$ the tier's single-pass quality, $C$ the family ceiling):

- Chain-of-thought: $p = p_0 + (C-p_0)\,g_{cot}\,s\,(1-e^{-T/T_0})$ (Sprague et al. 2024: large on math, small elsewhere).
- Self-consistency: $acc(k) = acc_\infty - (acc_\infty - p)\,k^{-c}$ with $acc_\infty = p + g_{vote}\,p\,(C-p)$ (Wang et al. 2022: +17.9 points on GSM8K at 40 paths).
- Best-of-N with a verifier: coverage $= p^{\,k^{-b}}$ (Large Language Monkeys, Brown et al. 2024: $b = 0.21$ reproduces 15.9% → 56% at 250 samples); quality $= p + (\text{coverage} - p)\times$ verifier precision.
- Tree search: best-of-N with $k = b\,(1 + (E-1)(1 - 1/d))$ (Snell et al. 2024: step-level search > 4× more compute-efficient than best-of-N).
- Refinement: $p + \Delta\,(1 - d^{\,r})$ with round decay $d$ from the strategy's curve, $\Delta$ by family and verifiability (Self-Refine +20 points with feedback; Huang et al. 2024: reasoning gets worse without it).
"""


def render() -> None:
    rules_state = state.get_rules()
    rules = rules_state.rules
    st.title("About the method")
    if rules is None:
        st.error("The rules could not be loaded; see the Advisor page for the problems.")
        return
    st.markdown(
        "The advisor encodes *Inference-Time Scaling vs Training Compute: What the Trade-off "
        "Actually Means*. Each rule pushes the verdict toward inference-time or training "
        "compute with a weight; the verdict is **combined** when the two totals are within "
        f"{rules.settings.combined_margin:.0%} of their sum. The verdict decides which "
        "configurations are allowed (a training verdict keeps to light strategies; an "
        "inference-time verdict to base models), and the best expected quality within the "
        "latency and per-query budgets wins; favoured strategies get a "
        f"{rules.settings.favour_bonus:g} ranking bonus. Every number below lives in the rules "
        f"YAML (rules version `{rules.version}`), with its source.")
    st.header("Cost and latency")
    st.markdown(FORMULAS.replace("DAYS_PER_MONTH", f"{rules.settings.days_per_month:g}"))

    st.header("Quality curves")
    cols = st.columns(3)
    task_type = cols[0].selectbox("Task type", list(rules.tasks), key="about_task_type",
                                  index=list(rules.tasks).index("math"),
                                  help="Which task family's curve parameters to draw.")
    model_id = cols[1].selectbox("Model tier", [m.id for m in rules.models], key="about_model",
                                 help="The tier whose single-pass quality the curves start from.")
    verifiability = cols[2].selectbox("Verifiability", list(rules.settings.verifiers),
                                      key="about_verifiability",
                                      help="Sets the verifier precision for best-of-N and search.")
    st.plotly_chart(quality_curves_figure(rules, task_type, model_id, verifiability),
                    theme="streamlit", key="quality_curves_chart")
    st.dataframe(pd.DataFrame([{
        "family": name, "ceiling": f.ceiling, "cot gain": f.cot_gain,
        "cot scale (tokens)": f.cot_scale_tokens, "vote gain": f.vote_gain,
        "refine Δ verifiable / judge / none":
            f"{f.refine_gain.verifiable_steps:+g} / {f.refine_gain.external_judge:+g} / "
            f"{f.refine_gain.none:+g}",
        "source": " ".join(f.source.split())} for name, f in rules.families.items()]),
        hide_index=True, key="families_table")

    st.header("Strategies")
    for s in rules.strategies:
        params = ", ".join(f"{k}: {v}" for k, v in s.parameters.items()) or "no parameters"
        st.markdown(f"**{md_escape(s.name)}** ({md_escape(params)}) · "
                    f"{md_escape(' '.join(s.description.split()))}  \n"
                    f"*Source: {md_escape(' '.join(s.source.split()))}*")

    st.header("Model tiers, prices and speeds")
    st.dataframe(pd.DataFrame([{
        "tier": m.name, "price table id": m.price_table_id,
        "input $/1M": m.input_per_1m, "output $/1M": m.output_per_1m,
        "cached input $/1M": m.cached_input_per_1m, "tokens/s": m.output_tokens_per_s,
        "TTFT (s)": m.time_to_first_token_s, "hidden thinking tokens": m.thinking_tokens,
        "fine-tune run": (f"${m.fine_tune.run_cost_usd:,.0f}" if m.fine_tune else "—"),
        "price date": m.price_date.isoformat(), "price source": m.price_source,
        "speed source": " ".join(m.speed_source.split()),
        "quality source": " ".join(m.quality_source.split())} for m in rules.models]),
        hide_index=True, key="models_table")

    st.header("Verifiers")
    st.dataframe(pd.DataFrame([{
        "verifiability": name, "precision": v.precision, "check latency (s)": v.latency_s,
        "judge tokens per candidate": v.judge_output_tokens, "source": " ".join(v.source.split())}
        for name, v in rules.settings.verifiers.items()]), hide_index=True, key="verifiers_table")

    st.header("Limits")
    st.markdown(
        "- The quality index is relative, per task family; it ranks options, it does not "
        "predict your accuracy. Replace tier quality with your own evaluation.\n"
        "- Prices change monthly: each tier carries the date it was read. Speeds and "
        "fine-tuning training prices are typical published ranges, marked *to check*.\n"
        "- Parallel samples are assumed to run concurrently; rate limits can serialise them.\n"
        "- Calibration, and knowledge the model lacks, are not modelled as quality: the rules "
        "raise them as pushes and caveats instead.")
