"""The one reader of every input: rules files, answers files, uploads and share-link payloads.

Each input is bounded before it is parsed (:mod:`advisor.model.limits`): a file is opened first,
then its size is checked on the open handle, and at most one byte past the limit is ever read, so a
file that grows after the check is still caught. Only regular files are read: a symlink is
followed, but a link to a directory, a device such as ``/dev/zero``, a FIFO or a socket is
refused with a message instead of being read or waited on. Every failure is a :class:`Problem`
naming the path; nothing here raises on bad input.

YAML (and JSON in files and uploads) is then parsed by :mod:`advisor.source.yamlsource`; the JSON
of a share link by :func:`json_payload`, which checks nesting before ``json.loads`` recurses.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from advisor.errors import Problem
from advisor.model.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from advisor.source.yamlsource import YamlDocument, decode_text, parse_yaml

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """``a directory``, ``a character device``…: what a non-regular file is, for messages."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: str | Path, *, what: str = "file",
               limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """The content of a regular file of at most ``limit`` bytes, or None and why not.

    Args:
        path: the file; a symlink is followed to a regular file only.
        what: how messages name it (``rules file``, ``answers file``).
        limit: largest size accepted, in bytes.
    """
    shown = str(path)
    try:
        # Why O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        return None, [Problem(shown, 0, f"cannot read {what}: {exc.strerror}")]
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        # Why before fdopen: it refuses a directory with IsADirectoryError, a traceback.
        os.close(descriptor)
        return None, [Problem(shown, 0, f"cannot read {what}: it is "
                                        f"{file_kind(info.st_mode)}, not a regular file")]
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        try:
            if info.st_size > limit:
                return None, [Problem(shown, 0, f"file is {info.st_size:,} bytes; the limit is "
                                                f"{limit:,} bytes")]
            raw = handle.read(limit + 1)
        except OSError as exc:
            return None, [Problem(shown, 0, f"cannot read {what}: {exc.strerror}")]
    if len(raw) > limit:  # it grew after the size check
        return None, [Problem(shown, 0, f"file is larger than the limit of {limit:,} bytes")]
    return raw, []


def read_text(path: str | Path, *, what: str = "file") -> tuple[str | None, list[Problem]]:
    """A regular file's text (UTF-8, not binary, within the size limit), or None and why not."""
    raw, problems = read_bytes(path, what=what)
    if raw is None:
        return None, problems
    return decode_text(raw, str(path))


def read_document(path: str | Path, *, what: str = "file") -> YamlDocument:
    """A YAML or JSON file, read and parsed within every bound; problems in ``.problems``."""
    text, problems = read_text(path, what=what)
    if text is None:
        return YamlDocument(str(path), problems=problems)
    return parse_yaml(text, str(path))


def document_from_bytes(raw: bytes, *, name: str) -> YamlDocument:
    """An upload (YAML or JSON) parsed within every bound; ``name`` is used in messages."""
    text, problems = decode_text(raw, name)
    if text is None:
        return YamlDocument(name, problems=problems)
    return parse_yaml(text, name)


def json_nesting_problem(text: str, *, max_values: int = MAX_VALUES) -> str | None:
    """Why ``text`` nests or holds too much to hand to ``json.loads``, or None.

    Why: ``json.loads`` recurses once per level and raises RecursionError near 1,000 levels; a
    share link of 4,000 characters holds 1,500. Strings are skipped, brackets counted.
    """
    depth = values = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            values += 1
        elif char in "[{":
            depth += 1
            values += 1
            if depth > MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep"
        elif char in "]}":
            depth -= 1
        elif char == ",":
            values += 1
        if values > max_values:
            return f"more than {max_values:,} values"
    return None


def json_payload(raw: bytes, *, name: str) -> tuple[Any, list[Problem]]:
    """JSON data of a share link's payload, within every bound, or None and the problems."""
    text, problems = decode_text(raw, name)
    if text is None:
        return None, problems
    problem = json_nesting_problem(text)
    if problem:
        return None, [Problem(name, 0, problem)]
    try:
        return json.loads(text), []
    except ValueError as exc:
        return None, [Problem(name, 0, f"not JSON: {str(exc).split(';')[0]}")]
