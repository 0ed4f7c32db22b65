"""Bring your own eval results: the beta-binomial fit, pass@k, bad files, and the CLI."""

from __future__ import annotations

import json
from math import comb

import numpy as np
import pytest

from advisor import AnswersError, load_answers, load_rules, recommend
from advisor.cli import main
from advisor.engine.evalfit import fit_eval, pass_at_k, read_eval
from helpers import EXAMPLES_DIR, RULES_DIR


def _sample(alpha: float, beta: float, problems: int = 600, attempts: int = 20, seed: int = 5):
    rng = np.random.default_rng(seed)
    p = rng.beta(alpha, beta, size=problems)
    n = np.full(problems, attempts)
    return n, rng.binomial(n, p)


def _csv(attempts, correct) -> bytes:
    rows = "\n".join(f"q{i},{n},{c}" for i, (n, c) in enumerate(zip(attempts, correct)))
    return f"problem_id,attempts,correct\n{rows}\n".encode()


def test_the_fit_recovers_a_known_beta():
    fit = fit_eval(*_sample(0.3, 1.2))
    assert fit.accuracy == pytest.approx(0.2, abs=0.02)
    assert fit.dispersion == pytest.approx(1.5, rel=0.2)
    # The fitted curve passes through the measured points.
    for k, measured in fit.pass_at_k.items():
        assert float(fit.coverage(k)) == pytest.approx(measured, abs=0.02)


def test_pass_at_k_is_the_unbiased_estimator():
    attempts, correct = np.array([10, 10, 5]), np.array([3, 0, 5])
    expected = np.mean([1 - comb(n - c, 4) / comb(n, 4) for n, c in zip(attempts, correct)])
    assert pass_at_k(attempts, correct, 4) == pytest.approx(expected)


def test_one_attempt_per_problem_fits_the_accuracy_only():
    fit = fit_eval(np.ones(50, dtype=int), np.array([1] * 20 + [0] * 30))
    assert (fit.accuracy, fit.dispersion) == (0.4, None)
    assert "one attempt per problem" in fit.note


@pytest.mark.parametrize("raw, message", [
    (b"id,tries,ok\nq1,3,1\n", "needs the columns problem_id, attempts, correct; missing "
                               "problem_id, attempts, correct"),
    (b"problem_id,attempts,correct\nq1,3,4\nq2,3,1\n", ":2: problem 'q1' has 4 correct of 3"),
    (b"problem_id,attempts,correct\nq1,3,1\n", "needs at least two problems"),
    (b"problem_id,attempts,correct\nq1,3,1\nq2,2.5,1\n", ":3: 'attempts' must be a whole number"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "file is binary"),
    (b"problem_id,attempts,correct\nq1,3,-1\nq2,3,1\n", "'correct' must be a whole number"),
], ids=["columns", "correct-over-attempts", "one-row", "fraction", "binary", "negative"])
def test_bad_eval_files_say_what_to_fix(raw, message):
    with pytest.raises(AnswersError) as caught:
        read_eval(raw, name="eval.csv")
    assert message in str(caught.value.problems[0])
    assert str(caught.value.problems[0]).startswith("eval.csv")


def test_cli_eval_prints_the_fit(tmp_path, capsys):
    path = tmp_path / "eval.csv"
    path.write_bytes(_csv(*_sample(0.5, 1.5, problems=200, attempts=8)))
    assert main(["eval", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["pass_at_k"]) == {"1", "2", "4", "8"}
    assert out["answers"]["measured_accuracy"] == out["accuracy"]


def test_cli_recommend_with_eval_changes_the_recommendation(tmp_path, capsys):
    path = tmp_path / "eval.csv"
    path.write_bytes(_csv(*_sample(0.05, 2.0, problems=300, attempts=10)))
    answers = EXAMPLES_DIR / "competition-math.yaml"
    assert main(["recommend", "--answers", str(answers), "--eval", str(path),
                 "--eval-model", "gpt-4o"]) == 0
    with_eval = json.loads(capsys.readouterr().out)
    plain = recommend(load_answers(answers), load_rules(RULES_DIR))
    assert with_eval["answers"]["measured_model"] == "gpt-4o"
    assert with_eval["chosen"]["expected_quality"] != plain.chosen.expected_quality


def test_cli_eval_without_a_model_says_which_flag(tmp_path, capsys):
    path = tmp_path / "eval.csv"
    path.write_bytes(_csv([3, 3], [1, 2]))
    code = main(["recommend", "--answers", str(EXAMPLES_DIR / "competition-math.yaml"),
                 "--eval", str(path)])
    assert code == 1
    assert "--eval-model ID or measured_model in the answers" in capsys.readouterr().err


def test_cli_bad_eval_file_exits_with_path_and_line(tmp_path, capsys):
    path = tmp_path / "eval.csv"
    path.write_bytes(b"problem_id,attempts,correct\nq1,3,9\nq2,3,1\n")
    assert main(["eval", str(path)]) == 1
    assert capsys.readouterr().err.startswith(f"{path}:2: problem 'q1' has 9 correct of 3")
