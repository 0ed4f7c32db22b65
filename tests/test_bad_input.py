"""Every class of bad rules and bad answers gets an exact, located, plain-language message.

Each case is checked twice: through the library (``load_rules`` / ``load_answers``) and through
the CLI, which must exit 1 with ``path:line: message`` lines on stderr and no traceback. In the
expected lines ``{file}`` stands for the broken file's path; a problem about a whole file has no
line number.

In-process, the CLI is ``advisor.cli.main``; one case per stage of the input pipeline
(``SUBPROCESS_CASES``) and the cases of their own below also run as a real ``python -m advisor``.
Why not all of them: a CLI process costs about 0.7 s of CPU (imports, then parsing the default
rules), and fifty of them took most of the suite's minute.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from advisor import AnswersError, RulesError, check_rules, load_answers, load_rules
from advisor import cli
from advisor.cli import main
from helpers import EXAMPLES_DIR, RULES_DIR, run_cli

# One case per stage of the input pipeline runs as a real process (see the module docstring):
# rules are decoded, parsed, validated per file, then cross-checked; answers are decoded, parsed,
# checked for shape, then validated field by field.
SUBPROCESS_CASES = {
    "rules": {"binary-file", "yaml-syntax-error", "unknown-key-typo",
              "unknown-strategy-in-exclude"},
    "answers": {"binary-file", "yaml-syntax-error", "yaml-list", "unknown-field-typo",
                "quoted-number-with-unit"},
}

STRATEGIES = ("single_pass, chain_of_thought, self_consistency, best_of_n_verifier, tree_search, "
              "iterative_refinement, cascade, retrieval")
PLAIN_DATA = "rules and answers are plain data (strings, numbers, booleans, lists, mappings)"


def rule_yaml(**changes: str | None) -> str:
    """A rules file holding one valid rule, with keys changed, added or (None) removed.

    Lines: 1 ``rules:``, 2 ``id``, 3 ``when``, 4 ``push``, 5 ``because``, 6 ``source``, then any
    added keys from line 7 on.
    """
    keys = {"id": "my-rule", "when": "{field: task_type, eq: math}", "push": "training",
            "because": "A reason.", "source": "A source."}
    keys.update(changes)
    lines = [f"{key}: {value}" for key, value in keys.items() if value is not None]
    return "rules:\n  - " + "\n    ".join(lines) + "\n"


# (case id, files to add to a copy of rules/, expected lines with {file} = the added file)
RULES_CASES = [
    ("yaml-syntax-error", {"extra.yaml": rule_yaml(push="[training")},
     ["{file}:5: YAML syntax error: expected ',' or ']', but got ':'"]),
    ("yaml-bad-indentation", {"extra.yaml": "rules:\n  - id: x\n   when: y\n"},
     ["{file}:3: YAML syntax error: expected <block end>, but found '<block mapping start>'"]),
    ("duplicate-key", {"extra.yaml": rule_yaml() + "    push: inference_time\n"},
     ["{file}:7: duplicate key 'push' (first defined on line 4); YAML would silently keep only "
      "the last one"]),
    ("unknown-key-typo", {"extra.yaml": rule_yaml(becuase="typo")},
     ["{file}:7: unknown key 'rules[0].becuase' (did you mean 'because'?)"]),
    ("unknown-key-far", {"extra.yaml": rule_yaml(colour="red")},
     ["{file}:7: unknown key 'rules[0].colour'; known keys: id, when, push, weight, exclude, "
      "require, inference_gain, caveat, severity, because, source"]),
    ("unknown-section", {"extra.yaml": "rule:\n  - id: x\n"},
     ["{file}:1: unknown key 'rule' (did you mean 'rules'?)"]),
    ("wrong-type-number", {"extra.yaml": rule_yaml(weight="heavy")},
     ["{file}:7: 'rules[0].weight' must be a number, got 'heavy'. Hint: write numbers without "
      "quotes or units"]),
    ("wrong-type-list", {"extra.yaml": rule_yaml(exclude="single_pass")},
     ["{file}:7: 'rules[0].exclude' must be a list, got 'single_pass'"]),
    ("wrong-type-choice", {"extra.yaml": rule_yaml(push="sideways")},
     ["{file}:4: 'rules[0].push' must be one of 'inference_time' or 'training', got 'sideways'"]),
    ("unknown-severity", {"extra.yaml": rule_yaml(caveat="Watch out.", severity="critical")},
     ["{file}:8: 'rules[0].severity' must be one of 'high', 'medium' or 'low', got 'critical'"]),
    ("severity-without-caveat", {"extra.yaml": rule_yaml(severity="high")},
     ["{file}:2: 'rules[0]': severity ranks a caveat, and this rule has none: add a caveat or "
      "remove severity"]),
    ("rule-without-effect", {"extra.yaml": rule_yaml(push=None)},
     ["{file}:2: 'rules[0]': a rule needs at least one effect: push, exclude, require, "
      "inference_gain or caveat"]),
    ("two-operators", {"extra.yaml": rule_yaml(when="{field: latency_budget_s, lt: 1, gt: 0}")},
     ["{file}:3: 'rules[0].when': a test on 'latency_budget_s' needs exactly one operator of eq, "
      "ne, in, not_in, lt, le, gt, ge"]),
    ("boolean-in-a-comparison",
     {"extra.yaml": rule_yaml(when="{field: latency_budget_s, lt: true}")},
     ["{file}:3: 'rules[0].when.lt': comparisons need a number, got true"]),
    ("number-operator-on-a-choice", {"extra.yaml": rule_yaml(when="{field: task_type, lt: 1}")},
     ["{file}:3: 'lt' compares numbers, but 'task_type' is not numeric; use eq, ne, in or "
      "not_in"]),
    ("unknown-question", {"extra.yaml": rule_yaml(when="{field: latency_budget, lt: 1}")},
     ["{file}:3: unknown question 'latency_budget' (did you mean 'latency_budget_s'?); known: "
      "task_type, knowledge_source, latency_budget_s, budget_per_query_usd, training_budget_usd, "
      "verifiability, queries_per_day, needs_calibration, high_stakes, streaming, prompt_tokens, answer_tokens, "
      "training_run_feasible"]),
    ("unknown-option", {"extra.yaml": rule_yaml(when="{field: verifiability, eq: verified}")},
     ["{file}:3: unknown option 'verified' for 'verifiability'; options: verifiable_steps, "
      "external_judge, none"]),
    ("unknown-option-in-list",
     {"extra.yaml": rule_yaml(when="{field: task_type, in: [math, knowlege_qa]}")},
     ["{file}:3: unknown option 'knowlege_qa' for 'task_type' (did you mean 'knowledge_qa'?); "
      "options: math, formal_verification, multi_step_reasoning, code_generation, knowledge_qa, "
      "classification, creative_writing, open_ended_explanation, nuanced_judgment"]),
    ("unknown-option-bool", {"extra.yaml": rule_yaml(when="{field: high_stakes, eq: maybe}")},
     ["{file}:3: unknown option 'maybe' for 'high_stakes'; options: false, true"]),
    ("unknown-strategy-in-exclude", {"extra.yaml": rule_yaml(exclude="[tree_serach]")},
     ["{file}:7: unknown strategy 'tree_serach' in 'exclude' (did you mean 'tree_search'?); "
      f"strategies: {STRATEGIES}"]),
    ("favour-was-removed", {"extra.yaml": rule_yaml(favour="[single_pass]")},
     ["{file}:7: unknown key 'rules[0].favour'; 'favour' was removed: the configuration is now "
      "the best option the constraints allow, never ranked by a bonus; delete it, or say it in "
      "a caveat"]),
    ("constraint-that-grows-with-budget",
     {"extra.yaml": rule_yaml(when="{field: latency_budget_s, ge: 10}", exclude="[tree_search]")},
     ["{file}:3: rule 'my-rule' excludes or requires options when latency_budget_s ge 10: a "
      "constraint that can switch on as a budget grows would make more budget give worse "
      "advice; test budgets with lt or le in rules that exclude or require"]),
    ("quality-adjustment-on-a-budget",
     {"extra.yaml": rule_yaml(when="{field: budget_per_query_usd, lt: 0.01}",
                              inference_gain="0.5")},
     ["{file}:3: rule 'my-rule' changes the quality model (inference_gain) but tests "
      "budget_per_query_usd; such rules may test only task_type, verifiability, "
      "knowledge_source, needs_calibration, high_stakes, so quality never depends on a "
      "budget"]),
    ("duplicate-rule-id-in-one-file",
     {"extra.yaml": rule_yaml() + rule_yaml().removeprefix("rules:\n")},
     ["{file}:7: duplicate rule id 'my-rule' (first defined at {file}:2)"]),
    ("local-tag", {"extra.yaml": rule_yaml(push="!training")},
     [f"{{file}}:4: YAML tag '!training' is not allowed: {PLAIN_DATA}"]),
    ("non-mapping-file", {"extra.yaml": "- rules\n- strategies\n"},
     ["{file}:1: a rules file must be a mapping with sections such as 'rules:', 'strategies:' or "
      "'models:'"]),
    ("scalar-file", {"extra.yaml": "just a sentence\n"},
     ["{file}:1: a rules file must be a mapping with sections such as 'rules:', 'strategies:' or "
      "'models:'"]),
    ("binary-file", {"extra.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
     ["{file}: file is binary, not YAML or JSON text"]),
    ("not-utf8", {"extra.yaml": "description: café\n".encode("latin-1")},
     ["{file}: file is not UTF-8 text (bad byte at offset 16)"]),
    ("huge-file", {"extra.yaml": "description: " + "x" * 1_000_001 + "\n"},
     ["{file}: file is 1,000,015 bytes; the limit is 1,000,000 bytes"]),
]


def _write(directory: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory / next(iter(files))


def _expand(lines: list[str], file: Path) -> list[str]:
    return [line.replace("{file}", str(file)) for line in lines]


@pytest.mark.parametrize("files, expected", [c[1:] for c in RULES_CASES],
                         ids=[c[0] for c in RULES_CASES])
def test_bad_rules(rules_copy, monkeypatch, capsys, files, expected):
    expected = _expand(expected, _write(rules_copy, files))
    # Why a spy: the directory is parsed once, and both the library's problems and the CLI's
    # rendering of them are checked.
    checked = []
    monkeypatch.setattr(cli, "check_rules", lambda directory: checked.append(
        check_rules(directory)) or checked[-1])
    code = main(["check", str(rules_copy)])
    out, err = capsys.readouterr()
    assert [str(p) for p in checked[0]] == expected
    assert code == 1
    assert err.splitlines() == expected + [f"{len(expected)} problem(s) in {rules_copy}"]
    assert out == ""


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_duplicate_rule_id_across_two_files(rules_copy):
    added = _write(rules_copy, {"zz-more-rules.yaml": rule_yaml(id="no-training-run")})
    first = _line_of(rules_copy / "rules.yaml", "  - id: no-training-run")
    expected = [f"{added}:2: duplicate rule id 'no-training-run' (first defined at "
                f"{rules_copy / 'rules.yaml'}:{first})"]
    assert [str(p) for p in check_rules(rules_copy)] == expected
    result = run_cli("check", rules_copy)
    assert (result.returncode, result.stderr.splitlines()) == (
        1, expected + [f"1 problem(s) in {rules_copy}"])


def test_object_constructing_tag_is_refused_and_never_runs(rules_copy, tmp_path):
    marker = tmp_path / "tag-ran"
    added = _write(rules_copy, {"extra.yaml": rule_yaml(
        push=f'!!python/object/apply:os.system ["touch {marker}"]')})
    expected = [f"{added}:4: YAML tag '!!python/object/apply:os.system' is not allowed: "
                f"{PLAIN_DATA}"]
    assert [str(p) for p in check_rules(rules_copy)] == expected
    result = run_cli("recommend", "--answers", "examples/competition-math.yaml",
                     "--rules", rules_copy)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected[0] + "\n")
    assert not marker.exists()


def test_bad_rules_stop_a_recommendation(rules_copy, capsys):
    added = _write(rules_copy, {"extra.yaml": rule_yaml(weight="heavy")})
    code = main(["recommend", "--answers", str(EXAMPLES_DIR / "competition-math.yaml"),
                 "--rules", str(rules_copy)])
    assert (code, *capsys.readouterr()) == (
        1, "", f"{added}:7: 'rules[0].weight' must be a number, got 'heavy'. Hint: write numbers "
               "without quotes or units\n")


def test_every_problem_in_a_file_is_reported(rules_copy):
    added = _write(rules_copy, {"extra.yaml": rule_yaml(weight="heavy", colour="red")})
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"{added}:7: 'rules[0].weight' must be a number, got 'heavy'. Hint: write numbers "
        "without quotes or units",
        f"{added}:8: unknown key 'rules[0].colour'; known keys: id, when, push, weight, exclude, "
        "require, inference_gain, caveat, severity, because, source",
    ]
    assert check_rules(rules_copy) == caught.value.problems


@pytest.mark.parametrize("make_directory, message", [
    (lambda tmp: tmp / "missing", "rules directory not found"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty",
     "no rules files (*.yaml) in this directory"),
], ids=["missing-directory", "empty-directory"])
def test_unusable_rules_directory(tmp_path, make_directory, message):
    directory = make_directory(tmp_path)
    assert [str(p) for p in check_rules(directory)] == [f"{directory}: {message}"]
    result = run_cli("check", directory)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{directory}: {message}",
                                          f"1 problem(s) in {directory}"]
    assert "Traceback" not in result.stderr


def test_default_rules_check_clean():
    # No errors and, since the exact ties were broken, no lint warnings: --strict passes.
    result = run_cli("check", "--strict", "rules")
    assert (result.returncode, result.stdout, result.stderr) == (0, "rules: rules are valid\n", "")


# --- answers -------------------------------------------------------------------------------------

GOOD_ANSWERS = """\
task_type: math
latency_budget_s: 30
budget_per_query_usd: 0.5
training_budget_usd: 0
verifiability: none
"""
ANSWER_KEYS = ("task_type, difficulty, knowledge_source, latency_budget_s, budget_per_query_usd, "
               "training_budget_usd, verifiability, queries_per_day, needs_calibration, "
               "high_stakes, streaming, prompt_tokens, answer_tokens, measured_model, "
               "measured_accuracy, measured_dispersion, human_cost_per_task_usd")
TASK_TYPES = ("'math', 'formal_verification', 'multi_step_reasoning', 'code_generation', "
              "'knowledge_qa', 'classification', 'creative_writing', 'open_ended_explanation' or "
              "'nuanced_judgment'")

# (case id, answers file content, expected lines with {file} = the answers file)
ANSWERS_CASES = [
    ("unknown-field-typo", GOOD_ANSWERS + "high_stake: true\n",
     ["{file}:6: unknown key 'high_stake' (did you mean 'high_stakes'?)"]),
    ("unknown-field-far", GOOD_ANSWERS + "colour: red\n",
     [f"{{file}}:6: unknown key 'colour'; known keys: {ANSWER_KEYS}"]),
    ("missing-fields", "task_type: math\nverifiability: none\n",
     ["{file}:1: missing required key 'budget_per_query_usd'",
      "{file}:1: missing required key 'latency_budget_s'",
      "{file}:1: missing required key 'training_budget_usd'"]),
    ("zero-latency", GOOD_ANSWERS.replace("latency_budget_s: 30", "latency_budget_s: 0"),
     ["{file}:2: 'latency_budget_s' must be greater than 0, got 0"]),
    ("negative-budget", GOOD_ANSWERS.replace("0.5", "-1"),
     ["{file}:3: 'budget_per_query_usd' must be at least 0, got -1"]),
    ("negative-volume", GOOD_ANSWERS + "queries_per_day: -5\n",
     ["{file}:6: 'queries_per_day' must be at least 0, got -5"]),
    ("fractional-volume", GOOD_ANSWERS + "queries_per_day: 10.5\n",
     ["{file}:6: 'queries_per_day' must be a whole number, got 10.5"]),
    ("infinite-latency", GOOD_ANSWERS.replace("latency_budget_s: 30", "latency_budget_s: .inf"),
     ["{file}:2: 'latency_budget_s' must be a finite number, got inf"]),
    ("number-with-unit", GOOD_ANSWERS.replace("latency_budget_s: 30", "latency_budget_s: 10s"),
     ["{file}:2: 'latency_budget_s' must be a number, got '10s'. Hint: write numbers without "
      "quotes or units"]),
    ("quoted-number-with-unit",
     GOOD_ANSWERS.replace("budget_per_query_usd: 0.5", 'budget_per_query_usd: "$0.50"'),
     ["{file}:3: 'budget_per_query_usd' must be a number, got '$0.50'. Hint: write numbers "
      "without quotes or units"]),
    ("volume-with-unit", GOOD_ANSWERS + 'queries_per_day: "1000/day"\n',
     ["{file}:6: 'queries_per_day' must be a whole number, got '1000/day'. Hint: write numbers "
      "without quotes or units"]),
    ("unknown-option", GOOD_ANSWERS.replace("task_type: math", "task_type: maths"),
     [f"{{file}}:1: 'task_type' must be one of {TASK_TYPES}, got 'maths' (did you mean "
      "'math'?)"]),
    ("option-read-as-boolean", GOOD_ANSWERS.replace("verifiability: none", "verifiability: no"),
     ["{file}:5: 'verifiability' must be one of 'verifiable_steps', 'external_judge' or 'none', "
      "got False. Hint: YAML reads unquoted yes, no, on and off as true or false; quote the "
      "value"]),
    ("boolean-as-number", GOOD_ANSWERS.replace("latency_budget_s: 30", "latency_budget_s: yes"),
     ["{file}:2: 'latency_budget_s' must be a number, got True"]),
    ("boolean-as-count", GOOD_ANSWERS + "queries_per_day: true\n",
     ["{file}:6: 'queries_per_day' must be a whole number, got True"]),
    ("bool-as-word", GOOD_ANSWERS + "high_stakes: maybe\n",
     ["{file}:6: 'high_stakes' must be true or false, got 'maybe'"]),
    ("bool-as-number", GOOD_ANSWERS + "needs_calibration: 2\n",
     ["{file}:6: 'needs_calibration' must be true or false, got 2"]),
    ("duplicate-key", GOOD_ANSWERS + "task_type: classification\n",
     ["{file}:6: duplicate key 'task_type' (first defined on line 1); YAML would silently keep "
      "only the last one"]),
    ("yaml-list", "- task_type: math\n- latency_budget_s: 30\n",
     ["{file}:1: answers must be a mapping of field: value, such as 'task_type: math', got a "
      "list"]),
    ("empty-file", "# nothing answered yet\n",
     ["{file}: answers must be a mapping of field: value, such as 'task_type: math', got nothing "
      "(the file is empty)"]),
    ("yaml-syntax-error", GOOD_ANSWERS + "high_stakes: [true\n",
     ["{file}:7: YAML syntax error: expected ',' or ']', but got '<stream end>'"]),
    ("json-syntax-error", '{"task_type": "math",\n "latency_budget_s": 30,,\n}\n',
     ["{file}:2: YAML syntax error: expected the node content, but found ','"]),
    ("json-unknown-field", '{"task_type": "math", "latency_budget_s": 1, '
                           '"budget_per_query_usd": 1, "training_budget_usd": 0, '
                           '"verifiability": "none", "qpd": 10}',
     [f"{{file}}:1: unknown key 'qpd'; known keys: {ANSWER_KEYS}"]),
    ("object-tag", GOOD_ANSWERS + 'high_stakes: !!python/object/apply:os.system ["echo hi"]\n',
     [f"{{file}}:6: YAML tag '!!python/object/apply:os.system' is not allowed: {PLAIN_DATA}"]),
    ("binary-file", b"\x00\x01\x02\x03",
     ["{file}: file is binary, not YAML or JSON text"]),
    ("not-utf8", (GOOD_ANSWERS + "# réponses\n").encode("latin-1"),
     [f"{{file}}: file is not UTF-8 text (bad byte at offset {len(GOOD_ANSWERS) + 3})"]),
    ("huge-file", GOOD_ANSWERS + "#" * 1_000_000 + "\n",
     [f"{{file}}: file is {len(GOOD_ANSWERS) + 1_000_001:,} bytes; the limit is 1,000,000 "
      "bytes"]),
]


def _answers_file(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "answers.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("content, expected", [c[1:] for c in ANSWERS_CASES],
                         ids=[c[0] for c in ANSWERS_CASES])
def test_bad_answers(tmp_path, monkeypatch, capsys, rules, content, expected):
    path = _answers_file(tmp_path, content)
    expected = _expand(expected, path)
    with pytest.raises(AnswersError) as caught:
        load_answers(path)
    assert [str(p) for p in caught.value.problems] == expected
    # The CLI renders the same problems; the default rules are already loaded, so reuse them.
    monkeypatch.setattr(cli, "load_rules", lambda directory: rules)
    code = main(["recommend", "--answers", str(path)])
    out, err = capsys.readouterr()
    assert (code, out, err.splitlines()) == (1, "", expected)


def test_missing_answers_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    expected = f"{path}: cannot read answers file: No such file or directory"
    with pytest.raises(AnswersError) as caught:
        load_answers(path)
    assert [str(p) for p in caught.value.problems] == [expected]
    result = run_cli("recommend", "--answers", path)
    assert (result.returncode, result.stderr, result.stdout) == (1, expected + "\n", "")


def test_a_directory_as_answers_file_is_one_line(tmp_path):
    """It used to end in IsADirectoryError: the descriptor is checked before it is wrapped."""
    result = run_cli("recommend", "--answers", tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"{tmp_path}: cannot read answers file: it is a directory, not a "
                             "regular file\n")


def test_good_answers_file_is_accepted(tmp_path):
    """The base every bad case edits is itself valid, so each case fails for its own reason."""
    answers = load_answers(_answers_file(tmp_path, GOOD_ANSWERS))
    assert answers.latency_budget_s == 30 and answers.queries_per_day == 1000


# --- the real CLI process, once per stage of the input pipeline ----------------------------------

@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory) -> dict:
    """Each of ``SUBPROCESS_CASES`` as a fresh ``python -m advisor``, run side by side."""
    jobs = {}
    for case_id, files, expected in RULES_CASES:
        if case_id in SUBPROCESS_CASES["rules"]:
            directory = tmp_path_factory.mktemp(case_id) / "rules"
            shutil.copytree(RULES_DIR, directory)
            lines = _expand(expected, _write(directory, files))
            jobs["rules", case_id] = (("check", directory),
                                      lines + [f"{len(lines)} problem(s) in {directory}"])
    for case_id, content, expected in ANSWERS_CASES:
        if case_id in SUBPROCESS_CASES["answers"]:
            path = _answers_file(tmp_path_factory.mktemp(case_id), content)
            jobs["answers", case_id] = (("recommend", "--answers", path), _expand(expected, path))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda args: run_cli(*args), [args for args, _ in jobs.values()])
        return {key: (result, lines) for key, (_, lines), result in
                zip(jobs, jobs.values(), results)}


@pytest.mark.parametrize("kind, case_id", [(kind, case_id) for kind in SUBPROCESS_CASES
                                           for case_id in sorted(SUBPROCESS_CASES[kind])])
def test_cli_process(cli_runs, kind, case_id):
    result, expected = cli_runs[kind, case_id]
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""


def test_subprocess_cases_name_real_cases():
    assert SUBPROCESS_CASES["rules"] <= {c[0] for c in RULES_CASES}
    assert SUBPROCESS_CASES["answers"] <= {c[0] for c in ANSWERS_CASES}
