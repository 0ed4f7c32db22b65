"""Write files safely: atomically, to regular files only, never over an input.

A file is written to a temporary file in the same directory, flushed to disk, then moved over
the target with ``os.replace`` (atomic on POSIX and Windows): a reader sees the old file or the
new one, and a write that fails half-way (a full disk, a file-size limit) leaves the old file as
it was and no temporary file behind.

Before writing, :func:`output_problem` refuses a target that is a directory or a device (such as
``/dev/full``), that lies in a directory that does not exist, or that is one of the command's
inputs (the answers file, a rules file) or lies in the rules directory, where it would become a
rules file. Every refusal and every write error is an :class:`~advisor.errors.OutputError`
reading ``path: message``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from advisor.errors import OutputError, Problem
from advisor.source.inputs import file_kind


def write_atomically(path: Path, text: str | bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8, or bytes as they are) in one step.

    Args:
        path: the file to write; its directory must exist.
        text: the new content: text, or bytes (a PDF).
        mode: permission bits of the new file; None keeps those of the file it replaces, or
            gives a new file the usual ones (0o666 less the umask).

    Raises:
        OSError: the temporary file could not be written or moved; ``path`` is unchanged.
    """
    if mode is None:
        mode = _current_mode(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (os.fdopen(handle, "wb") if isinstance(text, bytes)
              else os.fdopen(handle, "w", encoding="utf-8", newline="")) as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _current_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        # Why set and reset: the umask can only be read by setting it (mkstemp makes 0o600).
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def output_problem(path: Path, *, inputs: Mapping[Path, str] | None = None,
                   input_directories: Iterable[Path] = ()) -> str | None:
    """Why ``path`` must not be written, or None when it may be.

    Args:
        path: the output file.
        inputs: files the command reads, each with what it is (``the answers file``); none of
            them may be overwritten.
        input_directories: directories the command reads whole (a rules directory).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"cannot write: {exc.strerror}"
    if info is not None and not stat.S_ISREG(info.st_mode):
        return (f"is {file_kind(info.st_mode)}; the output is written to a regular file only"
                + ("; give a file name in it" if stat.S_ISDIR(info.st_mode) else ""))
    parent = path.parent
    if not parent.is_dir():
        return f"cannot write: directory '{parent}' does not exist"
    if info is not None:
        for source, what in (inputs or {}).items():
            if _same(path, source):
                return f"is {what}, an input of this command; not overwritten"
    for directory in input_directories:
        if _same(parent, directory):
            return (f"is in {directory}, a directory this command reads; write the output "
                    "elsewhere")
    return None


def _same(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def write_output(path: str | Path, text: str | bytes, *, inputs: Mapping[Path, str] | None = None,
                 input_directories: Iterable[Path] = ()) -> None:
    """Write a command's output file: checked by :func:`output_problem`, then atomically.

    Raises:
        OutputError: the target is refused, or writing failed (the old file is unchanged).
    """
    path = Path(path)
    problem = output_problem(path, inputs=inputs, input_directories=input_directories)
    if problem:
        raise OutputError([Problem(str(path), 0, problem)])
    try:
        write_atomically(path, text)
    except OSError as exc:
        raise OutputError([Problem(str(path), 0, f"cannot write: {exc.strerror}; nothing was "
                                                 "written")]) from None
