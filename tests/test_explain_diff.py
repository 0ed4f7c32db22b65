"""explain and diff output, compared with golden files (refresh: pytest --update-golden)."""

from __future__ import annotations

from advisor import recommend
from advisor.cli import main
from advisor.authoring.explain import explain
from advisor.source.loader import load_rules
from advisor.source.answers_file import load_answers
from authoring_support import ROOT, RULES, check_golden, copy_rules

NEW_RULE = """
  - id: knowledge-needs-retrieval
    when: {field: task_type, eq: knowledge_qa}
    exclude: [self_consistency]
    caveat: Consider retrieval before fine-tuning for facts that change.
    because: Voting over answers the model does not know does not add knowledge.
    source: Inference-Time Scaling vs Training Compute, section 'When Training Compute Still Dominates'
"""


def test_explain_output(request, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["explain", "--answers", "examples/support-faq-bot.yaml", "--rules", "rules"]) == 0
    check_golden(request, "explain-support-faq-bot.txt", capsys.readouterr().out)


def test_explain_says_which_condition_failed_and_with_what_value():
    trace = explain(load_answers(ROOT / "examples/competition-math.yaml"), load_rules(RULES))
    by_id = {rule.rule_id: rule for rule in trace.rules}
    assert by_id["high-stakes-can-afford-latency"].failed == [
        "high_stakes = true is false: high_stakes is false"]
    assert by_id["sub-second-rules-out-search"].failed == [
        "latency_budget_s < 1 is false: latency_budget_s is 300"]
    assert by_id["reasoning-task-favours-inference"].fired
    assert trace.table_verdict == "inference_time"
    assert trace.verdict == recommend(load_answers(ROOT / "examples/competition-math.yaml"),
                                      load_rules(RULES)).verdict


def test_explain_bad_answers_exit_1_without_traceback(tmp_path, capsys):
    answers = tmp_path / "a.yaml"
    answers.write_text("task_type: maths\n", encoding="utf-8")
    assert main(["explain", "--answers", str(answers), "--rules", str(RULES)]) == 1
    err = capsys.readouterr().err
    assert f"{answers}:1: 'task_type' must be one of" in err and "Traceback" not in err


def test_diff_output(request, tmp_path, monkeypatch, capsys):
    copy_rules(tmp_path / "old")
    new = copy_rules(tmp_path / "new")
    text = (new / "rules.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: classification-favours-training")
    end = text.index("  - id: open-ended-diminishing-returns")
    text = text[:start] + text[end:]  # removed
    text = text.replace("when: {field: latency_budget_s, lt: 2}\n    push: training\n"
                        "    weight: 1",
                        "when: {field: latency_budget_s, lt: 3}\n    push: training\n"
                        "    weight: 2")
    text = text.replace("when: {field: latency_budget_s, ge: 10}\n    push: inference_time\n"
                        "    weight: 1.05", "when: {field: latency_budget_s, ge: 10}\n"
                        "    push: inference_time\n    weight: 3.05")
    (new / "rules.yaml").write_text(text + NEW_RULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "old", "new", "--examples", "examples"]) == 0
    check_golden(request, "diff-old-new.txt", capsys.readouterr().out)


def test_diff_of_a_broken_directory_exits_1(tmp_path, capsys):
    broken = copy_rules(tmp_path / "new")
    (broken / "settings.yaml").write_text("settings: [\n", encoding="utf-8")
    assert main(["diff", str(RULES), str(broken)]) == 1
    assert capsys.readouterr().err.startswith(f"{broken}/settings.yaml:2: YAML syntax error")
