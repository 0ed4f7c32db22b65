"""Open and save one rules file safely: no lost edits, no broken rules, no half-written files.

A save runs ``check`` on the edited directory first (errors block it, warnings do not), then,
holding an exclusive lock on the directory's lock file (``fcntl.flock`` on
``.advisor-rules.lock``), reads the file again and refuses when its content hash differs from the
one taken when the editor opened it: two editors saving 0.4 s apart both passed the old check,
and the first edit was lost. It also refuses an edit that removes every rule of a file that had
some, unless the caller confirms. Then the previous version is kept as a numbered backup
(``rules.yaml.7.bak``; the last :data:`KEEP_BACKUPS` are kept) and the new text is written
atomically (:func:`advisor.source.outputs.write_atomically`). Every refusal and write error is a
:class:`RulesError` with a message; the file on disk is then as it was.

Why numbered backups: with one ``.bak``, two saves of a mistake (an emptied file, say) left no
copy of the good version. ``*.bak`` never matches the loader's ``*.yaml`` glob.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from advisor.authoring.lint import check_directory
from advisor.errors import Problem, RulesError
from advisor.source.inputs import read_text
from advisor.source.loader import rules_files
from advisor.source.outputs import write_atomically
from advisor.source.yamlsource import parse_yaml

BACKUP_SUFFIX = ".bak"
KEEP_BACKUPS = 10
LOCK_NAME = ".advisor-rules.lock"


def content_hash(text: str) -> str:
    """SHA-256 of the text (as UTF-8), hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class OpenedFile:
    """A rules file as it was when opened: its text and the hash a save is checked against."""

    name: str
    path: Path
    text: str
    hash: str


def rules_file_names(directory: str | Path) -> list[str]:
    """Names of the editable rules files (top-level ``*.yaml``) of ``directory``."""
    return [p.name for p in rules_files(directory)]


def _path_of(directory: str | Path, name: str) -> Path:
    if name not in rules_file_names(directory):
        raise RulesError([Problem(str(Path(directory) / name), 0,
                                  "not a rules file of this directory; only its top-level *.yaml "
                                  "files can be edited")])
    return Path(directory) / name


def _read(path: Path) -> str:
    text, problems = read_text(path, what="rules file")
    if text is None:
        raise RulesError(problems)
    return text


def open_rules_file(directory: str | Path, name: str) -> OpenedFile:
    """Read one rules file for editing.

    Raises:
        RulesError: ``name`` is not a top-level rules file of ``directory``, or it cannot be read
            (unreadable, not a regular file, too large, not UTF-8).
    """
    path = _path_of(directory, name)
    text = _read(path)
    return OpenedFile(name, path, text, content_hash(text))


def rule_count(text: str) -> int:
    """How many rules a rules file's text holds (0 when it does not parse)."""
    data = parse_yaml(text, "<count>").data
    rules = data.get("rules") if isinstance(data, dict) else None
    return len(rules) if isinstance(rules, list) else 0


def drops_every_rule(before: str, after: str) -> bool:
    """True when ``after`` holds no rule and ``before`` held some: the edit empties the file."""
    return rule_count(after) == 0 and rule_count(before) > 0


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold the directory's save lock (other processes and threads wait for it)."""
    descriptor = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def backups(path: Path) -> list[Path]:
    """The numbered backups of ``path``, oldest first."""
    pattern = re.compile(re.escape(path.name) + r"\.(\d+)" + re.escape(BACKUP_SUFFIX))
    numbered = [(int(m[1]), p) for p in path.parent.iterdir() if (m := pattern.fullmatch(p.name))]
    return [p for _, p in sorted(numbered)]


def _back_up(path: Path, text: str, mode: int) -> Path:
    """Write ``text`` as the next numbered backup of ``path``; drop those past KEEP_BACKUPS."""
    existing = backups(path)
    number = int(existing[-1].name.split(".")[-2]) + 1 if existing else 1
    backup = path.with_name(f"{path.name}.{number}{BACKUP_SUFFIX}")
    write_atomically(backup, text, mode=mode)
    for old in (existing + [backup])[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return backup


def save_rules_file(directory: str | Path, name: str, text: str, *, opened_hash: str,
                    drop_every_rule: bool = False) -> Path:
    """Save edited text over a rules file, keeping the previous version as a numbered backup.

    Args:
        directory: the rules directory.
        name: the file's name in it (e.g. ``rules.yaml``).
        text: the edited text.
        opened_hash: :func:`content_hash` of the text when the editor opened the file.
        drop_every_rule: the user confirmed an edit that removes every rule of the file.

    Returns:
        The path of the backup.

    Raises:
        RulesError: the edited rules have errors (every ``check`` error, with ``path:line``), the
            file changed on disk since it was opened, the edit removes every rule unconfirmed, or
            the file cannot be read or written. The file on disk is then unchanged.
    """
    directory = Path(directory)
    path = _path_of(directory, name)

    def replace() -> Path:
        current = _read(path)
        if content_hash(current) != opened_hash:
            raise RulesError([Problem(str(path), 0, (
                "the file changed on disk since you opened it; not saved, so neither edit "
                "is lost. Reload it and apply your edit again"))])
        if drops_every_rule(current, text) and not drop_every_rule:
            raise RulesError([Problem(str(path), 0, (
                f"the edit removes all {rule_count(current)} rules of this file; not saved. "
                "Confirm that you mean to remove every rule to save it"))])
        mode = os.stat(path).st_mode & 0o777
        backup = _back_up(path, current, mode)
        write_atomically(path, text, mode=mode)
        return backup

    return _checked_write(directory, path, text, replace,
                          failure="cannot save: {}; the file is unchanged")


def create_rules_file(directory: str | Path, name: str, text: str) -> Path:
    """Write a new top-level rules file, checked with the rest of the directory first.

    Args:
        directory: the rules directory.
        name: a file name ending in ``.yaml`` (no folders), not yet in the directory.
        text: its content.

    Returns:
        The path written.

    Raises:
        RulesError: the name is not a plain ``*.yaml`` name, the file already exists (another
            editor was first: reload), the rules with it have errors (every ``check`` error), or
            it cannot be written. Nothing is then written.
    """
    directory = Path(directory)
    path = directory / name
    if Path(name).name != name or not name.endswith(".yaml") or name.startswith("."):
        raise RulesError([Problem(str(path), 0, "a new rules file needs a plain name ending in "
                                                ".yaml, in the rules directory itself")])

    def create() -> Path:
        if path.exists():
            raise RulesError([Problem(str(path), 0, (
                "the file was created since you looked; not written, so neither edit is "
                "lost. Reload and apply your edit again"))])
        write_atomically(path, text, mode=0o644)
        return path

    return _checked_write(directory, path, text, create,
                          failure="cannot write: {}; nothing was written")


def _checked_write(directory: Path, path: Path, text: str, write: Callable[[], Path], *,
                   failure: str) -> Path:
    """Run ``check`` with ``text`` as ``path``, then ``write`` under the directory's lock.

    Raises:
        RulesError: every ``check`` error, what ``write`` raises, or ``failure`` (formatted with
            the OS error) when the disk refuses; nothing is then written.
    """
    _, problems = check_directory(directory, overrides={path.name: text})
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RulesError(errors)
    try:
        with _locked(directory):
            return write()
    except OSError as exc:
        raise RulesError([Problem(str(path), 0, failure.format(exc.strerror))]) from None
