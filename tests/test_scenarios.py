"""Rule test scenarios: loading with path:line errors, the runner's pass and fail output."""

from __future__ import annotations

import pytest

from advisor.cli import main
from advisor.source.loader import load_rules
from advisor.authoring.scenarios import load_scenarios, run_scenarios, scenario_files
from authoring_support import RULES, copy_rules

PASSING = """scenarios:
  - id: knowledge
    claim: Knowledge tasks favour training.
    answers: {task_type: knowledge_qa, latency_budget_s: 5, budget_per_query_usd: 0.01,
              verifiability: none}
    expect:
      verdict: training
      fired: [knowledge-task-favours-training]
"""
FAILING = """scenarios:
  - id: wrong-on-purpose
    claim: A scenario that expects the opposite of what the rules say.
    answers: {task_type: knowledge_qa, latency_budget_s: 5, budget_per_query_usd: 0.01,
              verifiability: none}
    expect:
      verdict: inference_time
      strategy: tree_search
      fired: [reasoning-task-favours-inference]
      not_fired: [knowledge-task-favours-training]
"""


@pytest.fixture
def rules_dir(tmp_path):
    directory = copy_rules(tmp_path / "rules")
    for path in (directory / "tests").glob("*.yaml"):
        path.unlink()
    return directory


def test_default_scenarios_all_pass(capsys):
    assert main(["test", "--rules", str(RULES)]) == 0
    out = capsys.readouterr().out
    assert out.endswith(" 0 failed, 32 scenario(s)\n") and "FAIL" not in out


def test_default_scenarios_cover_the_article_and_every_example():
    rules = load_rules(RULES)
    loaded, problems = load_scenarios(scenario_files(RULES), rules)
    assert problems == []
    ids = {item.scenario.id for item in loaded}
    for claim in ("table-task-type-math", "table-task-type-knowledge",
                  "table-task-type-calibration", "table-latency-flexible", "table-latency-strict",
                  "table-budget-cheap-per-query", "table-budget-training-run-feasible",
                  "table-evaluation-verifiable-steps", "table-evaluation-external-judge",
                  "training-dominates-knowledge", "training-dominates-calibration",
                  "training-dominates-sub-second", "diminishing-returns-creative-writing",
                  "diminishing-returns-open-ended", "diminishing-returns-nuanced-judgment",
                  "regulated-compliance-review", "combined-verdict",
                  "example-bank-compliance-review", "example-competition-math",
                  "example-creative-writing-assistant", "example-support-faq-bot"):
        assert claim in ids


def test_passing_scenario_output(rules_dir, capsys):
    (rules_dir / "tests" / "t.yaml").write_text(PASSING, encoding="utf-8")
    assert main(["test", "--rules", str(rules_dir), "-v"]) == 0
    assert capsys.readouterr().out == "PASS knowledge\n1 passed, 0 failed, 1 scenario(s)\n"


def test_failing_scenario_prints_expected_and_actual(rules_dir, capsys):
    (rules_dir / "tests" / "t.yaml").write_text(FAILING, encoding="utf-8")
    assert main(["test", "--rules", str(rules_dir)]) == 1
    assert capsys.readouterr().out == f"""\
FAIL wrong-on-purpose ({rules_dir}/tests/t.yaml:2): A scenario that expects the opposite of what \
the rules say.
    verdict:
    - expected: inference_time
    + actual:   training
    strategy:
    - expected: tree_search
    + actual:   single_pass
    fired:
    - expected: reasoning-task-favours-inference
    + actual:   (did not fire)
    not_fired:
    - expected: knowledge-task-favours-training
    + actual:   (fired)
0 passed, 1 failed, 1 scenario(s)
"""


@pytest.mark.parametrize("text, expected", [
    ("scenarios:\n  - id: x\n    claim: c\n    expect: {verdict: trainin}\n",
     "t.yaml:4: 'scenarios[0].expect.verdict' must be one of 'inference_time', 'training', "
     "'combined' or 'neither', got 'trainin' (did you mean 'training'?)"),
    ("scenarios:\n  - id: x\n    claim: c\n    expect: {}\n",
     "t.yaml:4: 'scenarios[0].expect': expect needs at least one of verdict, table_verdict, "
     "feasible, favours, strategy, model, fired, not_fired"),
    ("scenarios:\n  - id: x\n    claim: c\n    expec: {verdict: training}\n",
     ["t.yaml:2: missing required key 'scenarios[0].expect'",
      "t.yaml:4: unknown key 'scenarios[0].expec' (did you mean 'expect'?)"]),
    ("scenarios:\n  - id: x\n    claim: c\n    answers:\n      latency_budget_s: fast\n"
     "    expect: {verdict: training}\n",
     "t.yaml:5: 'latency_budget_s' must be a number, got 'fast'. Hint: write numbers without "
     "quotes or units"),
    ("scenarios:\n  - id: x\n    claim: c\n    answers: {task_typ: math}\n"
     "    expect: {verdict: training}\n",
     "t.yaml:4: unknown key 'task_typ' (did you mean 'task_type'?)"),
    ("scenarios:\n  - id: x\n    claim: c\n    expect: {strategy: tree_serch}\n",
     "t.yaml:4: warning: scenario 'x' expects unknown strategy 'tree_serch' (did you mean "
     "'tree_search'?)"),
])
def test_scenario_problems_have_path_and_line(rules_dir, text, expected):
    path = rules_dir / "tests" / "t.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = load_scenarios([path], load_rules(rules_dir))
    expected = expected if isinstance(expected, list) else [expected]
    assert [str(p).replace(f"{rules_dir}/tests/", "") for p in problems] == expected


def test_bad_scenario_file_exits_1_without_traceback(rules_dir, capsys):
    (rules_dir / "tests" / "t.yaml").write_text("scenarios: [\n", encoding="utf-8")
    assert main(["test", "--rules", str(rules_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{rules_dir}/tests/t.yaml:2: YAML syntax error")
    assert "Traceback" not in err


def test_runner_returns_outcomes():
    rules = load_rules(RULES)
    loaded, _ = load_scenarios(scenario_files(RULES), rules)
    results = run_scenarios(loaded[:1], rules)
    assert results[0].passed and results[0].outcome.verdict == "training"
