"""The quality model: the probability that one answer is correct, for any configuration.

Quality has one meaning everywhere: the probability that one answer to a query of the user's task
is correct (or acceptable, for open-ended work). A tier's ``quality`` in the rules is that
probability for one answer at its normal setting; every other figure follows from it here.

- **Reasoning tokens** h (a reasoning tier's hidden thinking, a non-reasoning tier's chain of
  thought) add ``thinking_gain × thinking_skill × h / (h + thinking_half_tokens)`` to the log-odds
  of a correct answer: steep at first, saturating (OpenAI's o1 post: 12% → 74% on AIME 2024 from
  GPT-4o to o1; s1: 50% → 57% from forcing twice the thinking). The shift is measured from the
  reasoning the tier's quality already includes, so nothing is counted twice.
- **Problems differ.** A problem's single-attempt success rate p follows Beta(μκ, (1 − μ)κ), μ
  the per-answer quality and κ the family's ``dispersion``. Failure after k independent attempts
  is (1 − p)^k on each problem; averaged over the Beta this gives the power laws of repeated
  sampling and explains why the hardest problems favour a better-trained model (Schaeffer et al.
  2025, arXiv 2502.17578; Brown et al. 2024, arXiv 2407.21787).
- **Best-of-N with a check** that accepts a correct answer with probability ``recall`` and a wrong
  one with ``false_accept``: an accepted sample is returned if there is one, else any sample.
- **Majority vote**: per problem, the right answer must outpoll the most common wrong one, which
  takes ``top_wrong_share`` of the wrong answers; ties are split. It plateaus where a problem's
  right answer is a minority (Wang et al. 2022; Brown et al. 2024).
- **Tree search** with step-level checks: a problem's p is ``depth`` steps of p^(1/depth); each
  level keeps one of ``breadth`` continuations the check accepts (Snell et al. 2024, arXiv
  2408.03314, compare it with best-of-N at equal tokens; the replication table checks the ratio).
- **Refinement** shifts the log-odds by ``refine_gain`` × (1 − decay^rounds): positive with a
  signal to refine against, at best zero on reasoning without one (Huang et al. 2024; Madaan et al.
  2023).
- **A fine-tune** shifts the log-odds by the tier's ``gain_logit`` for the task family.

Expectations over the Beta use a fixed grid of success rates (dense near 0 and 1) weighted by the
Beta's probability mass in each cell; a gain is the grid expectation of a strategy minus the grid
expectation of one attempt, added to μ, so k = 1 reproduces μ exactly.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

# Success rates p at which per-problem curves are evaluated: even in log-odds, so both tails of
# a Beta with a tiny α or β are resolved.
_LOGITS = np.linspace(-16.0, 16.0, 513)
P_GRID = special.expit(_LOGITS)
_EDGES = np.concatenate([[0.0], special.expit((_LOGITS[:-1] + _LOGITS[1:]) / 2), [1.0]])
# Majority votes over more samples than this use a normal approximation of the vote margin.
EXACT_VOTE_LIMIT = 64


def logit(p: np.ndarray | float) -> np.ndarray:
    return special.logit(np.clip(p, 1e-12, 1 - 1e-12))


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    return special.expit(x)


def reasoning_shift(tokens: np.ndarray | float, anchor_tokens: np.ndarray | float, *,
                    gain: float, skill: np.ndarray | float, half: float) -> np.ndarray:
    """Log-odds added by ``tokens`` of reasoning instead of ``anchor_tokens``.

    ``gain × skill × (h / (h + half))`` at h tokens, measured from ``anchor_tokens``.
    """
    def saturation(t):
        t = np.asarray(t, dtype=float)
        return t / (t + half)
    return gain * np.asarray(skill) * (saturation(tokens) - saturation(anchor_tokens))


def problem_weights(mean: np.ndarray, dispersion: float) -> np.ndarray:
    """Probability mass of each grid cell under Beta(mean·κ, (1 − mean)·κ), one row per mean."""
    mean = np.clip(np.asarray(mean, dtype=float), 1e-9, 1 - 1e-9)[:, None]
    cdf = special.betainc(mean * dispersion, (1 - mean) * dispersion, _EDGES[None, :])
    weights = np.diff(cdf, axis=1)
    return weights / weights.sum(axis=1, keepdims=True)


def expected_gain(mean: np.ndarray, dispersion: float, curve: np.ndarray) -> np.ndarray:
    """μ + E[curve(p)] − E[p] over the per-problem Beta of each mean (``curve`` on ``P_GRID``).

    ``curve`` may be one row for every mean or one row per mean.
    """
    weights = problem_weights(mean, dispersion)
    curve = np.broadcast_to(curve, weights.shape)
    return np.asarray(mean) + (weights * curve).sum(axis=1) - weights @ P_GRID


def verified_at(p: np.ndarray, samples: np.ndarray | float, recall: float,
                false_accept: float) -> np.ndarray:
    """Chance that best-of-``samples`` through an imperfect check returns a correct answer, on a
    problem each attempt solves with probability ``p``.

    An accepted sample is returned if there is one (a random one of those accepted), else any
    sample. It never exceeds coverage, ``1 − (1 − p)^n``: a correct answer has to be among the
    samples to be picked, and a check that passes wrong answers picks them too — which is why
    selection plateaus below coverage (Brown et al. 2024).
    """
    n = np.asarray(samples, dtype=float)
    accepted = p * recall + (1 - p) * false_accept
    none_accepted = np.power(1 - accepted, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        picked = np.where(accepted > 0, p * recall / np.where(accepted > 0, accepted, 1.0),
                          0.0) * (1 - none_accepted)
    fallback = np.power(1 - accepted, n - 1) * p * (1 - recall)
    return picked + fallback


def verified_curve(samples: np.ndarray | float, recall: float, false_accept: float
                   ) -> np.ndarray:
    """Per-problem accuracy of best-of-N with an imperfect check, on ``P_GRID``.

    ``samples`` may be an array (one row per value) and need not be a whole number.
    """
    n = np.asarray(samples, dtype=float).reshape(-1, 1)
    return verified_at(P_GRID[None, :], n, recall, false_accept)


def tree_curve(breadth: float, depth: float, recall: float, false_accept: float) -> np.ndarray:
    """Per-problem accuracy of step-level search, on ``P_GRID``.

    A problem solved with probability p in one attempt is ``depth`` steps each right with
    probability p^(1/depth). At each level the tree writes ``breadth`` continuations of the
    kept prefix and keeps one the check accepts (:func:`verified_at` at the step), so a path
    survives all levels with ``verified_at(p^(1/d), b)^d``. Why this is better than best-of-N
    for the same tokens: a wrong step is caught while it is one step long, instead of a whole
    wrong answer being drawn again — Snell et al. 2024's "more than 4×" comes out of this, not
    from a parameter (the replication table). Assumed: steps equally hard, checked
    independently; correlated errors make real trees weaker.
    """
    step = np.power(P_GRID, 1.0 / float(depth))
    return np.power(verified_at(step, breadth, recall, false_accept), float(depth))


@lru_cache(maxsize=256)
def _vote_curve(samples: int, top_wrong_share: float) -> np.ndarray:
    p = P_GRID
    wrong = top_wrong_share * (1 - p)
    other = 1 - p - wrong
    if samples > EXACT_VOTE_LIMIT:
        # Margin (right − top wrong) is a sum of k independent +1/−1/0 draws.
        mean = samples * (p - wrong)
        sd = np.sqrt(samples * (p + wrong - (p - wrong) ** 2))
        return special.ndtr(mean / np.maximum(sd, 1e-12))
    margin = np.zeros((len(p), 2 * samples + 1))
    margin[:, samples] = 1.0
    for _ in range(samples):
        step = margin * other[:, None]
        step[:, 1:] += margin[:, :-1] * p[:, None]
        step[:, :-1] += margin[:, 1:] * wrong[:, None]
        margin = step
    # A tie with at least one right answer is split; all-other-answers loses.
    return margin[:, samples + 1:].sum(axis=1) + 0.5 * (margin[:, samples] - other ** samples)


def vote_curve(samples: int, top_wrong_share: float) -> np.ndarray:
    """Per-problem accuracy of a majority vote over ``samples`` answers, on ``P_GRID``."""
    return _vote_curve(int(samples), round(float(top_wrong_share), 9))


def cascade(first: np.ndarray, second: np.ndarray, dispersion: float, recall: float,
            false_accept: float) -> tuple[np.ndarray, np.ndarray]:
    """(quality, share escalated) of a cascade: a first stage of per-answer quality ``first``
    answers, a check accepts or rejects it, and a second stage of quality ``second`` answers
    the rejected ones (arrays, one entry per candidate).

    Problems are ranked alike for both stages: a problem at the first stage's q-th quantile of
    per-problem success is at the second's q-th too, so the escalated problems are the hard
    ones for both — which is why escalating 20% buys less than 20% of the stronger model's
    edge (FrugalGPT, Chen et al. 2023; RouteLLM, Ong et al. 2024 route the same way). Per
    problem p (first) and p₂ (second): kept and right ``p·recall``; escalated
    ``1 − p·recall − (1 − p)·false_accept``, then right with p₂. The expectation runs over
    equal-probability quantiles, so two near-all-or-nothing stages (facts a model knows or
    not) couple as they should.
    """
    p = _quantile_rows(first, dispersion)
    p2 = _quantile_rows(second, dispersion)
    escalated = 1 - p * recall - (1 - p) * false_accept
    right = p * recall + escalated * p2
    return np.clip(right.mean(axis=1), 0.0, 1.0), escalated.mean(axis=1)


# Equal-probability quantiles at which a cascade's two stages are coupled.
_QUANTILES = (np.arange(1024) + 0.5) / 1024
_CDF_GRID = special.expit(np.linspace(-23.0, 23.0, 1024))


def _quantile_rows(means: np.ndarray, dispersion: float) -> np.ndarray:
    """Per-problem success at each of ``_QUANTILES`` for each mean (one row per mean).
    The inverse beta is the costly part of a candidate table, and a table's cascades share
    few distinct stage qualities, so each distinct (mean, dispersion) is computed once."""
    means = np.round(np.clip(np.asarray(means, dtype=float), 1e-9, 1 - 1e-9), 9)
    distinct, where = np.unique(means, return_inverse=True)
    rows = np.stack([_quantile_row(float(m), round(float(dispersion), 9)) for m in distinct])
    return rows[where.reshape(-1)]


@lru_cache(maxsize=4096)
def _quantile_row(mean: float, dispersion: float) -> np.ndarray:
    # The forward beta CDF on a fine logit grid, inverted by interpolation: five times
    # cheaper than scipy's inverse and within 1e-3 of it (tests/test_quality_model.py).
    cdf = special.betainc(mean * dispersion, (1 - mean) * dispersion, _CDF_GRID)
    row = np.interp(_QUANTILES, cdf, _CDF_GRID)
    # Quantile midpoints miss the mean by a rounding error: put it back.
    row = np.clip(row + (mean - row.mean()), 0.0, 1.0)
    row.flags.writeable = False
    return row


def refined(mean: np.ndarray | float, rounds: np.ndarray | float, *, gain_logit: float,
            decay: float) -> np.ndarray:
    """Accuracy after ``rounds`` of draft-critique-rewrite."""
    return sigmoid(logit(mean) + gain_logit * (1 - np.power(decay, rounds)))


def retrieval_recall(chunks: np.ndarray | float, *, at_reference: float, reference: float,
                     maximum: float, decay: float) -> np.ndarray:
    """Share of questions whose passage is among ``chunks`` retrieved: the miss rate above what
    no number of chunks finds falls as a power of the chunks read.

    Why this shape: dense retrieval on Natural Questions finds the answer in the top 5, 20 and
    100 passages for 68.6%, 80.6% and 86.7% of questions (DPR, Karpukhin et al. 2020, as
    replicated in Pyserini), which ``0.91 − 0.104 · (k / 20)^−0.55`` reproduces; it keeps
    rising past 100 only slowly (90.9% at 500, against 89.2% here, not fitted).
    """
    k = np.maximum(np.asarray(chunks, dtype=float), 1.0)
    return np.clip(maximum - (maximum - at_reference) * (k / reference) ** -decay, 0.0, 1.0)


def retrieved(closed: np.ndarray, reading: np.ndarray, recall: np.ndarray | float
              ) -> np.ndarray:
    """Quality of an answer from retrieved passages: where the right passage was retrieved
    (``recall``) the tier reads it (``reading``), elsewhere it answers closed-book (``closed``).

    Why a mixture and not a shift: retrieval supplies knowledge for the questions it finds a
    passage for and nothing for the rest, so its quality never exceeds what recall allows
    (Lewis et al. 2020, arXiv 2005.11401: generation over retrieved passages).
    """
    return recall * np.asarray(reading) + (1 - recall) * np.asarray(closed)
