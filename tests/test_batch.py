"""A portfolio of workloads: recommend_many, the CSV reader and ``recommend --batch``.

Each row of a batch must be exactly what ``recommend`` gives for the same answers, and a bad
row must be named by the CSV line a spreadsheet shows, never a traceback.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from advisor import AnswersError, load_answers, recommend
from advisor.engine.batch import read_portfolio, recommend_portfolio
from advisor.engine.decide import OUTPUT_COLUMNS, recommend_many
from advisor.cli import main
from helpers import EXAMPLES_DIR

HEADER = "task_type,latency_budget_s,budget_per_query_usd,training_budget_usd,verifiability"


@pytest.fixture(scope="module")
def examples():
    return [load_answers(p) for p in sorted(EXAMPLES_DIR.glob("*.yaml"))]


def _write(tmp_path, text, name="portfolio.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_row_is_what_recommend_gives(rules, examples):
    frame = recommend_many([a.model_dump(mode="json") for a in examples], rules)
    assert list(frame.columns[-len(OUTPUT_COLUMNS):]) == list(OUTPUT_COLUMNS)
    for answers, (_, row) in zip(examples, frame.iterrows()):
        rec = recommend(answers, rules)
        assert row["verdict"] == rec.verdict
        assert row["strategy"] == rec.strategy
        assert row["model"] == rec.model
        assert row["feasible"] == rec.feasible
        assert row["cost_usd"] == pytest.approx(rec.chosen.cost_usd)
        assert row["expected_quality"] == pytest.approx(rec.chosen.expected_quality)


def test_a_dataframe_with_empty_cells_takes_the_defaults(rules):
    frame = pd.DataFrame([{"task_type": "math", "latency_budget_s": 60,
                           "budget_per_query_usd": 0.1, "training_budget_usd": 0,
                           "verifiability": "verifiable_steps", "queries_per_day": float("nan"),
                           "prompt_tokens": None}])
    out = recommend_many(frame, rules)
    assert out.loc[0, "queries_per_day"] == 1000
    assert pd.isna(out.loc[0, "prompt_tokens"])


def test_an_empty_portfolio_gives_an_empty_table_with_every_column(rules):
    out = recommend_many([], rules)
    assert len(out) == 0 and set(OUTPUT_COLUMNS) <= set(out.columns)


def test_every_bad_row_is_named_by_its_csv_line(rules, tmp_path):
    path = _write(tmp_path, f"{HEADER}\nmath,60,0.1,0,verifiable_steps\n"
                            "math,soon,0.1,0,verifiable_steps\n"
                            "poetry,60,0.1,0,verifiable_steps\n")
    with pytest.raises(AnswersError) as caught:
        recommend_portfolio(path, rules)
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:3: ") and "latency_budget_s" in lines[0]
    assert lines[1].startswith(f"{path}:4: ") and "task_type" in lines[1]


@pytest.mark.parametrize("content, message", [
    (b"task_type,colour\nmath,red\n", ":1: unknown column 'colour'"),
    (b"\x00\x01\x02binary", ": file is binary"),
    (b"task_type\n\xff\xfe\n", ": file is not UTF-8 text"),
    (b"", ": the file is empty"),
], ids=["unknown-column", "binary", "not-utf8", "empty"])
def test_unreadable_portfolios_say_what_to_fix(tmp_path, content, message):
    path = tmp_path / "portfolio.csv"
    path.write_bytes(content)
    with pytest.raises(AnswersError) as caught:
        read_portfolio(path)
    assert message in str(caught.value.problems[0])


def test_cli_batch_writes_csv_and_json(tmp_path, capsys):
    path = _write(tmp_path, f"{HEADER},queries_per_day\nmath,60,0.1,0,verifiable_steps,5000\n"
                            "knowledge_qa,1,0.001,0,none,\n")
    assert main(["recommend", "--batch", str(path)]) == 0
    out, err = capsys.readouterr()
    table = pd.read_csv(pd.io.common.StringIO(out))
    assert err == "" and len(table) == 2 and list(table["queries_per_day"]) == [5000, 1000]
    assert main(["recommend", "--batch", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["task_type"] for r in rows] == ["math", "knowledge_qa"]
    assert all(isinstance(r["parameters"], dict) for r in rows)


def test_cli_batch_refuses_a_report_format(tmp_path, capsys):
    path = _write(tmp_path, f"{HEADER}\nmath,60,0.1,0,verifiable_steps\n")
    assert main(["recommend", "--batch", str(path), "--format", "html"]) == 2
    assert "--format html works without --batch; use csv or json" in capsys.readouterr().err


def test_cli_batch_bad_row_exits_non_zero_with_path_and_line(tmp_path, capsys):
    path = _write(tmp_path, f"{HEADER}\nmath,60,-1,0,verifiable_steps\n")
    assert main(["recommend", "--batch", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"{path}:2: ") and "Traceback" not in err
