"""The trade-off itself: iso-quality curves of training against inference compute.

For the user's task and a few quality targets (the recommended quality and levels around it,
``economics.frontier_offsets``), each **training level** — a model tier, or its fine-tune — gets
the least inference spend per query that reaches the target, read off the engine's candidate
table (no figure is recomputed here):

- **Which options count.** Those the fired rules allow (exclusions, a calibration requirement)
  within the latency budget. The per-query and training budgets are not required, so the curve
  shows what more spend on either side would buy; points over them are marked.
- **FLOPs.** Training ≈ 6·N·D of the tier's pretraining, plus 6·N·D of a fine-tune's run;
  inference ≈ 2·N × the tokens read and written per query (``economics:`` factors, N and D from
  each tier's ``size``). At each level the option with the fewest tokens wins.
- **Dollars.** The user pays for training once (a fine-tune's run) and through a better tier's
  price premium per query (a plain answer on the tier minus the same answer on the cheapest
  tier; a cascade's, its first stage's plus the escalated share of its second's). Over the
  horizon's Q queries, training $ = run + premium × Q and inference $ per query =
  cost per query − premium, so training $ + inference $ × Q is the option's total cost, the
  quantity the recommendation minimises (one-time cost spread over the same Q). At each level the
  cheapest option per query wins.
- **The frontier** keeps the levels no other level beats with no more training and no more
  inference, so along it more training always needs less inference. The **exchange rate**
  between neighbouring points is the log-log slope: 10× more training saves
  ``10 ** slope``× inference per query.
- **Where to stand.** The cheapest point of a curve is its least total cost over the horizon —
  the same as a search over every allowed candidate that reaches the target. The recommendation
  lies on its own curve (the recommended quality's); where another level beats it, the result
  names the budget that rules that level out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from advisor.engine.costs import CandidateTable, Serving
from advisor.engine.decide import (CandidateView, Decision, amortising_volume, decide,
                                   training_route, validated_answers)
from advisor.model.answers import Answers
from advisor.model.frontier import (ExchangeRate, Frontier, FrontierCurve, FrontierPoint,
                                    PublishedExchange, RateCheck, RecommendedOnFrontier,
                                    SeriesRate, Unit)
from advisor.model.rules import Economics, RuleSet

_EPS = 1e-9
# Under half an order of magnitude more training (a fine-tune on a pretrained tier, two tiers of
# one class), a slope extrapolated to 10× says nothing useful: the saving is told as a ratio.
MIN_TRAINING_OOM = 0.5


def frontier(rules: RuleSet, answers: Answers | Mapping[str, Any], *,
             targets: Iterable[float] | None = None,
             decision: Decision | None = None) -> Frontier | None:
    """Iso-quality curves of training against inference compute for ``answers``.

    Args:
        rules: a rule set; without an ``economics:`` section there is no frontier.
        answers: an :class:`Answers` or a mapping that validates into one.
        targets: quality targets to draw instead of the recommended quality and the rules'
            offsets around it.
        decision: the engine's decision for ``answers`` if already computed.

    Returns:
        The :class:`Frontier`, or None when the rules have no ``economics:`` section.

    Raises:
        AnswersError: ``answers`` is a mapping with bad or unknown fields.
    """
    economics = rules.economics
    if economics is None:
        return None
    answers = validated_answers(answers, rules)
    decision = decision or decide(rules, answers.model_dump())
    view = CandidateView(decision, rules)
    table, settings = view.table, rules.settings
    volume = float(amortising_volume(answers.queries_per_day, settings.horizon_days))
    levels = _levels(table, economics)
    pool = view.rules_allow & view.fits_latency
    recommended_quality = float(table.quality[decision.chosen])
    wanted = _targets(recommended_quality, pool, table, economics, targets)
    points: dict[int, FrontierPoint] = {}  # the curves share most candidates
    curves = [_curve(target, round(target - recommended_quality, 4), pool, view, levels,
                     volume, points) for target in wanted]
    strategy_names = {s.id: s.name for s in rules.strategies}
    recommended_curve = next((c for c in curves if c.offset == 0), None)
    return Frontier(
        recommended_quality=recommended_quality, targets=wanted, curves=curves,
        recommended=_recommended(decision, view, curves, wanted, recommended_quality),
        queries_per_day=answers.queries_per_day, horizon_days=settings.horizon_days,
        horizon_queries=volume, cheapest_tier=levels.cheapest,
        latency_budget_s=answers.latency_budget_s,
        excluded_strategies=[strategy_names[table.strategies[i].id]
                             for i in np.flatnonzero(decision.excluded)
                             if not decision.choice.all_excluded],
        requires_calibration=decision.requires_calibration,
        budget_per_query_usd=answers.budget_per_query_usd,
        training_budget_usd=answers.training_budget_usd,
        published_rates=[PublishedExchange(source=r.source.strip(), setting=r.setting.strip(),
                                           training_oom=r.training_oom,
                                           inference_oom=r.inference_oom,
                                           per_10x_training=round(r.per_10x_training, 2),
                                           checked=r.checked)
                         for r in economics.published_rates],
        rate_checks=_rate_checks(recommended_curve, economics, table.workload),
        sources=[economics.flops_source.strip()])


def _rate_checks(curve: FrontierCurve | None, economics: Economics, workload) -> list[RateCheck]:
    """The recommended curve's rate beside each published rate for its kind of work.

    The curve's own rate is its least-squares slope in FLOPs where its frontier spans an order
    of magnitude of training, else the rate along a series of sizes (one model scaled, as the
    published rates measure); without either there is no rate, and the reason says why.
    """
    ours, source = None, ""
    if curve is not None and curve.flops_rate is not None:
        ours, source = curve.flops_rate, "along its frontier"
    elif curve is not None and curve.series_rates:
        series = curve.series_rates[0]
        names = {p.level: p.level_name for p in curve.flops_points}
        ours = series.per_10x_training
        source = (f"along one series of sizes, {names[series.from_level]} to "
                  f"{names[series.to_level]}"
                  + (" (sizes estimated)" if series.estimated else ""))
    checks = []
    for rate in economics.published_rates:
        if workload.family not in rate.families or (
                rate.verifiabilities and workload.verifiability not in rate.verifiabilities):
            continue
        published = round(rate.per_10x_training, 2)
        factor = float(f"{ours / published:.3g}") if ours else None
        within = None if factor is None else 1 / 3 <= factor <= 3
        checks.append(RateCheck(
            source=rate.source.strip(), setting=rate.setting.strip(),
            published_per_10x=published, model_per_10x=ours, factor=factor, within_3x=within,
            reason=_rate_reason(curve, factor, source), checked=rate.checked))
    return checks


def _rate_reason(curve: FrontierCurve | None, factor: float | None, source: str) -> str:
    if curve is None:
        return "no option reaches the recommended quality, so there is no curve to read"
    if factor is None:
        on = [p for p in curve.flops_points if p.on_frontier]
        if curve.flops_rates and curve.flops_rates[0].training_ratio < 1.05:
            step = curve.flops_rates[0]
            return (f"its one step adds {(step.training_ratio - 1) * 100:.2g}% to training "
                    f"compute and saves {step.inference_ratio:.2g}× inference: a run on your "
                    "task reuses the tier's pretraining, a trade far steeper than any scaling "
                    "rate, so no per-10× figure is given")
        if len(on) < 2:
            return ("one level reaches this quality with the least of both, and no series of "
                    "sizes spans half an order of magnitude at it: more training comes with "
                    "bigger models that also cost more inference per token")
        return ("its frontier joins tiers of different makers and designs, under an order of "
                "magnitude of training apart, and no series of sizes reaches the target twice")
    if factor < 1 / 3:
        return (f"{source}, more training saves less inference than published: the larger "
                "model also costs more inference per token, and sampling already brings the "
                "smaller one close")
    if factor > 3:
        return (f"{source}, more training saves more inference than published: the larger "
                "model reaches the target in one answer where the smaller needs many samples "
                "or long thinking")
    return f"{source}, within a factor of three of the published rate"


class _Levels:
    """Per serving (the table's order): training FLOPs, N, and the price premium per query."""

    def __init__(self, table: CandidateTable, economics: Economics):
        workload = table.workload
        self.servings: list[Serving] = table.servings
        # A tier's premium is its base price against the cheapest tier's, for the same plain
        # answer (a fast student's shorter one included): a run's own serving surcharge is
        # inference spend, never negative.
        def plain(tier, written: float) -> float:
            return (workload.prompt_tokens * tier.input_per_1m
                    + written * tier.output_per_1m) / 1e6

        tiers = {s.tier.id: s.tier for s in self.servings}
        written = [workload.answer_tokens + (workload.reasoning_tokens if s.visible_tokens is None
                                             else s.visible_tokens) for s in self.servings]
        floor = {w: min(plain(t, w) for t in tiers.values()) for w in set(written)}
        self.premium = np.round([plain(s.tier, w) - floor[w]
                                 for s, w in zip(self.servings, written)], 9)
        ordinary = workload.answer_tokens + workload.reasoning_tokens
        self.cheapest = min(tiers.values(), key=lambda t: plain(t, ordinary)).id
        self.flops: list[tuple[float, float, float] | None] = []
        self.parameters: list[float | None] = []
        self.estimated: list[bool] = []
        for serving in self.servings:
            size = serving.tier.size
            self.estimated.append(bool(size is None or size.estimate))
            if size is None:
                self.flops.append(None)
                self.parameters.append(None)
                continue
            bounds = {path[0]: (low, high) for path, low, _, high in size.range_items()}
            run = serving.run.tokens if serving.run is not None else 0.0
            per = economics.training_flops_per_parameter_token

            def training(n: float, d: float) -> float:
                return per * n * (d + run)

            n_low, n_high = bounds.get("parameters", (size.parameters,) * 2)
            d_low, d_high = bounds.get("training_tokens", (size.training_tokens,) * 2)
            self.flops.append((training(size.parameters, size.training_tokens),
                               training(n_low, d_low), training(n_high, d_high)))
            self.parameters.append(size.parameters)
        self.inference_per_token = economics.inference_flops_per_parameter_token


def _levels(table: CandidateTable, economics: Economics) -> _Levels:
    """The levels of a table (cached on it: they depend on the workload and the rules only)."""
    return table.memo(("frontier-levels",), lambda: _Levels(table, economics))


def _targets(recommended: float, pool: np.ndarray, table: CandidateTable,
             economics: Economics, targets: Iterable[float] | None) -> list[float]:
    """The quality targets some allowed option reaches, ascending."""
    best = float(table.quality[pool].max()) if pool.any() else 0.0
    if targets is None:
        targets = [recommended + offset for offset in [0.0, *economics.frontier_offsets]]
    kept = {round(float(t), 4) for t in targets}
    return sorted(t for t in kept if 0 < t <= 1 and t <= best + _EPS)


def _first_per_level(index: np.ndarray, table: CandidateTable, keys: tuple) -> dict[int, int]:
    """{serving: the first candidate of ``index`` per serving in the order of ``keys``}."""
    if not len(index):
        return {}
    order = np.lexsort((*(k[index] for k in keys), table.serving_index[index]))
    ordered = index[order]
    servings, first = np.unique(table.serving_index[ordered], return_index=True)
    return dict(zip(servings.tolist(), ordered[first].tolist()))


def _curve(target: float, offset: float, pool: np.ndarray, view: CandidateView,
           levels: _Levels, volume: float, points: dict[int, FrontierPoint]) -> FrontierCurve:
    table = view.table

    def point(index: int) -> FrontierPoint:
        if index not in points:
            points[index] = _point(index, view, levels, volume)
        return points[index]

    reach = np.flatnonzero(pool & (table.quality >= target - _EPS))
    # np.lexsort sorts by the last key first: (rank, cost) orders by cost, then rank.
    cheapest = _first_per_level(reach, table, (table.rank, table.cost))
    fewest = _first_per_level(reach, table, (table.rank, table.cost, table.tokens))
    # Exact ties keep the engine's order (its rank), so the tie it picks is the one shown.
    usd = [p for _, p in sorted(
        ((table.rank[i], point(i)) for i in cheapest.values()),
        key=lambda rp: (rp[1].training_usd, rp[1].inference_usd_per_query, rp[0]))]
    flops = [p for _, p in sorted(
        ((table.rank[i], point(i)) for s, i in fewest.items()
         if levels.flops[s] is not None),
        key=lambda rp: (rp[1].training_flops, rp[1].inference_flops_per_query, rp[0]))]
    usd, flops = _mark_frontier(usd, "usd"), _mark_frontier(flops, "flops")
    series = _series_rates(flops, levels)
    return FrontierCurve(
        target_quality=target, offset=offset, flops_points=flops, usd_points=usd,
        flops_rates=_rates(flops, "flops"), usd_rates=_rates(usd, "usd"),
        flops_rate=_overall_rate(flops, "flops"), usd_rate=_overall_rate(usd, "usd"),
        series_rates=series,
        cheapest=_argmin([p.total_usd for p in usd]),
        least_compute=_argmin([p.total_flops for p in flops]))


def _point(index: int, view: CandidateView, levels: _Levels, volume: float) -> FrontierPoint:
    table = view.table
    s = int(table.serving_index[index])
    serving = levels.servings[s]
    cost, one_time = float(table.cost[index]), float(table.training_cost[index])
    tokens = float(table.tokens[index])
    premium = _premium(index, table, levels)
    flops, n = levels.flops[s], levels.parameters[s]
    inference_flops = levels.inference_per_token * n * tokens if n is not None else None
    return FrontierPoint(
        level=serving.model_id, level_name=serving.model_name, **table.configuration(index),
        expected_quality=float(table.quality[index]), tokens_per_query=tokens,
        cost_per_query_usd=cost, latency_s=float(table.answer_latency[index]),
        first_token_s=float(table.first_token_latency[index]),
        one_time_cost_usd=one_time,
        training_flops=flops[0] if flops else None,
        training_flops_low=flops[1] if flops else None,
        training_flops_high=flops[2] if flops else None,
        inference_flops_per_query=inference_flops, size_estimated=levels.estimated[s],
        training_usd=round(one_time + premium * volume, 6),
        inference_usd_per_query=round(cost - premium, 9),
        total_usd=round(one_time + cost * volume, 6),
        total_flops=(flops[0] + inference_flops * volume) if flops else None,
        on_frontier=False, fits_budget=bool(view.fits_budget[index]),
        fits_training_budget=bool(view.trainable[index]),
        training_route=training_route(table, index, view.decision.baseline))


def _premium(index: int, table: CandidateTable, levels: _Levels) -> float:
    """The training someone else spent that one query of ``index`` pays for: its tier's price
    premium; a cascade's, its first stage's plus the escalated share of its second's."""
    s = int(table.serving_index[index])
    first = table.first_stages[index]
    if first is None:
        return float(levels.premium[s])
    at = next(i for i, serving in enumerate(table.servings) if serving.model_id == first.model_id)
    return float(levels.premium[at] + table.escalation[index] * levels.premium[s])


def _series_rates(points: list[FrontierPoint], levels: _Levels) -> list[SeriesRate]:
    """The exchange rate along each series of sizes: its smallest and largest tier (as they
    come) that reach the target, from their fewest-FLOPs options."""
    tier_of = {s.model_id: s for s in levels.servings}
    by_series: dict[str, list[FrontierPoint]] = {}
    for p in points:
        serving = tier_of[p.level]
        if serving.run is None and serving.tier.series and p.training_flops:
            by_series.setdefault(serving.tier.series, []).append(p)
    found = []
    for series, members in by_series.items():
        members.sort(key=lambda p: p.training_flops)
        small, large = members[0], members[-1]
        training = large.training_flops / small.training_flops
        if training < 10 ** MIN_TRAINING_OOM or not large.inference_flops_per_query:
            continue
        inference = small.inference_flops_per_query / large.inference_flops_per_query
        found.append(SeriesRate(
            series=series, from_level=small.level, to_level=large.level,
            training_ratio=float(f"{training:.4g}"), inference_ratio=float(f"{inference:.4g}"),
            per_10x_training=round(float(10 ** (np.log10(inference) / np.log10(training))), 2),
            estimated=small.size_estimated or large.size_estimated))
    return sorted(found, key=lambda r: (r.estimated, r.series))


def _xy(point: FrontierPoint, unit: Unit) -> tuple[float, float]:
    if unit == "flops":
        return point.training_flops, point.inference_flops_per_query
    return point.training_usd, point.inference_usd_per_query


def dominates(a: FrontierPoint, b: FrontierPoint, unit: Unit) -> bool:
    """``a`` needs no more training and no more inference than ``b``, and less of one."""
    (xa, ya), (xb, yb) = _xy(a, unit), _xy(b, unit)
    no_more = xa <= xb * (1 + _EPS) + 1e-12 and ya <= yb * (1 + _EPS) + 1e-15
    less = xa < xb * (1 - _EPS) or ya < yb * (1 - _EPS)
    return no_more and less


def _mark_frontier(points: list[FrontierPoint], unit: Unit) -> list[FrontierPoint]:
    marked, kept = [], []
    for point in points:
        beaten = any(dominates(other, point, unit) for other in points) or any(
            _xy(other, unit) == _xy(point, unit) for other in kept)  # an exact tie: the first
        if not beaten:
            kept.append(point)
        marked.append(point.model_copy(update={"on_frontier": not beaten}))
    return marked


def _rates(points: list[FrontierPoint], unit: Unit) -> list[ExchangeRate]:
    on = [p for p in points if p.on_frontier]
    rates = []
    for a, b in zip(on, on[1:]):
        (xa, ya), (xb, yb) = _xy(a, unit), _xy(b, unit)
        if xa <= 0 or yb <= 0:
            continue
        training, inference = xb / xa, ya / yb
        oom = np.log10(training)
        rates.append(ExchangeRate(
            from_level=a.level, to_level=b.level, training_ratio=float(training),
            inference_ratio=float(inference),
            per_10x_training=(float(10 ** (np.log10(inference) / oom))
                              if oom >= MIN_TRAINING_OOM else None)))
    return rates


def _overall_rate(points: list[FrontierPoint], unit: Unit) -> float | None:
    """Times less inference per 10× training: the least-squares log-log slope of the frontier
    (over points with some training, in dollars)."""
    on = [_xy(p, unit) for p in points if p.on_frontier]
    on = [(x, y) for x, y in on if x and x > 0 and y and y > 0]
    if len(on) < 2:
        return None
    x = np.log10([x for x, _ in on])
    y = np.log10([y for _, y in on])
    if x.max() - x.min() < 1:
        return None
    slope = float(np.polyfit(x, y, 1)[0])
    return round(10 ** -slope, 2)


def _argmin(values: list[float | None]) -> int | None:
    known = [(v, i) for i, v in enumerate(values) if v is not None]
    return min(known)[1] if known else None


def _recommended(decision: Decision, view: CandidateView, curves: list[FrontierCurve],
                 targets: list[float], quality: float) -> RecommendedOnFrontier:
    table = view.table
    level = table.serving(decision.chosen).model_id
    target = round(quality, 4)
    if target not in targets or not decision.choice.feasible:
        return RecommendedOnFrontier(curve=targets.index(target) if target in targets else None,
                                     level=level, usd_point=None, on_curve=False,
                                     on_frontier=False, reason="infeasible")
    number = targets.index(target)
    points = curves[number].usd_points
    at = next(i for i, p in enumerate(points) if p.level == level)
    point = points[at]
    on_curve = abs(point.cost_per_query_usd - float(table.cost[decision.chosen])) <= _EPS
    beaten_by = [p for p in points if dominates(p, point, "usd")]
    reason = dominated_by = None
    if beaten_by:
        first = min(beaten_by, key=lambda p: p.total_usd)
        dominated_by = first.level
        reason = ("training_budget" if not first.fits_training_budget else
                  "per_query_budget" if not first.fits_budget else "constraint")
    elif not on_curve:
        reason = "constraint"
    return RecommendedOnFrontier(curve=number, level=level, usd_point=at, on_curve=on_curve,
                                 on_frontier=on_curve and point.on_frontier, reason=reason,
                                 dominated_by=dominated_by)
