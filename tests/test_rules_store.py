"""Saving a rules file: atomic, backed up, refused on concurrent edits and on failing rules."""

from __future__ import annotations

import pytest

from advisor.errors import RulesError
from advisor.rules_store import content_hash, open_rules_file, save_rules_file
from authoring_support import copy_rules


@pytest.fixture
def rules_dir(tmp_path):
    return copy_rules(tmp_path / "rules")


def test_save_writes_the_new_text_and_keeps_the_old_as_backup(rules_dir):
    opened = open_rules_file(rules_dir, "settings.yaml")
    edited = opened.text.replace("quality_tolerance: 0.01", "quality_tolerance: 0.02")
    backup = save_rules_file(rules_dir, "settings.yaml", edited, opened_hash=opened.hash)
    assert (rules_dir / "settings.yaml").read_text(encoding="utf-8") == edited
    assert backup == rules_dir / "settings.yaml.bak"
    assert backup.read_text(encoding="utf-8") == opened.text
    assert sorted(p.name for p in rules_dir.glob(".*")) == []  # no temporary file left behind


def test_save_refuses_when_the_file_changed_on_disk_since_opened(rules_dir):
    opened = open_rules_file(rules_dir, "settings.yaml")
    theirs = opened.text.replace("quality_tolerance: 0.01", "quality_tolerance: 0.05")
    (rules_dir / "settings.yaml").write_text(theirs, encoding="utf-8")
    mine = opened.text.replace("quality_tolerance: 0.01", "quality_tolerance: 0.02")
    with pytest.raises(RulesError) as caught:
        save_rules_file(rules_dir, "settings.yaml", mine, opened_hash=opened.hash)
    assert str(caught.value) == (
        f"{rules_dir}/settings.yaml: the file changed on disk since you opened it; not saved, so "
        "neither edit is lost. Reload it and apply your edit again")
    assert (rules_dir / "settings.yaml").read_text(encoding="utf-8") == theirs
    assert not (rules_dir / "settings.yaml.bak").exists()


def test_save_refuses_rules_that_fail_check(rules_dir):
    opened = open_rules_file(rules_dir, "settings.yaml")
    broken = opened.text.replace("quality_tolerance: 0.01", "quality_tolerance: lots")
    with pytest.raises(RulesError) as caught:
        save_rules_file(rules_dir, "settings.yaml", broken, opened_hash=opened.hash)
    assert str(caught.value) == (
        f"{rules_dir}/settings.yaml:8: 'settings.quality_tolerance' must be a number, got "
        "'lots'. Hint: write numbers without quotes or units")
    assert (rules_dir / "settings.yaml").read_text(encoding="utf-8") == opened.text


def test_only_top_level_rules_files_can_be_saved(rules_dir):
    text = "scenarios: []\n"
    for name in ("tests/article.yaml", "../outside.yaml", "rules.schema.json"):
        with pytest.raises(RulesError, match="not a rules file of this directory"):
            save_rules_file(rules_dir, name, text, opened_hash=content_hash(text))
