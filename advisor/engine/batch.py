"""A portfolio of workloads: read from a CSV file, recommended in one batch, written as a table.

One row per workload, one column per answer field (``task_type``, ``latency_budget_s``, …);
optional fields may be left out or left empty. The result is the input's answers followed by
:data:`advisor.engine.decide.OUTPUT_COLUMNS`, row for row, each what :func:`advisor.recommend`
gives.

Why pandas for the file: it is already a dependency (the design card), and it reads quoting,
encodings and empty cells the way spreadsheets write them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from advisor.engine.decide import recommend_many
from advisor.errors import AnswersError, Problem
from advisor.model.answers import ANSWER_FIELDS
from advisor.model.rules import RuleSet
from advisor.source.inputs import read_bytes

MAX_PORTFOLIO_BYTES = 64_000_000  # about 800,000 rows of typical answers
PORTFOLIO_COLUMNS = ANSWER_FIELDS


def read_portfolio(path: str | Path) -> pd.DataFrame:
    """The workloads of a CSV file, one answers row per line after the header.

    Raises:
        AnswersError: the file is missing, too large, binary, not CSV, or has unknown columns.
    """
    name = str(path)
    raw, problems = read_bytes(path, what="portfolio file", limit=MAX_PORTFOLIO_BYTES)
    if raw is None:
        raise AnswersError(problems)
    if not raw.strip():
        raise AnswersError([Problem(name, 0, "the file is empty; its first line must name the "
                                             f"columns, such as {','.join(ANSWER_FIELDS[:3])}")])
    if b"\x00" in raw:
        raise AnswersError([Problem(name, 0, "file is binary, not CSV text")])
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False,
                            skipinitialspace=True, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AnswersError([Problem(name, 0, f"file is not UTF-8 text (bad byte at offset "
                                             f"{exc.start})")]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise AnswersError([Problem(name, 0, f"not a CSV file: {' '.join(str(exc).split())}")]
                           ) from None
    unknown = [c for c in frame.columns if c not in PORTFOLIO_COLUMNS]
    if unknown:
        raise AnswersError([Problem(name, 1, f"unknown column '{c}'; columns: "
                                             f"{', '.join(PORTFOLIO_COLUMNS)}") for c in unknown])
    return frame.replace({"": None})


def recommend_portfolio(path: str | Path, rules: RuleSet) -> pd.DataFrame:
    """Read a portfolio CSV and recommend for every row.

    Raises:
        AnswersError: the file cannot be read, or rows have bad answers (``path:line``, the
            header being line 1).
    """
    return recommend_many(read_portfolio(path), rules, path=str(path), first_line=2)


def portfolio_csv(frame: pd.DataFrame) -> str:
    """The result table as CSV; parameters as ``name=value`` pairs."""
    shown = frame.copy()
    shown["parameters"] = [" ".join(f"{k}={v}" for k, v in p.items()) for p in shown["parameters"]]
    return shown.to_csv(index=False)


def portfolio_json(frame: pd.DataFrame) -> str:
    """The result table as a JSON list of rows (null for empty cells)."""
    rows = json.loads(frame.to_json(orient="records"))
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
