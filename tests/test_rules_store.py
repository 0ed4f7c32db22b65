"""Saving a rules file: atomic, backed up, refused on concurrent edits, on failing rules, and on
an unconfirmed edit that removes every rule; write errors are messages."""

from __future__ import annotations

import errno
import re

import pytest

from advisor.authoring import rules_store
from advisor.errors import RulesError
from advisor.authoring.rules_store import (LOCK_NAME, backups, content_hash, open_rules_file,
                                 save_rules_file)
from authoring_support import copy_rules


@pytest.fixture
def rules_dir(tmp_path):
    return copy_rules(tmp_path / "rules")


def _save_tolerance(rules_dir, value: str) -> str:
    """Open settings.yaml, save it with quality_tolerance = value; the text it had before."""
    opened = open_rules_file(rules_dir, "settings.yaml")
    edited = re.sub(r"quality_tolerance: [0-9.]+", f"quality_tolerance: {value}", opened.text)
    save_rules_file(rules_dir, "settings.yaml", edited, opened_hash=opened.hash)
    return opened.text


def test_save_writes_the_new_text_and_keeps_the_old_as_a_numbered_backup(rules_dir):
    opened = open_rules_file(rules_dir, "settings.yaml")
    edited = opened.text.replace("quality_tolerance: 0.01", "quality_tolerance: 0.02")
    backup = save_rules_file(rules_dir, "settings.yaml", edited, opened_hash=opened.hash)
    assert (rules_dir / "settings.yaml").read_text(encoding="utf-8") == edited
    assert backup == rules_dir / "settings.yaml.1.bak"
    assert backup.read_text(encoding="utf-8") == opened.text
    # No temporary file is left behind; the lock file stays for the next save.
    assert sorted(p.name for p in rules_dir.glob(".*")) == [LOCK_NAME]


def test_backups_are_numbered_and_only_the_last_ones_kept(rules_dir, monkeypatch):
    monkeypatch.setattr(rules_store, "KEEP_BACKUPS", 2)
    texts = [_save_tolerance(rules_dir, value) for value in ("0.03", "0.04", "0.05")]
    assert len(set(texts)) == 3
    kept = backups(rules_dir / "settings.yaml")
    assert [p.name for p in kept] == ["settings.yaml.2.bak", "settings.yaml.3.bak"]
    assert [p.read_text(encoding="utf-8") for p in kept] == texts[1:]


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
    assert not list(rules_dir.glob("*.bak"))


def test_save_refuses_rules_that_fail_check(rules_dir):
    opened = open_rules_file(rules_dir, "settings.yaml")
    broken = opened.text.replace("quality_tolerance: 0.01", "quality_tolerance: lots")
    with pytest.raises(RulesError) as caught:
        save_rules_file(rules_dir, "settings.yaml", broken, opened_hash=opened.hash)
    assert str(caught.value) == (
        f"{rules_dir}/settings.yaml:8: 'settings.quality_tolerance' must be a number, got "
        "'lots'. Hint: write numbers without quotes or units")
    assert (rules_dir / "settings.yaml").read_text(encoding="utf-8") == opened.text


@pytest.mark.parametrize("emptied", ["", "rules: []\n", "# every rule moved elsewhere\n"])
def test_removing_every_rule_needs_a_confirmation(rules_dir, emptied):
    opened = open_rules_file(rules_dir, "rules.yaml")
    with pytest.raises(RulesError) as caught:
        save_rules_file(rules_dir, "rules.yaml", emptied, opened_hash=opened.hash)
    assert str(caught.value) == (
        f"{rules_dir}/rules.yaml: the edit removes all 26 rules of this file; not saved. Confirm "
        "that you mean to remove every rule to save it")
    assert (rules_dir / "rules.yaml").read_text(encoding="utf-8") == opened.text
    backup = save_rules_file(rules_dir, "rules.yaml", emptied, opened_hash=opened.hash,
                             drop_every_rule=True)
    assert (rules_dir / "rules.yaml").read_text(encoding="utf-8") == emptied
    assert backup.read_text(encoding="utf-8") == opened.text


def test_a_write_error_is_a_message_and_changes_nothing(rules_dir, monkeypatch):
    opened = open_rules_file(rules_dir, "settings.yaml")
    edited = opened.text.replace("quality_tolerance: 0.01", "quality_tolerance: 0.02")

    def full_disk(path, text, *, mode=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rules_store, "write_atomically", full_disk)
    with pytest.raises(RulesError) as caught:
        save_rules_file(rules_dir, "settings.yaml", edited, opened_hash=opened.hash)
    assert str(caught.value) == (f"{rules_dir}/settings.yaml: cannot save: No space left on "
                                 "device; the file is unchanged")
    assert (rules_dir / "settings.yaml").read_text(encoding="utf-8") == opened.text


def test_only_top_level_rules_files_can_be_saved(rules_dir):
    text = "scenarios: []\n"
    for name in ("tests/article.yaml", "../outside.yaml", "rules.schema.json"):
        with pytest.raises(RulesError, match="not a rules file of this directory"):
            save_rules_file(rules_dir, name, text, opened_hash=content_hash(text))
