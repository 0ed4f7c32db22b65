"""Bring your own eval results: per-problem attempts become the model's own scaling curve.

An eval file is a CSV with one row per problem and the columns ``problem_id``, ``attempts`` and
``correct`` (how many of the attempts were right), which any eval harness can write. The
per-problem success rates are fitted as a Beta(α, β) distribution by maximum likelihood of the
beta-binomial, ``P(c | n) = C(n, c) · B(c + α, n − c + β) / B(α, β)``. Its mean α / (α + β) is the
single-pass accuracy and α + β the dispersion the quality model uses; coverage after k attempts
is ``1 − B(α, β + k) / B(α, β)`` (Schaeffer et al. 2025). Shown beside the fit, the unbiased
pass@k of each problem, ``1 − C(n − c, k) / C(n, k)`` averaged over problems (Chen et al. 2021,
arXiv 2107.03374).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, special

from advisor.errors import AnswersError, Problem
from advisor.source.inputs import read_bytes

COLUMNS = ("problem_id", "attempts", "correct")
MAX_EVAL_BYTES = 16_000_000  # about 500,000 problems
MAX_ATTEMPTS = 1_000_000
# Where the fit must stay: the answers' own bounds for accuracy and dispersion.
ACCURACY_BOUNDS = (0.001, 0.999)
DISPERSION_BOUNDS = (0.01, 1000.0)


@dataclass(frozen=True)
class EvalFit:
    """The Beta fitted to one eval file, and what it says."""

    problems: int
    attempts: int
    accuracy: float
    dispersion: float | None
    alpha: float | None
    beta: float | None
    pass_at_k: dict[int, float]
    note: str

    def coverage(self, k: np.ndarray | float) -> np.ndarray:
        """Share of problems at least one of k attempts solves, by the fit."""
        if self.alpha is None:
            return 1 - np.power(1 - self.accuracy, np.asarray(k, dtype=float))
        k = np.asarray(k, dtype=float)
        return 1 - np.exp(special.betaln(self.alpha, self.beta + k)
                          - special.betaln(self.alpha, self.beta))


def read_eval(raw: bytes, *, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(attempts, correct) per problem from the bytes of an eval CSV.

    Raises:
        AnswersError: naming the file (and the line, for a bad row): binary or not UTF-8 text,
            missing or unknown columns, a count that is not a whole number, correct > attempts,
            fewer than two problems.
    """
    def fail(message: str, line: int = 0) -> AnswersError:
        return AnswersError([Problem(name, line, message)])

    if b"\x00" in raw:
        raise fail("file is binary, not CSV text")
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False,
                            skipinitialspace=True, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"file is not UTF-8 text (bad byte at offset {exc.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise fail(f"not a CSV file: {' '.join(str(exc).split())}") from None
    columns = [c.strip() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise fail(f"needs the columns {', '.join(COLUMNS)}; missing {', '.join(missing)}"
                   f" (found: {', '.join(columns) or 'none'})", 1)
    frame.columns = columns
    counts = {}
    for column in ("attempts", "correct"):
        values = pd.to_numeric(frame[column].str.strip(), errors="coerce")
        bad = ~(values.notna() & (values == values.round()) & (values >= 0)
                & (values <= MAX_ATTEMPTS))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise fail(f"'{column}' must be a whole number from 0 to {MAX_ATTEMPTS:,}, got "
                       f"{frame[column].iloc[row]!r}", row + 2)
        counts[column] = values.to_numpy(dtype=np.int64)
    attempts, correct = counts["attempts"], counts["correct"]
    over = np.flatnonzero((correct > attempts) | (attempts == 0))
    if len(over):
        row = int(over[0])
        raise fail(f"problem {frame['problem_id'].iloc[row]!r} has {correct[row]} correct of "
                   f"{attempts[row]} attempts; correct must be at most attempts, and attempts at "
                   "least 1", row + 2)
    if len(attempts) < 2:
        raise fail(f"needs at least two problems to fit a curve, got {len(attempts)}")
    return attempts, correct


def load_eval(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """:func:`read_eval` of a file, read through the bounded reader."""
    raw, problems = read_bytes(path, what="eval file", limit=MAX_EVAL_BYTES)
    if raw is None:
        raise AnswersError(problems)
    return read_eval(raw, name=str(path))


def pass_at_k(attempts: np.ndarray, correct: np.ndarray, k: int) -> float:
    """Unbiased pass@k averaged over problems with at least k attempts (Chen et al. 2021)."""
    keep = attempts >= k
    n, c = attempts[keep].astype(float), correct[keep].astype(float)
    # C(n − c, k) / C(n, k) via log-gamma: exact enough and safe for large n.
    log_ratio = (special.gammaln(n - c + 1) - special.gammaln(n - c - k + 1)
                 - special.gammaln(n + 1) + special.gammaln(n - k + 1))
    fails = np.where(n - c >= k, np.exp(np.where(n - c >= k, log_ratio, 0.0)), 0.0)
    return float(np.mean(1 - fails))


def fit_eval(attempts: np.ndarray, correct: np.ndarray) -> EvalFit:
    """The maximum-likelihood Beta of per-problem success rates (see the module docstring).

    With one attempt per problem the spread cannot be told from the data: only the accuracy is
    fitted, and the quality model keeps the family's dispersion.
    """
    n, c = attempts.astype(float), correct.astype(float)
    mean = float(np.clip(c.sum() / n.sum(), *ACCURACY_BOUNDS))
    ks = [k for k in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024) if k <= attempts.max()]
    points = {k: pass_at_k(attempts, correct, k) for k in ks}
    if attempts.max() < 2:
        return EvalFit(len(n), int(n.sum()), mean, None, None, None, points,
                       "one attempt per problem: the accuracy is measured, the spread of "
                       "per-problem success rates is the task family's")

    def nll(x: np.ndarray) -> float:
        a, b = np.exp(x)
        return -float(np.sum(special.betaln(c + a, n - c + b) - special.betaln(a, b)))

    kappa0 = 2.0
    start = np.log([mean * kappa0, (1 - mean) * kappa0])
    bounds = [(np.log(1e-4), np.log(1e4))] * 2
    result = optimize.minimize(nll, start, method="L-BFGS-B", bounds=bounds)
    a, b = np.exp(result.x)
    kappa = float(np.clip(a + b, *DISPERSION_BOUNDS))
    accuracy = float(np.clip(a / (a + b), *ACCURACY_BOUNDS))
    note = "maximum-likelihood fit of the beta-binomial"
    if kappa in DISPERSION_BOUNDS:
        note += f"; the spread hit its bound ({kappa:g}), so it is only roughly known"
    return EvalFit(len(n), int(n.sum()), round(accuracy, 4), round(kappa, 4),
                   float(accuracy * kappa), float((1 - accuracy) * kappa), points, note)
