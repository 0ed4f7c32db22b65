"""``python -m advisor prices --check|--sync`` against a small litellm-format table.

tests/data/price_table.json holds the 18 entries the default tiers name, copied from the table
litellm 1.110.2 ships (the default prices were read from it on 2026-11-28).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.authoring import prices
from advisor.cli import main
from advisor.errors import PriceTableError, RulesError
from advisor.authoring.prices import PriceChange, check_prices, read_table, updated_text
from authoring_support import copy_rules
from helpers import ROOT

TABLE = Path(__file__).resolve().parent / "data" / "price_table.json"


def line_of(path: Path, model_id: str, key: str = "id") -> int:
    """The line of ``key`` in the tier ``model_id`` of a models file (1-based); ``id``: the
    tier's own line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {model_id}")
    if key == "id":
        return start + 1
    return next(i for i in range(start, len(lines)) if lines[i].startswith(f"    {key}:")) + 1


@pytest.fixture
def rules(tmp_path) -> Path:
    return copy_rules(tmp_path / "rules", scenarios=False)


def table_with(tmp_path: Path, **changes: dict) -> Path:
    """The fixture table with some entries changed (None removes an entry)."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    for table_id, entry in changes.items():
        table_id = table_id.replace("__", "/")
        if entry is None:
            del data[table_id]
        else:
            data[table_id] = {**data[table_id], **entry}
    path = tmp_path / "table.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_default_prices_match_the_table(capsys):
    assert main(["prices", "--check", "--rules", str(ROOT / "rules"), "--table", str(TABLE)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{ROOT / 'rules'}: the prices of 18 model tier(s) match {TABLE}\n"
    assert err == ""


def test_drift_is_one_line_per_price_at_its_line(rules, tmp_path, capsys):
    table = table_with(tmp_path, **{"gpt-4o-mini": {"input_cost_per_token": 2e-07,
                                                    "cache_read_input_token_cost": 1e-07}})
    assert main(["prices", "--check", "--rules", str(rules), "--table", str(table)]) == 1
    models = rules / "models.yaml"
    assert capsys.readouterr().err == (
        f"{models}:{line_of(models, 'gpt-4o-mini', 'input_per_1m')}: model 'gpt-4o-mini': "
        "input_per_1m is 0.15, the price table says 0.2\n"
        f"{models}:{line_of(models, 'gpt-4o-mini', 'cached_input_per_1m')}: model "
        "'gpt-4o-mini': cached_input_per_1m is 0.075, the price table says 0.1\n"
        f"2 price(s) differ from {table}; python -m advisor prices --sync writes them\n")


def test_an_id_missing_from_the_table_warns_and_a_tier_without_one_is_skipped(rules, tmp_path,
                                                                              capsys):
    models = rules / "models.yaml"
    text = models.read_text(encoding="utf-8")
    models.write_text(text.replace("    price_table_id: o1\n", ""), encoding="utf-8")
    table = table_with(tmp_path, **{"gpt-5": None})
    assert main(["prices", "--check", "--rules", str(rules), "--table", str(table)]) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"{models}:{line_of(models, 'gpt-5', 'price_table_id')}: warning: model 'gpt-5': "
        f"price_table_id 'gpt-5' is not in the price table {table}; its prices are not checked\n"
        f"{models}:{line_of(models, 'o1')}: note: model 'o1' has no price_table_id; "
        "its prices are not checked\n")
    assert out == f"{rules}: the prices of 16 model tier(s) match {table}\n"


def test_sync_writes_prices_and_date_and_keeps_everything_else(rules, tmp_path, capsys):
    models = rules / "models.yaml"
    before = models.read_text(encoding="utf-8")
    table = table_with(tmp_path, **{
        "gpt-4o-mini": {"input_cost_per_token": 2e-07},
        "fireworks_ai__accounts__fireworks__models__llama-v3p1-8b-instruct": {
            "cache_read_input_token_cost": 5e-08}})
    assert main(["prices", "--sync", "--rules", str(rules), "--table", str(table)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote 2 price(s) from {table}, dated today; "
                                              f"the previous version is kept as {models}.1.bak")
    after = models.read_text(encoding="utf-8")
    today = dt.date.today().isoformat()
    changed = sorted(line for line in difflib.ndiff(before.splitlines(), after.splitlines())
                     if line[:2] in ("- ", "+ "))
    # Only the changed prices and the two tiers' dates differ: comments, folded texts, anchors
    # (&litellm, *speed_range) and key order are as they were.
    assert changed == ["+     cached_input_per_1m: 0.05", "+     input_per_1m: 0.2",
                       f"+     price_date: {today}", f"+     price_date: {today}",
                       "-     input_per_1m: 0.15", "-     price_date: 2026-11-28",
                       "-     price_date: 2026-11-28"]
    assert after.splitlines()[line_of(models, "llama-3.1-8b", "output_per_1m")] == (
        "    cached_input_per_1m: 0.05")
    assert (rules / "models.yaml.1.bak").read_text(encoding="utf-8") == before
    assert main(["prices", "--check", "--rules", str(rules), "--table", str(table)]) == 0


def test_sync_refuses_prices_the_rules_cannot_hold(rules, tmp_path, capsys):
    """The written text is loaded by the project's loader first; the file stays as it was."""
    models = rules / "models.yaml"
    before = models.read_text(encoding="utf-8")
    table = table_with(tmp_path, **{"o3": {"input_cost_per_token": 1e-19}})
    assert main(["prices", "--sync", "--rules", str(rules), "--table", str(table)]) == 1
    err = capsys.readouterr().err
    assert err.endswith(f"{models}:{line_of(models, 'o3', 'input_per_1m')}: "
                        "'models[16].input_per_1m' must be 0 or at least 1e-12 in size, "
                        "got 1e-13\n")
    assert models.read_text(encoding="utf-8") == before
    assert not list(rules.glob("*.bak"))


def test_the_default_models_file_round_trips_unchanged():
    text = (ROOT / "rules" / "models.yaml").read_text(encoding="utf-8")
    assert updated_text(text, [], today=dt.date(2027, 1, 1)) == text


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not JSON: Expecting property name enclosed in double quotes: line 1 "
                   "column 2 (char 1)"),
    (b"\x00\x01\x02", "file is binary, not a JSON price table"),
    (b"\xff\xfe{}", "file is not UTF-8 text (bad byte at offset 0)"),
    (b"[1, 2]", "not a price table: expected a JSON object of model ids, each with its costs "
                "(input_cost_per_token, output_cost_per_token, …), as litellm's "
                "model_prices_and_context_window_backup.json"),
    (b"[" * 40 + b"]" * 40, "nested more than 32 levels deep; not a price table"),
    (b'{"gpt-4o": {"input_cost_per_token": "cheap"}}',
     "'gpt-4o'.input_cost_per_token is \"cheap\"; a cost per token is a number from 0 to 1"),
], ids=["not-json", "binary", "not-utf8", "a-list", "deep", "not-a-number"])
def test_a_bad_table_is_one_line_and_exit_1(tmp_path, content, message):
    table = tmp_path / "table.json"
    table.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "advisor", "prices", "--check", "--table",
                             str(table)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"{table}: {message}\n"


def test_a_huge_or_missing_table_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: no disk used, never read
    with pytest.raises(PriceTableError) as err:
        read_table(huge)
    assert str(err.value.problems[0]) == (f"{huge}: file is 3,000,000,000 bytes; the limit is "
                                          "16,000,000 bytes")
    with pytest.raises(PriceTableError) as err:
        read_table(tmp_path)
    assert str(err.value.problems[0]) == (f"{tmp_path}: cannot read price table: it is a "
                                          "directory, not a regular file")


def test_the_installed_litellm_table_is_found_without_importing_litellm(tmp_path):
    """A stand-in litellm whose import fails: finding its table must not import it."""
    package = tmp_path / "site" / "litellm"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('litellm must not be imported')\n")
    (package / "model_prices_and_context_window_backup.json").write_bytes(TABLE.read_bytes())
    env = {**os.environ, "PYTHONPATH": f"{tmp_path / 'site'}{os.pathsep}{ROOT}"}
    result = subprocess.run([sys.executable, "-m", "advisor", "prices", "--check"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"rules: the prices of 18 model tier(s) match "
                             f"{package / 'model_prices_and_context_window_backup.json'}\n")


def test_without_litellm_or_a_table_the_message_says_what_to_do(monkeypatch, capsys):
    monkeypatch.setattr(prices.importlib.util, "find_spec", lambda name: None)
    assert main(["prices", "--check"]) == 1
    assert capsys.readouterr() == ("", "litellm: no price table: litellm is not installed. "
                                   "Install it (pip install litellm==1.110.2) or pass --table "
                                   "FILE, a JSON file in litellm's format\n")


def test_check_prices_reports_what_it_compared():
    report = check_prices(ROOT / "rules", read_table(TABLE), table_name="t")
    assert (report.checked, report.changes, report.problems) == (18, [], [])


def test_sync_leaves_a_price_inside_a_flow_mapping_to_a_person():
    text = "models:\n  - {id: m, input_per_1m: 1.0, output_per_1m: 2.0}  # one line\n"
    change = PriceChange("models.yaml", 2, 0, "m", "input_per_1m", 1.0, 1.5)
    with pytest.raises(RulesError) as caught:
        updated_text(text, [change], today=dt.date(2027, 1, 1))
    assert [str(p) for p in caught.value.problems] == [
        "models.yaml:2: model 'm': input_per_1m is not written as 'input_per_1m: value' on a "
        "line of its own, so prices --sync cannot rewrite it; change it by hand"]


def test_sync_keeps_a_comment_after_a_price_and_writes_tiny_prices_as_numbers():
    text = ("models:\n  - id: m\n    input_per_1m: 1.0  # list price\n    output_per_1m: 2.0\n"
            "    price_date: 2026-01-01\n")
    changes = [PriceChange("models.yaml", 3, 0, "m", "input_per_1m", 1.0, 1e-7),
               PriceChange("models.yaml", 4, 0, "m", "cached_input_per_1m", None, 0.5)]
    assert updated_text(text, changes, today=dt.date(2027, 1, 1)) == (
        "models:\n  - id: m\n    input_per_1m: 1.0e-07  # list price\n    output_per_1m: 2.0\n"
        "    cached_input_per_1m: 0.5\n    price_date: 2027-01-01\n")
