"""Open and save one rules file safely: no lost edits, no broken rules, no half-written files.

A save is refused when the file changed on disk since it was opened (its content hash differs
from the one taken when opening) or when the edited directory fails ``check`` (errors only;
warnings do not block). Otherwise the previous version is kept as ``<file>.bak`` and the new text
is written to a temporary file in the same directory, then moved over the old one with
``os.replace`` (atomic on POSIX and Windows), so readers see the old file or the new one, never
part of one.

Why ``.bak`` and not a timestamp: one backup per file is enough to undo the last save, the
directory does not fill up, and ``*.bak`` never matches the loader's ``*.yaml`` glob.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from advisor.errors import Problem, RulesError
from advisor.lint import check_directory
from advisor.loader import rules_files

BACKUP_SUFFIX = ".bak"


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


def open_rules_file(directory: str | Path, name: str) -> OpenedFile:
    """Read one rules file for editing.

    Raises:
        RulesError: ``name`` is not a top-level rules file of ``directory``.
    """
    path = _path_of(directory, name)
    text = path.read_text(encoding="utf-8")
    return OpenedFile(name, path, text, content_hash(text))


def _write_atomically(path: Path, text: str, mode: int | None) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save_rules_file(directory: str | Path, name: str, text: str, *, opened_hash: str) -> Path:
    """Save edited text over a rules file, keeping the previous version as ``<file>.bak``.

    Args:
        directory: the rules directory.
        name: the file's name in it (e.g. ``rules.yaml``).
        text: the edited text.
        opened_hash: :func:`content_hash` of the text when the editor opened the file.

    Returns:
        The path of the backup.

    Raises:
        RulesError: the file changed on disk since it was opened, or the edited rules have errors
            (every ``check`` error, with ``path:line``).
    """
    path = _path_of(directory, name)
    current = path.read_text(encoding="utf-8")
    if content_hash(current) != opened_hash:
        raise RulesError([Problem(str(path), 0,
                                  "the file changed on disk since you opened it; not saved, so "
                                  "neither edit is lost. Reload it and apply your edit again")])
    _, problems = check_directory(directory, overrides={name: text})
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RulesError(errors)
    mode = path.stat().st_mode & 0o777
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    _write_atomically(backup, current, mode)
    _write_atomically(path, text, mode)
    return backup
