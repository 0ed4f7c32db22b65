"""Sweep the answer space and count every contradiction a lead would spot (issue 8's sweep).

57,024 profiles: 9 task types × 3 verifiability × 8 latency budgets (0.3 s–1 h) × 11 per-query
budgets ($0.0001–$10) × 6 training budgets ($0, $500, $1,000, $5,000, $20,000, $100,000) ×
calibration × stakes, at the default volume. For each it counts:

- verdict/spend mismatches: a verdict its configuration does not spend on (``combined`` without
  both a training and an inference spend, ``inference_time`` without test-time compute,
  ``training`` without a fine-tune or a better-trained tier than the baseline);
- dominated choices: another allowed option that fits is no worse in quality, amortised cost and
  latency, and better in one;
- monotonicity drops, along each budget axis between neighbouring grid values: the best quality
  that fits falls, the recommended quality falls by more than the quality tolerance, or the cost
  rises without the quality rising; also drops within the tolerance (the cheaper near-equal
  option a larger budget admits: by design, and counted for the record);
- with ``--sections``, break-even, the frontier and "what would change" disagreeing with the
  headline on the configuration or its side (slower: ``analyse`` for every profile).

And it reports the training side: profiles where nothing fits, by cause; the share of
calibration-sensitive profiles with a training budget under $1,000 that fit; and the distinct
training advice (which run, what size, or which tier bought) at each training-budget level.

Usage:
    .venv/bin/python scripts/sweep.py [--rules rules] [--sections] [--levers] [--every N]

Exits 1 when any contradiction is found, so CI could run it.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import Counter
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor import analyse, load_rules, recommend  # noqa: E402
from advisor.model.answers import TaskType, Verifiability  # noqa: E402
from advisor.analysis.counterfactual import changed_answers  # noqa: E402
from advisor.engine.decide import CandidateView, decide, training_route  # noqa: E402

LATENCIES = [0.3, 1, 3, 10, 30, 120, 600, 3600]
BUDGETS = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
TRAINING = [0, 500, 1000, 5000, 20_000, 100_000]
AXES = {"latency_budget_s": LATENCIES, "budget_per_query_usd": BUDGETS,
        "training_budget_usd": TRAINING}
EPS = 1e-9
CAUSES = {"latency_budget_s": "the latency budget", "budget_per_query_usd": "the per-query budget",
          "training_budget_usd": "the training budget (a run it needs)",
          "needs_calibration": "the calibration requirement"}


def profiles() -> list[dict]:
    return [{"task_type": t.value, "verifiability": v.value, "latency_budget_s": lat,
             "budget_per_query_usd": b, "training_budget_usd": tr, "needs_calibration": c,
             "high_stakes": s, "queries_per_day": 1000, "knowledge_source": "model"}
            for t, v, lat, b, tr, c, s in itertools.product(
                TaskType, Verifiability, LATENCIES, BUDGETS, TRAINING, (False, True),
                (False, True))]


def key(p: dict) -> tuple:
    return tuple(p[f] for f in ("task_type", "verifiability", "latency_budget_s",
                                "budget_per_query_usd", "training_budget_usd",
                                "needs_calibration", "high_stakes"))


def examine(p: dict, rules) -> dict:
    """The figures of one profile the checks need, straight from the objective."""
    d = decide(rules, p)
    view, table, c = CandidateView(d, rules), d.table, d.chosen
    route = training_route(table, c, d.baseline)
    spends_training = route is not None
    spends_inference = bool(table.spends_inference[c])
    verdict = d.verdict
    mismatch = {"combined": not (spends_training and spends_inference),
                "inference_time": not spends_inference,
                "training": not spends_training,
                "neither": spends_training or spends_inference and d.split.inference_gain > 0,
                }[verdict]
    dominated = False
    if d.choice.feasible:
        fits = view.available & view.fits_latency & view.fits_budget
        q, a, lat = table.quality, view.amortised, table.latency
        no_worse = fits & (q >= q[c]) & (a <= a[c]) & (lat <= lat[c])
        better = (q > q[c] + EPS) | (a < a[c] - EPS) | (lat < lat[c] - EPS)
        dominated = bool((no_worse & better).any())
    serving = table.serving(c)
    run = serving.run
    advice = (f"{run.option.name}, {run.size_text}" if run is not None
              else "a better-trained tier" if route == "bought" else "no training")
    if serving.calibration:
        advice += " + calibration"
    broken = [] if d.choice.feasible else [b.answer for b in view.broken(c)]
    return {"verdict": verdict, "mismatch": mismatch, "dominated": dominated,
            "feasible": d.choice.feasible, "needs_training": d.choice.needs_training,
            "quality": float(table.quality[c]),
            "best": d.choice.best_quality, "cost": float(view.amortised[c]),
            "route": route, "advice": advice, "broken": broken}


def monotonicity(results: dict[tuple, dict], tolerance: float) -> Counter:
    drops: Counter = Counter()
    fields = list(AXES)
    for k, r in results.items():
        for field, values in AXES.items():
            i = 2 + fields.index(field)
            at = values.index(k[i])
            if at + 1 == len(values):
                continue
            nxt = results[k[:i] + (values[at + 1],) + k[i + 1:]]
            if not r["feasible"]:
                continue
            if not nxt["feasible"]:
                drops[f"{field}: feasible becomes infeasible"] += 1
            if nxt["best"] < r["best"] - EPS:
                drops[f"{field}: best quality that fits falls"] += 1
            if nxt["quality"] < r["quality"] - tolerance - EPS:
                drops[f"{field}: recommended quality falls beyond the tolerance"] += 1
            elif nxt["quality"] < r["quality"] - EPS:
                drops[f"{field}: (within tolerance) a cheaper near-equal option"] += 1
            if nxt["cost"] > r["cost"] + EPS and nxt["quality"] <= r["quality"] + EPS:
                drops[f"{field}: cost rises without quality rising"] += 1
    return drops


def sections(p: dict, rules) -> list[str]:
    """Where break-even or "what would change" disagree with the headline."""
    rec = analyse(p, rules)
    problems = []
    be = rec.break_even
    if be is not None:
        ours_training = rec.training_route == "run"
        if be.recommended != ("training" if ours_training else "inference"):
            problems.append("break-even recommends the other side")
        ours = be.training if ours_training else be.inference
        if ours is None or (ours.model, ours.strategy) != (rec.model, rec.strategy):
            problems.append("break-even compares another configuration")
        if be.outcome == ("training_unreachable" if ours_training else "inference_unreachable"):
            problems.append("break-even says the recommended side is unreachable")
    where = rec.frontier.recommended if rec.frontier else None
    if where is not None and where.usd_point is not None:
        point = rec.frontier.curves[where.curve].usd_points[where.usd_point]
        if point.training_route != rec.training_route:
            problems.append("the frontier puts the recommendation on another side")
    if rec.training_route == "run" and rec.verdict not in ("training", "combined"):
        problems.append("a configuration with a run is called inference-time")
    for turn in rec.what_would_change:
        if turn.relation in ("above", "below"):
            continue
        changed = recommend(changed_answers(rec.answers.model_dump(), turn.field, turn.value),
                            rules)
        if (changed.verdict, changed.strategy) != (turn.verdict, turn.strategy):
            problems.append("a turn names an outcome recommend does not give")
    return problems


def without_kinds(rules, *kinds: str):
    """``rules`` without the strategies of ``kinds``: the engine as it was before them."""
    return rules.model_copy(update={"strategies": [s for s in rules.strategies
                                                   if s.kind not in kinds]})


def levers(rows: list[dict], rules) -> list[str]:
    """How many profiles change verdict, and how many become feasible, with each of the new
    levers available: cascades, streamed answers, retrieval (when the rules have it).

    Each lever is compared with the engine without it, all else equal: cascades against the
    rules without the cascade strategy; streaming against the same answers not streaming;
    retrieval against the knowledge-in-documents answers without the retrieval strategy (on
    the knowledge tasks only, where the answer applies)."""
    kinds = {s.kind for s in rules.strategies}
    cases = [("cascades", rows, without_kinds(rules, "cascade"), rows, rules),
             ("streaming", rows, rules, [{**p, "streaming": True} for p in rows], rules)]
    if "retrieval" in kinds:
        documents = [{**p, "knowledge_source": "documents"} for p in rows
                     if p["task_type"] == "knowledge_qa"]
        cases.append(("retrieval", documents, without_kinds(rules, "retrieval"), documents,
                      rules))
    lines = []
    for name, before_rows, before_rules, after_rows, after_rules in cases:
        before = [recommend(p, before_rules) for p in before_rows]
        after = [recommend(p, after_rules) for p in after_rows]
        verdicts = sum(b.verdict != a.verdict for b, a in zip(before, after))
        feasible = sum(a.feasible and not b.feasible for b, a in zip(before, after))
        lost = sum(b.feasible and not a.feasible for b, a in zip(before, after))
        chosen = sum(a.strategy != b.strategy or a.model != b.model
                     for b, a in zip(before, after))
        lines.append(f"  {name}: of {len(after):,} profiles, {verdicts:,} change verdict, "
                     f"{chosen:,} change configuration, {feasible:,} become feasible, "
                     f"{lost:,} stop fitting")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", default="rules")
    parser.add_argument("--sections", action="store_true",
                        help="also run analyse on every profile (break-even, what would change)")
    parser.add_argument("--levers", action="store_true",
                        help="also count what cascades, streaming and retrieval change")
    parser.add_argument("--every", type=int, default=1, metavar="N",
                        help="with --sections or --levers, every Nth profile only (a bounded run)")
    args = parser.parse_args()
    rules = load_rules(args.rules)
    rows = profiles()
    start = time.perf_counter()
    results = {key(p): examine(p, rules) for p in rows}
    seconds = time.perf_counter() - start
    n = len(rows)
    verdicts = Counter(r["verdict"] for r in results.values())
    mismatches = sum(r["mismatch"] for r in results.values())
    dominated = sum(r["dominated"] for r in results.values())
    infeasible = n - sum(r["feasible"] for r in results.values())
    drops = monotonicity(results, rules.settings.quality_tolerance)
    print(f"{n:,} profiles in {seconds:.1f} s")
    print("verdicts: " + ", ".join(f"{v} {c:,}" for v, c in sorted(verdicts.items())))
    print(f"verdict/spend mismatches: {mismatches}")
    print(f"dominated choices: {dominated}")
    print(f"nothing fits: {infeasible:,} ({infeasible / n:.1%}), by what the closest option "
          "breaks:")
    causes = Counter(" and ".join(CAUSES[b] for b in r["broken"]) or "nothing named"
                     for r in results.values() if not r["feasible"])
    for cause, count in causes.most_common():
        print(f"  {cause}: {count:,}")
    sensitive = [(k, r) for k, r in results.items() if k[5] and k[4] < 1000]
    fit = sum(r["feasible"] for _, r in sensitive)
    by_level = ", ".join(
        f"${level:,} {sum(r['feasible'] for k, r in sensitive if k[4] == level):,} of "
        f"{sum(1 for k, _ in sensitive if k[4] == level):,}"
        for level in TRAINING if level < 1000)
    print(f"calibration-sensitive profiles with a training budget under $1,000 that fit: "
          f"{fit:,} of {len(sensitive):,} ({fit / len(sensitive):.1%}; {by_level})")
    print("training advice by training budget (distinct kinds; the most common):")
    for level in TRAINING:
        advice = Counter(r["advice"] for k, r in results.items() if k[4] == level)
        top = "; ".join(f"{a} {c:,}" for a, c in advice.most_common(4))
        print(f"  ${level:,}: {len(advice)} distinct: {top}")
    hard = 0
    for label in sorted(drops):
        print(f"monotonicity, {label}: {drops[label]:,}")
        hard += 0 if "(within tolerance)" in label else drops[label]
    print(f"monotonicity drops (beyond tolerance, or cost without quality): {hard}")
    contradictions = mismatches + dominated + hard
    if args.levers:
        start = time.perf_counter()
        sample = rows[::max(args.every, 1)]
        report = levers(sample, rules)
        print(f"new levers, on {len(sample):,} profiles ({time.perf_counter() - start:.0f} s):")
        print("\n".join(report))
    if args.sections:
        start = time.perf_counter()
        sample = rows[::max(args.every, 1)]
        found = Counter(problem for p in sample for problem in sections(p, rules))
        print(f"sections of {len(sample):,} profiles checked in "
              f"{time.perf_counter() - start:.0f} s: "
              + (", ".join(f"{k} {v}" for k, v in found.items()) or "no disagreements"))
        contradictions += sum(found.values())
    return 1 if contradictions else 0


if __name__ == "__main__":
    sys.exit(main())
