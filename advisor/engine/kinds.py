"""The registry of strategy kinds: what one query of each kind costs and how it changes quality.

:data:`KINDS` describes every :data:`~advisor.model.rules.StrategyKind` once — its token and
latency formulas (vectorised over candidates) and its quality shape — and both the candidate
table (:mod:`advisor.engine.costs`) and the replication curves (:mod:`advisor.engine.curve`)
read it. Adding a kind means one entry here, its parameters in ``KIND_PARAMETERS`` and a YAML
strategy; training runs have their own registry (:mod:`advisor.engine.training`).

Tokens (P prompt, A answer, V visible reasoning per answer, H hidden thinking per call, J judge
verdict; O = A + V + H written per full answer), ``t(O) = time_to_first_token + O / speed``:

- single pass / chain of thought: one call writing O.
- majority vote / verified sampling (k): k parallel calls; the prompt is read once at the input
  price and k − 1 times cached; latency one call. A judge (external_judge) is a call per
  candidate reading P + A + V and writing J (+ H on a reasoning tier), in parallel.
- tree search (breadth b, depth d): d sequential levels of b calls, each writing a step of
  (A + V) / d plus its own thinking H; partial traces re-read as fresh input b·(A + V)·(d − 1)/2;
  a check (or judge call) per step; latency d · (call + check).
- refinement (R rounds): 1 + 2R sequential calls (draft, then critique + rewrite per round), each
  writing O and re-reading the prompt (cached) and the previous draft.
- cascade: a cheap first stage answers once, the check (or a judge call on the second stage's
  tier) rejects some, and those go to the second stage's single answer: cost c₁ + check +
  e·c₂ for an escalated share e; latency the escalated path, t₁ + check + t₂.
- retrieval (k chunks of C tokens, only where the knowledge lives in the user's documents): one
  call reading P + k·C and writing O; the query (P) is embedded at the embedding price and the
  vector store's running cost per query is added; latency the retrieval round trip r, then the
  call: r + t(O).

The first visible token (what a streamed answer is judged by, :attr:`Priced.first_visible`):
the moment the answer the user keeps starts to appear, a reasoning tier's hidden thinking
included. A single pass or chain of thought streams from its one call: ``t(H)`` (the visible
reasoning streams as it is written; a non-reasoning tier has H = 0, so its first token). A
refinement streams its last rewrite: ``2R · t(O) + t(H)``; a retrieval streams its one call
after the round trip, ``r + t(H)``. Voting, verified sampling and tree search only know which
answer to show when every sample, check or level is done, so nothing is shown before their
whole latency; the chosen answer then appears at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from advisor.engine import quality as q
from advisor.model.rules import Curve as StrategyCurve
from advisor.model.rules import FamilyCurve, Retrieval, Verifier


@dataclass(frozen=True)
class Tokens:
    """The token shape and the serving's speed of a set of candidates (arrays or numbers)."""

    prompt: float
    answer: float
    visible: Any          # V per candidate
    hidden: Any           # H per candidate
    first_token_s: Any
    tokens_per_s: Any
    verifier: Verifier
    retrieval: Retrieval | None = None  # what a retrieval strategy fetches and pays per query

    def seconds(self, output_tokens: Any) -> Any:
        """Latency of one call writing ``output_tokens``."""
        return self.first_token_s + np.asarray(output_tokens) / self.tokens_per_s

    @property
    def written(self) -> Any:
        return self.answer + self.visible + self.hidden

    @property
    def judge_out(self) -> Any:
        judge = self.verifier.judge_output_tokens
        return judge + self.hidden if judge else 0.0 * self.hidden

    @property
    def check_seconds(self) -> Any:
        judge = self.seconds(self.judge_out) if self.verifier.judge_output_tokens else 0.0
        return self.verifier.latency_s + judge


@dataclass(frozen=True)
class Priced:
    """Calls, tokens and latency of one query per candidate.

    ``latency`` is the time to the whole answer; ``first_visible`` the time to its first
    visible token when it streams (never later than ``latency``; see the module docstring);
    ``usd`` what a query pays beyond the model's tokens (a retrieval's embedding and store).
    """

    calls: Any
    input_tokens: Any
    cached_tokens: Any
    output_tokens: Any
    latency: Any
    first_visible: Any
    usd: Any = 0.0


def _one_call(t: Tokens, p: Mapping[str, Any]) -> Priced:
    return Priced(1.0 + 0 * t.hidden, t.prompt + 0 * t.hidden, 0 * t.hidden, t.written,
                  t.seconds(t.written), t.seconds(t.hidden))


def _parallel(t: Tokens, p: Mapping[str, Any], *, checked: bool) -> Priced:
    k = np.asarray(p["samples"], dtype=float)
    calls, inputs, outputs = k, t.prompt + 0 * k, k * t.written
    latency = t.seconds(t.written) + (t.check_seconds if checked else 0.0)
    if checked and t.verifier.judge_output_tokens:
        calls = calls + k
        inputs = inputs + k * (t.prompt + t.answer + t.visible)
        outputs = outputs + k * t.judge_out
    return Priced(calls, inputs, (k - 1) * t.prompt, outputs, latency, latency)


def _tree(t: Tokens, p: Mapping[str, Any]) -> Priced:
    b, d = np.asarray(p["breadth"], dtype=float), np.asarray(p["depth"], dtype=float)
    step = (t.answer + t.visible) / d
    calls = b * d
    inputs = t.prompt + b * (t.answer + t.visible) * (d - 1) / 2
    outputs = calls * (step + t.hidden)
    latency = d * (t.seconds(step + t.hidden) + t.check_seconds)
    total_calls = calls
    if t.verifier.judge_output_tokens:
        total_calls = calls + calls
        inputs = inputs + calls * (t.prompt + step)
        outputs = outputs + calls * t.judge_out
    return Priced(total_calls, inputs, (calls - 1) * t.prompt, outputs, latency, latency)


def _refine(t: Tokens, p: Mapping[str, Any]) -> Priced:
    rounds = np.asarray(p["rounds"], dtype=float)
    calls = 1 + 2 * rounds
    before_last = (calls - 1) * t.seconds(t.written)  # the last rewrite is the answer shown
    return Priced(calls, t.prompt + 2 * rounds * (t.answer + t.visible), 2 * rounds * t.prompt,
                  calls * t.written, calls * t.seconds(t.written),
                  before_last + t.seconds(t.hidden))


def _retrieve(t: Tokens, p: Mapping[str, Any]) -> Priced:
    r = t.retrieval
    assert r is not None, "a retrieval strategy carries its retrieval block"
    k = np.asarray(p["chunks"], dtype=float)
    once = 0 * k * t.hidden  # one per candidate, whatever the shapes of k and H
    return Priced(1.0 + once, t.prompt + k * r.chunk_tokens + once, once, t.written + once,
                  r.latency_s + t.seconds(t.written) + once, r.latency_s + t.seconds(t.hidden),
                  t.prompt * r.embedding_per_1m / 1e6 + r.store_usd_per_query + once)


def _recall(p: Mapping[str, int], retrieval: Retrieval) -> float:
    return float(q.retrieval_recall(
        p["chunks"], at_reference=retrieval.recall_at_reference,
        reference=retrieval.reference_chunks, maximum=retrieval.recall_maximum,
        decay=retrieval.recall_decay))


def _vote_shape(p: Mapping[str, int], family: FamilyCurve, verifier: Verifier,
                curve: StrategyCurve) -> np.ndarray:
    return q.vote_curve(p["samples"], family.top_wrong_share)


def _verified_shape(p: Mapping[str, int], family: FamilyCurve, verifier: Verifier,
                    curve: StrategyCurve) -> np.ndarray:
    attempts = _attempts_of["verified"](p, curve)
    return q.verified_curve(attempts, verifier.recall, verifier.false_accept)[0]


_attempts_of: dict[str, Callable[[Mapping[str, int], StrategyCurve], float]] = {
    "vote": lambda p, curve: float(p["samples"]),
    "verified": lambda p, curve: float(p["samples"]),
}


def _tree_shape(p: Mapping[str, int], family: FamilyCurve, verifier: Verifier,
                curve: StrategyCurve) -> np.ndarray:
    return q.tree_curve(p["breadth"], p["depth"], verifier.recall, verifier.false_accept)


def _refined(mean: np.ndarray, p: Mapping[str, int], family: FamilyCurve, verifiability: str,
             curve: StrategyCurve) -> np.ndarray:
    return q.refined(mean, p["rounds"], gain_logit=getattr(family.refine_gain, verifiability),
                     decay=curve.round_decay)


@dataclass(frozen=True)
class Kind:
    """What every consumer needs to know about one strategy kind."""

    price: Callable[[Tokens, Mapping[str, Any]], Priced]
    # Per-problem success over quality.P_GRID for a strategy that samples and picks.
    shape: Callable[[Mapping[str, int], FamilyCurve, Verifier, StrategyCurve],
                    np.ndarray] | None = None
    # Independent whole attempts an oracle verifier would see (coverage), for one that samples
    # whole answers (a tree's attempts are steps, so it has no coverage of its own).
    attempts: Callable[[Mapping[str, int], StrategyCurve], float] | None = None
    # The quality of each answer after its rounds, for one that revises its own draft.
    refine: Callable[[np.ndarray, Mapping[str, int], FamilyCurve, str, StrategyCurve],
                     np.ndarray] | None = None
    # The share of questions whose passage it retrieves, for one that reads the user's
    # documents: it exists only where the knowledge lives there (advisor.engine.costs).
    recall: Callable[[Mapping[str, int], Retrieval], float] | None = None
    extra_reasoning: bool = False  # buys quality by writing more reasoning per answer
    plain: bool = False            # one answer, nothing spent beyond it: the baseline's kind


KINDS: Mapping[str, Kind] = {
    "single_pass": Kind(_one_call, plain=True),
    "chain_of_thought": Kind(_one_call, extra_reasoning=True),
    "majority_vote": Kind(lambda t, p: _parallel(t, p, checked=False), shape=_vote_shape,
                          attempts=_attempts_of["vote"]),
    "verified_sampling": Kind(lambda t, p: _parallel(t, p, checked=True),
                              shape=_verified_shape, attempts=_attempts_of["verified"]),
    "tree_search": Kind(_tree, shape=_tree_shape),
    "refinement": Kind(_refine, refine=_refined),
    # Priced here as its second stage's single answer; advisor.engine.costs adds the first
    # stage, the check and the escalated share once qualities are known.
    "cascade": Kind(_one_call),
    # Rated in advisor.engine.costs from its recall: the passages read, else closed-book.
    "retrieval": Kind(_retrieve, recall=_recall),
}
"""The registry: one entry per strategy kind."""


def price(kind: str, tokens: Tokens, parameters: Mapping[str, Any]) -> Priced:
    """Calls, tokens and latency of ``kind`` with ``parameters`` (arrays over candidates, or
    numbers for one)."""
    return KINDS[kind].price(tokens, parameters)
