"""Lint: each warning from a small rules fixture, with its exact message; check --strict."""

from __future__ import annotations

import pytest

from advisor.cli import main
from advisor.authoring.lint import answer_values, check_directory
from advisor.source.loader import load_rules
from authoring_support import ALL_TASKS, RULES, copy_rules

BASE = f"""rules:
  - id: always
    when: {{field: task_type, in: {ALL_TASKS}}}
    push: training
    because: Base rule.
    source: test
"""
# Answers no rule tests are held at their defaults (verifiability=external_judge here).
PROFILE = ("task_type=math, knowledge_source=model, latency_budget_s=10, budget_per_query_usd=0.05, "
           "training_budget_usd=0, verifiability=external_judge, queries_per_day=1000, "
           "needs_calibration=false, high_stakes=false, streaming=false")

CASES = {
    "never-fires": (BASE + """  - id: impossible
    when:
      all:
        - {field: latency_budget_s, lt: 1}
        - {field: latency_budget_s, gt: 2}
    caveat: Never shown.
    because: Contradiction.
    source: test
""", "R/rules.yaml:7: warning: rule 'impossible' can never fire: no answers satisfy "
     "(latency_budget_s < 1 and latency_budget_s > 2) (its conditions contradict each other)"),
    "redundant": (BASE + """  - id: narrow
    when: {field: task_type, eq: math}
    exclude: [tree_search]
    because: Narrow.
    source: test
  - id: broad
    when: {field: task_type, in: [math, code_generation]}
    exclude: [tree_search, iterative_refinement]
    because: Broad.
    source: test
""", "R/rules.yaml:7: warning: rule 'narrow' is redundant: rule 'broad' (R/rules.yaml:12) fires "
     "whenever it does and already has all its effects"),
    "tie": (BASE + """  - id: patient
    when: {field: latency_budget_s, ge: 10}
    push: inference_time
    because: Time to think.
    source: test
""", "R/rules.yaml:2: warning: coverage gap: the trade-off table's pushes tie (inference-time "
     "1 = training 1) for 216 of 324 answer profiles, so the table says 'combined' by an "
     f"exact tie, not by the margin; e.g. {PROFILE}; pushing rules: always, patient"),
    "all-excluded": (BASE + """  - id: nothing-for-math
    when: {field: task_type, eq: math}
    exclude: [single_pass, chain_of_thought, self_consistency, best_of_n_verifier, tree_search,
              iterative_refinement, cascade, retrieval]
    because: Excludes everything.
    source: test
""", "R/rules.yaml:7: warning: coverage gap: every strategy is excluded for 12 of 108 answer "
     f"profiles, e.g. {PROFILE}; excluded by nothing-for-math (the engine then ignores the "
     "exclusions)"),
    "no-rule-fires": ("""rules:
  - id: math-only
    when: {field: task_type, eq: math}
    push: training
    because: Only math.
    source: test
""", "R/rules.yaml:1: warning: coverage gap: no rule fires for 96 of 108 answer profiles, e.g. "
     + PROFILE.replace("task_type=math", "task_type=formal_verification")),
}


@pytest.mark.parametrize("rules_yaml, expected", CASES.values(), ids=CASES.keys())
def test_each_finding_has_its_exact_message(tmp_path, rules_yaml, expected):
    directory = copy_rules(tmp_path / "r", rules_yaml=rules_yaml, scenarios=False)
    rules, problems = check_directory(directory)
    assert rules is not None
    assert [str(p).replace(str(directory), "R") for p in problems] == [expected]


def test_clean_rules_have_no_warnings(tmp_path):
    directory = copy_rules(tmp_path / "r", rules_yaml=BASE, scenarios=False)
    assert check_directory(directory)[1] == []


def test_scenario_naming_an_unknown_rule_is_an_unknown_reference(tmp_path):
    directory = copy_rules(tmp_path / "r", rules_yaml=BASE, scenarios=False)
    (directory / "tests").mkdir()
    (directory / "tests" / "t.yaml").write_text("""scenarios:
  - id: typo
    claim: A typo in a rule id.
    expect:
      fired: [alway]
""", encoding="utf-8")
    problems = check_directory(directory)[1]
    assert [str(p).replace(str(directory), "R") for p in problems] == [
        "R/tests/t.yaml:5: warning: scenario 'typo' expects unknown rule 'alway' "
        "(did you mean 'always'?)"]


def test_answer_space_has_values_on_both_sides_of_every_threshold():
    values = answer_values(load_rules(RULES))
    assert values["latency_budget_s"] == [0.5, 1.0, 1.5, 2.0, 6.0, 10.0, 20.0]
    assert values["budget_per_query_usd"] == pytest.approx([0.001, 0.002, 0.026, 0.05, 0.1])
    # The cheapest run of each training option (a calibration $450.02, a LoRA $1,501.50, a
    # distillation $1,526.32, a full fine-tune $2,200, a reinforcement fine-tune $7,060) are
    # thresholds of the engine (the LoRA's also of the derived training_run_feasible), and 0 is
    # where no run is feasible; between and beyond them, one value each.
    assert values["training_budget_usd"] == pytest.approx([
        0.0, 225.01, 450.02, 975.76, 1501.5, 1513.91, 1526.32, 1863.16, 2200.0, 4630.0, 7060.0,
        14120.0])
    assert values["queries_per_day"] == [500000, 1000000, 2000000]
    assert len(values["task_type"]) == 9


@pytest.mark.parametrize("tested, expected", [(False, [False]), (True, [False, True])])
def test_a_yes_no_answer_splits_the_answer_space_only_where_a_rule_tests_it(tmp_path, tested,
                                                                           expected):
    """Why: ``streaming`` (issue 20) is an answer no default rule tests; enumerating both of its
    values would only count every profile twice, and push large rule sets past lint's limit."""
    streamed = """  - id: streamed
    when: {field: streaming, eq: true}
    push: training
    because: Streamed.
    source: test
"""
    directory = copy_rules(tmp_path / "r", scenarios=False,
                           rules_yaml=BASE + (streamed if tested else ""))
    rules, problems = check_directory(directory)
    assert rules is not None and not [p for p in problems if p.severity == "error"]
    assert answer_values(rules)["streaming"] == expected


def test_default_rules_pass_check_strict(capsys):
    """The shipped rules open without "Valid, with N warning(s)" (issue 12: six exact ties)."""
    rules, problems = check_directory(RULES)
    assert rules is not None
    assert problems == []
    assert main(["check", "--strict", str(RULES)]) == 0
    assert capsys.readouterr().out == f"{RULES}: rules are valid\n"


def test_check_exit_codes_and_strict(tmp_path, capsys):
    clean = copy_rules(tmp_path / "clean", rules_yaml=BASE, scenarios=False)
    assert main(["check", str(clean)]) == 0
    assert capsys.readouterr().out == f"{clean}: rules are valid\n"

    warned = copy_rules(tmp_path / "warned", rules_yaml=CASES["tie"][0], scenarios=False)
    assert main(["check", str(warned)]) == 0
    assert capsys.readouterr().out == f"{warned}: rules are valid (1 warning(s))\n"
    assert main(["check", "--strict", str(warned)]) == 1
    err = capsys.readouterr().err
    assert err.endswith(f"1 warning(s) in {warned} (--strict: warnings fail)\n")
    assert f"{warned}/rules.yaml:2: warning: coverage gap" in err

    broken = copy_rules(tmp_path / "broken", rules_yaml=BASE.replace("push: training",
                                                                     "push: trainin"))
    assert main(["check", str(broken)]) == 1
    assert capsys.readouterr().err == (
        f"{broken}/rules.yaml:4: 'rules[0].push' must be one of 'inference_time' or 'training', "
        f"got 'trainin' (did you mean 'training'?)\n1 problem(s) in {broken}\n")
