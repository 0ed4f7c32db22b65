"""The rules page in AppTest: browse, trace, sandbox validate/preview/download, and saving."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from advisor.render.markdown import md_escape
from authoring_support import copy_rules
from helpers import open_tab


def _page():
    from ui.pages import rules as rules_page

    rules_page.render()


pytestmark = pytest.mark.usefixtures("fresh_streamlit")


@pytest.fixture
def rules_dir(tmp_path, monkeypatch):
    directory = copy_rules(tmp_path / "rules")
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(directory))
    return directory


@pytest.fixture
def media_stores(monkeypatch):
    """Capture AppTest's in-memory media storage so download contents can be read back."""
    stores: list[MemoryMediaFileStorage] = []
    original = MemoryMediaFileStorage.__init__

    def record(self, *args, **kwargs):
        original(self, *args, **kwargs)
        stores.append(self)

    monkeypatch.setattr(MemoryMediaFileStorage, "__init__", record)
    return stores


def run_page(tab: str = "Sandbox") -> AppTest:
    """The page with ``tab`` open (the sandbox unless told: most tests edit a file)."""
    at = AppTest.from_function(_page, default_timeout=30).run()
    assert not at.exception, at.exception
    return open_tab(at, "rules_section", tab) if tab != "Browse" else at


def open_file(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="sandbox_file").select(name).run()
    assert not at.exception, at.exception
    return at


def edit(at: AppTest, old: str, new: str) -> AppTest:
    text = at.text_area(key="sandbox_text").value
    assert old in text
    at.text_area(key="sandbox_text").input(text.replace(old, new)).run()
    assert not at.exception, at.exception
    return at


# Read-only dataframes carry no widget id, so each is found by a column only it has.
MARKER = {"rules_table": "defined at", "rules_trace": "effects or why not",
          "sandbox_problems": "severity", "sandbox_recommendation": "with your edit"}


def frame(at: AppTest, key: str):
    return next(d.value for d in at.dataframe if MARKER[key] in d.value.columns)


def _line_of(rules_dir: Path, rule_id: str) -> int:
    lines = (rules_dir / "rules.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index(f"  - id: {rule_id}") + 1


def test_browse_filter_open_and_trace(rules_dir):
    at = run_page("Browse")
    assert len(frame(at, "rules_table")) == 26
    at.multiselect(key="rules_filter_effect").select("exclude").run()
    table = frame(at, "rules_table")
    assert list(table["rule"]) == ["majority-vote-needs-one-answer", "sub-second-rules-out-search",
                                   "no-verifier-no-verified-search",
                                   "self-refine-needs-feedback-on-reasoning"]
    at.multiselect(key="rules_filter_strategy").select("self_consistency").run()
    assert list(frame(at, "rules_table")["rule"]) == ["majority-vote-needs-one-answer"]
    # Strategies by name, in the table and the filter; nothing is open until a rule is chosen.
    assert list(frame(at, "rules_table")["strategies"]) == ["Self-consistency"]
    assert at.multiselect(key="rules_filter_strategy").format_func("self_consistency") == \
        "Self-consistency"
    assert not at.code
    at.selectbox(key="rules_open").select("majority-vote-needs-one-answer").run()
    assert at.code[0].value.startswith("- id: majority-vote-needs-one-answer\n  when:\n")
    # Where the rule is, relative to the rules directory: never the server's path to it.
    (defined,) = [c.value for c in at.caption if c.value.startswith("Defined at")]
    line = _line_of(rules_dir, "majority-vote-needs-one-answer")
    assert defined == f"Defined at rules.yaml:{line}"
    trace = frame(open_tab(at, "rules_section", "Trace for your answers"), "rules_trace")
    row = trace[trace["rule"] == "knowledge-task-favours-training"].iloc[0]
    assert not row["fired"]
    assert row["effects or why not"] == ("task_type = knowledge_qa is false: task_type is "
                                         "multi_step_reasoning")


def test_the_page_opens_on_browse_without_checking_or_tracing(rules_dir, monkeypatch):
    """Opening the page waits for neither the sandbox's check of the answer space nor the trace."""
    from ui.pages import rules as rules_page

    def refuse(*args, **kwargs):
        raise AssertionError("built while its tab is closed")

    monkeypatch.setattr(rules_page, "check_directory", refuse)
    monkeypatch.setattr(rules_page, "explain", refuse)
    at = run_page("Browse")
    assert [t.label for t in at.tabs] == ["Browse", "Trace for your answers", "Add a model",
                                          "Sandbox"]
    assert len(frame(at, "rules_table")) == 26
    assert not at.text_area


def test_sandbox_validates_with_line_numbers_and_disables_save(rules_dir, monkeypatch):
    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    at = open_file(run_page(), "settings.yaml")
    assert at.button(key="sandbox_save").disabled is False
    edit(at, "quality_tolerance: 0.01", "quality_tolerance: lots")
    assert at.error[0].value == "1 error(s): the edited rules would not load."
    problems = frame(at, "sandbox_problems")
    assert problems.iloc[0].to_dict() == {
        "file": "settings.yaml", "line": 8, "severity": "error",
        "message": "'settings.quality_tolerance' must be a number, got 'lots'. Hint: write "
                   "numbers without quotes or units"}
    assert at.button(key="sandbox_save").disabled is True


def test_sandbox_previews_recommendation_and_scenario_changes(rules_dir, media_stores):
    at = run_page()
    # Current answers (the sidebar questionnaire): knowledge Q&A judged externally, cheap budget.
    at.selectbox(key="task_type").select("knowledge_qa")
    at.number_input(key="budget_per_query_usd").set_value(0.01)
    at = open_file(at, "rules.yaml")
    flexible = ("    when: {field: latency_budget_s, ge: 10}\n    push: inference_time\n"
                "    weight: ")
    edit(at, flexible + "1.05", flexible + "3.05")
    assert at.success[0].value == "Valid: no errors, no warnings."
    preview = frame(at, "sandbox_recommendation")
    assert list(preview[""]) == ["verdict", "trade-off table", "strategy", "model",
                                 "rules fired"]
    # A push is the table's vote: the table's verdict moves, the configuration does not.
    assert list(preview.iloc[1][["now", "with your edit"]]) == ["training", "combined"]
    assert preview.iloc[0]["now"] == preview.iloc[0]["with your edit"]
    changes = at.code[-1].value
    assert changes.splitlines()[0] == "changes: ~ rule flexible-latency-favours-inference"
    assert "  scenario training-dominates-knowledge (tests/article.yaml:" in changes
    assert str(rules_dir) not in changes
    assert "      table_verdict: training → combined" in changes
    # Nothing reached the disk; the download carries the edit.
    assert flexible + "3.05" not in (
        rules_dir / "rules.yaml").read_text(encoding="utf-8")
    button = next(b for b in at.get("download_button") if "sandbox_download" in b.proto.id)
    content = media_stores[-1].get_file(Path(urlparse(button.proto.url).path).name).content
    assert b"    push: inference_time\n    weight: 3.05" in content


def test_problems_name_files_relative_to_the_rules_directory(rules_dir):
    """A message quoting another file says ``rules.yaml:17``, never the server's path."""
    at = open_file(run_page(), "rules.yaml")
    text = at.text_area(key="sandbox_text").value
    first = text.index("  - id: ")
    copy = text[first:text.index("  - id: ", first + 1)]
    at.text_area(key="sandbox_text").input(text + "\n" + copy).run()
    (message,) = frame(at, "sandbox_problems")["message"]
    line = text[:first].count("\n") + 1
    assert message.endswith(f"(first defined at rules.yaml:{line})")
    assert str(rules_dir) not in message


def test_save_is_off_unless_enabled(rules_dir):
    at = open_file(run_page(), "settings.yaml")
    save = at.button(key="sandbox_save")
    assert save.disabled is True
    assert "ADVISOR_ALLOW_RULE_EDITS=1" in save.help


def test_save_writes_and_keeps_a_backup(rules_dir, monkeypatch):
    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    before = (rules_dir / "settings.yaml").read_text(encoding="utf-8")
    at = edit(open_file(run_page(), "settings.yaml"), "quality_tolerance: 0.01",
              "quality_tolerance: 0.02")
    at.button(key="sandbox_save").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Valid: no errors, no warnings.",
        "Saved settings.yaml; the previous version is in settings.yaml.1.bak. Recorded in the "
        "audit log as edit number 1 by anonymous."]
    assert "quality_tolerance: 0.02" in (rules_dir / "settings.yaml").read_text(encoding="utf-8")
    assert (rules_dir / "settings.yaml.1.bak").read_text(encoding="utf-8") == before
    # A second edit saves too: the editor now holds the saved version's hash.
    edit(at, "quality_tolerance: 0.02", "quality_tolerance: 0.03").button(
        key="sandbox_save").click().run()
    assert "quality_tolerance: 0.03" in (rules_dir / "settings.yaml").read_text(encoding="utf-8")
    assert "quality_tolerance: 0.02" in (rules_dir / "settings.yaml.2.bak").read_text(
        encoding="utf-8")


def test_save_refuses_a_file_changed_on_disk_since_opened(rules_dir, monkeypatch):
    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    at = open_file(run_page(), "settings.yaml")
    path = rules_dir / "settings.yaml"
    theirs = path.read_text(encoding="utf-8").replace("quality_tolerance: 0.01",
                                                     "quality_tolerance: 0.05")
    path.write_text(theirs, encoding="utf-8")
    edit(at, "quality_tolerance: 0.01", "quality_tolerance: 0.02")
    assert at.warning[0].value.startswith("settings.yaml changed on disk since you opened it")
    at.button(key="sandbox_save").click().run()
    assert not at.exception
    assert at.error[0].value == "Not saved:"
    # The rules directory by its name only: users are not told where the server keeps it.
    assert at.code[-1].value == ("settings.yaml: the file changed on disk since you opened it; "
                                 "not saved, so neither edit is lost. Reload it and apply your "
                                 "edit again")
    assert path.read_text(encoding="utf-8") == theirs
    assert not list(rules_dir.glob("*.bak"))


def test_emptying_a_rules_file_needs_a_confirmation(rules_dir, monkeypatch):
    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    path = rules_dir / "rules.yaml"
    before = path.read_text(encoding="utf-8")
    at = open_file(run_page(), "rules.yaml")
    at.text_area(key="sandbox_text").input("").run()
    at.button(key="sandbox_save").click().run()
    assert not at.exception
    assert at.error[-1].value == "Not saved:"
    assert at.code[-1].value == ("rules.yaml: the edit removes all 26 rules of this file; not "
                                 "saved. Confirm that you mean to remove every rule to save it")
    assert path.read_text(encoding="utf-8") == before
    at.checkbox(key="sandbox_drop_rules").check().run()
    at.button(key="sandbox_save").click().run()
    assert path.read_text(encoding="utf-8") == ""
    assert (rules_dir / "rules.yaml.1.bak").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("content, message", [
    ("description: café\n".encode("latin-1"), "file is not UTF-8 text (bad byte at offset 16)"),
    (b"description: " + b"x" * 1_000_001, "file is 1,000,014 bytes; the limit is 1,000,000 bytes"),
], ids=["latin-1", "too-large"])
def test_a_file_that_cannot_be_read_is_a_message(rules_dir, content, message):
    (rules_dir / "extra.yaml").write_bytes(content)
    at = open_file(run_page(), "extra.yaml")
    assert not at.exception
    assert at.error[-1].value == ("extra.yaml cannot be edited here; fix it on disk:\n\n- "
                                  + md_escape(f"extra.yaml: {message}"))


def test_broken_file_on_disk_keeps_the_page_up(rules_dir):
    at = run_page("Browse")
    (rules_dir / "settings.yaml").write_text("settings: [unclosed\n", encoding="utf-8")
    at.run()
    assert not at.exception
    assert "last valid rules are still in use" in at.error[0].value
    assert md_escape("settings.yaml:2") in at.error[0].value
    assert len(frame(at, "rules_table")) == 26
    at = open_file(open_tab(at, "rules_section", "Sandbox"), "settings.yaml")
    assert at.text_area(key="sandbox_text").value == "settings: [unclosed\n"
    assert frame(at, "sandbox_problems").iloc[0]["line"] == 2


def test_upload_replaces_the_editor_text_not_the_file(rules_dir):
    at = open_file(run_page(), "settings.yaml")
    on_disk = (rules_dir / "settings.yaml").read_text(encoding="utf-8")
    uploaded = on_disk.replace("quality_tolerance: 0.01", "quality_tolerance: 2")
    at.file_uploader(key="sandbox_upload").upload("settings.yaml", uploaded.encode(),
                                                  "application/yaml").run()
    assert not at.exception
    assert at.text_area(key="sandbox_text").value == uploaded
    assert frame(at, "sandbox_problems").iloc[0]["message"] == (
        "'settings.quality_tolerance' must be less than 1, got 2")
    assert (rules_dir / "settings.yaml").read_text(encoding="utf-8") == on_disk


def test_binary_upload_is_refused(rules_dir):
    at = open_file(run_page(), "settings.yaml")
    at.file_uploader(key="sandbox_upload").upload("settings.yaml", b"\x00\x01", "application/yaml")
    at.run()
    assert not at.exception
    assert at.error[0].value == (
        "Upload refused: settings.yaml: file is binary, not YAML or JSON text")


def test_a_save_from_the_app_is_in_the_audit_log_with_who_the_diff_and_both_versions(
        rules_dir, monkeypatch, tmp_path):
    from advisor import load_rules
    from advisor.store import open_store
    from ui.components import team

    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    monkeypatch.setenv("ADVISOR_USER_HEADER", "X-Forwarded-Email")
    monkeypatch.setattr(team, "request_headers", lambda: {"X-Forwarded-Email": "ada@example.com"})
    version_before = load_rules(rules_dir).version
    at = edit(open_file(run_page(), "settings.yaml"), "quality_tolerance: 0.01",
              "quality_tolerance: 0.02")
    at.button(key="sandbox_save").click().run()
    assert not at.exception
    assert at.success[-1].value.endswith(md_escape(
        "Recorded in the audit log as edit number 1 by ada@example.com."))
    (entry,) = open_store(f"sqlite:///{tmp_path / 'snapshots.sqlite3'}").rule_edits()
    assert (entry.author, entry.file) == ("ada@example.com", "settings.yaml")
    assert (entry.rules_version_before, entry.rules_version_after) == (
        version_before, load_rules(rules_dir).version)
    changed = [line for line in entry.diff.splitlines()[2:] if line[:1] in "-+"]
    assert [(line[0], line[1:].strip()) for line in changed] == [
        ("-", "quality_tolerance: 0.01"), ("+", "quality_tolerance: 0.02")]


def test_a_save_is_kept_and_says_so_when_the_audit_log_is_down(rules_dir, monkeypatch):
    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    monkeypatch.setenv("ADVISOR_DATABASE_URL", "mysql://u:p@h/db")
    at = edit(open_file(run_page(), "settings.yaml"), "quality_tolerance: 0.01",
              "quality_tolerance: 0.02")
    at.button(key="sandbox_save").click().run()
    assert not at.exception
    assert at.success[-1].value.startswith(md_escape(
        "Saved settings.yaml; the previous version is in settings.yaml.1.bak. Not recorded in "
        "the audit log: ADVISOR_DATABASE_URL names an unsupported database"))
    assert "quality_tolerance: 0.02" in (rules_dir / "settings.yaml").read_text(encoding="utf-8")
